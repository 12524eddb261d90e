// The liquidation pass against its twin (tests/reference/liquidation-pass.mjs): partial liquidation
// within caps and depth, close-outs, loans repaid from collateral, deficits settled by the fund,
// ADL and write-off, pass after pass as prices fall — every trade, fee, fill and resulting book
// bit-exact. Σ equity + fund moves by exactly the haircut released and the bad debt written off.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { MarginEngine } from "../build/index.js";
import { liquidationVenue } from "./reference/liquidation-venue.mjs";
import { referencePass } from "./reference/liquidation-pass.mjs";
import { cashFor, edgeLiquidationVenue } from "./reference/edge-liquidation-venue.mjs";
import { formatDecimal, parseDecimal } from "./reference/decimal.mjs";
import { engineTables } from "./helpers/engine-tables.mjs";

const money = (s) => parseDecimal(s, 6);
const m = (x) => formatDecimal(x, 6), p8 = (x) => formatDecimal(x, 8);
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
      // every other venue's last pass is paged: a skipped entry is not one of the `limit` taken up
      const limit = factor === 930n && seed % 2 === 1 ? 3 : Infinity;
      const twin = referencePass(state, engineTables(engine), { limit });
      const bytes = engine.snapshot(), before = wealth(engine);
      const plan = engine.liquidationQueue({ limit });
      assert.equal(engine.snapshot(), bytes, `seed ${seed}: planning changes nothing`);
      const pass = engine.liquidate({ limit });
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

/**
 * A one-instrument venue at the edges of docs/limits.md: prices up to 10^10, lot sizes from 10^-8
 * to 10^4, depths from one µ-unit to 10^12 with slippage up to 0.999999999, the largest fee and
 * buffer, caps from one µ-unit up — every product the pass forms near its 128-bit bound.
 */
function edgeVenue({ spot, lotSize, qty, entry, usd, depth, slippage, caps = {} }) {
  const book = (id, sign, cash) => ({ id, collateral: { USD: cash }, positions: [{ instrument: "X-PERP", qty: sign + qty, entry }] });
  return {
    now: "2026-11-24T00:00:00Z", settlement: "USD",
    params: { maxMarkDeviation: "0.05", liquidationFee: "0.1", liquidationBuffer: "10", ...caps },
    assets: [{ id: "USD", price: "1", haircut: "0" }],
    underlyings: [{ id: "X", spot, vol: "0.5", rate: "0" }],
    instruments: [{
      id: "X-PERP", kind: "perp", underlying: "X", lotSize, mark: spot,
      tiers: [{ upTo: "10000000000", imf: "0.1", mmf: "0.05" }], liquidity: { notional: depth, slippage },
    }],
    accounts: [book("long", "", usd), book("short", "-", usd), book("broke", "", "1"), book("shortBroke", "-", "1")],
    // room under the fund's limit for the fees of three passes (a fee is at most 10 % of 10^10)
    insuranceFund: "900000000000",
  };
}

test("at the limits: trades, impact against depth, caps and books equal the twin's", async () => {
  const venues = [
    edgeVenue({ spot: "9000000000", lotSize: "0.001", qty: "1.1", entry: "9090000000", usd: "500000000", depth: "1000000000000", slippage: "0.999999999" }),
    edgeVenue({ spot: "9000000000", lotSize: "0.001", qty: "1.1", entry: "9090000000", usd: "500000000", depth: "3000000000", slippage: "0.5" }),
    edgeVenue({ spot: "9700000000", lotSize: "0.001", qty: "0.999", entry: "9999999999", usd: "100000000", depth: "0.000001", slippage: "0.999999999" }),
    edgeVenue({ spot: "0.5", lotSize: "10000", qty: "1990000", entry: "0.51", usd: "60000", depth: "999999999999.999999", slippage: "0.000000001" }),
    edgeVenue({ spot: "0.000001", lotSize: "10000", qty: "9000000", entry: "0.000002", usd: "5", depth: "1", slippage: "0.9" }),
    edgeVenue({
      spot: "123456789.12345678", lotSize: "0.0001", qty: "0.08", entry: "125000000", usd: "500000", depth: "1000000000000", slippage: "0.3",
      caps: { maxLiquidationNotionalPerAccount: "1000000000000", maxLiquidationNotionalPerPass: "7777777.777777" },
    }),
    // caps letting exactly 482 and 1,487 lots through where the quotient in doubles comes out just below 482 and at 1,488
    edgeVenue({
      spot: "748514.197", lotSize: "0.82514", qty: "2475.42", entry: "760000", usd: "100000000", depth: "1000000000000", slippage: "0.1",
      caps: { maxLiquidationNotionalPerAccount: "919031958.714719" },
    }),
    edgeVenue({
      spot: "295345.5", lotSize: "0.06123", qty: "91.845", entry: "300000", usd: "1000000", depth: "1000000000000", slippage: "0.1",
      caps: { maxLiquidationNotionalPerAccount: "8716490.39313" },
    }),
    edgeVenue({
      spot: "65000", lotSize: "0.001", qty: "1.5", entry: "66000", usd: "4000", depth: "1000000000000", slippage: "0.999999999",
      caps: { maxLiquidationNotionalPerAccount: "0.000001" },
    }),
  ];
  let traded = 0, impact = 0, cut = 0;
  for (const [k, venue] of venues.entries()) {
    const engine = await MarginEngine.fromVenue(venue);
    let time = Date.parse(venue.now), state = venue;
    // prices stay within (0, 10^10] through both moves
    for (const factor of [1000n, 970n, 1030n]) {
      if (factor !== 1000n) move(engine, state, factor, (time += 1000));
      const twin = referencePass(state, engineTables(engine));
      const pass = engine.liquidate();
      assert.equal(shape(pass.queue), expectedReport(state, twin), `venue ${k} ×${factor}: entries`);
      assert.equal(pass.skipped.map((s) => s.account), twin.skipped, `venue ${k} ×${factor}: skipped`);
      assert.equal(books(engine.toVenue().accounts), books(twin.venue.accounts), `venue ${k} ×${factor}: books`);
      state = { ...twin.venue, underlyings: state.underlyings };
      traded += pass.queue.filter((q) => q.orders.length > 0).length;
      impact += pass.queue.filter((q) => q.priceImpact !== "0").length;
      cut += pass.queue.filter((q) => q.cutShort).length;
    }
  }
  assert.ok(traded >= 10 && impact >= 5 && cut >= 2, JSON.stringify({ traded, impact, cut }));
});

/** Balances of `count` assets named `prefix`k at `price`, each holding `amount`, for a venue's assets and an account's collateral. */
function balances(prefix, count, price, amount, extra = {}) {
  const assets = Array.from({ length: count }, (_, k) => ({ id: `${prefix}${k}`, price, haircut: "0", ...extra }));
  return { assets, collateral: Object.fromEntries(assets.map((a) => [a.id, amount])) };
}

test("an MM near its limit with the largest buffer (MM × 11 past the i64 range): the pass still equals the twin's", async () => {
  const now = "2026-11-24T00:00:00Z", usd = { id: "USD", price: "1", haircut: "0" };
  const perp = (id, underlying, mark) => ({ id, kind: "perp", underlying, lotSize: "1", mark, tiers: [{ upTo: "10000000000", imf: "0.1", mmf: "0.05" }] });
  // portfolio: ten balances of 10^11 against five loans of an asset with a 0.9 haircut
  const held = balances("P", 10, "1000", "100000000"), loans = balances("L", 5, "100", "-1000000000", { haircut: "0.9", underlying: "U" });
  const portfolio = {
    now, settlement: "USD", params: { liquidationBuffer: "10", priceScan: "1", extremeMultiple: "1", maxLiquidationNotionalPerAccount: "500" },
    assets: [usd, ...held.assets, ...loans.assets],
    underlyings: [{ id: "U", spot: "100", vol: "0.5", rate: "0" }, { id: "V", spot: "100", vol: "0.5", rate: "0" }],
    instruments: [perp("V-PERP", "V", "100")],
    accounts: [{ id: "big", mode: "portfolio", collateral: { USD: "1000", ...held.collateral, ...loans.collateral }, positions: [{ instrument: "V-PERP", qty: "10", entry: "100" }] }],
    insuranceFund: "0",
  };
  // standard: 45 short deep in-the-money calls charged at optMm 1
  const calls = Array.from({ length: 45 }, (_, k) => {
    const strike = ((k + 1) / 100).toFixed(2);
    return { id: `C${k}`, kind: "option", underlying: "U", right: "call", strike, expiry: "2027-03-26T08:00:00Z", lotSize: "10000", mark: (10000 - Number(strike)).toFixed(2) };
  });
  const gold = balances("G", 6, "1000", "100000000");
  const standard = {
    now, settlement: "USD", params: { liquidationBuffer: "10", optMm: "1", optIm: "1", optImMin: "1", maxLiquidationNotionalPerAccount: "1000000" },
    assets: [usd, ...gold.assets], underlyings: [{ id: "U", spot: "10000", vol: "0.5", rate: "0" }], instruments: [...calls, perp("P", "U", "10000")],
    accounts: [{
      id: "whale", mode: "standard", collateral: { USD: "1000000000", ...gold.collateral },
      positions: [...calls.map((c) => ({ instrument: c.id, qty: "-990000", entry: "10000" })), { instrument: "P", qty: "10", entry: "10000" }],
    }],
    insuranceFund: "0",
  };
  for (const [name, venue] of [["portfolio", portfolio], ["standard", standard]]) {
    const engine = await MarginEngine.fromVenue(venue);
    const account = engine.accountRaw(venue.accounts[0].id);
    assert.ok(account.maintenanceMargin * 11n > (2n ** 63n - 1n) && account.status === "liquidatable", `${name}: ${account.maintenanceMargin}`);
    const twin = referencePass(venue, engineTables(engine));
    const pass = engine.liquidate();
    assert.equal(shape(pass.queue), expectedReport(venue, twin), `${name}: entries`);
    assert.equal(books(engine.toVenue().accounts), books(twin.venue.accounts), `${name}: books`);
    assert.ok(pass.queue[0].cutShort && pass.queue[0].orders.length > 0, `${name}: the cap, not a one-lot trade, ends the entry`);
  }
});

const EDGE_VENUES = 120 * Number(process.env.MARGIN_FUZZ_SCALE ?? 1);

test(`${EDGE_VENUES} random venues at the edges of the limits, three passes each: entries, skips, totals and books equal the twin's`, async () => {
  const seen = { entries: 0, partial: 0, bankrupt: 0, cutShort: 0, impact: 0, skipped: 0, adl: 0, settledOpen: 0 };
  for (let seed = 1; seed <= EDGE_VENUES; seed++) {
    const { venue, targets, moves } = edgeLiquidationVenue(seed);
    const probe = await MarginEngine.fromVenue(venue);
    venue.accounts.forEach((account, k) => {
      const { equity, maintenanceMargin } = probe.accountRaw(account.id);
      account.collateral = cashFor(venue, targets[k], BigInt(equity), BigInt(maintenanceMargin));
    });
    const engine = await MarginEngine.fromVenue(venue);
    let time = Date.parse(venue.now), state = venue;
    for (const factor of moves) {
      if (factor !== 1000n) move(engine, state, factor, (time += 1000));
      const twin = referencePass(state, engineTables(engine));
      const pass = engine.liquidate();
      assert.equal(shape(pass.queue), expectedReport(state, twin), `seed ${seed} ×${factor}: entries`);
      assert.equal(pass.skipped.map((s) => s.account), twin.skipped, `seed ${seed} ×${factor}: skipped`);
      assert.equal([pass.insuranceFund, pass.socializedLoss, pass.badDebt], [twin.fundAfter, twin.socializedLoss, twin.badDebt].map(m), `seed ${seed} ×${factor}: totals`);
      assert.equal(books(engine.toVenue().accounts), books(twin.venue.accounts), `seed ${seed} ×${factor}: books`);
      state = { ...twin.venue, underlyings: state.underlyings };
      for (const q of pass.queue) {
        seen.entries++;
        if (q.orders.some((o) => o.instrument)) seen[q.bankruptcy ? "bankrupt" : "partial"]++;
        if (q.cutShort) seen.cutShort++;
        if (q.cutShort && q.deficit !== "0") seen.settledOpen++;
        if (q.priceImpact !== "0") seen.impact++;
        seen.adl += q.adl.length;
      }
      seen.skipped += pass.skipped.length;
    }
  }
  const scale = EDGE_VENUES / 120;
  assert.ok(
    seen.partial > 100 * scale && seen.bankrupt > 50 * scale && seen.cutShort > 100 * scale && seen.impact > 30 * scale && seen.skipped > 0 && seen.adl > 0 && seen.settledOpen > 0,
    JSON.stringify(seen),
  );
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

test("a partial liquidation closes the fewest lots that restore even when the whole close would not: price impact grows past the slack's peak", async () => {
  // 100 lots long at 100, marked 90, MM 900 against equity 850: closing k lots at 10 % slippage over
  // the whole depth costs 0.09 k² of impact and saves 9 k of MM, so 6 lots restore and 100 bankrupt
  const venue = {
    now: "2026-11-24T00:00:00Z", params: { liquidationFee: "0", liquidationBuffer: "0" },
    assets: [{ id: "USD", price: "1", haircut: "0" }], underlyings: [{ id: "X", spot: "90", vol: "0.5" }],
    instruments: [{ id: "P", kind: "perp", underlying: "X", lotSize: "1", mark: "90", tiers: [{ upTo: "10000000000", imf: "0.2", mmf: "0.1" }], liquidity: { notional: "9000", slippage: "0.1" } }],
    accounts: [{ id: "a", collateral: { USD: "1850" }, positions: [{ instrument: "P", qty: "100", entry: "100" }] }],
  };
  const engine = await MarginEngine.fromVenue(venue);
  const twin = referencePass(venue, engineTables(engine));
  const [entry] = engine.liquidate().queue;
  assert.equal(entry.orders, [{ instrument: "P", qty: "-6", price: "89.46" }]);
  assert.equal([entry.priceImpact, entry.deficit, engine.account("a").status], ["3.24", "0", "restricted"]);
  assert.equal(twin.entries[0].orders.map((o) => [o.instrument, o.lots]), [["P", -6n]]);
  // one lot fewer does not restore: 95 lots left, and equity 850 less 5 lots' impact of 2.25
  const five = await MarginEngine.fromVenue({ ...venue, accounts: [{ id: "a", collateral: { USD: "1797.75" }, positions: [{ instrument: "P", qty: "95", entry: "100" }] }] });
  assert.equal([five.accountRaw("a").equity, five.accountRaw("a").status], [847_750_000n, "liquidatable"]);
});

test("a close whose fee the equity cannot pay in full does not restore: the fewest lots whose fees are paid and MM met go instead", async () => {
  // 100 lots marked 100, the first 8,000 of notional at 0.01 % MM and the rest at 12 %; a fee of
  // 10 %: closing all 100 costs a fee of 1,000 against equity 210, while 16 lots cost 160 and leave
  // MM 48.8 against equity 50
  const venue = (usd, qty) => ({
    now: "2026-11-24T00:00:00Z", params: { liquidationFee: "0.1", liquidationBuffer: "0" },
    assets: [{ id: "USD", price: "1", haircut: "0" }], underlyings: [{ id: "X", spot: "100", vol: "0.5" }],
    instruments: [{ id: "P", kind: "perp", underlying: "X", lotSize: "1", mark: "100", tiers: [{ upTo: "8000", imf: "0.0001", mmf: "0.0001" }, { upTo: "10000000000", imf: "0.12", mmf: "0.12" }] }],
    accounts: [{ id: "a", collateral: { USD: usd }, positions: [{ instrument: "P", qty, entry: "100" }] }],
  });
  const engine = await MarginEngine.fromVenue(venue("210", "100"));
  const twin = referencePass(venue("210", "100"), engineTables(engine));
  const [entry] = engine.liquidate().queue;
  assert.equal([entry.orders, entry.fee, engine.account("a").status], [[{ instrument: "P", qty: "-16", price: "100" }], "160", "healthy"]);
  assert.equal(twin.entries[0].orders.map((o) => [o.instrument, o.lots]), [["P", -16n]]);
  // 15 lots leave MM 60.8 against equity 60
  const fifteen = await MarginEngine.fromVenue(venue("60", "85"));
  assert.equal([fifteen.accountRaw("a").maintenanceMargin, fifteen.accountRaw("a").status], [60_800_000n, "liquidatable"]);
});

test.run();
