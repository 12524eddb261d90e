// Sharding over worker threads: the same accounts split over workers give the single engine's
// results bit for bit — every account's equity, MM and status, the exact totals, and the
// liquidation queue merged across shards — before and after price ticks; a rejected price
// changes no shard.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawnSync } from "node:child_process";
import { MarginEngine, generateVenue } from "../build/index.js";
import { expectMarginError } from "./helpers/margin-error.mjs";
import { ShardedEngine, assignShards } from "../build/sharded-engine.js";

const ACCOUNTS = 20_000;
const { venue, columns } = generateVenue({ accounts: ACCOUNTS, seed: 11 });
const T0 = Date.parse(venue.now);

async function singleQueue(engine) {
  const q = engine.queueOrder();
  return Array.from(q.accounts, (account, k) => ({ account, equity: q.equity[k], maintenanceMargin: q.maintenanceMargin[k] }));
}

async function assertSame(single, sharded, label) {
  const a = single.riskColumns(), b = await sharded.riskColumns();
  assert.equal(b.equity, a.equity, `${label}: equity`);
  assert.equal(b.maintenanceMargin, a.maintenanceMargin, `${label}: MM`);
  assert.equal(b.status, a.status, `${label}: status`);
  const totals = await sharded.totals();
  assert.is(totals.equity, a.equityTotal, `${label}: equity total`);
  assert.is(totals.maintenanceMargin, a.maintenanceMarginTotal, `${label}: MM total`);
  assert.equal(totals.statusCounts, single.runningTotals().statusCounts, `${label}: status counts`);
  const queue = await singleQueue(single);
  assert.ok(queue.length > 100, `${label}: a queue worth merging (${queue.length})`);
  assert.equal(await sharded.queueOrder(), queue, `${label}: merged queue`);
  assert.equal(await sharded.queueOrder(25), queue.slice(0, 25), `${label}: queue head`);
}

test("two and three shards equal one engine through a crash", async () => {
  const single = await MarginEngine.fromVenue({ ...venue, accounts: [] });
  single.loadColumns(columns);
  single.recompute();
  for (const shards of [2, 3]) {
    const sharded = await ShardedEngine.create(venue, columns, { shards });
    try {
      assert.is(sharded.shardCount, shards);
      const totals = await sharded.recompute();
      assert.is(totals.maintenanceMargin, single.riskColumns().maintenanceMarginTotal);
      await assertSame(single, sharded, `${shards} shards at load`);
    } finally {
      await sharded.close();
    }
  }
  const sharded = await ShardedEngine.create(venue, columns, { shards: 2 });
  try {
    await sharded.recompute();
    for (const [k, btc, eth] of [[1, "60000", "3300"], [2, "52000", "2900"], [3, "47000", "2500"]]) {
      for (const engine of [single]) {
        engine.setPrice("BTC", btc, T0 + k * 1000);
        engine.setPrice("ETH", eth, T0 + k * 1000);
      }
      await sharded.setPrice("BTC", btc, T0 + k * 1000);
      await sharded.setPrice("ETH", eth, T0 + k * 1000);
      await assertSame(single, sharded, `tick ${k}`);
    }
    // an older timestamp is refused by every shard, and nothing moves
    const before = await sharded.riskColumns();
    await expectMarginError(() => sharded.setPrice("BTC", "10000", T0), { code: "OUT_OF_RANGE", field: "timestamp", label: "an older price" });
    assert.equal(await sharded.riskColumns(), before);
  } finally {
    await sharded.close();
  }
});

test("calls made without awaiting apply in order, each whole: a print refused after the one before it changes no shard", async () => {
  const now = "2026-11-24T00:00:00Z", t0 = Date.parse(now);
  const reference = {
    now, assets: [{ id: "USD", price: "1" }, { id: "WBTC", price: "65000", underlying: "BTC" }],
    underlyings: [{ id: "BTC", vol: "0.6", sources: [{ id: "a", price: "65000", time: now }, { id: "b", price: "65000", time: now }] }],
    instruments: [{ id: "BTC-PERP", kind: "perp", underlying: "BTC", lotSize: "0.001", mark: "65000", tiers: [{ upTo: "10000000000", imf: "0.02", mmf: "0.01" }] }],
  };
  // account 0 holds 1 WBTC; account 1 also 150,000 BTC long, 9.75e9 of the 1e10 notional limit (passed above 66,666.67)
  const book = {
    count: 2, mode: new Uint8Array(2), parent: Int32Array.from([-1, -1]),
    positionOffsets: Uint32Array.from([0, 0, 1]), positionInstrument: Uint16Array.from([0]),
    positionLots: Int32Array.from([150_000_000]), positionEntry: BigInt64Array.from([6_500_000_000_000n]),
    collateralOffsets: Uint32Array.from([0, 1, 3]), collateralAsset: Uint8Array.from([1, 1, 0]),
    collateralAmount: BigInt64Array.from([100_000_000n, 100_000_000n, 500_000_000_000_000_000n]),
  };
  const sharded = await ShardedEngine.create(reference, book, { shards: 2 });
  const single = await MarginEngine.fromVenue({ ...reference, accounts: [] });
  single.loadColumns(book);
  try {
    // the second alone would make the index 66,450; after the first it makes 66,950, past the limit on shard 1
    const first = sharded.setPrice("BTC", "66000", t0 + 1000, "a"), second = sharded.setPrice("BTC", "67900", t0 + 1000, "b");
    single.setPrice("BTC", "66000", t0 + 1000, "a");
    await first;
    expectMarginError(() => single.setPrice("BTC", "67900", t0 + 1000, "b"), { code: "OUT_OF_RANGE", field: "price" });
    await expectMarginError(() => second, { code: "OUT_OF_RANGE", field: "price" });
    const a = single.riskColumns(), b = await sharded.riskColumns();
    assert.equal([b.equity, b.maintenanceMargin, b.status], [a.equity, a.maintenanceMargin, a.status]);
  } finally {
    await sharded.close();
  }
});

test("a script run by node --input-type=module -e starts its shards: the workers are not given the script's input type", () => {
  const build = new URL("../build/", import.meta.url).href;
  const script = `import { ShardedEngine } from "${build}sharded-engine.js"; import { MarginEngine, generateVenue } from "${build}index.js";
    const { venue, columns } = generateVenue({ accounts: 50, seed: 3 });
    const one = await MarginEngine.fromVenue({ ...venue, accounts: [] }); one.loadColumns(columns);
    const sharded = await ShardedEngine.create(venue, columns, { shards: 2 });
    const [a, b] = [one.riskColumns(), await sharded.recompute()];
    console.log(a.equityTotal === b.equity && a.maintenanceMarginTotal === b.maintenanceMargin ? "equal" : "different"); await sharded.close();`;
  const run = spawnSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8" });
  assert.is(run.stderr, "");
  assert.is(run.stdout, "equal\n");
});

test("families share a shard and shards stay even when parents are far away", async () => {
  const parent = Int32Array.from([-1, -1, 1, 0, -1, 4, 0, 1]);
  assert.equal(assignShards(parent, 8, 2).map((s) => Array.from(s)), [[0, 1, 2, 3, 6, 7], [4, 5]]);
  const sizes = assignShards(columns.parent, ACCOUNTS, 2).map((s) => s.length);
  assert.ok(columns.parent.some((p, a) => p >= 0 && p < ACCOUNTS / 2 && a >= ACCOUNTS / 2), "the venue has far-off parents");
  assert.ok(Math.abs(sizes[0] - sizes[1]) < ACCOUNTS / 10, `shard sizes ${sizes}`);
  for (const members of assignShards(columns.parent, ACCOUNTS, 3)) {
    const held = new Set(members);
    for (const a of members) if (columns.parent[a] >= 0) assert.ok(held.has(columns.parent[a]), `${a} without its parent`);
  }
});

test("one valuation time for every shard, checked arguments, and no call left waiting by close()", async () => {
  // a short option's value moves with the time to expiry: without a shared now, each shard valued its copy at its own
  const undated = {
    underlyings: [{ id: "BTC", spot: "65000", vol: "0.5" }],
    // marked far above its model value, so the mark used is the guard's cap, which moves with time to expiry by the millisecond
    instruments: [{ id: "P", kind: "option", right: "put", underlying: "BTC", strike: "65000", expiry: "2030-01-01T00:00:00Z", lotSize: "0.01", mark: "60000" }],
  };
  const option = 0, usd = 0;
  const one = {
    count: 8, ids: Array.from({ length: 8 }, (_, k) => `copy-${k}`), mode: new Uint8Array(8), parent: new Int32Array(8).fill(-1),
    positionOffsets: Uint32Array.from({ length: 9 }, (_, k) => k), positionInstrument: new Uint16Array(8).fill(option),
    positionLots: new Int32Array(8).fill(-300_000), positionEntry: new BigInt64Array(8).fill(100_000_000n),
    collateralOffsets: Uint32Array.from({ length: 9 }, (_, k) => k), collateralAsset: new Uint8Array(8).fill(usd),
    collateralAmount: new BigInt64Array(8).fill(1_000_000_000n * 100_000_000n),
  };
  const sharded = await ShardedEngine.create(JSON.stringify(undated), one, { shards: 8 });
  try {
    const summary = JSON.parse(JSON.stringify(sharded));
    assert.equal({ ...summary, now: undefined }, { engine: "margin-core/sharded", shards: 8, accounts: 8, now: undefined });
    // every shard valued at the time create took, as one engine loaded at that time values the same books
    const single = await MarginEngine.fromVenue({ ...undated, now: summary.now });
    single.loadColumns(one);
    const columns = await sharded.riskColumns(), expected = single.riskColumns();
    assert.equal(columns, { equity: expected.equity, maintenanceMargin: expected.maintenanceMargin, status: expected.status });
    assert.ok(columns.equity.every((e) => e === columns.equity[0]));
    for (const limit of [-1, 1.5, NaN, -Infinity, "5", {}]) await expectMarginError(() => sharded.queueOrder(limit), { code: "OUT_OF_RANGE", field: "limit", label: String(limit) });
    assert.is((await sharded.queueOrder(null)).length, (await sharded.queueOrder()).length);
    assert.is((await sharded.queueOrder(Infinity)).length, (await sharded.queueOrder()).length);
    // any non-negative integer, however large, as one engine's paging limits
    for (const limit of [2 ** 53, 1e300]) assert.is((await sharded.queueOrder(limit)).length, (await sharded.queueOrder()).length, String(limit));
    // a call in flight when close() stops the workers is answered, or refused; it never hangs
    const pending = [sharded.recompute(), sharded.riskColumns(), sharded.queueOrder()]
      .map((call) => call.then(() => "answered", (error) => `${error.name} ${error.code} ${error.field}`));
    await sharded.close();
    const hung = new Promise((resolve) => setTimeout(() => resolve("hung"), 5000).unref());
    for (const outcome of await Promise.all(pending.map((call) => Promise.race([call, hung])))) {
      assert.ok(["answered", "MarginError MALFORMED engine"].includes(outcome), outcome);
    }
    await expectMarginError(() => sharded.totals(), { code: "MALFORMED", field: "engine", label: "a call after close()" });
  } finally {
    await sharded.close();
  }
  for (const venue of [null, [], 42]) await expectMarginError(() => ShardedEngine.create(venue, one, { shards: 1 }), { code: "MALFORMED", field: "$", label: JSON.stringify(venue) });
  for (const shards of [0, 65, 2 ** 32]) await expectMarginError(() => ShardedEngine.create(undated, one, { shards }), { code: "OUT_OF_RANGE", field: "options.shards", label: String(shards) });
  await expectMarginError(() => ShardedEngine.create(undated, one, { shards: 1, simd: "no" }), { code: "MALFORMED", field: "options.simd" });
});

test.run();
