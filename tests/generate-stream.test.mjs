// `margin-core generate` streams its venue file as it draws its accounts, a batch at a time, byte for
// byte the JSON of toVenue() over the whole venue, and stops as soon as its reader goes away.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { Writable } from "node:stream";
import { MarginEngine, generateVenue } from "../build/index.js";
import { runCli } from "../build/cli.js";
import { expectMarginError } from "./helpers/margin-error.mjs";

const EXAMPLE = new URL("../examples/venue.json", import.meta.url).pathname;
const BIN = new URL("../bin/margin-core.js", import.meta.url).pathname;

test("generate writes toVenue()'s JSON in bounded chunks, waiting for a slow reader", async () => {
  const { venue, columns } = generateVenue({ accounts: 3000, seed: 9 });
  const engine = await MarginEngine.fromVenue({ ...venue, accounts: [] });
  engine.loadColumns(columns);
  const expected = JSON.stringify(engine.toVenue()) + "\n";

  const chunks = [];
  // a reader that takes each chunk a turn later, so writes fill it and the command waits for drain
  const stdout = new Writable({ highWaterMark: 1 << 14, write(chunk, _encoding, done) { chunks.push(chunk.toString()); setImmediate(done); } });
  let stderr = "";
  const status = await runCli(["generate", "--accounts", "3000", "--seed", "9"], { stdout, stderr: { write: (s) => { stderr += s; } } });
  assert.is(status, 0, stderr);
  assert.is(chunks.join(""), expected);
  assert.ok(chunks.length > 10, `${chunks.length} writes`);
  assert.ok(Math.max(...chunks.map((c) => c.length)) < 80_000, "no chunk holds the whole venue");
  const tooMany = await runCli(["generate", "--accounts", "10000001"], { stdout: { write: () => assert.unreachable("stdout") }, stderr: { write: (s) => { stderr = s; } } });
  assert.is(tooMany, 2);
  assert.is(stderr, "error: MALFORMED at argv: --accounts must be an integer in [1, 10000000]\n");
});

/** What `promise` resolves to, or `late` if that takes over `ms`. */
async function within(promise, ms, late) {
  let timer;
  const result = await Promise.race([promise, new Promise((resolve) => { timer = setTimeout(() => resolve(late), ms); })]);
  clearTimeout(timer);
  return result;
}

test("generate --accounts 10000000 | head: the file starts at once, and the run ends quietly (exit 0) soon after the reader leaves", async () => {
  const child = spawn(process.execPath, [BIN, "generate", "--accounts", "10000000"], { stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (data) => { stderr += data; });
  const exited = new Promise((resolve) => child.on("exit", (code, signal) => resolve({ code, signal })));
  // a reader that takes the first 200 KB (some hundreds of accounts), then closes the pipe as `head -c` does
  let read = "";
  const enough = new Promise((resolve) => child.stdout.on("data", (data) => {
    read += data;
    if (read.length >= 200_000) resolve(true);
  }));
  const wanted = await within(enough, 15_000, false);
  child.stdout.destroy();
  const closed = Date.now();
  const ended = await within(exited, 15_000, null);
  if (ended === null) child.kill("SIGKILL");
  assert.ok(wanted, `200 KB of output within 15 s (the accounts are written as they are drawn), got ${read.length} B`);
  assert.ok(read.startsWith('{"now":"2026-11-24T00:00:00Z"') && read.includes('"accounts":[{"id":"acc-0","mode":'), read.slice(0, 200));
  assert.ok(ended !== null, "ended within 15 s of the reader leaving");
  assert.equal(ended, { code: 0, signal: null }, `ended in ${Date.now() - closed} ms`);
  assert.is(stderr, "");
});

test("venueAccounts pages are toVenue()'s accounts, also for books changed after the load", async () => {
  const engine = await MarginEngine.fromVenue(readFileSync(EXAMPLE, "utf8"));
  // a grown book moves its segment: pages read each account where it now is
  engine.setPosition("bob", "BTC-20261225", "0.5", "64000");
  engine.setPosition("bob", "BTC-20261225-70000-C", "-1", "1200");
  engine.upsertAccount({ id: "dave", mode: "standard" });
  engine.setCollateral("dave", "USD", "1000");
  const pages = [0, 1, 2, 3, 4].flatMap((offset) => engine.venueAccounts({ offset, limit: 1 }));
  assert.equal(engine.venueAccounts(null), pages);
  const whole = engine.toVenue().accounts;
  assert.equal(pages, whole);
  assert.equal(whole.map((a) => a.id), ["alice", "bob", "carol", "dave"]);
  assert.equal(whole[1].positions.map((p) => [p.instrument, p.qty]), [["BTC-PERP", "0.2"], ["BTC-20261225-70000-C", "-1"], ["BTC-20261225", "0.5"]]);
  assert.equal(engine.venueAccounts({ offset: 1, limit: 2 }).map((a) => a.id), ["bob", "carol"]);
  assert.equal(engine.venueAccounts({ offset: 9 }), []);
  expectMarginError(() => engine.venueAccounts({ offset: -1 }), { code: "OUT_OF_RANGE", field: "options.offset" });
  expectMarginError(() => engine.venueAccounts({ limit: 1.5 }), { code: "OUT_OF_RANGE", field: "options.limit" });
  expectMarginError(() => engine.venueAccounts({ from: 1 }), { code: "MALFORMED", field: "options.from" });
});

test.run();
