// `margin-core generate` streams its venue file a page of accounts at a time (venueAccounts),
// byte for byte the JSON of toVenue() it used to build as one string.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { readFileSync } from "node:fs";
import { Writable } from "node:stream";
import { MarginEngine, generateVenue } from "../build/index.js";
import { runCli } from "../build/cli.js";
import { expectMarginError } from "./helpers/margin-error.mjs";

const EXAMPLE = new URL("../examples/venue.json", import.meta.url).pathname;

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
