// Sharding over worker threads: the same accounts split over workers give the single engine's
// results bit for bit — every account's equity, MM and status, the exact totals, and the
// liquidation queue merged across shards — before and after price ticks; a rejected price
// changes no shard.
import { test } from "uvu";
import * as assert from "uvu/assert";
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

test.run();
