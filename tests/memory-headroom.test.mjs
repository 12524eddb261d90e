// A bulk load that fills most of a small maximumMemory: everything accepted keeps working. Writing
// the state out (snapshot, toVenue) needs no memory of its own, and the first read after the load
// fits in what the load reserved.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { readFileSync } from "node:fs";
import { MarginEngine, generateVenue } from "../build/index.js";
import { expectRefusedUnchanged } from "./helpers/margin-error.mjs";

const VENUE = readFileSync(new URL("../examples/venue.json", import.meta.url), "utf8");
const MiB = 2 ** 20;

/** n accounts in `mode` (0 standard, 1 portfolio), one BTC-PERP position and one USD balance each. */
function columns(n, mode) {
  return {
    count: n, ids: Array.from({ length: n }, (_, k) => `b-${k}`), mode: new Uint8Array(n).fill(mode), parent: new Int32Array(n).fill(-1),
    positionOffsets: Uint32Array.from({ length: n + 1 }, (_, k) => k), positionInstrument: new Uint16Array(n),
    positionLots: new Int32Array(n).fill(1), positionEntry: new BigInt64Array(n).fill(6_500_000_000_000n),
    collateralOffsets: Uint32Array.from({ length: n + 1 }, (_, k) => k), collateralAsset: new Uint8Array(n),
    collateralAmount: new BigInt64Array(n).fill(100_000_000_000n),
  };
}

/** Bulk loads of growing size into a 1 MiB engine until one is refused; `check` runs on each accepted one. */
async function untilRefused(mode, check) {
  let accepted = 0;
  for (let n = 2000; n <= 40_000; n += 1000) {
    const engine = await MarginEngine.fromVenue(VENUE, { maximumMemory: MiB });
    try {
      engine.loadColumns(columns(n, mode));
    } catch (error) {
      if (error?.name !== "MarginError") throw error;
      assert.equal([error.code, error.field], ["OUT_OF_RANGE", "columns.count"]);
      break;
    }
    accepted = n;
    await check(engine, n);
  }
  assert.ok(accepted >= 8000, `loads of up to ${accepted} accounts accepted`);
}

test("after a bulk load that fills the memory, snapshot() and toVenue() work and give the state a roomy engine gives", async () => {
  await untilRefused(0, async (engine, n) => {
    const bytes = engine.snapshot(), venue = engine.toVenue();
    const roomy = await MarginEngine.fromVenue(VENUE);
    roomy.loadColumns(columns(n, 0));
    assert.equal(bytes, roomy.snapshot(), `${n} accounts: snapshot bytes`);
    assert.is(venue.accounts.length, n);
    assert.equal(venue.accounts[n - 1], { id: `b-${n - 1}`, mode: "standard", collateral: { USD: "1000" }, positions: [{ instrument: "BTC-PERP", qty: "0.001", entry: "65000" }] });
    assert.equal((await MarginEngine.restore(bytes)).toVenue(), venue);
  });
});

test("a bulk load is accepted only with room for the first read after it: its results equal a roomy engine's", async () => {
  for (const mode of [0, 1]) {
    await untilRefused(mode, async (engine, n) => {
      const roomy = await MarginEngine.fromVenue(VENUE);
      roomy.loadColumns(columns(n, mode));
      const label = `${n} accounts, mode ${mode}`;
      assert.equal(engine.totals(), roomy.totals(), `${label}: totals`);
      assert.equal(engine.accounts({ offset: n - 2 }), roomy.accounts({ offset: n - 2 }), `${label}: accounts`);
      assert.equal(engine.liquidationQueue({ limit: 3 }), roomy.liquidationQueue({ limit: 3 }), `${label}: queue`);
      engine.setPrice("BTC", "64000", Date.parse("2026-11-24T00:00:05Z"), "feedA");
      roomy.setPrice("BTC", "64000", Date.parse("2026-11-24T00:00:05Z"), "feedA");
      assert.equal(engine.runningTotals(), roomy.runningTotals(), `${label}: after a tick`);
    });
  }
});

test("an account switched to portfolio mode is refused when the next read could not give it its cache slot", async () => {
  let largest = 0;
  await untilRefused(0, (_, n) => { largest = n; });
  const engine = await MarginEngine.fromVenue(VENUE, { maximumMemory: MiB });
  engine.loadColumns(columns(largest - 2000, 0));
  let switched = 0, refusal = null;
  for (; switched < largest - 2000 && refusal === null; switched++) {
    try {
      engine.upsertAccount({ id: `b-${switched}`, mode: "portfolio" });
      engine.runningTotals();
    } catch (error) {
      if (error?.name !== "MarginError") throw error;
      refusal = error;
      switched--;
    }
  }
  assert.equal([refusal?.code, refusal?.field], ["OUT_OF_RANGE", "account"]);
  assert.ok(switched > 100, `${switched} switched first`);
  assert.is(engine.accounts().filter((a) => a.mode === "portfolio").length, switched);
  const roomy = await MarginEngine.restore(engine.snapshot());
  assert.equal(roomy.totals(), engine.totals());
});

test("edits with no read between them reserve a cache slot for every account the read will move: the read after them works", async () => {
  const standard = (n) => {
    const { venue, columns } = generateVenue({ accounts: n, seed: 3 });
    return { venue: { ...venue, accounts: [] }, columns: { ...columns, mode: new Uint8Array(n) } };
  };
  let load = 0;
  for (let n = 10_000; n <= 40_000; n += 1000) {
    const { venue, columns } = standard(n);
    try {
      (await MarginEngine.fromVenue(venue, { maximumMemory: 4 * MiB })).loadColumns(columns);
    } catch (error) {
      if (error?.name !== "MarginError") throw error;
      break;
    }
    load = n - 1000;
  }
  const { venue, columns } = standard(load);
  const engine = await MarginEngine.fromVenue(venue, { maximumMemory: 4 * MiB });
  engine.loadColumns(columns);
  engine.totals(); // the read that lays the cache out for the books as loaded
  const accounts = engine.toVenue().accounts;
  // a balance of another asset on account after account, until memory refuses one
  let balances = 0;
  try {
    for (const account of accounts) for (const asset of venue.assets) if (!(asset.id in account.collateral)) engine.setCollateral(account.id, asset.id, "1"), balances++;
  } catch (error) {
    if (error?.name !== "MarginError") throw error;
  }
  // then every account to portfolio mode, with no read between: each needs a larger slot at the next read
  let switched = 0;
  try {
    for (const account of accounts) engine.upsertAccount({ id: account.id, mode: "portfolio" }), switched++;
  } catch (error) {
    if (error?.name !== "MarginError") throw error;
    assert.equal([error.code, error.field], ["OUT_OF_RANGE", "account"]);
  }
  assert.ok(balances > 1000 && switched > 1000, `${balances} balances added, ${switched} accounts switched`);
  const totals = engine.totals();
  assert.is(engine.accounts().filter((a) => a.mode === "portfolio").length, switched);
  assert.equal((await MarginEngine.restore(engine.snapshot())).totals(), totals);
});

test("pre-trade checks on a full memory never trap: a trial that needs room to insert its position is refused at order.qty, and nothing changes", async () => {
  /** Whether `call` answered; a refusal must be the memory's, at order.qty. */
  const answered = (call) => {
    try {
      call();
      return true;
    } catch (error) {
      if (error?.name !== "MarginError") throw error;
      assert.equal([error.code, error.field], ["OUT_OF_RANGE", "order.qty"]);
      return false;
    }
  };
  // the largest load the memory takes leaves no room to copy a full book for a trial
  let largest = 0;
  await untilRefused(0, (_, n) => { largest = n; });
  let refusedAtLargest = 0;
  for (const n of [4000, 8000, largest]) {
    const engine = await MarginEngine.fromVenue(VENUE, { maximumMemory: MiB });
    engine.loadColumns(columns(n, 0));
    const roomy = await MarginEngine.fromVenue(VENUE);
    roomy.loadColumns(columns(n, 0));
    const before = engine.snapshot();
    let checks = 0, refused = 0;
    for (let k = 0; k < n; k += 2) {
      const order = { account: `b-${k}`, instrument: "BTC-20261225", qty: "0.001", price: "65000" };
      if (answered(() => assert.equal(engine.checkOrder(order), roomy.checkOrder(order)))) checks++;
      else refused++;
      const max = [`b-${k + 1}`, "BTC-20261225", "buy", "65000"];
      if (k % 500 === 0) answered(() => assert.is(engine.maxOrder(...max), roomy.maxOrder(...max)));
    }
    if (n === largest) refusedAtLargest = refused;
    else assert.ok(checks > 500, `${n} accounts: ${checks} checks answered, ${refused} refused`);
    assert.equal(engine.snapshot(), before, `${n} accounts: the checks changed nothing`);
  }
  assert.ok(refusedAtLargest > 0, `${largest} accounts: ${refusedAtLargest} checks refused`);
});

test("a queue the memory cannot hold is refused at maximumMemory, never a trap: the engine unchanged, and liquidated once restored under a larger limit", async () => {
  // 50,000 accounts short a lot each, loaded at the least maximumMemory that takes them, then all made bankrupt by two prints
  const n = 50_000, PAGE = 65_536, now = Date.parse("2026-11-24T00:00:00Z");
  const venue = {
    now: "2026-11-24T00:00:00Z", underlyings: [{ id: "BTC", spot: "65000", vol: "0.5" }], assets: [{ id: "EUR", price: "1", haircut: "0.1" }],
    instruments: [{ id: "BP", kind: "perp", underlying: "BTC", lotSize: "0.001", mark: "65000", tiers: [{ upTo: "10000000000", imf: "0.1", mmf: "0.05" }] }],
  };
  const batch = {
    count: n, mode: new Uint8Array(n), parent: new Int32Array(n).fill(-1), positionOffsets: Uint32Array.from({ length: n + 1 }, (_, k) => k),
    positionInstrument: new Uint16Array(n), positionLots: new Int32Array(n).fill(-1), positionEntry: new BigInt64Array(n).fill(6_500_000_000_000n),
    collateralOffsets: Uint32Array.from({ length: n + 1 }, (_, k) => k), collateralAsset: new Uint8Array(n).fill(1), collateralAmount: new BigInt64Array(n).fill(1_300_000_000n),
  };
  const loaded = async (pages) => {
    const engine = await MarginEngine.fromVenue(venue, { maximumMemory: pages * PAGE });
    try {
      engine.loadColumns(batch);
      return engine;
    } catch (error) {
      if (error?.name !== "MarginError") throw error;
      return null;
    }
  };
  let low = 16, high = 1024;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (await loaded(mid)) high = mid;
    else low = mid + 1;
  }
  const engine = await loaded(low);
  engine.setPrice("BTC", "80000", now + 1000);
  engine.setPrice("BP", "80000", now + 1000);
  assert.is(engine.runningTotals().statusCounts.bankrupt, n);
  for (const read of [() => engine.queueOrder(), () => engine.liquidationQueue(), () => engine.liquidate()]) {
    await expectRefusedUnchanged(engine, read, { code: "OUT_OF_RANGE", field: "maximumMemory" });
  }
  const roomy = await MarginEngine.restore(engine.snapshot());
  assert.is(roomy.queueOrder().accounts.length, n);
  assert.is(roomy.liquidate().queue.length, n);
});

test.run();
