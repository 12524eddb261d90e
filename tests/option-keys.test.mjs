// docs/api.md, Errors: an options object or a record given to a call takes only the keys the call
// defines. A misspelt option (`dryrun`, `limt`) or a field the call does not take (`side` on an
// order, `positions` on upsertAccount) is refused with MALFORMED naming it, and nothing changes:
// ignored, it would run a pass the caller meant to preview or check a buy meant as a sale.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { readFileSync } from "node:fs";
import { MarginEngine } from "../build/index.js";
import { ShardedEngine } from "../build/sharded-engine.js";
import { generateVenue } from "../build/index.js";
import { expectMarginError, expectRefusedUnchanged } from "./helpers/margin-error.mjs";

const VENUE = readFileSync(new URL("../examples/venue.json", import.meta.url), "utf8");

const REFUSED = [
  ["liquidate", (e) => e.liquidate({ dryrun: true }), "options.dryrun"],
  ["liquidationQueue", (e) => e.liquidationQueue({ limit: 1, top: 2 }), "options.top"],
  ["accounts", (e) => e.accounts({ limt: 1 }), "options.limt"],
  ["checkOrder", (e) => e.checkOrder({ account: "alice", instrument: "BTC-PERP", qty: "0.1", price: "65000", side: "sell" }), "order.side"],
  ["upsertAccount", (e) => e.upsertAccount({ id: "dave", mode: "portfolio", collateral: { USD: "1000" } }), "account.collateral"],
  ["upsertAccount on an existing account", (e) => e.upsertAccount({ id: "alice", positions: [] }), "account.positions"],
  ["whatIf", (e) => e.whatIf({}, { top: 3, count: 2 }), "options.count"],
  ["withParams", (e) => e.withParams({}, { simd: true, memory: 1 }), "runtime.memory"],
];

for (const [name, call, field] of REFUSED) {
  test(`${name}: an unknown key is refused, naming it, and nothing changes`, async () => {
    const engine = await MarginEngine.fromVenue(VENUE);
    const error = await expectRefusedUnchanged(engine, () => call(engine), { code: "MALFORMED", field });
    assert.match(error.message, /not a field of/);
  });
}

test("the same calls with their own keys are accepted", async () => {
  const engine = await MarginEngine.fromVenue(VENUE);
  assert.is(engine.accounts({ limit: 1, offset: 1, liquidationPrices: false }).length, 1);
  assert.type(engine.checkOrder({ account: "alice", instrument: "BTC-PERP", qty: "-0.1", price: "65000" }).accepted, "boolean");
  engine.upsertAccount({ id: "dave", mode: "portfolio", parent: null });
  assert.is(engine.account("dave").mode, "portfolio");
  assert.ok(Array.isArray(engine.liquidationQueue({ limit: 1 }).queue));
});

test("engine options, runtime options and memoryEstimate sizes take only their keys", async () => {
  await expectMarginError(() => MarginEngine.create({ now: "2026-11-24T00:00:00Z", insuranceFnd: "5" }), { code: "MALFORMED", field: "options.insuranceFnd" });
  await expectMarginError(() => MarginEngine.fromVenue(VENUE, { simd: false, maxMemory: 1 }), { code: "MALFORMED", field: "runtime.maxMemory" });
  const engine = await MarginEngine.fromVenue(VENUE);
  await expectMarginError(() => MarginEngine.restore(engine.snapshot(), { initialMemory: 0, sims: false }), { code: "MALFORMED", field: "runtime.sims" });
  expectMarginError(() => MarginEngine.memoryEstimate({ accounts: 10, position: 80 }), { code: "MALFORMED", field: "size.position" });
  expectMarginError(() => MarginEngine.memoryEstimate({ accounts: 10, positions: 80 }), { code: "MALFORMED", field: "size.collaterals" });
  const created = await MarginEngine.create({ now: "2026-11-24T00:00:00Z", insuranceFund: "5", simd: false, maximumMemory: 64 * 2 ** 20 });
  assert.is(created.fund(), "5");
});

test("create names a bad venue setting under options, as it names its runtime options and unknown keys", async () => {
  await expectMarginError(() => MarginEngine.create({ insuranceFund: "-1" }), { code: "OUT_OF_RANGE", field: "options.insuranceFund" });
  await expectMarginError(() => MarginEngine.create({ insuranceFund: 5 }), { code: "MALFORMED", field: "options.insuranceFund" });
  await expectMarginError(() => MarginEngine.create({ now: "2026-11-24" }), { code: "MALFORMED", field: "options.now" });
  await expectMarginError(() => MarginEngine.create({ now: null }), { code: "MALFORMED", field: "options.now" });
  await expectMarginError(() => MarginEngine.create({ settlement: "" }), { code: "MALFORMED", field: "options.settlement" });
  await expectMarginError(() => MarginEngine.create({ params: { optIm: "1.5" } }), { code: "OUT_OF_RANGE", field: "options.params.optIm" });
  await expectMarginError(() => MarginEngine.create({ params: { optImn: "0.1" } }), { code: "UNKNOWN_ID", field: "options.params.optImn" });
  await expectMarginError(() => MarginEngine.create({ params: { grid: [{ move: "2" }] } }), { code: "OUT_OF_RANGE", field: "options.params.grid[0].move" });
});

test("create refuses a correlation: an empty venue has no underlyings to name, and the engine it made could not be restored", async () => {
  await expectMarginError(() => MarginEngine.create({ now: "2026-11-24T00:00:00Z", params: { correlation: { BTC: { ETH: "0.5" } } } }),
    { code: "UNKNOWN_ID", field: "options.params.correlation.BTC" });
  await expectMarginError(() => MarginEngine.create({ params: { correlation: { BTC: { BTC: "1" } } } }), { code: "UNKNOWN_ID", field: "options.params.correlation.BTC" });
  // the way to a correlated venue built by calls: its underlyings first, then the parameters
  const engine = await MarginEngine.create({ now: "2026-11-24T00:00:00Z" });
  engine.upsertUnderlying({ id: "BTC", spot: "65000", vol: "0.5" });
  engine.upsertUnderlying({ id: "ETH", spot: "3500", vol: "0.7" });
  const correlated = await engine.withParams({ correlation: { BTC: { ETH: "0.5" } } });
  const restored = await MarginEngine.restore(correlated.snapshot());
  assert.equal(restored.toVenue().params, { correlation: { BTC: { ETH: "0.5" } } });
});

test("a count option that is no whole number ≥ 0 is refused at its path, and null means its default", async () => {
  const engine = await MarginEngine.fromVenue(VENUE);
  for (const bad of [-1, 1.5, "3", NaN]) {
    await expectRefusedUnchanged(engine, () => engine.whatIf({}, { top: bad }), { code: "OUT_OF_RANGE", field: "options.top", label: `top ${bad}` });
    await expectRefusedUnchanged(engine, () => engine.liquidationQueue({ limit: bad }), { code: "OUT_OF_RANGE", field: "options.limit", label: `limit ${bad}` });
    await expectRefusedUnchanged(engine, () => engine.accounts({ offset: bad }), { code: "OUT_OF_RANGE", field: "options.offset", label: `offset ${bad}` });
  }
  assert.equal(await engine.whatIf({ maxMarkDeviation: "0.01" }, { top: null }), await engine.whatIf({ maxMarkDeviation: "0.01" }));
});

test("loadColumns takes the AccountColumns keys only: a misspelt ids is refused", async () => {
  const { venue, columns } = generateVenue({ accounts: 3, seed: 5 });
  const engine = await MarginEngine.fromVenue({ ...venue, accounts: [] });
  const before = engine.snapshot();
  await expectMarginError(() => engine.loadColumns({ ...columns, Ids: ["a", "b", "c"] }), { code: "MALFORMED", field: "columns.Ids" });
  assert.equal(engine.snapshot(), before);
  engine.loadColumns({ ...columns, ids: ["a", "b", "c"] });
  assert.equal(engine.accounts().map((a) => a.id), ["a", "b", "c"]);
});

test("ShardedEngine.create takes shards and simd only", async () => {
  const { venue, columns } = generateVenue({ accounts: 10, seed: 3 });
  await expectMarginError(() => ShardedEngine.create(venue, columns, { shard: 2 }), { code: "MALFORMED", field: "options.shard" });
});

test.run();
