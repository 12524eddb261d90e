// ShardedEngine's refusals equal one engine's: the same code, field and detail for the same
// input, every time, however the shards' answers race.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { MarginEngine } from "../build/index.js";
import { ShardedEngine } from "../build/sharded-engine.js";

const NOW = "2026-11-24T00:00:00Z", T0 = Date.parse(NOW);
const tiers = [{ upTo: "10000000000", imf: "0.02", mmf: "0.01" }];
const perp = (id, underlying, mark) => ({ id, kind: "perp", underlying, lotSize: "1", mark, tiers });
const EMPTY = {
  count: 0, mode: new Uint8Array(0), parent: new Int32Array(0), positionOffsets: Uint32Array.from([0]), positionInstrument: new Uint16Array(0),
  positionLots: new Int32Array(0), positionEntry: new BigInt64Array(0), collateralOffsets: Uint32Array.from([0]), collateralAsset: new Uint8Array(0),
  collateralAmount: new BigInt64Array(0),
};

/** Accounts in CSR columns: each `{ mode?, positions: [[instrument, lots, entry]], balances: [[asset, amount]] }`. */
function columnsOf(accounts) {
  const po = [0], pi = [], pl = [], pe = [], co = [0], ca = [], cm = [];
  for (const { positions = [], balances = [] } of accounts) {
    for (const [i, lots, entry] of positions) pi.push(i), pl.push(lots), pe.push(entry);
    for (const [asset, amount] of balances) ca.push(asset), cm.push(amount);
    po.push(pi.length);
    co.push(ca.length);
  }
  return {
    count: accounts.length, mode: Uint8Array.from(accounts, (a) => a.mode ?? 0), parent: new Int32Array(accounts.length).fill(-1),
    positionOffsets: Uint32Array.from(po), positionInstrument: Uint16Array.from(pi), positionLots: Int32Array.from(pl), positionEntry: BigInt64Array.from(pe),
    collateralOffsets: Uint32Array.from(co), collateralAsset: Uint8Array.from(ca), collateralAmount: BigInt64Array.from(cm),
  };
}

/** What a call threw, as code, field and detail; "accepted" when it did not throw (a sharded engine it made is closed). */
async function outcome(call) {
  try {
    const made = await call();
    if (made instanceof ShardedEngine) await made.close();
    return "accepted";
  } catch (error) {
    if (error?.name !== "MarginError") throw error;
    return `${error.code} at ${error.field}: ${error.detail}`;
  }
}

test("setPrice judges its arguments in the engine's order: price, timestamp, source, id, then the clock", async () => {
  const venue = { now: NOW, underlyings: [{ id: "BTC", spot: "65000", vol: "0.5" }] };
  const single = await MarginEngine.fromVenue(venue);
  single.loadColumns(EMPTY);
  const sharded = await ShardedEngine.create(venue, EMPTY, { shards: 2 });
  try {
    const T = T0 + 1000, beyondSkew = T0 + 3 * 86_400_000;
    const cases = [
      [["BTC", "abc", "x"], "INVALID_NUMBER at price"],
      [[5, "abc", T], "INVALID_NUMBER at price"],
      [["BTC", "1e3", T, 5], "INVALID_NUMBER at price"],
      [[null, "100", NaN], "INVALID_NUMBER at timestamp"],
      [[5, "100", "x"], "MALFORMED at timestamp"],
      [[5, "100", T, 7], "MALFORMED at source"],
      // the arguments' types before the clock: a bad id is named even at a time past maxClockSkew
      [[5, "100", beyondSkew], "MALFORMED at id"],
      [["BTC", "100", beyondSkew], "OUT_OF_RANGE at timestamp"],
      // values no worker could receive are judged before any is sent
      [[Symbol("BTC"), "100", T], "MALFORMED at id"],
      [["BTC", () => "100", T], "MALFORMED at price"],
      // an id no venue can hold is malformed, as in every other call, not unknown
      [["", "100", T], "MALFORMED at id"],
      [["B".repeat(129), "100", T], "MALFORMED at id"],
      [["BTC", "100", T, ""], "MALFORMED at source"],
      [["BTC", "100", T, "s".repeat(129)], "MALFORMED at source"],
      [["NOPE", "100", T], "UNKNOWN_ID at id"],
    ];
    for (const [args, expected] of cases) {
      const one = await outcome(() => single.setPrice(...args)), many = await outcome(() => sharded.setPrice(...args));
      assert.ok(one.startsWith(`${expected}:`), `${String(args.map(String))}: one engine ${one}`);
      assert.is(many, one, String(args.map(String)));
    }
  } finally {
    await sharded.close();
  }
});

test("a print refused for different reasons on different shards is named as one engine names it, every time", async () => {
  const venue = {
    now: NOW, params: { maxPriceAge: "60" },
    underlyings: [
      { id: "BTC", vol: "0.5", sources: [{ id: "a", price: "65000", time: NOW }] },
      { id: "ETH", vol: "0.5", sources: [{ id: "x", price: "3000", time: "2026-11-23T23:59:10Z" }, { id: "y", price: "3060", time: NOW }, { id: "z", price: "3070", time: NOW }] },
    ],
    instruments: [perp("BTC-PERP", "BTC", "65000"), perp("ETH-PERP", "ETH", "3000")],
  };
  // 150,000 BTC: past the 1e10 notional limit at 70,000; 3,265,000 ETH: past it once ETH's index moves 3,060 → 3,065
  const btc = { positions: [[0, 150_000, 6_500_000_000_000n]], balances: [[0, 100_000_000_000_000n]] };
  const eth = { positions: [[1, 3_265_000, 300_000_000_000n]], balances: [[0, 100_000_000_000_000n]] };
  // at T0 + 15 s source x ages out and ETH's index moves: the clock move is checked before BTC's new price
  const print = ["BTC", "70000", T0 + 15_000, "a"];
  // one account a shard: which shard answers first varies, so several layouts and attempts
  for (const accounts of [[btc, eth], [eth, btc], [btc, btc, btc, eth]]) {
    const columns = columnsOf(accounts);
    const single = await MarginEngine.fromVenue(venue);
    single.loadColumns(columns);
    const expected = await outcome(() => single.setPrice(...print));
    assert.ok(expected.startsWith('OUT_OF_RANGE at timestamp: an open position in "ETH-PERP"'), expected);
    const sharded = await ShardedEngine.create(venue, columns, { shards: accounts.length });
    try {
      const before = await sharded.riskColumns();
      for (let k = 0; k < 10; k++) assert.is(await outcome(() => sharded.setPrice(...print)), expected, `${accounts.length} shards, attempt ${k}`);
      assert.equal(await sharded.riskColumns(), before, "no shard changed");
      // the price alone past BTC's limit, with no clock move: refused at price by the BTC shards only
      const priceAlone = await outcome(() => single.setPrice("BTC", "70000", T0, "a"));
      assert.ok(priceAlone.startsWith("OUT_OF_RANGE at price:"), priceAlone);
      assert.is(await outcome(() => sharded.setPrice("BTC", "70000", T0, "a")), priceAlone);
    } finally {
      await sharded.close();
    }
  }
});

test("holdings past their limits on different shards: the refusal names the holding one engine meets first", async () => {
  const btcSources = [{ id: "a", price: "65000", time: "2026-11-23T23:59:10Z" }, { id: "b", price: "65100", time: NOW }, { id: "c", price: "65300", time: NOW }];
  const venue = {
    now: NOW, params: { maxPriceAge: "60" },
    assets: [{ id: "USD", price: "1" }, { id: "BTC", price: "65000", haircut: "0.1", underlying: "BTC" }],
    underlyings: [
      { id: "BTC", vol: "0.5", sources: btcSources },
      { id: "ETH", vol: "0.5", sources: [{ id: "x", price: "3000", time: "2026-11-23T23:59:10Z" }, { id: "y", price: "3060", time: NOW }, { id: "z", price: "3070", time: NOW }] },
      { id: "SOL", spot: "100", vol: "0.5" },
    ],
    instruments: [perp("A-PERP", "BTC", "65000"), perp("B-PERP", "BTC", "65000"), perp("ETH-PERP", "ETH", "3000")],
  };
  const usd = [0, 100_000_000_000_000n];
  // at BTC's index of 65,100 each is within its limit; BTC at 70,000 passes all three, as does
  // the index 65,200 a clock move gives BTC (source a ages out), and ETH's 3,065
  const perpA = { positions: [[0, 153_609, 6_500_000_000_000n]], balances: [usd] };
  const perpB = { positions: [[1, 153_609, 6_500_000_000_000n]], balances: [usd] };
  const coins = { balances: [usd, [1, 1_535_000n * 100_000_000n]] };
  const ether = { positions: [[2, 3_265_000, 300_000_000_000n]], balances: [usd] };
  const cases = [
    // the new price's own check: positions before balances, in instrument order
    [[coins, perpB], ["BTC", "70000", T0, "b"], 'OUT_OF_RANGE at price: an open position in "B-PERP"'],
    [[perpB, perpA], ["BTC", "70000", T0, "b"], 'OUT_OF_RANGE at price: an open position in "A-PERP"'],
    [[coins, perpB, perpA], ["BTC", "70000", T0, "b"], 'OUT_OF_RANGE at price: an open position in "A-PERP"'],
    [[coins], ["BTC", "70000", T0, "b"], 'OUT_OF_RANGE at price: a balance of "BTC"'],
    // a print on an instrument: its own holdings alone, named
    [[perpA, perpB], ["A-PERP", "70000", T0], 'OUT_OF_RANGE at price: an open position in "A-PERP"'],
    // a clock move re-indexes the underlyings in their order: BTC's holdings before ETH's
    [[ether, coins], ["SOL", "101", T0 + 15_000], 'OUT_OF_RANGE at timestamp: a balance of "BTC"'],
    [[ether, coins, perpB], ["SOL", "101", T0 + 15_000], 'OUT_OF_RANGE at timestamp: an open position in "B-PERP"'],
  ];
  for (const [accounts, print, expected] of cases) {
    const columns = columnsOf(accounts);
    const single = await MarginEngine.fromVenue(venue);
    single.loadColumns(columns);
    const one = await outcome(() => single.setPrice(...print));
    assert.ok(one.startsWith(expected), one);
    const sharded = await ShardedEngine.create(venue, columns, { shards: accounts.length });
    try {
      for (let k = 0; k < 3; k++) assert.is(await outcome(() => sharded.setPrice(...print)), one, `${expected}, attempt ${k}`);
    } finally {
      await sharded.close();
    }
  }
});

const LOAD_VENUE = {
  now: NOW,
  assets: Array.from({ length: 18 }, (_, k) => ({ id: `A${k}`, price: "1" })),
  underlyings: [{ id: "BTC", spot: "65000", vol: "0.5" }],
  instruments: Array.from({ length: 66 }, (_, k) => ({ ...perp(`P${k}`, "BTC", "65000"), lotSize: "0.001" })),
};
const ENTRY = 6_500_000_000_000n;
const held = (n) => Array.from({ length: n }, (_, k) => [k, 1, ENTRY]);

test("a batch with several bad rows on different shards is named at the row one engine's validation reaches first", async () => {
  const single = await MarginEngine.fromVenue(LOAD_VENUE);
  const cases = [
    // modes are judged before positions, though the bad position is in an earlier account
    [[{ positions: [[0, 0, ENTRY]] }, { mode: 2 }], 2, "MALFORMED at columns.mode[1]"],
    // too many positions or balances for one account: the row that ends the account, a + 1
    [[{}, { positions: held(65) }], 2, "OUT_OF_RANGE at columns.positionOffsets[2]"],
    [[{}, {}, { balances: Array.from({ length: 17 }, (_, k) => [k, 100_000_000n]) }], 3, "OUT_OF_RANGE at columns.collateralOffsets[3]"],
    [[{ positions: [[0, 0, ENTRY]] }, {}, { positions: held(65) }], 3, "OUT_OF_RANGE at columns.positionOffsets[3]"],
    // positions by row before balances by row, and both before duplicates
    [[{ balances: [[99, 1n]] }, { positions: [[70, 1, ENTRY]] }], 2, "UNKNOWN_ID at columns.positionInstrument[0]"],
    [[{ positions: [[3, 1, ENTRY], [3, 2, ENTRY]] }, { balances: [[0, 0n]] }], 2, "OUT_OF_RANGE at columns.collateralAmount[0]"],
    [[{ positions: [[3, 1, ENTRY]] }, { positions: [[3, 1, ENTRY]] }, { positions: [[5, 1, ENTRY], [5, 2, ENTRY]] }, { positions: [[0, 0, ENTRY]] }], 4, "OUT_OF_RANGE at columns.positionLots[4]"],
    [[{ balances: [[1, 1n], [1, 2n]] }, { positions: [[4, 1, ENTRY], [4, 2, ENTRY]] }], 2, "DUPLICATE_ID at columns.collateralAsset[1]"],
  ];
  for (const [accounts, shards, expected] of cases) {
    const columns = columnsOf(accounts);
    const one = await outcome(() => single.loadColumns(columns));
    assert.ok(one.startsWith(`${expected}:`), `${expected}: one engine ${one}`);
    // the first case's two shards refuse at once: repeated, as the first answer to arrive was what create reported
    for (let k = 0; k < (accounts === cases[0][0] ? 4 : 1); k++) assert.is(await outcome(() => ShardedEngine.create(LOAD_VENUE, columns, { shards })), one, `${expected}, create ${k}`);
  }
});

test("columns with null ids load, as loadColumns takes them (accounts acc-i)", async () => {
  const columns = { ...columnsOf([{ balances: [[0, 100_000_000n]] }, { positions: [[0, 2, ENTRY]], balances: [[0, 100_000_000n]] }]), ids: null };
  const single = await MarginEngine.fromVenue(LOAD_VENUE);
  single.loadColumns(columns);
  assert.equal(single.toVenue().accounts.map((a) => a.id), ["acc-0", "acc-1"]);
  const sharded = await ShardedEngine.create(LOAD_VENUE, columns, { shards: 2 });
  try {
    const expected = single.riskColumns();
    assert.ok(expected.maintenanceMargin[1] > 0n);
    assert.equal(await sharded.riskColumns(), { equity: expected.equity, maintenanceMargin: expected.maintenanceMargin, status: expected.status });
  } finally {
    await sharded.close();
  }
});

test("a venue whose now is null is refused at now, as fromVenue refuses it", async () => {
  const venue = { now: null, underlyings: [{ id: "BTC", spot: "65000", vol: "0.5" }] };
  const refused = await outcome(() => MarginEngine.fromVenue(venue));
  assert.ok(refused.startsWith("MALFORMED at now:"), refused);
  assert.is(await outcome(() => ShardedEngine.create(venue, EMPTY, { shards: 1 })), refused);
});

test("a venue text that is not JSON in its ignored accounts is refused at $, as fromVenue refuses it; JSON accounts are skipped unread", async () => {
  const text = `{"now":"${NOW}","underlyings":[{"id":"BTC","spot":"65000","vol":"0.5"}],"accounts":[{x y}]}`;
  const notJson = await outcome(() => MarginEngine.fromVenue(text));
  assert.ok(notJson.startsWith("MALFORMED at $: not valid JSON"), notJson);
  assert.is(await outcome(() => ShardedEngine.create(text, EMPTY, { shards: 1 })), notJson);
  const skipped = await ShardedEngine.create(text.replace("[{x y}]", '[{"id":"ignored","collateral":{"nope":"1"}}]'), EMPTY, { shards: 1 });
  try {
    assert.is(skipped.accountCount, 0);
  } finally {
    await skipped.close();
  }
});

test("a bad venue is named before bad columns, and a venue member no worker can receive at its own field, as one engine names them", async () => {
  const venue = { now: NOW, underlyings: [{ id: "BTC", spot: "65000", vol: "-1" }] };
  const notColumns = { ...EMPTY, positionOffsets: new Uint32Array(0) };
  const refused = await outcome(async () => (await MarginEngine.fromVenue(venue)).loadColumns(notColumns));
  assert.ok(refused.startsWith("OUT_OF_RANGE at underlyings[0].vol"), refused);
  for (const columns of [notColumns, { ...EMPTY, count: -1 }, null]) {
    assert.is(await outcome(() => ShardedEngine.create(venue, columns, { shards: 2 })), refused);
  }
  const withFunction = { now: NOW, params: () => 1, underlyings: [{ id: "BTC", spot: "65000", vol: "0.5" }] };
  const atParams = await outcome(() => MarginEngine.fromVenue(withFunction));
  assert.ok(atParams.startsWith("MALFORMED at params"), atParams);
  assert.is(await outcome(() => ShardedEngine.create(withFunction, EMPTY, { shards: 2 })), atParams);
});

test("columns changed once create has returned its promise change nothing: the batch is read during the call, as loadColumns reads it", async () => {
  const venue = { now: NOW, underlyings: [{ id: "BTC", spot: "50000", vol: "0.5" }], instruments: [perp("BTC-PERP", "BTC", "50000")] };
  const columns = columnsOf([{ positions: [[0, 1, 5_000_000_000_000n]], balances: [[0, 100_000_000_000n]] }, { balances: [[0, 200_000_000_000n]] }]);
  const single = await MarginEngine.fromVenue(venue);
  single.loadColumns(columns);
  const pending = ShardedEngine.create(venue, columns, { shards: 2 });
  columns.collateralAmount.fill(0n);
  columns.positionLots.fill(0);
  const sharded = await pending;
  try {
    const expected = single.riskColumns();
    assert.equal(await sharded.riskColumns(), { equity: expected.equity, maintenanceMargin: expected.maintenanceMargin, status: expected.status });
  } finally {
    await sharded.close();
  }
});

test("an id's getter that rewrites offsets already judged is refused as one engine refuses it, not cut into shards", async () => {
  const venue = { now: NOW, underlyings: [{ id: "BTC", spot: "50000", vol: "0.5" }], instruments: [perp("BTC-PERP", "BTC", "50000")] };
  const batch = () => {
    const columns = { ...columnsOf([{ positions: [[0, 1, 5_000_000_000_000n]] }, { positions: [[0, 2, 5_000_000_000_000n]] }]), ids: ["a", undefined] };
    Object.defineProperty(columns.ids, 1, { enumerable: true, get() { columns.positionOffsets.set([0, 2, 1]); return "b"; } });
    return columns;
  };
  const single = await MarginEngine.fromVenue(venue);
  const expected = await outcome(() => single.loadColumns(batch()));
  assert.is(expected, "MALFORMED at columns.positionOffsets[1]: offsets never fall: this one is past the next");
  assert.is(await outcome(() => ShardedEngine.create(venue, batch(), { shards: 2 })), expected);
});

test.run();
