// Hostile inputs found by probing the API: each is refused with one MarginError naming its field
// and leaves the engine unchanged, or, where it is valid, leaves an engine that snapshots,
// restores and reloads from toVenue() as it was.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { readFileSync } from "node:fs";
import { Worker } from "node:worker_threads";
import { MarginEngine, parseDecimal } from "../build/index.js";
import { ShardedEngine } from "../build/sharded-engine.js";
import { expectMarginError, expectRefusedUnchanged } from "./helpers/margin-error.mjs";

const EXAMPLE = readFileSync(new URL("../examples/venue.json", import.meta.url), "utf8");
const NOW = Date.parse("2026-11-24T00:00:00Z");
const perp = (id, underlying, mark) => ({ id, kind: "perp", underlying, lotSize: "1", mark, tiers: [{ upTo: "10000000000", imf: "0.1", mmf: "0.05" }] });

/** One account, no positions, in CSR columns. */
function oneAccount(extra) {
  return {
    count: 1, mode: new Uint8Array(1), parent: new Int32Array([-1]), positionOffsets: new Uint32Array(2), positionInstrument: new Uint16Array(0),
    positionLots: new Int32Array(0), positionEntry: new BigInt64Array(0), collateralOffsets: new Uint32Array([0, 1]),
    collateralAsset: new Uint8Array([0]), collateralAmount: new BigInt64Array([100n]), ...extra,
  };
}

test("the settlement asset is never priced by an underlying", async () => {
  const venue = JSON.parse(EXAMPLE);
  venue.assets[0] = { id: "USD", price: "1", haircut: "0", underlying: "BTC" };
  await expectMarginError(() => MarginEngine.fromVenue(venue), { code: "MALFORMED", field: "assets[0].underlying" });
  const engine = await MarginEngine.fromVenue(EXAMPLE);
  await expectRefusedUnchanged(engine, () => engine.upsertAsset({ id: "USD", price: "1", haircut: "0", underlying: "BTC" }), { code: "MALFORMED", field: "asset.underlying" });
});

test("an account's collateral that is a Map, a Set or a Date is refused, never loaded as no balances", async () => {
  for (const [collateral, kind] of [[new Map([["USD", "10000"]]), "Map"], [new Set(["USD"]), "Set"], [new Date(0), "Date"]]) {
    const venue = JSON.parse(EXAMPLE);
    venue.accounts[0].collateral = collateral;
    const error = await expectMarginError(() => MarginEngine.fromVenue(venue), { code: "MALFORMED", field: "accounts[0].collateral" });
    assert.is(error.detail, `expected an object, got a ${kind}`);
  }
});

test("loadColumns: an i64.MIN loan and a sparse ids array are refused", async () => {
  const engine = await MarginEngine.fromVenue(EXAMPLE);
  await expectRefusedUnchanged(engine, () => engine.loadColumns(oneAccount({ collateralAmount: new BigInt64Array([-(2n ** 63n)]) })), { code: "OUT_OF_RANGE", field: "columns.collateralAmount[0]" });
  const ids = new Array(2);
  ids[1] = "b";
  await expectRefusedUnchanged(engine, () => engine.loadColumns({ ...oneAccount(), count: 2, mode: new Uint8Array(2), parent: new Int32Array([-1, -1]), positionOffsets: new Uint32Array(3), collateralOffsets: new Uint32Array([0, 1, 1]), ids }), { code: "MALFORMED", field: "columns.ids[0]" });
  await expectRefusedUnchanged(engine, () => engine.loadColumns(oneAccount({ collateralOffsets: new Uint32Array([1, 1]), collateralAsset: new Uint8Array(0), collateralAmount: new BigInt64Array(0) })), { code: "MALFORMED", field: "columns.collateralOffsets[0]" });
});

test("loadColumns loads what it judged: a getter, a Proxy or an own length cannot hand it other values", async () => {
  const engine = await MarginEngine.fromVenue(EXAMPLE);
  // an id judged "a" that would read 5 the next time: the account is "a", and the engine restores
  let reads = 0;
  const ids = [];
  Object.defineProperty(ids, 0, { enumerable: true, get: () => (reads++ === 0 ? "a" : 5) });
  engine.loadColumns(oneAccount({ ids }));
  assert.equal(engine.accounts().map((a) => a.id), ["a"]);
  const restored = await MarginEngine.restore(engine.snapshot());
  assert.equal(restored.toVenue().accounts, engine.toVenue().accounts);
  // a parent column that answers -1 when judged and the account itself afterwards is no Int32Array
  let parentReads = 0;
  const parent = new Proxy(new Int32Array([-1]), { get: (target, key) => (key === "0" ? (parentReads++ === 0 ? -1 : 0) : Reflect.get(target, key, target)) });
  await expectRefusedUnchanged(engine, () => engine.loadColumns(oneAccount({ parent })), { code: "MALFORMED", field: "columns.parent" });
  // an own length of 1 on an empty column is not a column of one account
  const mode = Object.defineProperty(new Uint8Array(0), "length", { value: 1 });
  await expectRefusedUnchanged(engine, () => engine.loadColumns(oneAccount({ mode })), { code: "MALFORMED", field: "columns.mode" });
  // a members getter is read once: its second answer is never loaded
  let countReads = 0;
  const columns = oneAccount({ ids: ["b"] });
  const counted = Object.defineProperty({ ...columns }, "count", { enumerable: true, get: () => (countReads++ === 0 ? 1 : 2) });
  engine.loadColumns(counted);
  assert.equal(engine.accounts().map((a) => a.id), ["b"]);
  assert.equal((await MarginEngine.restore(engine.snapshot())).snapshot(), engine.snapshot());
});

test("loadColumns: an id's getter that resizes or detaches a column's buffer cannot change what loads", async () => {
  const engine = await MarginEngine.fromVenue(EXAMPLE);
  const withLots = (lots, onRead) => {
    const ids = [];
    Object.defineProperty(ids, 0, { enumerable: true, get() { onRead(); return "a"; } });
    return oneAccount({ positionOffsets: new Uint32Array([0, 1]), positionInstrument: new Uint16Array([0]), positionLots: lots, positionEntry: new BigInt64Array([6_500_000_000_000n]), ids });
  };
  // a length-tracking column grown after its length would be judged: the load would copy 256 lots past the staged column
  const resizable = new ArrayBuffer(4, { maxByteLength: 1024 }), tracking = new Int32Array(resizable);
  tracking[0] = 1;
  await expectRefusedUnchanged(engine, () => engine.loadColumns(withLots(tracking, () => { resizable.resize(1024); tracking.fill(0x41414141, 1); })), { code: "MALFORMED", field: "columns.positionLots" });
  // a column detached by the getter: a MarginError, never a TypeError
  const detachable = new ArrayBuffer(4);
  new Int32Array(detachable)[0] = 1;
  await expectRefusedUnchanged(engine, () => engine.loadColumns(withLots(new Int32Array(detachable), () => structuredClone(detachable, { transfer: [detachable] }))), { code: "MALFORMED", field: "columns.positionLots" });
  // the same column grown before the call loads its judged length, one lot
  const grown = new ArrayBuffer(4, { maxByteLength: 8 }), lots = new Int32Array(grown);
  lots[0] = 1;
  engine.loadColumns(withLots(lots, () => {}));
  assert.equal(engine.toVenue().accounts.map((a) => [a.id, a.positions.length]), [["a", 1]]);
  // a detached column of no rows is an empty column, as a new one would be
  const emptied = new ArrayBuffer(8), detached = new Int32Array(emptied);
  structuredClone(emptied, { transfer: [emptied] });
  engine.loadColumns(oneAccount({ positionLots: detached, ids: ["b"] }));
  assert.equal(engine.toVenue().accounts.map((a) => [a.id, a.positions.length]), [["b", 0]]);
});

test("loadColumns keeps the parents it judged: a shared buffer another thread rewrites cannot make an account its own parent", async () => {
  const n = 50_000, last = n - 1;
  const parent = new Int32Array(new SharedArrayBuffer(4 * n)).fill(-1);
  // the last account's parent flips between account 0 (valid) and itself (refused) as fast as another thread can
  const writer = new Worker(`const p = new Int32Array(require("node:worker_threads").workerData); for (;;) { Atomics.store(p, ${last}, 0); Atomics.store(p, ${last}, ${last}); }`, { eval: true, workerData: parent.buffer });
  try {
    while (Atomics.load(parent, last) === -1) await new Promise((resolve) => setTimeout(resolve, 1));
    const engine = await MarginEngine.fromVenue({ ...JSON.parse(EXAMPLE), accounts: [] });
    const columns = oneAccount({ count: n, parent, mode: new Uint8Array(n), positionOffsets: new Uint32Array(n + 1), collateralOffsets: new Uint32Array(n + 1), collateralAsset: new Uint8Array(0), collateralAmount: new BigInt64Array(0) });
    let loaded = 0;
    for (let k = 0; k < 40; k++) {
      try {
        engine.loadColumns(columns);
      } catch (error) {
        assert.is(error.field, `columns.parent[${last}]`, error.message);
        continue;
      }
      loaded++;
      assert.is(engine.account(`acc-${last}`).parent, "acc-0", `load ${k}`);
    }
    assert.ok(loaded > 0, "some loads saw account 0 as the parent");
    assert.equal((await MarginEngine.restore(engine.snapshot())).snapshot(), engine.snapshot());
  } finally {
    await writer.terminate();
  }
});

test("a refusal's message is one line: the input it echoes has its control characters escaped and is cut when very long", async () => {
  const engine = await MarginEngine.fromVenue(EXAMPLE);
  const broken = await expectRefusedUnchanged(engine, () => engine.setCollateral("bob", "USD", "1\n2"), { code: "INVALID_NUMBER", field: "amount" });
  assert.is(broken.message, 'INVALID_NUMBER at amount: "1\\n2" is not a decimal number');
  assert.is(broken.detail, '"1\n2" is not a decimal number');
  const key = await expectMarginError(() => MarginEngine.fromVenue({ ...JSON.parse(EXAMPLE), params: { ["optIm\u2028"]: "0.1" } }), { code: "UNKNOWN_ID", field: "params.optIm\u2028" });
  assert.is(key.message, 'UNKNOWN_ID at params.optIm\\u2028: unknown parameter "optIm\\u2028"');
  const digits = "1." + "0".repeat(5_000_000) + "1";
  const long = await expectRefusedUnchanged(engine, () => engine.setCollateral("bob", "USD", digits), { code: "PRECISION", field: "amount" });
  assert.is(long.detail, `"${digits}" has more than 8 decimals`);
  assert.is(long.message, `PRECISION at amount: "${digits.slice(0, 999)}… (${long.detail.length - 1000} more characters)`);
});

test("loadColumns' fieldOf must be a function: checked before the batch, and one that throws leaves nothing staged", async () => {
  const engine = await MarginEngine.fromVenue(EXAMPLE);
  const bad = oneAccount({ positionOffsets: new Uint32Array([0, 1]), positionInstrument: new Uint16Array([0]), positionLots: new Int32Array([0]), positionEntry: new BigInt64Array([1n]) });
  for (const fieldOf of ["not a function", {}, 42]) {
    // refused as the argument it is, whether or not the batch has a bad row
    await expectRefusedUnchanged(engine, () => engine.loadColumns(bad, fieldOf), { code: "MALFORMED", field: "fieldOf" });
    await expectRefusedUnchanged(engine, () => engine.loadColumns(oneAccount(), fieldOf), { code: "MALFORMED", field: "fieldOf" });
  }
  await expectRefusedUnchanged(engine, () => engine.loadColumns(bad, null), { code: "OUT_OF_RANGE", field: "columns.positionLots[0]" });
  const before = Buffer.from(engine.snapshot());
  assert.throws(() => engine.loadColumns(bad, () => { throw new RangeError("the caller's own"); }), (error) => error instanceof RangeError);
  assert.ok(Buffer.from(engine.snapshot()).equals(before), "a throwing fieldOf changed the engine");
  engine.loadColumns(oneAccount());
  assert.is(engine.accounts().length, 1);
});

test("an exception the input raises itself reaches the caller as thrown, and the call changes nothing", async () => {
  const engine = await MarginEngine.fromVenue(EXAMPLE);
  const own = new RangeError("the caller's own");
  const throwing = (record, key) => Object.defineProperty({ ...record }, key, { enumerable: true, get() { throw own; } });
  const trapped = new Proxy({}, { ownKeys() { throw own; }, get() { throw own; } });
  const calls = [
    () => engine.upsertAccount(throwing({ id: "zed" }, "mode")),
    () => engine.upsertInstrument(throwing(perp("NEW-PERP", "BTC", "65000"), "tiers")),
    () => engine.checkOrder(throwing({ account: "alice", instrument: "BTC-PERP", qty: "0.1" }, "price")),
    () => engine.whatIf(throwing({ optIm: "0.2" }, "optMm")),
    () => engine.whatIf(trapped),
    () => engine.accounts(throwing({ offset: 0 }, "limit")),
    () => engine.liquidationQueue(trapped),
    () => engine.withParams(throwing({}, "imMultiplier")),
  ];
  for (const [k, call] of calls.entries()) {
    const before = Buffer.from(engine.snapshot());
    let thrown = null;
    try {
      await call();
    } catch (error) {
      thrown = error;
    }
    assert.ok(thrown === own, `call ${k}: ${thrown}`);
    assert.ok(Buffer.from(engine.snapshot()).equals(before), `call ${k} changed the engine`);
  }
});

test("a value of millions of digits is refused by its length: its digits never become a BigInt", async () => {
  const engine = await MarginEngine.fromVenue(EXAMPLE);
  const huge = "7".repeat(2_000_000), padded = "0".repeat(2_000_000) + "5";
  const native = globalThis.BigInt;
  // a BigInt built from text this long is the cost refusing by length avoids
  globalThis.BigInt = new Proxy(native, {
    apply: (target, self, args) => {
      if (typeof args[0] === "string" && args[0].length > 100) throw new Error("converted a value of millions of digits");
      return Reflect.apply(target, self, args);
    },
  });
  try {
    for (const [call, field, detail] of [
      [() => engine.setPrice("BTC", huge, NOW), "price", `${huge} is outside [0, 10000000000]`],
      [() => engine.setCollateral("bob", "USD", huge), "amount", "more than 40 significant digits: beyond every limit (docs/limits.md)"],
      [() => engine.setCollateral("bob", "USD", "-" + huge + ".5"), "amount", "more than 40 significant digits: beyond every limit (docs/limits.md)"],
      [() => engine.setPosition("bob", "BTC-PERP", huge, "60000"), "qty", "more than 40 significant digits: beyond every limit (docs/limits.md)"],
    ]) {
      const refused = await expectRefusedUnchanged(engine, call, { code: "OUT_OF_RANGE", field });
      // (compared without printing: a failure would echo millions of digits)
      assert.ok(refused.detail === detail, `${field}: …${refused.detail.slice(-80)}`);
    }
    const venue = JSON.parse(EXAMPLE);
    venue.accounts[0].collateral.USD = huge;
    await expectMarginError(() => MarginEngine.fromVenue(JSON.stringify(venue)), { code: "OUT_OF_RANGE", field: "accounts[0].collateral.USD" });
    // leading zeros are not significant: a long but small value is read as any other
    engine.setCollateral("bob", "USD", padded);
  } finally {
    globalThis.BigInt = native;
  }
  const [bob] = engine.toVenue().accounts.filter((a) => a.id === "bob");
  assert.is(bob.collateral.USD, "5");
});

test("an engine holds neither the caller's params nor hands out its own: changing them afterwards changes nothing", async () => {
  const venue = JSON.parse(EXAMPLE);
  venue.underlyings.push({ id: "ETH", spot: "3500", vol: "0.7" });
  venue.params = { optIm: "0.2", grid: [{ move: "0.1" }, { move: "-0.1" }], correlation: { BTC: { ETH: "0.5" } } };
  const engine = await MarginEngine.fromVenue(venue);
  const bytes = engine.snapshot(), written = JSON.stringify(engine.toVenue());
  venue.params.grid[0].move = "0.9";
  venue.params.correlation.BTC.ETH = "-1";
  engine.toVenue().params.optIm = "0.9";
  engine.toVenue().params.grid.push({ move: "1" });
  (await engine.whatIf({ optMm: "0.1" })).params.before.correlation.BTC.ETH = "1";
  assert.equal(engine.snapshot(), bytes);
  assert.is(JSON.stringify(engine.toVenue()), written);
  assert.equal((await MarginEngine.restore(bytes)).scenarioGrid().map((s) => s.move), [100_000_000n, -100_000_000n]);
  // a grid given with a hole: the hole is a row, and no row
  const holey = { ...JSON.parse(EXAMPLE), params: { grid: [, { move: "0.1" }] } };
  await expectMarginError(() => MarginEngine.fromVenue(holey), { code: "MALFORMED", field: "params.grid[0]" });
});

test("a clock move that would re-derive an index past a held notional limit is refused", async () => {
  // sources 100 (30 s old), 101 and 102: index 101, and 99,009,900 lots are worth 9,999,999,900 of the 1e10
  // limit; once the first source ages out the index would be 101.5
  const engine = await MarginEngine.fromVenue({
    now: "2026-11-24T00:00:00Z",
    underlyings: [
      { id: "X", vol: "0.5", sources: [{ id: "a", price: "100", time: "2026-11-23T23:59:30Z" }, { id: "b", price: "102", time: "2026-11-23T23:59:59Z" }, { id: "c", price: "101", time: "2026-11-23T23:59:59Z" }] },
      { id: "Y", spot: "10", vol: "0.5" },
    ],
    instruments: [perp("XP", "X", "101"), perp("YP", "Y", "10")],
    accounts: [{ id: "w", collateral: { USD: "10000000000" }, positions: [{ instrument: "XP", qty: "99009900", entry: "101" }] }],
  });
  await expectRefusedUnchanged(engine, () => engine.settleExpired(NOW + 35_000), { code: "OUT_OF_RANGE", field: "now" });
  await expectRefusedUnchanged(engine, () => engine.setPrice("Y", "11", NOW + 35_000), { code: "OUT_OF_RANGE", field: "timestamp" });
  engine.settleExpired(NOW + 20_000); // both sources still fresh: nothing moves
  assert.is(engine.underlyingIndex("X"), 10_100_000_000n);
  const restored = await MarginEngine.restore(engine.snapshot());
  assert.equal(restored.accounts(), engine.accounts());
});

test("one feed dated ahead ages out the others but is no quorum: it never becomes the index, and liquidation waits", async () => {
  // a long of 100 X at 100 on 600 USD (MM 500): a print of 90 would leave it liquidatable
  const venueWith = (sources) => ({
    now: "2026-11-24T00:00:00Z",
    underlyings: [{ id: "X", vol: "0.5", sources: sources.map((id) => ({ id, price: "100", time: "2026-11-24T00:00:00Z" })) }],
    instruments: [perp("XP", "X", "100")],
    accounts: [{ id: "long", collateral: { USD: "600" }, positions: [{ instrument: "XP", qty: "100", entry: "100" }] }],
  });
  for (const sources of [["a", "b", "c"], ["a", "b"]]) {
    const engine = await MarginEngine.fromVenue(venueWith(sources));
    engine.setPrice("X", "90", NOW + 3_600_000, sources.at(-1)); // an hour ahead: the clock moves there
    engine.setPrice("X", "100", NOW + 1000, "a"); // honest prints, now behind the clock
    assert.is(engine.underlyingIndex("X"), 10_000_000_000n, sources.join());
    assert.equal(engine.staleUnderlyings(), ["X"]);
    const pass = engine.liquidate();
    assert.ok(pass.queue.every((entry) => entry.deferred && entry.orders.length === 0), sources.join());
    assert.is(engine.account("long").equity, "600");
  }
  // two fresh of three agreeing make the index without the third, however far it strays
  const engine = await MarginEngine.fromVenue(venueWith(["a", "b", "c"]));
  engine.setPrice("X", "50", NOW + 1000, "c");
  engine.setPrice("X", "101", NOW + 1000, "a");
  assert.is(engine.underlyingIndex("X"), 10_050_000_000n);
  assert.equal(engine.staleUnderlyings(), []);
});

test("toVenue after a source print reloads: the oracle clock starts at the latest source", async () => {
  const engine = await MarginEngine.fromVenue({
    now: "2026-11-24T00:00:00Z",
    underlyings: [{ id: "X", spot: "100", vol: "0.5", sources: [{ id: "a", price: "100", time: "2026-11-24T00:00:00Z" }] }],
    instruments: [perp("XP", "X", "50")],
    accounts: [{ id: "w", collateral: { USD: "10000000000" } }],
  });
  engine.setPrice("X", "50", NOW + 1000, "a");
  engine.setPosition("w", "XP", "150000000", "50"); // 7.5e9 at index 50; 1.5e10 at the spot of 100
  const reloaded = await MarginEngine.fromVenue(JSON.stringify(engine.toVenue()));
  assert.is(reloaded.clock(), NOW + 1000);
  assert.is(reloaded.underlyingIndex("X"), 5_000_000_000n);
  assert.equal(reloaded.accounts(), engine.accounts());
  const ahead = engine.toVenue();
  ahead.underlyings[0].sources[0].time = new Date(NOW + 2 * 86_400_000).toISOString();
  await expectMarginError(() => MarginEngine.fromVenue(ahead), { code: "OUT_OF_RANGE", field: "underlyings[0].sources[0].time" });
});

test("upsertUnderlying judges its sources at the oracle clock: a day-old crash print is stale and moves nothing, as a print would", async () => {
  const engine = await MarginEngine.fromVenue({
    now: "2026-11-24T00:00:00Z",
    underlyings: [{ id: "X", vol: "0.5", sources: [{ id: "a", price: "100", time: "2026-11-24T00:00:00Z" }] }],
    instruments: [perp("XP", "X", "100")],
    accounts: [{ id: "w", collateral: { USD: "100" }, positions: [{ instrument: "XP", qty: "10", entry: "100" }] }],
  });
  engine.settleExpired(NOW + 86_400_000);
  engine.upsertUnderlying({ id: "X", vol: "0.5", sources: [{ id: "a", price: "80", time: "2026-11-24T00:00:00Z" }] });
  assert.equal(engine.staleUnderlyings(), ["X"]);
  // stale, the underlying keeps the index it had: the crash print liquidates nobody
  assert.is(engine.underlyingIndex("X"), 10_000_000_000n);
  assert.equal(engine.liquidationQueue().queue, []);
  // given a spot, the replaced row is indexed at it (the operator's own price), and w waits for a fresh one
  engine.upsertUnderlying({ id: "X", spot: "80", vol: "0.5", sources: [{ id: "a", price: "80", time: "2026-11-24T00:00:00Z" }] });
  assert.equal(engine.liquidationQueue().queue.map((entry) => [entry.id, entry.deferred, entry.orders.length]), [["w", true, 0]]);
});

test("an upsertUnderlying whose index would pass a held limit names the field that set it: its sources, or its spot", async () => {
  // 99,009,900 lots at 101 are 9,999,999,900 of the 1e10 limit
  const engine = await MarginEngine.fromVenue({
    now: "2026-11-24T00:00:00Z",
    underlyings: [{ id: "X", spot: "101", vol: "0.5" }],
    instruments: [perp("XP", "X", "101")],
    accounts: [{ id: "w", collateral: { USD: "10000000000" }, positions: [{ instrument: "XP", qty: "99009900", entry: "101" }] }],
  });
  const at = "2026-11-24T00:00:01Z";
  await expectRefusedUnchanged(engine, () => engine.upsertUnderlying({ id: "X", vol: "0.5", sources: [{ id: "a", price: "102", time: at }] }), { code: "OUT_OF_RANGE", field: "underlying.sources" });
  await expectRefusedUnchanged(engine, () => engine.upsertUnderlying({ id: "X", spot: "101", vol: "0.5", sources: [{ id: "a", price: "102", time: at }] }), { code: "OUT_OF_RANGE", field: "underlying.sources" });
  await expectRefusedUnchanged(engine, () => engine.upsertUnderlying({ id: "X", spot: "102", vol: "0.5" }), { code: "OUT_OF_RANGE", field: "underlying.spot" });
});

test("an expired contract keeps its expiry: a held one cannot be re-dated to trade again", async () => {
  const future = { id: "XF", kind: "future", underlying: "X", expiry: "2026-11-25T00:00:00Z", lotSize: "1", mark: "100", tiers: [{ upTo: "10000000000", imf: "0.1", mmf: "0.05" }] };
  const engine = await MarginEngine.fromVenue({
    now: "2026-11-24T00:00:00Z",
    underlyings: [{ id: "X", spot: "100", vol: "0.5" }],
    instruments: [future],
    accounts: [{ id: "w", collateral: { USD: "100000" }, positions: [{ instrument: "XF", qty: "3", entry: "100" }] }],
  });
  engine.setPrice("X", "100", NOW + 86_400_000); // the clock reaches the expiry; the position stays open until settleExpired
  await expectRefusedUnchanged(engine, () => engine.upsertInstrument({ ...future, expiry: "2026-12-25T00:00:00Z" }), { code: "EXPIRED", field: "instrument.expiry" });
  await expectMarginError(() => engine.setPosition("w", "XF", "5", "100"), { code: "EXPIRED", field: "qty" });
});

test("a revoked Proxy, a Proxy of snapshot bytes and a field name that is no string are a MarginError, never a TypeError", async () => {
  const revoked = () => {
    const { proxy, revoke } = Proxy.revocable({}, {});
    revoke();
    return proxy;
  };
  const venue = JSON.parse(EXAMPLE);
  const engine = await MarginEngine.fromVenue(EXAMPLE);
  const calls = [
    ["fromVenue", () => MarginEngine.fromVenue(revoked()), "$"],
    ["fromVenue, accounts", () => MarginEngine.fromVenue({ ...venue, accounts: revoked() }), "accounts"],
    ["fromVenue, an account", () => MarginEngine.fromVenue({ ...venue, accounts: [revoked()] }), "accounts[0]"],
    ["fromVenue, positions", () => MarginEngine.fromVenue({ ...venue, accounts: [{ ...venue.accounts[0], positions: revoked() }] }), "accounts[0].positions"],
    ["fromVenue, underlyings", () => MarginEngine.fromVenue({ ...venue, underlyings: revoked() }), "underlyings"],
    ["fromVenue, params", () => MarginEngine.fromVenue({ ...venue, params: revoked() }), "params"],
    ["fromVenue, grid", () => MarginEngine.fromVenue({ ...venue, params: { grid: revoked() } }), "params.grid"],
    ["create", () => MarginEngine.create(revoked()), "options"],
    ["restore", () => MarginEngine.restore(revoked()), "snapshot"],
    ["restore, a Proxy of the bytes", () => MarginEngine.restore(new Proxy(engine.snapshot(), {})), "snapshot"],
    ["memoryEstimate", () => MarginEngine.memoryEstimate(revoked()), "size"],
    ["upsertAccount", () => engine.upsertAccount(revoked()), "account"],
    ["upsertUnderlying", () => engine.upsertUnderlying(revoked()), "underlying"],
    ["checkOrder", () => engine.checkOrder(revoked()), "order"],
    ["accounts", () => engine.accounts(revoked()), "options"],
    ["liquidate", () => engine.liquidate(revoked()), "options"],
    ["withParams", () => engine.withParams(revoked()), "params"],
    ["loadColumns", () => engine.loadColumns(revoked()), "columns"],
  ];
  for (const [label, call, field] of calls) {
    const before = engine.snapshot();
    await expectMarginError(call, { code: "MALFORMED", field, label });
    assert.equal(engine.snapshot(), before, `${label}: unchanged`);
  }
  // a snapshot read through a Proxy's own handler is not the snapshot; the bytes themselves are
  assert.equal((await MarginEngine.restore(Buffer.from(engine.snapshot()))).snapshot(), engine.snapshot(), "a Buffer holding the bytes restores");
  // the caller names the field: whatever it gives is named as a string
  assert.is((await expectMarginError(() => parseDecimal("x", 8, 5), { code: "INVALID_NUMBER", field: "5" })).message, 'INVALID_NUMBER at 5: "x" is not a decimal number');
  await expectRefusedUnchanged(engine, () => engine.loadColumns(oneAccount({ collateralAsset: new Uint8Array([200]) }), () => 42), { code: "UNKNOWN_ID", field: "42" });
});

test("maxOrder closing a short larger than the notional room answers with a quantity", async () => {
  const engine = await MarginEngine.fromVenue({
    now: "2026-11-24T00:00:00Z",
    underlyings: [{ id: "X", spot: "1", vol: "0.5" }],
    instruments: [{ ...perp("P", "X", "1"), tiers: [{ upTo: "10000000000", imf: "0.01", mmf: "0.005" }] }],
    accounts: [{ id: "a", collateral: { USD: "1000000000" }, positions: [{ instrument: "P", qty: "-10", entry: "1" }] }],
  });
  const answer = engine.maxOrder("a", "P", "buy", "1");
  assert.ok(engine.checkOrder({ account: "a", instrument: "P", qty: answer, price: "1" }).accepted, answer);
  assert.ok(BigInt(answer) > 10n, answer);
});

test("an array whose length passes its limit is refused by its length, before anything is copied: a sparse one of 2^32 − 1 elements too", async () => {
  const venue = JSON.parse(EXAMPLE);
  const sparse = (row) => {
    const list = [row];
    list.length = 2 ** 32 - 1;
    return list;
  };
  const cases = [
    [{ ...venue, underlyings: sparse(venue.underlyings[0]) }, "underlyings", "more than 1024 underlyings"],
    [{ ...venue, assets: sparse(venue.assets[0]) }, "assets", "more than 255 assets"],
    [{ ...venue, instruments: sparse(venue.instruments[0]) }, "instruments", "more than 65535 instruments"],
    [{ ...venue, accounts: sparse(venue.accounts[0]) }, "accounts", "more than 50000000 accounts"],
    [{ ...venue, accounts: [{ ...venue.accounts[0], positions: sparse(venue.accounts[0].positions[0]) }] }, "accounts[0].positions", "more than 64 positions"],
    [{ ...venue, underlyings: [{ ...venue.underlyings[0], sources: sparse(venue.underlyings[0].sources[0]) }, ...venue.underlyings.slice(1)] }, "underlyings[0].sources", "more than 64 sources"],
    [{ ...venue, params: { grid: sparse({ move: "0", vol: "none", cover: "1" }) } }, "params.grid", "a grid has 1 to 64 scenarios"],
  ];
  for (const [given, field, detail] of cases) {
    const error = await expectMarginError(() => MarginEngine.fromVenue(given), { code: "OUT_OF_RANGE", field });
    assert.is(error.detail, detail, field);
  }
  // one past the limit, densely: the same refusal (65 sources, 65 positions)
  const sources = Array.from({ length: 65 }, (_, k) => ({ id: `feed${k}`, price: "65000", time: "2026-11-23T23:59:58Z" }));
  await expectMarginError(() => MarginEngine.fromVenue({ ...venue, underlyings: [{ ...venue.underlyings[0], sources }, ...venue.underlyings.slice(1)] }), { code: "OUT_OF_RANGE", field: "underlyings[0].sources" });
  const at64 = await MarginEngine.fromVenue({ ...venue, underlyings: [{ ...venue.underlyings[0], sources: sources.slice(0, 64) }, ...venue.underlyings.slice(1)] });
  assert.is(at64.toVenue().underlyings[0].sources.length, 64, "64 sources load");
  const engine = await MarginEngine.fromVenue(EXAMPLE);
  await expectRefusedUnchanged(engine, () => engine.upsertUnderlying({ ...venue.underlyings[0], sources: sparse(venue.underlyings[0].sources[0]) }), { code: "OUT_OF_RANGE", field: "underlying.sources" });
  await expectRefusedUnchanged(engine, () => engine.withParams({ grid: sparse({}) }), { code: "OUT_OF_RANGE", field: "params.grid" });
});

test("ids that are not strings are a MarginError, never a TypeError", async () => {
  const engine = await MarginEngine.fromVenue(EXAMPLE);
  const id = Symbol("id");
  for (const [call, field] of [
    [() => engine.account(id), "account"], [() => engine.instrumentIndex(id), "instrument"], [() => engine.assetIndex(id), "asset"],
    [() => engine.underlyingIndex(id), "underlying"], [() => engine.riskArray(id), "instrument"], [() => engine.setPosition(id, "BTC-PERP", "1", "1"), "account"],
    [() => engine.setCollateral("alice", id, "1"), "asset"],
  ]) {
    await expectRefusedUnchanged(engine, call, { code: "MALFORMED", field: field });
  }
  await expectRefusedUnchanged(engine, () => engine.checkOrderRaw(id, 0, 1, 1n), { code: "MALFORMED", field: "order.account" });
});

test("ShardedEngine judges the whole batch as one engine would, names rows of the batch, and survives bad arguments", async () => {
  const venue = JSON.parse(EXAMPLE);
  const columns = (extra) => ({
    count: 4, mode: new Uint8Array(4), parent: new Int32Array([-1, -1, -1, -1]), positionOffsets: new Uint32Array([0, 0, 0, 1, 2]),
    positionInstrument: new Uint16Array([0, 0]), positionLots: new Int32Array([1, 1]), positionEntry: new BigInt64Array([6_500_000_000_000n, 6_500_000_000_000n]),
    collateralOffsets: new Uint32Array([0, 1, 2, 3, 4]), collateralAsset: new Uint8Array(4), collateralAmount: new BigInt64Array([1n, 1n, 1n, 1n].map((x) => x * 100_000_000_000n)), ...extra,
  });
  await expectMarginError(() => ShardedEngine.create(venue, columns({ parent: new Int32Array([-1, -1, -1, 9]) }), { shards: 2 }), { code: "MALFORMED", field: "columns.parent[3]" });
  await expectMarginError(() => ShardedEngine.create(venue, columns({ ids: ["c", "b", "x", "c"] }), { shards: 2 }), { code: "DUPLICATE_ID", field: "columns.ids[3]" });
  // the bad row is the batch's row 1 (account 3), held by the second shard as its row 0
  await expectMarginError(() => ShardedEngine.create(venue, columns({ positionLots: new Int32Array([1, 0]) }), { shards: 2 }), { code: "OUT_OF_RANGE", field: "columns.positionLots[1]" });
  // a member a venue file does not take, or a value no worker could receive, is named as fromVenue names it
  await expectMarginError(() => ShardedEngine.create({ ...venue, extra: 1 }, columns(), { shards: 2 }), { code: "MALFORMED", field: "extra" });
  await expectMarginError(() => ShardedEngine.create({ ...venue, instruments: [...(venue.instruments ?? []), () => 1] }, columns(), { shards: 2 }), { code: "MALFORMED", field: "instruments[3]" });
  await expectMarginError(() => MarginEngine.fromVenue({ ...venue, instruments: [...(venue.instruments ?? []), () => 1] }), { code: "MALFORMED", field: "instruments[3]" });
  const sharded = await ShardedEngine.create(venue, columns(), null);
  try {
    const before = await sharded.totals();
    await expectMarginError(() => sharded.setPrice(Symbol("BTC"), "1", NOW + 1), { code: "MALFORMED", field: "id" });
    await expectMarginError(() => sharded.setPrice("BTC", "65000", NOW + 1, () => "a"), { code: "MALFORMED", field: "source" });
    assert.equal(await sharded.totals(), before, "every shard still answers its own requests");
  } finally {
    await sharded.close();
  }
  await expectMarginError(() => sharded.totals(), { code: "MALFORMED", field: "engine" });
});

test.run();
