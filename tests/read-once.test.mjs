// Inputs whose members answer differently when read again — getters, Proxies, arrays with a
// species constructor: every member, length and element is read once, and what was judged is
// what loads, is written to a snapshot and reaches every shard. Each case is accepted with its
// first answers, and the engine restores from its snapshot to the same venue.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { readFileSync } from "node:fs";
import { MarginEngine } from "../build/index.js";
import { ShardedEngine } from "../build/sharded-engine.js";

const EXAMPLE = () => JSON.parse(readFileSync(new URL("../examples/venue.json", import.meta.url), "utf8"));

/** A getter answering each of `answers` in turn, then the last for ever. */
const answering = (...answers) => {
  let reads = 0;
  return () => answers[Math.min(reads++, answers.length - 1)];
};

/** `record` with `key` a getter answering `first`, then `later` on every read after: and how many reads it took. */
function readCounting(record, key, first, later) {
  const counted = { reads: 0 };
  const copy = { ...record };
  delete copy[key];
  Object.defineProperty(copy, key, { enumerable: true, get: () => (counted.reads++ === 0 ? first : later) });
  return [copy, counted];
}

async function assertRestores(engine) {
  const copy = await MarginEngine.restore(engine.snapshot());
  assert.equal(copy.toVenue(), engine.toVenue());
}

test("a tiers array whose length grows after it was counted loads the tiers counted", async () => {
  const venue = EXAMPLE();
  const [first] = venue.instruments[0].tiers;
  const many = Array.from({ length: 40 }, (_, k) => ({ upTo: String(1000 * (k + 1)), imf: "0.02", mmf: "0.01" }));
  const length = answering(1, 40);
  venue.instruments[0].tiers = new Proxy([first], { get: (target, key, receiver) => (key === "length" ? length() : /^\d+$/.test(String(key)) ? many[key] ?? target[key] : Reflect.get(target, key, receiver)) });
  const engine = await MarginEngine.fromVenue(venue);
  assert.is(engine.toVenue().instruments[0].tiers.length, 1);
  await assertRestores(engine);
});

test("an array's species constructor is never asked: the tiers and sources judged are the ones kept", async () => {
  const venue = EXAMPLE();
  const tiers = venue.instruments[0].tiers;
  tiers.constructor = { [Symbol.species]: function () { return new Proxy([{ upTo: 5n, imf: 5_000_000_000n, mmf: 9_000_000_000n }], { defineProperty: () => true }); } };
  venue.underlyings[0].sources = [{ id: "a", price: "65000", time: venue.now }];
  venue.underlyings[0].sources.constructor = { [Symbol.species]: function () { return Object.freeze([]); } };
  const engine = await MarginEngine.fromVenue(venue);
  const written = engine.toVenue();
  assert.equal(written.instruments[0].tiers, EXAMPLE().instruments[0].tiers);
  assert.equal(written.underlyings[0].sources.map((s) => s.id), ["a"]);
  await assertRestores(engine);
});

test("params whose keys are listed again with one more: the names checked are the names kept", async () => {
  const venue = EXAMPLE();
  let listings = 0;
  const extra = { bogus: "1" };
  venue.params = new Proxy({ optIm: "0.2" }, {
    ownKeys: (target) => (++listings === 1 ? Reflect.ownKeys(target) : [...Reflect.ownKeys(target), "bogus"]),
    getOwnPropertyDescriptor: (target, key) => Reflect.getOwnPropertyDescriptor(target, key) ?? (key in extra ? { value: extra[key], enumerable: true, configurable: true, writable: true } : undefined),
    get: (target, key, receiver) => (Object.hasOwn(target, key) ? Reflect.get(target, key, receiver) : extra[key]),
  });
  const engine = await MarginEngine.fromVenue(venue);
  assert.equal(engine.toVenue().params, { optIm: "0.2" });
  await assertRestores(engine);
});

test("a proposal is written as it was judged: a grid row's later answer is never used", async () => {
  const engine = await MarginEngine.fromVenue(EXAMPLE());
  const row = {};
  Object.defineProperty(row, "move", { enumerable: true, get: answering("0.1", "0.9") });
  const proposed = await engine.withParams({ grid: [row] });
  assert.equal(proposed.toVenue().params.grid, [{ move: "0.1" }]);
  await assertRestores(proposed);
});

test("a reference row read again for its price time is the row judged", async () => {
  const venue = EXAMPLE();
  const asset = venue.assets.find((a) => a.id !== "USD");
  const k = venue.assets.indexOf(asset);
  Object.defineProperty(venue.assets, k, { enumerable: true, get: answering(asset, undefined) });
  const engine = await MarginEngine.fromVenue(venue);
  assert.equal(engine.toVenue().assets.map((a) => a.id), EXAMPLE().assets.map((a) => a.id));
  await assertRestores(engine);
});

test("every shard loads the venue as judged: a mark answering otherwise later reaches none of them", async () => {
  const venue = EXAMPLE();
  delete venue.accounts;
  Object.defineProperty(venue.instruments[0], "mark", { enumerable: true, get: answering("65010", "68000") });
  // two accounts with the same book, one per shard
  const columns = {
    count: 2, ids: ["x", "y"], mode: new Uint8Array(2), parent: new Int32Array([-1, -1]), positionOffsets: new Uint32Array([0, 1, 2]),
    positionInstrument: new Uint16Array([0, 0]), positionLots: new Int32Array([-1000, -1000]), positionEntry: new BigInt64Array([6_500_000_000_000n, 6_500_000_000_000n]),
    collateralOffsets: new Uint32Array([0, 1, 2]), collateralAsset: new Uint8Array(2), collateralAmount: new BigInt64Array([300_000_000_000n, 300_000_000_000n]),
  };
  const sharded = await ShardedEngine.create(venue, columns, { shards: 2 });
  try {
    const { maintenanceMargin } = await sharded.riskColumns();
    assert.equal([...maintenanceMargin], [650_100_000n, 650_100_000n]);
  } finally {
    await sharded.close();
  }
});

test("a refusal the module makes names the balance by its asset: the account's collateral is not read again", async () => {
  const venue = EXAMPLE();
  const bob = venue.accounts[1];
  // 10^9 BTC at 65,000 passes the collateral value limit; read again, the balances would hold USD alone
  Object.defineProperty(bob, "collateral", { enumerable: true, get: answering({ USD: "1", BTC: "1000000000" }, { USD: "1" }) });
  const error = await MarginEngine.fromVenue(venue).then(() => null, (e) => e);
  assert.equal([error?.code, error?.field], ["OUT_OF_RANGE", "accounts[1].collateral.BTC"]);
});

test("a call's record is read once: what upsertAccount and checkOrder judged is what they use", async () => {
  const engine = await MarginEngine.fromVenue(EXAMPLE());
  // bob's parent answers alice once, then bob itself: he becomes alice's sub-account
  const [account, parentReads] = readCounting({ id: "bob" }, "parent", "alice", "bob");
  engine.upsertAccount(account);
  assert.is(parentReads.reads, 1);
  assert.equal(engine.account("alice").subAccounts, ["bob", "carol"]);
  const fresh = await MarginEngine.restore(engine.snapshot());
  assert.is(fresh.account("bob").parent, "alice");
  // a quantity answering 0.1 once, then a malformed one: the check is the 0.1 order's
  const order = { account: "alice", instrument: "BTC-PERP", qty: "0.1", price: "65000" };
  const [twisted, qtyReads] = readCounting(order, "qty", "0.1", "junk");
  const before = engine.snapshot();
  assert.equal(engine.checkOrder(twisted), engine.checkOrder(order));
  assert.is(qtyReads.reads, 1);
  assert.equal(engine.snapshot(), before);
});

test("a reference row is read once: a spot that is there when judged is there when applied", async () => {
  const engine = await MarginEngine.fromVenue(EXAMPLE());
  // a spot answering once, then null: an underlying with neither a spot nor sources is refused, never loaded
  const [underlying, spotReads] = readCounting({ id: "SOL", vol: "0.8", rate: "0.01" }, "spot", "150", null);
  engine.upsertUnderlying(underlying);
  assert.is(spotReads.reads, 1);
  assert.is(engine.toVenue().underlyings.find((u) => u.id === "SOL").spot, "150");
  // the settlement asset's underlying answering null once, then BTC
  const [usd, underlyingReads] = readCounting({ id: "USD", price: "1", haircut: "0" }, "underlying", null, "BTC");
  engine.upsertAsset(usd);
  assert.is(underlyingReads.reads, 1);
  assert.is(engine.toVenue().assets.find((a) => a.id === "USD").underlying, undefined);
  const copy = await MarginEngine.restore(engine.snapshot());
  assert.equal(copy.toVenue(), engine.toVenue());
});

test.run();
