// The liquidation rules one at a time on venues small enough to work out by hand
// (docs/methodology.md §10): a loan repaid from collateral, a deficit paid once, a whale settled,
// caps and depth carried to the next pass, ADL that stops at an opponent's margin, the fund
// filled by every fee of the pass before any ADL, and the liquidation price of a loan.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { MarginEngine } from "../build/index.js";
import { parseDecimal } from "./reference/decimal.mjs";
import { expectMarginError } from "./helpers/margin-error.mjs";
import { referencePass } from "./reference/liquidation-pass.mjs";
import { engineTables } from "./helpers/engine-tables.mjs";

const money = (s) => parseDecimal(s, 6);
const wealth = (engine) => engine.runningTotals().equity + engine.fundRaw();
const NOW = "2026-11-24T00:00:00Z";
const T0 = Date.parse(NOW);
const BTC = { id: "BTC", spot: "50000", vol: "0.5" };
const BTC_ASSET = { id: "BTC", price: "50000", haircut: "0.05", underlying: "BTC" };
const PERP = { id: "BTC-PERP", kind: "perp", underlying: "BTC", lotSize: "0.001", mark: "50000", tiers: [{ upTo: "10000000000", imf: "0.01", mmf: "0.005" }] };
const inQueue = (engine, id) => Array.from(engine.queueOrder().accounts).includes(engine.toVenue().accounts.findIndex((a) => a.id === id));

test("a loan against collateral is repaid by a collateral sale at index × 0.98, and the account leaves the queue", async () => {
  const venue = {
    now: NOW, assets: [BTC_ASSET], underlyings: [BTC], insuranceFund: "0",
    accounts: [
      // portfolio: equity 47,500 − 40,000 = 7,500 against the −16 % shock of its BTC, 7,600: liquidatable
      { id: "loan", mode: "portfolio", collateral: { BTC: "1", USD: "-40000" } },
      // standard: 47,500 − 48,000 = −500: bankrupt by haircut, yet its BTC sells for more than the loan
      { id: "thin", mode: "standard", collateral: { BTC: "1", USD: "-48000" } },
    ],
  };
  const engine = await MarginEngine.fromVenue(venue);
  assert.equal([engine.account("loan").status, engine.account("thin").status], ["liquidatable", "bankrupt"]);
  const before = wealth(engine);
  const pass = engine.liquidate();
  const [thin, loan] = pass.queue;
  // 40,000 / 49,000 BTC rounded up to 1e-8: 0.81632654 BTC, proceeds ⌊0.81632654 × 49,000⌋ = 40,000.00046
  assert.equal(loan.orders, [{ asset: "BTC", qty: "-0.81632654", price: "49000" }]);
  assert.is(loan.collateralDiscount, "816.32654");
  assert.equal(thin.orders, [{ asset: "BTC", qty: "-0.97959184", price: "49000" }]);
  assert.is(thin.bankruptcy, true);
  assert.is(thin.deficit, "0", "the sale covers the loan: no deficit for the fund");
  assert.equal(engine.toVenue().accounts.map((a) => a.collateral), [{ USD: "0.00046", BTC: "0.18367346" }, { USD: "0.00016", BTC: "0.02040816" }]);
  assert.is(engine.account("loan").equity, "8724.48981");
  assert.is(engine.account("loan").status, "healthy");
  assert.is(engine.account("thin").status, "healthy");
  // the haircut released is 5 % of what was sold at the index: (0.81632654 + 0.97959184) × 50,000 × 0.05
  assert.is(pass.haircutReleased, "4489.79595");
  assert.is(wealth(engine) - before, money(pass.haircutReleased));
  engine.setPrice("BTC", "45000", T0 + 1000);
  assert.is(engine.liquidationQueue().queue.length, 0, "no loan is left to liquidate");
});

test("a bankrupt account's deficit is settled once: loans closed out, the fund pays, and it never returns", async () => {
  const venue = {
    now: NOW, assets: [BTC_ASSET], underlyings: [BTC], instruments: [PERP], insuranceFund: "10000",
    accounts: [
      // 47,500 − 52,000 − 1,000 (long 1 BTC from 51,000) = −5,500
      { id: "bust", collateral: { BTC: "1", USD: "-52000" }, positions: [{ instrument: "BTC-PERP", qty: "1", entry: "51000" }] },
      { id: "other", collateral: { USD: "100000" }, positions: [{ instrument: "BTC-PERP", qty: "-1", entry: "51000" }] },
    ],
  };
  const engine = await MarginEngine.fromVenue(venue);
  const pass = engine.liquidate();
  const [entry] = pass.queue;
  assert.equal(entry.orders, [{ instrument: "BTC-PERP", qty: "-1", price: "50000" }, { asset: "BTC", qty: "-1", price: "49000" }]);
  // cash −52,000 − 1,000 + 49,000 = −4,000: the deficit; the fund had 10,000 + the 1,000 discount
  assert.equal([entry.deficit, entry.insurancePaid, entry.uncoveredDeficit, pass.insuranceFund], ["4000", "4000", "0", "7000"]);
  assert.equal(engine.toVenue().accounts[0], { id: "bust", mode: "standard", collateral: {}, positions: [] });
  let paid = money(pass.insurancePaid);
  for (const [k, price] of ["47000", "43000", "52000", "38000"].entries()) {
    engine.setPrice("BTC", price, T0 + 1000 * (k + 1));
    const later = engine.liquidate();
    assert.not.ok(later.queue.some((q) => q.id === "bust"), `tick ${k}: settled once`);
    paid += money(later.insurancePaid);
  }
  assert.is(paid, 4_000_000_000n, "the fund paid the deficit once");
});

/** An account inside every per-field limit whose close-out would leave its USD balance past −1e10. */
const WHALE = {
  now: NOW, assets: [{ ...BTC_ASSET, price: "65000" }], underlyings: [{ ...BTC, spot: "65000" }], insuranceFund: "1000000",
  instruments: [{ ...PERP, mark: "65000", tiers: [{ upTo: "10000000000", imf: "0.02", mmf: "0.01" }] }],
  accounts: [
    { id: "whale", collateral: { USD: "-9000000000" }, positions: [{ instrument: "BTC-PERP", qty: "120000", entry: "80000" }] },
    { id: "small", collateral: { USD: "100" }, positions: [{ instrument: "BTC-PERP", qty: "1", entry: "66000" }] },
    { id: "under", collateral: { USD: "600" }, positions: [{ instrument: "BTC-PERP", qty: "1", entry: "65000" }] },
    { id: "short", collateral: { USD: "100000" }, positions: [{ instrument: "BTC-PERP", qty: "-2", entry: "70000" }] },
  ],
};

test("the whale venue: a close-out whose loss alone takes the balance past −1e10 is settled in the same pass, its cash in one write", async () => {
  const engine = await MarginEngine.fromVenue(WHALE);
  assert.is(engine.account("whale").status, "bankrupt");
  const before = wealth(engine);
  const plan = engine.liquidationQueue();
  const pass = engine.liquidate();
  assert.equal(pass, plan);
  assert.equal(pass.skipped, []);
  const [whale] = pass.queue;
  // −9e9 − 120,000 × (80,000 − 65,000) = −1.08e10: no fee from a bankrupt equity, the whole deficit to settle
  assert.equal([whale.id, whale.bankruptcy, whale.orders], ["whale", true, [{ instrument: "BTC-PERP", qty: "-120000", price: "65000" }]]);
  assert.is(whale.deficit, "10800000000");
  // the fund (1,000,000 and the two other entries' fees) first, then ADL on "short", the rest written off
  assert.equal(whale.adl.map((f) => f.account), ["short"]);
  assert.is(money(whale.insurancePaid) + whale.adl.reduce((s, f) => s + money(f.amount), 0n) + money(whale.uncoveredDeficit), 10_800_000_000_000_000n);
  assert.equal(engine.toVenue().accounts[0], { id: "whale", mode: "standard", collateral: {}, positions: [] });
  assert.not.ok(inQueue(engine, "whale"), "settled: out of the queue");
  assert.is(wealth(engine) - before, money(pass.badDebt) + money(pass.haircutReleased));
  const tables = engineTables(engine);
  const twin = referencePass(WHALE, tables);
  assert.equal(twin.skipped, []);
  assert.equal(twin.entries.map((e) => [e.id, e.deficit, e.fundPaid, e.uncovered]), pass.queue.map((q) => [q.id, money(q.deficit), money(q.insurancePaid), money(q.uncoveredDeficit)]));
  const books = (accounts) => accounts.map((a) => [a.id, a.collateral, a.positions]);
  assert.equal(books(twin.venue.accounts), books(engine.toVenue().accounts));
  assert.equal(engine.liquidate().queue, []);
});

/** An account holding 16 assets and no USD, liquidatable: the loss its partial liquidation realizes would need a 17th balance. */
const STUCK = {
  ...WHALE,
  assets: [...WHALE.assets, ...Array.from({ length: 16 }, (_, k) => ({ id: `X${k}`, price: "100", haircut: "0" }))],
  accounts: [
    { id: "stuck", collateral: Object.fromEntries(Array.from({ length: 16 }, (_, k) => [`X${k}`, "10"])), positions: [{ instrument: "BTC-PERP", qty: "1", entry: "80500" }] },
    ...WHALE.accounts.slice(2),
  ],
};

test("a loan whose buy-back alone would pass the settlement limit is repaid: the trades' cash lands once, after the sale", async () => {
  const venue = {
    now: NOW, assets: [{ ...BTC_ASSET, price: "60000" }, { id: "ETH", price: "3000", haircut: "0.1" }], underlyings: [{ ...BTC, spot: "60000" }], instruments: [], insuranceFund: "0",
    // 4,500,000 ETH × 3,000 × 0.9 − 200,000 BTC × 60,000 × 1.05 = −450,000,000: bankrupt by haircut, no positions
    accounts: [{ id: "deep", collateral: { ETH: "4500000", BTC: "-200000" }, positions: [] }],
  };
  const engine = await MarginEngine.fromVenue(venue);
  assert.is(engine.account("deep").status, "bankrupt");
  const before = wealth(engine);
  const pass = engine.liquidate();
  // the buy-back costs 200,000 × 61,200 = 12,240,000,000 USD, past the 10^10 balance limit until the ETH sale pays for it
  assert.equal(pass.skipped, []);
  assert.equal(pass.queue[0].orders, [{ asset: "BTC", qty: "200000", price: "61200" }, { asset: "ETH", qty: "-4163265.30612245", price: "2940" }]);
  assert.equal(engine.toVenue().accounts[0].collateral, { USD: "0.000003", ETH: "336734.69387755" });
  assert.is(pass.queue[0].deficit, "0");
  assert.is(engine.account("deep").status, "healthy");
  assert.is(wealth(engine) - before, money(pass.haircutReleased));
  const tables = engineTables(engine);
  const twin = referencePass(venue, tables);
  assert.equal(twin.skipped, []);
  assert.equal(twin.venue.accounts[0].collateral, { ETH: "336734.69387755", USD: "0.000003" });

  // a close-out whose profit alone would take USD past +1e10 (5e9 + 150,000 × 45,000), landed with the BTC loan's buy-back
  const profit = {
    ...WHALE, accounts: [{ id: "profit", collateral: { USD: "5000000000", BTC: "-215000" }, positions: [{ instrument: "BTC-PERP", qty: "150000", entry: "20000" }] }],
  };
  const closing = await MarginEngine.fromVenue(profit);
  const wealthBefore = wealth(closing);
  const closed = closing.liquidate();
  assert.equal(closed.skipped, []);
  assert.equal(closed.queue[0].orders, [{ instrument: "BTC-PERP", qty: "-150000", price: "65000" }, { asset: "BTC", qty: "215000", price: "66300" }]);
  // 5e9 + 6.75e9 − 215,000 × 66,300: the fund (1,000,000 and the 279,500,000 discount) pays what it has, the rest is bad debt
  assert.equal([closed.queue[0].deficit, closed.insurancePaid, closed.badDebt], ["2504500000", "280500000", "2224000000"]);
  assert.equal(closing.toVenue().accounts[0].collateral, {});
  assert.is(wealth(closing) - wealthBefore, money(closed.haircutReleased) + money(closed.badDebt));
});

test("a fund at its limit: an entry whose fee would take it past 10^12 is skipped and put back, and snapshots still restore", async () => {
  const venue = { ...WHALE, accounts: WHALE.accounts.slice(2), insuranceFund: "999999999999.99" };
  const engine = await MarginEngine.fromVenue(venue);
  const before = engine.snapshot();
  const pass = engine.liquidate();
  assert.equal(pass.skipped, [{ account: "under", code: "OUT_OF_RANGE", message: "OUT_OF_RANGE at insuranceFund: the liquidation's fees would take the insurance fund beyond its limit (docs/limits.md)" }]);
  assert.equal(pass.queue.map((q) => [q.id, q.skipped, q.orders.length]), [["under", true, 0]]);
  assert.equal(engine.snapshot(), before, "nothing changed");
  assert.ok(inQueue(engine, "under"), "the account stays queued");
  // with room for the fee the same entry goes through, and the fund ends at most at its limit
  const roomy = await MarginEngine.fromVenue({ ...venue, insuranceFund: "999999999000" });
  const done = roomy.liquidate();
  assert.equal(done.skipped, []);
  assert.ok(done.queue[0].orders.length > 0 && money(done.queue[0].fee) > 0n);
  assert.ok(money(done.insuranceFund) <= money("1000000000000"));
  const restored = await MarginEngine.restore(roomy.snapshot());
  assert.equal(restored.toVenue(), roomy.toVenue());
});

test("caps and depth: per-account and per-pass notional stay under their caps and the rest carries to the next pass; fund payouts stay under theirs", async () => {
  const accounts = [];
  // ten books long 10 BTC from 52,000 at mark 50,000 with 20,500 USD: equity 500, MM 2,500 — liquidatable
  for (let k = 0; k < 10; k++) accounts.push({ id: `long${k}`, collateral: { USD: "20500" }, positions: [{ instrument: "BTC-PERP", qty: "10", entry: "52000" }] });
  // four bankrupt books, each 3,000 under water with nothing to sell and nothing to deleverage
  for (let k = 0; k < 4; k++) accounts.push({ id: `bust${k}`, collateral: { USD: "-3000" } });
  accounts.push({ id: "short", collateral: { USD: "10000000" }, positions: [{ instrument: "BTC-PERP", qty: "-100", entry: "60000" }] });
  const params = { maxLiquidationNotionalPerAccount: "300000", maxLiquidationNotionalPerPass: "1000000", maxInsuranceLossPerPass: "5000", maxMarkDeviation: "0" };
  const engine = await MarginEngine.fromVenue({
    now: NOW, params, assets: [BTC_ASSET], underlyings: [BTC], insuranceFund: "100000", accounts,
    instruments: [{ ...PERP, liquidity: { notional: "800000", slippage: "0.01" } }],
  });
  const first = engine.liquidationQueue();
  // the fund pays 5,000 of the 12,000 of deficits (bust0 3,000, bust1 2,000), the rest has no opponent: bad debt
  assert.equal(first.queue.slice(0, 4).map((q) => [q.id, q.deficit, q.insurancePaid, q.uncoveredDeficit]),
    [["bust0", "3000", "3000", "0"], ["bust1", "3000", "2000", "1000"], ["bust2", "3000", "0", "3000"], ["bust3", "3000", "0", "3000"]]);
  let passes = 0, cutShort = 0;
  for (; passes < 20 && engine.queueOrder().accounts.length > 0; passes++) {
    const before = wealth(engine);
    const pass = engine.liquidate();
    const notional = (q) => q.orders.reduce((s, o) => s + (parseDecimal(o.qty, 8) < 0n ? -parseDecimal(o.qty, 8) : parseDecimal(o.qty, 8)) * 50_000n, 0n);
    for (const q of pass.queue) assert.ok(notional(q) <= 300_000n * 10n ** 8n, `pass ${passes} ${q.id}: under the account cap`);
    assert.ok(money(pass.liquidatedNotional) <= 800_000_000_000n, `pass ${passes}: ${pass.liquidatedNotional} within the depth (the tighter bound)`);
    assert.ok(money(pass.insurancePaid) <= 5_000_000_000n, `pass ${passes}: fund payouts ${pass.insurancePaid} within their cap`);
    assert.is(wealth(engine) - before, money(pass.badDebt) + money(pass.haircutReleased));
    for (const q of pass.queue.filter((x) => x.cutShort)) assert.ok(inQueue(engine, q.id), `${q.id} cut short: still queued`);
    // a sale pushes the price down as the pass uses the depth: each fill is at most the one before
    const prices = pass.queue.flatMap((q) => q.orders.map((o) => parseDecimal(o.price, 8)));
    assert.equal(prices, [...prices].sort((x, y) => (x > y ? -1 : x < y ? 1 : 0)), `pass ${passes}: fills priced down the book`);
    cutShort += pass.queue.filter((q) => q.cutShort).length;
  }
  assert.ok(passes >= 3 && cutShort >= 3, `${passes} passes, ${cutShort} entries cut short`);
  assert.is(engine.queueOrder().accounts.length, 0, "everything was liquidated in the end");
});

test("a cap or depth smaller than one lot lets one lot through a pass while untouched: the account is closed in the end and its deficit settled", async () => {
  for (const [name, params, liquidity] of [
    ["depth", {}, { liquidity: { notional: "30", slippage: "0.01" } }],
    ["account cap", { maxLiquidationNotionalPerAccount: "30" }, {}],
    ["pass cap", { maxLiquidationNotionalPerPass: "30" }, {}],
  ]) {
    // ten lots of 50 USD each, 5 USD under water: every cap is below one lot's notional
    const engine = await MarginEngine.fromVenue({
      now: NOW, params, underlyings: [BTC], insuranceFund: "1000", instruments: [{ ...PERP, ...liquidity }],
      accounts: [{ id: "a", collateral: { USD: "-5" }, positions: [{ instrument: "BTC-PERP", qty: "0.01", entry: "50000" }] }],
    });
    for (let pass = 1; pass <= 10; pass++) {
      const before = wealth(engine);
      const report = engine.liquidate();
      const [entry] = report.queue;
      assert.equal(entry.orders.map((o) => o.qty), ["-0.001"], `${name}, pass ${pass}: one lot`);
      // a lot filled past the depth is priced at the whole depth's slippage, not beyond it
      if (name === "depth") assert.is(entry.orders[0].price, "49500");
      assert.is(entry.cutShort, pass < 10, `${name}, pass ${pass}`);
      assert.is(wealth(engine) - before, money(report.badDebt) + money(report.haircutReleased));
    }
    assert.is(engine.account("a").status, "healthy", `${name}: flat, its deficit paid by the fund`);
    assert.is(engine.queueOrder().accounts.length, 0);
  }
  // two such accounts: the pass's cap, smaller than a lot, lets through the first one's lot only
  const engine = await MarginEngine.fromVenue({
    now: NOW, params: { maxLiquidationNotionalPerPass: "30" }, underlyings: [BTC], insuranceFund: "1000", instruments: [PERP],
    accounts: ["a", "b"].map((id) => ({ id, collateral: { USD: "-5" }, positions: [{ instrument: "BTC-PERP", qty: "0.01", entry: "50000" }] })),
  });
  assert.equal(engine.liquidate().queue.map((q) => [q.id, q.orders.length, q.cutShort]), [["a", 1, true], ["b", 0, true]]);
});

test("a cap used up stops every trade, even a worthless option's, until a later pass", async () => {
  const engine = await MarginEngine.fromVenue({
    now: NOW, params: { maxLiquidationNotionalPerPass: "100000", maxMarkDeviation: "0" }, underlyings: [BTC], insuranceFund: "0",
    instruments: [PERP, { id: "FAR-C", kind: "option", underlying: "BTC", right: "call", strike: "500000", expiry: "2026-11-25T00:00:00Z", lotSize: "0.1", mark: "1" }],
    accounts: [
      // equity 500 against MM 2,500 (health 0.2): first in the queue, it uses the pass's cap
      { id: "first", collateral: { USD: "20500" }, positions: [{ instrument: "BTC-PERP", qty: "10", entry: "52000" }] },
      // short a call worth 0 (its mark guarded to the model value, 0): equity 1,000 against MM 3,750
      { id: "second", collateral: { USD: "1000" }, positions: [{ instrument: "FAR-C", qty: "-1", entry: "1" }] },
    ],
  });
  assert.is(engine.optionModelValue("FAR-C"), 0n);
  let pass = engine.liquidate();
  assert.equal(pass.queue.map((q) => [q.id, q.orders.map((o) => o.qty), q.cutShort]), [["first", ["-2"], true], ["second", [], true]]);
  for (let k = 0; k < 10 && pass.queue.some((q) => q.id === "first"); k++) pass = engine.liquidate();
  // 0.2 left short: MM 750 × 1.1 ≤ 1,000
  assert.equal(pass.queue.find((q) => q.id === "second").orders, [{ instrument: "FAR-C", qty: "0.8", price: "0" }], "sized once the cap lets it");
});

test("ADL stops each opponent at its maintenance margin and moves the rest to the next in rank", async () => {
  const venue = (mmf, fund) => ({
    now: NOW, params: { maxMarkDeviation: "0", liquidationFee: "0.005" }, underlyings: [{ ...BTC, spot: "19000" }], insuranceFund: fund,
    instruments: [{ ...PERP, mark: "19000", tiers: [{ upTo: "10000000000", imf: "0.01", mmf }] }],
    accounts: [
      // 500 − 1,000: a deficit of 500
      { id: "bust", collateral: { USD: "500" }, positions: [{ instrument: "BTC-PERP", qty: "1", entry: "20000" }] },
      // score (400 / 19,400) × (19,000 / 460) = 0.85: first in rank, with little equity
      { id: "thin", collateral: { USD: "60" }, positions: [{ instrument: "BTC-PERP", qty: "-1", entry: "19400" }] },
      // score 0.24 × 19,000 / 16,000 = 0.285
      { id: "rich", collateral: { USD: "10000" }, positions: [{ instrument: "BTC-PERP", qty: "-1", entry: "25000" }] },
    ],
  });
  // MM 0.5 %: thin keeps 460 − k / 2 ≥ 0.095 × (1,000 − k) for k ≤ 901 lots
  let engine = await MarginEngine.fromVenue(venue("0.005", "0"));
  let [entry] = engine.liquidate().queue;
  assert.equal(entry.adl, [
    { account: "thin", instrument: "BTC-PERP", qty: "-0.901", price: "19500", amount: "450.5", equityBefore: "460", equityAfter: "9.5" },
    { account: "rich", instrument: "BTC-PERP", qty: "-0.099", price: "19500", amount: "49.5", equityBefore: "16000", equityAfter: "15950.5" },
  ]);
  assert.is(engine.account("thin").maintenanceMargin, "9.405");
  assert.is(engine.account("thin").status, "restricted");
  // no MM: equity alone binds, at 460 / 0.5 = 920 lots
  engine = await MarginEngine.fromVenue(venue("0", "0"));
  [entry] = engine.liquidate().queue;
  assert.equal(entry.adl.map((f) => [f.account, f.qty, f.amount, f.equityAfter]), [["thin", "-0.92", "460", "0"], ["rich", "-0.08", "40", "15960"]]);
  for (const f of entry.adl) assert.ok(money(f.equityAfter) >= 0n);
});

test("every fee of the pass reaches the fund before ADL, which takes only what the fund cannot pay", async () => {
  const engine = await MarginEngine.fromVenue({
    now: NOW, params: { maxMarkDeviation: "0" }, underlyings: [{ ...BTC, spot: "19000" }], insuranceFund: "0",
    instruments: [{ ...PERP, mark: "19000" }],
    accounts: [
      // deficit 800, first in the queue (bankrupt)
      { id: "bust", collateral: { USD: "200" }, positions: [{ instrument: "BTC-PERP", qty: "1", entry: "20000" }] },
      // equity 500 < MM 950: closed whole, its fee of 950 charged up to its equity, 500
      { id: "under", collateral: { USD: "5500" }, positions: [{ instrument: "BTC-PERP", qty: "10", entry: "19500" }] },
      { id: "rich", collateral: { USD: "10000" }, positions: [{ instrument: "BTC-PERP", qty: "-1", entry: "25000" }] },
    ],
  });
  const pass = engine.liquidate();
  assert.equal(pass.queue.map((q) => [q.id, q.fee, q.insurancePaid]), [["bust", "0", "500"], ["under", "500", "0"]]);
  assert.equal(pass.queue[0].adl.map((f) => [f.account, f.amount]), [["rich", "300"]]);
  assert.equal([pass.insurancePaid, pass.socializedLoss, pass.insuranceFund], ["500", "300", "0"]);
});

test("the liquidation price of a loan is the collateral's price at which the account turns liquidatable", async () => {
  const engine = await MarginEngine.fromVenue({
    now: NOW, assets: [BTC_ASSET], underlyings: [BTC],
    accounts: [{ id: "loan", collateral: { BTC: "1", USD: "-40000" } }, { id: "shocked", mode: "portfolio", collateral: { BTC: "1", USD: "-30000" } }],
  });
  // standard: ⌊0.95 × P⌋ < 40,000 below 42,105.26315790; portfolio: 0.95 × P × (1 − 0.16) < 30,000
  assert.equal(engine.account("loan").liquidationPrice, { BTC: "42105.26315789" });
  assert.equal(engine.account("shocked").liquidationPrice, { BTC: "37593.98496315" });
});

test("caps, discount and depth travel through toVenue and snapshots, and a bad value names its field", async () => {
  const params = { maxLiquidationNotionalPerAccount: "250000.5", maxLiquidationNotionalPerPass: "1000000", maxInsuranceLossPerPass: "5000", collateralLiquidationDiscount: "0.03" };
  const venue = {
    now: NOW, params, assets: [BTC_ASSET], underlyings: [BTC], insuranceFund: "1000",
    instruments: [{ ...PERP, liquidity: { notional: "800000", slippage: "0.0125" } }, { ...PERP, id: "BTC-PERP2" }],
    accounts: [{ id: "a", collateral: { USD: "1000" }, positions: [{ instrument: "BTC-PERP", qty: "1", entry: "51000" }] }],
  };
  const engine = await MarginEngine.fromVenue(venue);
  const out = engine.toVenue();
  assert.equal(out.params, params);
  assert.equal(out.instruments[0].liquidity, { notional: "800000", slippage: "0.0125" });
  assert.is(out.instruments[1].liquidity, undefined, "no depth, no key");
  const copy = await MarginEngine.restore(engine.snapshot());
  assert.equal(copy.snapshot(), engine.snapshot());
  assert.equal(copy.liquidate(), engine.liquidate(), "the restored engine liquidates alike");
  for (const [change, code, field] of [
    [{ params: { maxLiquidationNotionalPerPass: "0" } }, "OUT_OF_RANGE", "params.maxLiquidationNotionalPerPass"],
    [{ params: { maxLiquidationNotionalPerAccount: "-1" } }, "OUT_OF_RANGE", "params.maxLiquidationNotionalPerAccount"],
    [{ params: { maxInsuranceLossPerPass: "1.0000001" } }, "PRECISION", "params.maxInsuranceLossPerPass"],
    [{ params: { collateralLiquidationDiscount: "1" } }, "OUT_OF_RANGE", "params.collateralLiquidationDiscount"],
    [{ instruments: [{ ...PERP, liquidity: { notional: "0", slippage: "0.01" } }] }, "OUT_OF_RANGE", "instruments[0].liquidity.notional"],
    [{ instruments: [{ ...PERP, liquidity: { notional: "10", slippage: "1" } }] }, "OUT_OF_RANGE", "instruments[0].liquidity.slippage"],
    [{ instruments: [{ ...PERP, liquidity: { notional: 10, slippage: "0.1" } }] }, "MALFORMED", "instruments[0].liquidity.notional"],
    [{ instruments: [{ ...PERP, liquidity: "deep" }] }, "MALFORMED", "instruments[0].liquidity"],
  ]) {
    await expectMarginError(() => MarginEngine.fromVenue({ ...venue, params: {}, accounts: [], ...change }), { code, field, label: field });
  }
});

test("ADL passes over the bankrupt account's family: nothing flows between a parent and its sub-accounts", async () => {
  const venue = {
    now: "2026-11-24T00:00:00Z",
    underlyings: [{ id: "BTC", spot: "60000", vol: "0.6" }],
    instruments: [{ id: "BTC-PERP", kind: "perp", underlying: "BTC", lotSize: "0.001", mark: "60000", tiers: [{ upTo: "10000000", imf: "0.02", mmf: "0.01" }] }],
    accounts: [
      { id: "parent", collateral: { USD: "1000" }, positions: [{ instrument: "BTC-PERP", qty: "1", entry: "60000" }] },
      { id: "child", parent: "parent", collateral: { USD: "5000" }, positions: [{ instrument: "BTC-PERP", qty: "-1", entry: "60000" }] },
      { id: "sibling", parent: "parent", collateral: { USD: "5000" }, positions: [{ instrument: "BTC-PERP", qty: "-1", entry: "60000" }] },
      { id: "outsider", collateral: { USD: "5000" }, positions: [{ instrument: "BTC-PERP", qty: "-0.5", entry: "60000" }] },
    ],
    insuranceFund: "0",
  };
  const engine = await MarginEngine.fromVenue(venue);
  engine.setPrice("BTC", "57000", Date.parse(venue.now) + 1000);
  engine.setPrice("BTC-PERP", "57000", Date.parse(venue.now) + 1000);
  const before = (id) => engine.account(id).equity;
  const family = ["child", "sibling"].map(before);
  const entry = engine.liquidate().queue.find((q) => q.id === "parent");
  assert.is(entry.deficit, "2000");
  assert.equal(entry.adl.map((f) => f.account), ["outsider"], "only the account outside the family is deleveraged");
  assert.equal(["child", "sibling"].map(before), family, "the sub-accounts are untouched");
});

test("an ADL opponent a limit keeps back is skipped once a pass, however many deficits try it", async () => {
  // o16 holds 16 assets and no USD: paying an ADL amount would open a 17th balance
  const assets = Array.from({ length: 16 }, (_, k) => ({ id: `X${k}`, price: "100", haircut: "0" }));
  const engine = await MarginEngine.fromVenue({
    now: NOW, assets, underlyings: [BTC], instruments: [PERP], insuranceFund: "0",
    accounts: [
      { id: "bust1", collateral: { USD: "500" }, positions: [{ instrument: "BTC-PERP", qty: "1", entry: "51000" }] },
      { id: "bust2", collateral: { USD: "400" }, positions: [{ instrument: "BTC-PERP", qty: "1", entry: "51000" }] },
      { id: "o16", collateral: Object.fromEntries(assets.map((a) => [a.id, "1000"])), positions: [{ instrument: "BTC-PERP", qty: "-2", entry: "60000" }] },
    ],
  });
  const before = wealth(engine);
  const pass = engine.liquidate();
  assert.equal(pass.queue.map((q) => [q.id, q.bankruptcy, q.adl.length, q.uncoveredDeficit]), [["bust2", true, 0, "600"], ["bust1", true, 0, "500"]]);
  assert.equal(pass.skipped.map((s) => [s.account, s.code]), [["o16", "OUT_OF_RANGE"]]);
  assert.is(pass.badDebt, "1100");
  assert.is(wealth(engine) - before, money(pass.badDebt) + money(pass.haircutReleased));
});

test("an entry a limit holds back is put back whole and stays queued; a paged pass does not count it", async () => {
  const engine = await MarginEngine.fromVenue(STUCK);
  assert.is(engine.account("stuck").status, "liquidatable");
  const stuckBook = engine.toVenue().accounts[0];
  const pass = engine.liquidate({ limit: 1 });
  assert.equal(pass.skipped, [{ account: "stuck", code: "OUT_OF_RANGE", message: "OUT_OF_RANGE at accounts.stuck.collateral: the liquidation would take the USD balance beyond its limit (docs/limits.md)" }]);
  assert.equal(pass.queue.map((q) => [q.id, q.skipped, q.orders.length > 0]), [["stuck", true, false], ["under", false, true]]);
  assert.equal(engine.toVenue().accounts[0], stuckBook, "the book is as it was");
  const next = engine.liquidate({ limit: 1 });
  assert.equal(next.queue.map((q) => [q.id, q.skipped, q.orders.length > 0]), [["stuck", true, false]]);
  assert.ok(inQueue(engine, "stuck"), "still queued");
});

test("a skipped entry's message is one line, as a MarginError's: an account id's newline is escaped", async () => {
  const engine = await MarginEngine.fromVenue({ ...STUCK, accounts: STUCK.accounts.map((a) => (a.id === "stuck" ? { ...a, id: "st\nuck" } : a)) });
  const pass = engine.liquidate({ limit: 1 });
  assert.equal(pass.skipped, [{ account: "st\nuck", code: "OUT_OF_RANGE", message: "OUT_OF_RANGE at accounts.st\\nuck.collateral: the liquidation would take the USD balance beyond its limit (docs/limits.md)" }]);
});

test("one lot past a per-account cap smaller than a lot goes for every account, whether or not the pass has a cap of its own", async () => {
  const venue = (params) => ({
    now: "2026-11-24T00:00:00Z",
    params,
    underlyings: [{ id: "BTC", spot: "60000", vol: "0.6" }],
    instruments: [{ id: "BTC-PERP", kind: "perp", underlying: "BTC", lotSize: "0.001", mark: "60000", tiers: [{ upTo: "10000000", imf: "0.02", mmf: "0.01" }] }],
    accounts: [
      { id: "a", collateral: { USD: "100" }, positions: [{ instrument: "BTC-PERP", qty: "1", entry: "60000" }] },
      { id: "b", collateral: { USD: "110" }, positions: [{ instrument: "BTC-PERP", qty: "1", entry: "60000" }] },
    ],
    insuranceFund: "1000",
  });
  // a lot is 60 USD: over the account cap of 10, well within the pass's 1,000,000 (never reached)
  for (const params of [{ maxLiquidationNotionalPerAccount: "10" }, { maxLiquidationNotionalPerAccount: "10", maxLiquidationNotionalPerPass: "1000000" }]) {
    const pass = (await MarginEngine.fromVenue(venue(params))).liquidate();
    assert.equal(pass.queue.map((q) => [q.id, q.orders.map((o) => o.qty)]), [["a", ["-0.001"]], ["b", ["-0.001"]]], JSON.stringify(params));
  }
  // a pass cap smaller than a lot lets one lot through in the pass, then none
  const tight = (await MarginEngine.fromVenue(venue({ maxLiquidationNotionalPerAccount: "10", maxLiquidationNotionalPerPass: "20" }))).liquidate();
  assert.equal(tight.queue.map((q) => [q.id, q.orders.length]), [["a", 1], ["b", 0]]);
});

test("a limited pass counts the entries it takes up: entries deferred by a stale feed are reported, not counted", async () => {
  const T0 = Date.parse("2026-11-24T00:00:00Z");
  const perp = (u, lot, mark) => ({ id: `${u}-PERP`, kind: "perp", underlying: u, lotSize: lot, mark, tiers: [{ upTo: "10000000", imf: "0.02", mmf: "0.01" }] });
  const engine = await MarginEngine.fromVenue({
    now: "2026-11-24T00:00:00Z",
    underlyings: [
      { id: "BTC", vol: "0.55", sources: [{ id: "s", price: "65000", time: "2026-11-24T00:00:00Z" }] },
      { id: "ETH", spot: "3500", vol: "0.6" },
    ],
    instruments: [perp("BTC", "0.001", "65000"), perp("ETH", "0.01", "3500")],
    accounts: [
      // deepest under water, so first in the queue, but on BTC, whose only source goes stale
      { id: "btc1", collateral: { USD: "10" }, positions: [{ instrument: "BTC-PERP", qty: "1", entry: "70000" }] },
      { id: "btc2", collateral: { USD: "20" }, positions: [{ instrument: "BTC-PERP", qty: "1", entry: "70000" }] },
      { id: "eth", collateral: { USD: "300" }, positions: [{ instrument: "ETH-PERP", qty: "10", entry: "3530" }] },
    ],
    insuranceFund: "100000",
  });
  engine.setPrice("ETH", "3500", T0 + 120_000); // the clock moves past BTC's source's maxPriceAge
  assert.equal(engine.staleUnderlyings(), ["BTC"]);
  const preview = engine.liquidationQueue({ limit: 1 });
  assert.equal(preview.queue.map((e) => [e.id, e.deferred]), [["btc1", true], ["btc2", true], ["eth", false]]);
  const pass = engine.liquidate({ limit: 1 });
  assert.equal(pass, preview);
  assert.ok(pass.queue[2].orders.length > 0, "the ETH account is liquidated behind the deferred ones");
  assert.is(engine.account("eth").status === "liquidatable", false);
  // a limit of 0 takes up nothing and reports nothing; Infinity is every entry
  assert.equal(engine.liquidationQueue({ limit: 0 }).queue, []);
  assert.equal(engine.liquidationQueue({ limit: Infinity }), engine.liquidationQueue());
});

test.run();
