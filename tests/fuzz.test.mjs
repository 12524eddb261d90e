// Seeded fuzzing. Mutated venue files, by class, through the command line's own code
// path (runCli, in-process): each run prints one line of valid JSON with nothing on stderr, or
// exactly one `error: CODE at FIELD: detail` line with nothing on stdout and exit code 2 — never
// a crash or an INTERNAL error. Random API calls: every rejection is a MarginError that leaves the
// snapshot bytes as they were. Snapshot headers: every forged or damaged one is a MarginError.
// MARGIN_FUZZ_SCALE=100 runs 100 times more of each.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { MarginEngine, generateVenue } from "../build/index.js";
import { cli, ERROR_LINE } from "./helpers/cli.mjs";
import { expectMarginError } from "./helpers/margin-error.mjs";
import { CLASSES, mutator } from "./helpers/mutate.mjs";
import { opsVenue, outcome, randomOps } from "./helpers/random-ops.mjs";
import { joinSnapshot, splitSnapshot } from "./helpers/snapshot-bytes.mjs";

const SCALE = Number(process.env.MARGIN_FUZZ_SCALE ?? 1);
const VENUE_FILES = 3_000 * SCALE, API_CALLS = 5_000 * SCALE, HEADERS = 1_000 * SCALE;

async function bases() {
  const example = JSON.parse(readFileSync(new URL("../examples/venue.json", import.meta.url), "utf8"));
  const { venue, columns } = generateVenue({ accounts: 12, seed: 4 });
  const engine = await MarginEngine.fromVenue({ ...venue, accounts: [] });
  engine.loadColumns(columns);
  return [example, opsVenue(), JSON.parse(JSON.stringify(engine.toVenue()))];
}

/** The command line's contract for one run; returns what broke it, or null. */
function broken({ status, stdout, stderr }) {
  if (status === 0) {
    if (stderr !== "") return `exit 0 with stderr ${JSON.stringify(stderr.slice(0, 200))}`;
    if (!stdout.endsWith("\n") || stdout.indexOf("\n") !== stdout.length - 1) return "stdout is not one line";
    try {
      JSON.parse(stdout);
    } catch {
      return "stdout is not valid JSON";
    }
    return null;
  }
  if (status !== 2) return `exit ${status}`;
  if (stdout !== "") return "an error with output on stdout";
  if (!ERROR_LINE.test(stderr)) return `not one error line: ${JSON.stringify(stderr.slice(0, 300))}`;
  if (stderr.startsWith("error: INTERNAL")) return stderr.slice(0, 300);
  return null;
}

test(`${VENUE_FILES.toLocaleString("en-US")} mutated venue files through the command line: one JSON line or one error line`, async () => {
  const sources = await bases();
  const mutate = mutator(2026);
  const path = join(mkdtempSync(join(tmpdir(), "margin-core-fuzz-")), "venue.json");
  const perClass = Object.fromEntries(CLASSES.map((c) => [c, { inputs: 0, valid: 0, errors: 0, failures: 0 }]));
  const failures = [];
  for (let k = 0; k < VENUE_FILES; k++) {
    const kind = CLASSES[k % CLASSES.length];
    const source = sources[Math.floor(k / CLASSES.length) % sources.length];
    const text = mutate(source, kind);
    writeFileSync(path, text);
    const command = [["margin", path], ["margin", path], ["liquidations", path, "--limit", "2"],
      ["check", path, "--account", source.accounts[0]?.id ?? "x", "--instrument", source.instruments[0]?.id ?? "x", "--qty", "-0.001", "--price", "65000"],
      ["scenarios", path, "--account", source.accounts[0]?.id ?? "x"]][k % 5];
    const result = await cli(...command);
    const stats = perClass[kind];
    stats.inputs++;
    if (result.status === 0) stats.valid++;
    else stats.errors++;
    const why = broken(result);
    if (why !== null) {
      stats.failures++;
      if (failures.length < 5) failures.push(`${kind} #${k} (${command[0]}): ${why}\n  input: ${text.slice(0, 300)}`);
    }
  }
  console.log("venue-file fuzz, per class:");
  console.table(perClass);
  assert.equal(failures, []);
  assert.ok(Object.values(perClass).every((s) => s.inputs >= VENUE_FILES / CLASSES.length - 1));
});

test(`${API_CALLS.toLocaleString("en-US")} random API calls: every rejection a MarginError that changes nothing`, async () => {
  const engine = await MarginEngine.fromVenue(opsVenue());
  const next = randomOps(77);
  let refused = 0;
  for (let k = 0; k < API_CALLS; k++) {
    const op = next();
    const before = engine.snapshot();
    const result = outcome(engine, op);
    if (result.startsWith("error:")) {
      refused++;
      assert.equal(engine.snapshot(), before, `call ${k} (${op[0]}) was refused with "${result}" but changed the state`);
    }
  }
  console.log(`API fuzz: ${API_CALLS} calls, ${refused} refused, each leaving the snapshot bytes unchanged`);
  assert.ok(refused > API_CALLS / 20);
});

test(`${HEADERS.toLocaleString("en-US")} forged snapshot headers and section lengths (valid checksums): a MarginError or a working engine`, async () => {
  const engine = await MarginEngine.fromVenue(opsVenue());
  engine.setPrice("BTC", "64000", Date.parse("2026-11-24T00:01:00Z"), "feedA");
  const bytes = engine.snapshot();
  const { header, rest } = splitSnapshot(bytes);
  assert.equal(joinSnapshot(header, rest), bytes, "the test's encoder matches the format");
  const mutate = mutator(99);
  const parsed = JSON.parse(header);
  let refused = 0, restored = 0;
  for (let k = 0; k < HEADERS; k++) {
    let forged;
    if (k % 4 === 3) {
      // a section's length field rewritten
      const body = rest.slice();
      const view = new DataView(body.buffer);
      let at = 0;
      for (let s = 0; s < k % 10 && at + 8 < body.length; s++) at += 8 + ((Number(view.getBigUint64(at, true)) + 7) & ~7);
      if (at + 8 <= body.length) view.setBigUint64(at, BigInt([0, 1, 7, 8, 2 ** 20, 2 ** 40][k % 6]), true);
      forged = joinSnapshot(header, body);
    } else {
      forged = joinSnapshot(mutate(parsed, CLASSES[k % 7]), rest);
    }
    let copy;
    try {
      copy = await MarginEngine.restore(forged);
    } catch (error) {
      if (error?.name !== "MarginError") assert.unreachable(`header ${k}: ${error?.stack ?? error}`);
      refused++;
      continue;
    }
    // accepted: a state every other way out of the engine takes too
    try {
      assert.equal((await MarginEngine.restore(copy.snapshot())).accounts(), copy.accounts());
      await MarginEngine.fromVenue(JSON.stringify(copy.toVenue()));
      copy.liquidationQueue();
      restored++;
    } catch (error) {
      assert.unreachable(`header ${k} restored, then failed: ${error?.stack ?? error}`);
    }
  }
  console.log(`snapshot header fuzz: ${HEADERS} forged, ${refused} refused with a MarginError, ${restored} restored and working`);
  assert.ok(refused > HEADERS / 2);
});

test("a forged snapshot whose source is dated after its oracle clock is refused (no engine writes one, and no venue file could hold it)", async () => {
  const engine = await MarginEngine.fromVenue(opsVenue());
  const { header, rest } = splitSnapshot(engine.snapshot());
  const parsed = JSON.parse(header);
  // an hour after the clock: within maxClockSkew, so only the snapshot rule refuses it
  parsed.underlyings[0].sources[0].time = new Date(parsed.clock + 3_600_000).toISOString();
  await expectMarginError(() => MarginEngine.restore(joinSnapshot(JSON.stringify(parsed), rest)), { code: "MALFORMED", field: "snapshot.underlyings[0].sources[0].time" });
});

test.run();
