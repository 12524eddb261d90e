// Liquidations (docs/methodology.md §10–12): the queue and its sizing against the BigInt twin, money
// conservation, bankruptcy with the fund and ADL, stale and deviating oracles, the pre-trade
// check, and the liquidation price of a worked exchange example.
import { test } from "uvu";
import { readFileSync } from "node:fs";
import * as assert from "uvu/assert";
import { MarginEngine, MarginError, generateVenue } from "../build/index.js";
import { randomVenue } from "./reference/random-venue.mjs";
import { referenceVenueRisk } from "./reference/standard-margin.mjs";
import { referenceQueue, referenceSizing } from "./reference/liquidation.mjs";
import { referencePass } from "./reference/liquidation-pass.mjs";
import { expectMarginError } from "./helpers/margin-error.mjs";
import { parseDecimal, formatDecimal } from "./reference/decimal.mjs";

const money = (s) => parseDecimal(s, 6);
const tables = (engine) => {
  const models = new Map(), arrays = new Map();
  return {
    optionModelValue: (id) => (models.has(id) ? models.get(id) : models.set(id, engine.optionModelValue(id)).get(id)),
    riskArray: (id) => (arrays.has(id) ? arrays.get(id) : arrays.set(id, engine.riskArray(id)).get(id)),
    grid: (u) => engine.scenarioGrid(u),
  };
};

/**
 * The planned pass; edge-case venues hold books that can realize more than 1e10 units in one
 * account, or pay fees that would take the fund past 1e12, and such an entry is skipped
 * (OUT_OF_RANGE at its collateral, or at insuranceFund) while the rest goes on.
 */
function plan(engine, apply = false) {
  const pass = apply ? engine.liquidate() : engine.liquidationQueue();
  for (const s of pass.skipped) {
    assert.is(s.code, "OUT_OF_RANGE");
    assert.match(s.message, /\.collateral: |at insuranceFund: /);
  }
  skippedEntries += pass.skipped.length;
  return pass;
}
let skippedEntries = 0;

/** Σ equity + fund moved by a pass: exactly the haircut it released and the bad debt it wrote off. */
const expectedMove = (pass) => money(pass.haircutReleased) + money(pass.badDebt);

/** A generated venue as a venue file (realistic books, every account with an id). */
async function generatedVenue(seed, accounts, fund) {
  const { venue, columns } = generateVenue({ accounts, seed });
  const engine = await MarginEngine.fromVenue({ ...venue, insuranceFund: fund, accounts: [] });
  engine.loadColumns(columns);
  return engine.toVenue();
}

/** Σ equity + fund, exactly. */
const wealth = (engine) => engine.runningTotals().equity + engine.fundRaw();

test("the twin orders the queue and sizes every partial liquidation identically (≥ 5,000 accounts)", async () => {
  let accounts = 0, queued = 0, sized = 0;
  for (let seed = 501; accounts < 5000; seed++) {
    // a fund deep enough that no ADL couples one entry's sizing to another's, with room under its limit for the fees
    const venue = seed % 3 === 0 ? { ...randomVenue(seed, { accounts: 150 }), insuranceFund: "990000000000" } : await generatedVenue(seed, 1000, "990000000000");
    accounts += venue.accounts.length;
    const engine = await MarginEngine.fromVenue(venue);
    const t = tables(engine);
    const expected = referenceVenueRisk(venue, t).accounts;
    const planned = plan(engine);
    assert.equal(planned.queue.map((q) => q.id), referenceQueue(expected).map((a) => venue.accounts[a].id), `seed ${seed}: queue order`);
    const lotSize = (id) => parseDecimal(venue.instruments.find((i) => i.id === id).lotSize, 8);
    const lotsHeld = (account) => account.positions.reduce((s, p) => s + parseDecimal(p.qty, 8) / lotSize(p.instrument) * (p.qty.startsWith("-") ? -1n : 1n), 0n);
    // a venue with a book past a limit, or of millions of lots, is sized by the pass twin's
    // bisection: the count-up twin would take millions of steps, and only the pass twin skips
    const whole = planned.skipped.length > 0 || venue.accounts.some((a) => lotsHeld(a) > 100_000n) ? referencePass(venue, t) : null;
    if (whole !== null) assert.equal(planned.skipped.map((s) => s.account), whole.skipped, `seed ${seed}: skipped`);
    queued += planned.queue.length;
    for (const entry of planned.queue) {
      const account = venue.accounts.find((a) => a.id === entry.id);
      if (entry.bankruptcy) {
        assert.is(entry.orders.filter((o) => o.instrument).length, account.positions.length, `seed ${seed} ${entry.id}: closed whole`);
        continue;
      }
      const twin = whole === null
        ? referenceSizing(venue, account, t).map((o) => ({ instrument: o.instrument, qty: String(BigInt(o.lots) * lotSize(o.instrument)) }))
        : whole.entries.find((e) => e.id === entry.id).orders.map((o) => ({ instrument: o.instrument, qty: String(o.lots * lotSize(o.instrument)) }));
      const ours = entry.orders.filter((o) => o.instrument).map((o) => ({ instrument: o.instrument, qty: String(parseDecimal(o.qty, 8)) }));
      assert.equal(ours, twin, `seed ${seed} ${entry.id}: sizing`);
      sized++;
    }
  }
  assert.ok(accounts >= 5000 && queued > 150 && sized > 100, `${accounts} accounts, ${queued} queued, ${sized} sized`);
});

test("a pass conserves Σ equity + fund exactly, and the planned queue is what the pass does", async () => {
  let passes = 0;
  for (let seed = 601; seed <= 612; seed++) {
    const engine = await MarginEngine.fromVenue(seed % 2 ? randomVenue(seed, { accounts: 150 }) : await generatedVenue(seed, 800, "5000"));
    const bytes = engine.snapshot(), before = wealth(engine);
    const planned = plan(engine);
    assert.equal(engine.snapshot(), bytes, `seed ${seed}: planning changes nothing`);
    assert.is(wealth(engine), before);
    const done = plan(engine, true);
    assert.equal(done, planned, `seed ${seed}: the pass did what was planned`);
    assert.is(wealth(engine) - before, expectedMove(done), `seed ${seed}: conservation`);
    passes++;
  }
  assert.ok(passes === 12 && skippedEntries > 0, `${passes} passes applied, ${skippedEntries} entries skipped`);
  const { venue, columns } = generateVenue({ accounts: 3000, seed: 5 });
  const engine = await MarginEngine.fromVenue({ ...venue, insuranceFund: "2000", accounts: [] });
  engine.loadColumns(columns);
  let time = Date.parse(venue.now), adl = 0, bankrupt = 0;
  for (let k = 0; k <= 20; k++) {
    engine.setPrice("BTC", String(65000 - 1200 * k), (time += 1000));
    engine.setPrice("ETH", String(3500 - 70 * k), time);
    const start = wealth(engine);
    let fund = engine.fundRaw();
    const pass = engine.liquidate();
    assert.is(wealth(engine) - start, expectedMove(pass), `tick ${k}: conservation`);
    for (const q of pass.queue) fund += money(q.fee) + money(q.priceImpact) + money(q.collateralDiscount) - money(q.insurancePaid);
    assert.is(fund, engine.fundRaw(), "the fund moves only by what liquidations pay it and what it pays out");
    if (pass.queue.some((q) => q.adl.length > 0)) assert.is(pass.insuranceFund, "0", "ADL only for what the fund cannot pay");
    adl += pass.queue.reduce((n, q) => n + q.adl.length, 0);
    bankrupt += pass.queue.filter((q) => q.bankruptcy).length;
  }
  assert.ok(bankrupt > 0 && adl > 0, `bankruptcies ${bankrupt}, ADL fills ${adl}`);
});

const BTC_PERP = { id: "BTCUSDT", kind: "perp", underlying: "BTC", lotSize: "0.001", mark: "20000", tiers: [{ upTo: "2000000", imf: "0.02", mmf: "0.005" }] };

test("Bybit-style isolated long: liquidation price 19,698.49 on mark notional", async () => {
  // Bybit's help centre example (isolated margin, USDT perpetual): 1 BTC long at 20,000, 50×,
  // MMR 0.5 %, no fees: liquidation price 19,700, with MM charged on the entry value (100 USD).
  // Ours charges MM on the mark notional (0.005 × P), so 400 + (P − 20,000) = 0.005 × P gives
  // P = 19,600 / 0.995 = 19,698.49…; µ-unit rounding puts the crossing at 19,698.49246299.
  const venue = {
    now: "2026-11-24T00:00:00Z", params: { maxMarkDeviation: "0" },
    underlyings: [{ id: "BTC", spot: "20000", vol: "0.5" }], instruments: [BTC_PERP],
    accounts: [
      { id: "main", mode: "standard", collateral: { USD: "10000" }, positions: [] },
      { id: "isolated", parent: "main", mode: "standard", collateral: { USD: "400" }, positions: [{ instrument: "BTCUSDT", qty: "1", entry: "20000" }] },
    ],
  };
  const engine = await MarginEngine.fromVenue(venue);
  const price = engine.account("isolated").liquidationPrice.BTC;
  assert.is(price, "19698.49246299");
  assert.is(Number(price).toFixed(2), "19698.49");
  assert.is(engine.account("main").status, "healthy");
  for (const [p, status] of [["19698.49246300", "healthy"], ["19698.49246299", "liquidatable"]]) {
    const probe = await MarginEngine.fromVenue({ ...venue, underlyings: [{ ...venue.underlyings[0], spot: p }], instruments: [{ ...BTC_PERP, mark: p }] });
    assert.is(probe.account("isolated").status === "healthy" || probe.account("isolated").status === "restricted" ? "healthy" : probe.account("isolated").status, status, p);
  }
});

test("an option book's liquidation price: a liquidatable region inside the range is found, and none past the price limit", async () => {
  // a short ETH future against long and short puts: healthy at the index and at 1 % of it, liquidatable from about 83 % down to 10 %
  const venue = JSON.parse(readFileSync(new URL("./fixtures/option-book-interior-crossing.json", import.meta.url), "utf8"));
  const engine = await MarginEngine.fromVenue(venue);
  const found = engine.account("a").liquidationPrice.ETH;
  assert.ok(found !== null, "the crossing inside ±99 % is reported");
  const index = engine.underlyingIndex("ETH"), future = venue.instruments.find((i) => i.id === "ETH-20270625");
  const statusAt = async (price) => {
    const probe = await MarginEngine.restore(engine.snapshot());
    probe.setPrice("ETH", formatDecimal(price, 8), probe.clock());
    // the future's mark moves with the index, as the search moves it
    probe.setPrice(future.id, formatDecimal((parseDecimal(future.mark, 8) * price) / index, 8), probe.clock());
    return probe.account("a").status;
  };
  const price = parseDecimal(found, 8);
  assert.ok(price < index);
  assert.is(await statusAt(price), "liquidatable");
  assert.not.equal(await statusAt(price + 1n), "liquidatable");
  // tier rates that fall make a linear book's MM non-convex: liquidatable from about 90 down to 70, safe below
  const tiers = [{ upTo: "150", imf: "0.5", mmf: "0.5" }, { upTo: "1000000000", imf: "0.001", mmf: "0.001" }];
  const falling = await MarginEngine.fromVenue({
    now: "2026-11-24T00:00:00Z", params: { maxMarkDeviation: "0" }, underlyings: [{ id: "X", spot: "100", vol: "0.5" }],
    instruments: [
      { id: "X-PERP", kind: "perp", underlying: "X", lotSize: "1", mark: "100", tiers },
      { id: "X-FUT", kind: "future", underlying: "X", expiry: "2027-03-26T08:00:00Z", lotSize: "1", mark: "100", tiers },
    ],
    accounts: [{ id: "a", collateral: { USD: "130" }, positions: [{ instrument: "X-PERP", qty: "2", entry: "100" }, { instrument: "X-FUT", qty: "-1", entry: "100" }] }],
  });
  assert.is(falling.account("a").liquidationPrice.X, "90.06024349");
  // a short whose crossing lies past 10^10 has none a print could reach
  const big = await MarginEngine.fromVenue({
    now: "2026-11-24T00:00:00Z", underlyings: [{ id: "BIG", spot: "9000000000", vol: "0.5" }],
    instruments: [{ id: "BIG-PERP", kind: "perp", underlying: "BIG", lotSize: "0.00000001", mark: "9000000000", tiers: [{ upTo: "10000000000", imf: "0.2", mmf: "0.1" }] }],
    accounts: [{ id: "a", collateral: { USD: "300000000" }, positions: [{ instrument: "BIG-PERP", qty: "-0.1", entry: "9000000000" }] }],
  });
  assert.is(big.account("a").liquidationPrice.BIG, null);
});

test("a deficit beyond the fund is taken from the top-ranked opponent by ADL", async () => {
  const venue = {
    now: "2026-11-24T00:00:00Z", params: { maxMarkDeviation: "0" }, insuranceFund: "10",
    underlyings: [{ id: "BTC", spot: "19000", vol: "0.5" }], instruments: [{ ...BTC_PERP, mark: "19000" }],
    accounts: [
      { id: "bust", mode: "standard", collateral: { USD: "500" }, positions: [{ instrument: "BTCUSDT", qty: "1", entry: "20000" }] },
      // PnL% 24 %, leverage 19,000 / 16,000: score 0.285
      { id: "patient", mode: "standard", collateral: { USD: "10000" }, positions: [{ instrument: "BTCUSDT", qty: "-1", entry: "25000" }] },
      // PnL% 2.6 %, leverage 19,000 / 1,500: score 0.325 — ranked first
      { id: "levered", mode: "standard", collateral: { USD: "1000" }, positions: [{ instrument: "BTCUSDT", qty: "-1", entry: "19500" }] },
    ],
  };
  const engine = await MarginEngine.fromVenue(venue);
  const before = wealth(engine);
  const pass = engine.liquidate();
  assert.is(pass.queue.length, 1);
  const [entry] = pass.queue;
  assert.ok(entry.bankruptcy);
  assert.is(entry.insurancePaid, "10");
  assert.equal(entry.adl, [{ account: "levered", instrument: "BTCUSDT", qty: "-1", price: "19490", amount: "490", equityBefore: "1500", equityAfter: "1010" }]);
  assert.is(pass.socializedLoss, "490");
  assert.is(pass.insuranceFund, "0");
  assert.is(engine.account("bust").equity, "0");
  assert.is(engine.account("levered").equity, "1010");
  assert.is(wealth(engine), before);
});

test("stale and deviating oracles: deferral, STALE_PRICE, and a bad print ignored", async () => {
  const t0 = Date.parse("2026-11-24T00:00:00Z");
  const at = (s) => new Date(t0 + s * 1000).toISOString();
  const venue = {
    now: at(0), params: { maxMarkDeviation: "0" },
    underlyings: [
      { id: "BTC", vol: "0.5", sources: [{ id: "a", price: "20000", time: at(0) }, { id: "b", price: "20010", time: at(0) }, { id: "c", price: "19990", time: at(0) }] },
      { id: "ETH", vol: "0.6", sources: [{ id: "a", price: "1000", time: at(0) }] },
    ],
    instruments: [{ ...BTC_PERP }, { id: "ETHUSDT", kind: "perp", underlying: "ETH", lotSize: "0.01", mark: "1000", tiers: [{ upTo: "1000000", imf: "0.02", mmf: "0.01" }] }],
    accounts: [
      { id: "eth-long", mode: "standard", collateral: { USD: "200" }, positions: [{ instrument: "ETHUSDT", qty: "10", entry: "1015" }] },
      { id: "btc-long", mode: "standard", collateral: { USD: "500" }, positions: [{ instrument: "BTCUSDT", qty: "1", entry: "20000" }] },
    ],
  };
  const engine = await MarginEngine.fromVenue(venue);
  assert.is(engine.underlyingIndex("BTC"), 2_000_000_000_000n);
  // a bad print 25 % below is dropped by the deviation filter: the index stays the median of the rest
  engine.setPrice("BTC", "15000", t0 + 10_000, "b");
  assert.is(engine.underlyingIndex("BTC"), 1_999_500_000_000n);
  assert.is(engine.account("btc-long").status, "healthy");
  engine.setPrice("BTC", "20005", t0 + 20_000, "b");
  // ETH's only feed falls silent: after maxPriceAge (60 s) ETH is stale
  engine.setPrice("BTC", "20000", t0 + 61_000, "a");
  engine.setPrice("BTC", "20000", t0 + 61_000, "c");
  assert.equal(engine.staleUnderlyings(), ["ETH"]);
  const queue = engine.liquidationQueue().queue;
  const eth = queue.find((q) => q.id === "eth-long");
  assert.ok(eth && eth.deferred && eth.orders.length === 0, "the exposed account is reported, deferred, with no orders");
  const adding = engine.checkOrder({ account: "eth-long", instrument: "ETHUSDT", qty: "1", price: "1000" });
  assert.equal([adding.accepted, adding.reason], [false, "STALE_PRICE"]);
  const reducing = engine.checkOrder({ account: "eth-long", instrument: "ETHUSDT", qty: "-5", price: "1000" });
  assert.equal([reducing.accepted, reducing.reason], [true, null]);
  // out-of-order, non-finite and non-positive prices are rejected and change nothing
  const bytes = engine.snapshot();
  expectMarginError(() => engine.setPrice("BTC", "20000", t0 + 1_000, "a"), { code: "OUT_OF_RANGE", field: "timestamp" });
  expectMarginError(() => engine.setPrice("BTC", "-1", t0 + 90_000, "a"), { code: "OUT_OF_RANGE", field: "price" });
  expectMarginError(() => engine.setPrice("BTC", "NaN", t0 + 90_000, "a"), { code: "INVALID_NUMBER", field: "price" });
  expectMarginError(() => engine.setPrice("BTC", "20000", Number.NaN, "a"), { code: "INVALID_NUMBER", field: "timestamp" });
  assert.equal(engine.snapshot(), bytes);
  // the feed returns: ETH is fresh again and the account is liquidated for real
  engine.setPrice("ETH", "1000", t0 + 70_000, "a");
  assert.equal(engine.staleUnderlyings(), []);
  const entry = engine.liquidationQueue().queue.find((q) => q.id === "eth-long");
  assert.ok(entry && !entry.deferred && entry.orders.length > 0);
});

test("checkOrder never mutates, checkOrderRaw agrees, and the figures are those of the order really applied", async () => {
  let checked = 0;
  for (let seed = 701; seed <= 706; seed++) {
    const venue = await generatedVenue(seed, 60, "1000000");
    const engine = await MarginEngine.fromVenue(venue);
    const bytes = engine.snapshot();
    const stored = engine.riskColumns();
    for (const account of venue.accounts.slice(0, 25)) {
      const instrument = venue.instruments[(checked * 7) % venue.instruments.length];
      const lots = BigInt(((checked * 13) % 9) - 4 || 1);
      const order = { account: account.id, instrument: instrument.id, qty: formatDecimal(lots * parseDecimal(instrument.lotSize, 8), 8), price: instrument.mark };
      let check;
      try {
        check = engine.checkOrder(order);
      } catch (error) {
        if (!(error instanceof MarginError)) throw error;
        assert.is(error.code, "OUT_OF_RANGE");
        continue;
      }
      checked++;
      const raw = engine.checkOrderRaw(venue.accounts.indexOf(account), engine.instrumentIndex(instrument.id), Number(lots), parseDecimal(instrument.mark, 8));
      assert.equal(raw, { ...check, initialMarginBefore: money(check.initialMarginBefore), initialMarginAfter: money(check.initialMarginAfter), equityAfter: money(check.equityAfter) });
      const before = money(check.initialMarginBefore), after = money(check.initialMarginAfter), equity = money(check.equityAfter);
      const status = engine.account(account.id).status;
      const expected = equity >= after || (after <= before && status !== "bankrupt");
      if (check.reason !== "OVER_TIER_LIMIT") assert.is(check.accepted, expected, `${seed} ${account.id}`);
      // apply the same fill for real on a copy: the same IM and equity result
      const copy = await MarginEngine.restore(bytes);
      const held = venue.accounts.find((a) => a.id === account.id).positions.find((p) => p.instrument === instrument.id);
      const heldRaw = held ? parseDecimal(held.qty, 8) : 0n;
      const entry = held ? held.entry : instrument.mark;
      copy.setPosition(account.id, instrument.id, formatDecimal(heldRaw + parseDecimal(order.qty, 8), 8), entry);
      const real = copy.accountRaw(account.id);
      assert.is(real.initialMargin, after, `${seed} ${account.id}: IM after`);
    }
    assert.equal(engine.snapshot(), bytes, `seed ${seed}: snapshot bytes unchanged`);
    assert.equal(engine.riskColumns(), stored, `seed ${seed}: stored results unchanged`);
  }
  assert.ok(checked > 60, `${checked} orders checked`);
});

test("checkOrderRaw names the bad argument", async () => {
  const venue = await generatedVenue(709, 10, "1000000");
  const engine = await MarginEngine.fromVenue(venue);
  const bytes = engine.snapshot();
  for (const [args, code, field] of [
    [[-1, 0, 1, 100n], "UNKNOWN_ID", "order.account"],
    [[10, 0, 1, 100n], "UNKNOWN_ID", "order.account"],
    [[0, 9999, 1, 100n], "UNKNOWN_ID", "order.instrument"],
    [[0, 0, 1.5, 100n], "NOT_WHOLE_LOTS", "order.qty"],
    [[0, 0, 900_000_001, 100n], "OUT_OF_RANGE", "order.qty"],
    [[0, 0, 1, 0n], "OUT_OF_RANGE", "order.price"],
    // a value of the wrong type is named as such: account 0 exists, and 100 is no raw price
    [["0", 0, 1, 100n], "MALFORMED", "order.account"],
    [[0, "0", 1, 100n], "MALFORMED", "order.instrument"],
    [[0, 0, 1n, 100n], "MALFORMED", "order.qty"],
    [[0, 0, 1, 100], "MALFORMED", "order.price"],
    [[0, 0, 1, "100"], "MALFORMED", "order.price"],
  ]) {
    expectMarginError(() => engine.checkOrderRaw(...args), { code, field, label: String(args) });
  }
  assert.equal(engine.snapshot(), bytes);
});

test.run();
