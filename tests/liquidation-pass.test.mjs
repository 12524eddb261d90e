// The liquidation pass against its twin (tests/reference/liquidation-pass.mjs): partial liquidation
// within caps and depth, close-outs, loans repaid from collateral, deficits settled by the fund,
// ADL and write-off, pass after pass as prices fall — every trade, fee, fill and resulting book
// bit-exact. Σ equity + fund moves by exactly the haircut released and the bad debt written off.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { MarginEngine } from "../build/index.js";
import { liquidationVenue } from "./reference/liquidation-venue.mjs";
import { referencePass } from "./reference/liquidation-pass.mjs";
import { formatDecimal, parseDecimal } from "./reference/decimal.mjs";

const money = (s) => parseDecimal(s, 6);
const m = (x) => formatDecimal(x, 6), p8 = (x) => formatDecimal(x, 8);
const tables = (engine) => ({ optionModelValue: (id) => engine.optionModelValue(id), riskArray: (id) => engine.riskArray(id), grid: (u) => engine.scenarioGrid(u) });
const wealth = (engine) => engine.runningTotals().equity + engine.fundRaw();

/** The twin's pass in the engine's report shape. */
function expectedReport(venue, twin) {
  const lots = (id, n) => p8(n * parseDecimal(venue.instruments.find((i) => i.id === id).lotSize, 8));
  return twin.entries.map((e) => ({
    id: e.id,
    orders: [
      ...e.orders.map((o) => ({ instrument: o.instrument, qty: lots(o.instrument, o.lots), price: p8(o.price) })),
      ...e.trades.map((t) => ({ asset: t.asset, qty: p8(t.amount), price: p8(t.price) })),
    ],
    fee: m(e.fee), priceImpact: m(e.impact), collateralDiscount: m(e.discount), bankruptcy: e.bankruptcy, cutShort: e.cutShort, skipped: e.skipped,
    deficit: m(e.deficit), insurancePaid: m(e.fundPaid),
    adl: e.adl.map((f) => ({ account: f.account, instrument: f.instrument, qty: lots(f.instrument, f.lots), price: p8(f.price), amount: m(f.amount), equityBefore: m(f.equityBefore), equityAfter: m(f.equityAfter) })),
    uncoveredDeficit: m(e.uncovered),
  }));
}
const KEYS = ["id", "orders", "fee", "priceImpact", "collateralDiscount", "bankruptcy", "cutShort", "skipped", "deficit", "insurancePaid", "adl", "uncoveredDeficit"];
const shape = (queue) => queue.map((q) => Object.fromEntries(KEYS.map((k) => [k, q[k]])));

/** Books in a comparable form: balances and positions sorted, decimals canonical. */
const books = (accounts) => accounts.map((a) => ({
  id: a.id,
  collateral: Object.entries(a.collateral).map(([k, v]) => [k, p8(parseDecimal(v, 8))]).sort(),
  positions: a.positions.map((x) => [x.instrument, p8(parseDecimal(x.qty, 8)), p8(parseDecimal(x.entry, 8))]).sort(),
}));

/** Moves every underlying by `factor` (its marks follow through the guard) on the engine and the twin's venue. */
function move(engine, venue, factor, time) {
  for (const u of venue.underlyings) {
    const spot = p8((parseDecimal(u.spot, 8) * factor) / 1000n);
    u.spot = spot;
    engine.setPrice(u.id, spot, time);
  }
}

test("every pass equals the twin's: trades, fees, impact, caps, collateral, deficits, ADL and books (three passes a venue)", async () => {
  const seen = { entries: 0, trades: 0, fills: 0, deficits: 0, cutShort: 0, skipped: 0, written: 0, passes: 0 };
  for (let seed = 1; seed <= 36; seed++) {
    const venue = liquidationVenue(seed, { accounts: seed % 3 === 0 ? 30 : 45, options: seed % 4 === 0 });
    const engine = await MarginEngine.fromVenue(venue);
    let time = Date.parse(venue.now), state = venue;
    for (const factor of [1000n, 960n, 930n]) {
      if (factor !== 1000n) move(engine, state, factor, (time += 1000));
      const twin = referencePass(state, tables(engine));
      const bytes = engine.snapshot(), before = wealth(engine);
      const plan = engine.liquidationQueue();
      assert.equal(engine.snapshot(), bytes, `seed ${seed}: planning changes nothing`);
      const pass = engine.liquidate();
      assert.equal(pass, plan, `seed ${seed}: the pass does what was planned`);
      assert.equal(shape(pass.queue), expectedReport(state, twin), `seed ${seed} ×${factor}: entries`);
      assert.equal(pass.skipped.map((s) => s.account), twin.skipped, `seed ${seed}: skipped`);
      assert.equal(
        [pass.fundBefore, pass.insuranceFund, pass.feesPaid, pass.priceImpact, pass.collateralDiscounts, pass.insurancePaid, pass.socializedLoss, pass.badDebt, pass.haircutReleased, pass.liquidatedNotional],
        [twin.fundBefore, twin.fundAfter, twin.feesPaid, twin.impactPaid, twin.discountsPaid, twin.fundPaid, twin.socializedLoss, twin.badDebt, twin.haircutReleased, twin.liquidatedNotional].map(m),
        `seed ${seed}: pass totals`,
      );
      assert.equal(books(engine.toVenue().accounts), books(twin.venue.accounts), `seed ${seed}: books after the pass`);
      assert.is(wealth(engine) - before, money(pass.haircutReleased) + money(pass.badDebt), `seed ${seed}: Σ equity + fund moves by the haircut released and the bad debt only`);
      state = { ...twin.venue, underlyings: state.underlyings };
      seen.passes++;
      seen.entries += pass.queue.length;
      seen.trades += pass.queue.reduce((n, q) => n + q.orders.filter((o) => o.asset).length, 0);
      seen.fills += pass.queue.reduce((n, q) => n + q.adl.length, 0);
      seen.deficits += pass.queue.filter((q) => q.deficit !== "0").length;
      seen.cutShort += pass.queue.filter((q) => q.cutShort).length;
      seen.skipped += pass.skipped.length;
      seen.written += pass.queue.filter((q) => q.uncoveredDeficit !== "0").length;
    }
  }
  assert.ok(seen.entries > 900 && seen.trades > 250 && seen.fills > 90 && seen.deficits > 150 && seen.cutShort > 300 && seen.skipped > 0 && seen.written > 0, JSON.stringify(seen));
});

test("caps and depths that never bind change no trade, fee, price or book", async () => {
  const unbounded = "1000000000000";
  let entries = 0, traded = 0, skipped = 0;
  for (let seed = 1; seed <= 30; seed++) {
    const venue = liquidationVenue(seed, { accounts: 40, options: seed % 2 === 0 });
    const { maxLiquidationNotionalPerAccount, maxLiquidationNotionalPerPass, ...params } = venue.params;
    const plain = { ...venue, params, instruments: venue.instruments.map(({ liquidity, ...row }) => row) };
    const limited = {
      ...plain,
      params: { ...params, maxLiquidationNotionalPerAccount: unbounded, maxLiquidationNotionalPerPass: unbounded },
      instruments: plain.instruments.map((row) => ({ ...row, liquidity: { notional: unbounded, slippage: "0" } })),
    };
    const [free, capped] = [await MarginEngine.fromVenue(plain), await MarginEngine.fromVenue(limited)];
    let time = Date.parse(venue.now);
    const states = [structuredClone(plain), structuredClone(limited)];
    for (const factor of [1000n, 950n, 900n]) {
      time += 1000;
      if (factor !== 1000n) [free, capped].forEach((engine, k) => move(engine, states[k], factor, time));
      const [a, b] = [free.liquidate(), capped.liquidate()];
      assert.equal(a, b, `seed ${seed} ×${factor}: the same pass`);
      assert.equal(books(free.toVenue().accounts), books(capped.toVenue().accounts), `seed ${seed} ×${factor}: the same books`);
      assert.is(free.fundRaw(), capped.fundRaw(), `seed ${seed} ×${factor}: the same fund`);
      entries += a.queue.length;
      traded += a.queue.filter((q) => q.orders.some((o) => o.instrument)).length;
      skipped += a.skipped.length;
    }
  }
  assert.ok(entries > 400 && traded > 300 && skipped > 0, JSON.stringify({ entries, traded, skipped }));
});

test.run();
