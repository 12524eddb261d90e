// Portfolio margin (docs/methodology.md §5) on hand-built books, each checked against the BigInt twin and
// against what the rules imply: hedges offset, a long spread never needs more than it can lose,
// a naked short option pays at least the minimum. Grid parameters are validated at the boundary.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { MarginEngine } from "../build/index.js";
import { expectMarginError } from "./helpers/margin-error.mjs";
import { referenceVenueRisk } from "./reference/standard-margin.mjs";
import { parseDecimal } from "./reference/decimal.mjs";
import { engineTables } from "./helpers/engine-tables.mjs";

const money = (s) => parseDecimal(s, 6);
const option = (id, right, strike, mark) => ({
  id, kind: "option", underlying: "BTC", right, strike, expiry: "2026-12-24T08:00:00Z", lotSize: "0.1", mark, iv: "0.6",
});
const BOOKS = {
  callSpread: [["C65", "1"], ["C75", "-1"]],   // long 65,000 call, short 75,000 call, one BTC each
  shortStraddle: [["C65", "-1"], ["P65", "-1"]],
  nakedCall: [["C120", "-1"]],                 // far out of the money
};

async function booksInBothModes(params = {}) {
  const venue = {
    now: "2026-11-24T00:00:00Z", params, assets: [{ id: "USD", price: "1" }],
    underlyings: [{ id: "BTC", spot: "65000", vol: "0.6" }],
    instruments: [option("C65", "call", "65000", "4450"), option("P65", "put", "65000", "4450"), option("C75", "call", "75000", "1250"), option("C120", "call", "120000", "1")],
    accounts: Object.entries(BOOKS).flatMap(([name, legs]) => ["standard", "portfolio"].map((mode) => ({
      id: `${name}-${mode}`, mode, collateral: { USD: "100000" },
      positions: legs.map(([instrument, qty]) => ({ instrument, qty, entry: "1" })),
    }))),
  };
  const engine = await MarginEngine.fromVenue(venue);
  const twin = referenceVenueRisk(venue, engineTables(engine));
  for (const want of twin.accounts) {
    const got = engine.accountRaw(want.id);
    assert.is(got.maintenanceMargin, want.maintenanceMargin, `${want.id} MM`);
    assert.is(got.initialMargin, want.initialMargin, `${want.id} IM`);
  }
  return (name, mode) => engine.accountRaw(`${name}-${mode}`);
}

test("a call spread and a short straddle need far less portfolio margin than standard", async () => {
  const risk = await booksInBothModes();
  for (const name of ["callSpread", "shortStraddle"]) {
    const standard = risk(name, "standard").maintenanceMargin, portfolio = risk(name, "portfolio").maintenanceMargin;
    // standard charges the short leg alone (0.075 × S + mark per unit); the grid sees the offset
    assert.ok(portfolio * 2n < standard, `${name}: portfolio ${portfolio} vs standard ${standard}`);
  }
  // standard, by hand: short 75,000 call: 0.075 × 65,000 + 1,250 = 6,125; IM max(9,750 − 10,000, 6,500) + 1,250 = 7,750
  assert.is(risk("callSpread", "standard").maintenanceMargin, money("6125"));
  assert.is(risk("callSpread", "standard").initialMargin, money("7750"));
});

test("the worked example of docs/methodology.md §5: scenario 13 binds the call spread at 2,798.97819", async () => {
  const engine = await MarginEngine.fromVenue({
    now: "2026-11-24T00:00:00Z", assets: [{ id: "USD", price: "1" }], underlyings: [{ id: "BTC", spot: "65000", vol: "0.6" }],
    instruments: [option("C65", "call", "65000", "4450"), option("C75", "call", "75000", "1250")],
    accounts: [{ id: "spread", mode: "portfolio", collateral: { USD: "100000" }, positions: [{ instrument: "C65", qty: "1", entry: "1" }, { instrument: "C75", qty: "-1", entry: "1" }] }],
  });
  // per lot of 0.1 BTC at −16 % with vol down
  assert.is(engine.riskArray("C65")[13], money("-415.937476"));
  assert.is(engine.riskArray("C75")[13], money("-136.039657"));
  const [bucket] = engine.scenarios("spread").buckets;
  assert.is(bucket.binding, 13);
  assert.is(bucket.scenarios[13].pnl, "-2798.97819"); // 10 × (−415.937476) − 10 × (−136.039657)
  assert.is(bucket.shortOptionMinimum, "650");
  // the −48 % extreme covers a third of its loss: 3,099.51863 × 0.33, less than scenario 13
  assert.is(bucket.scenarios[15].pnl, "-3099.51863");
  assert.ok(money("3099.51863") * 33n / 100n < money("2798.97819"));
  assert.is(engine.accountRaw("spread").maintenanceMargin, money("2798.97819"));
  assert.is(engine.accountRaw("spread").initialMargin, money("3498.722738")); // ⌈MM × 1.25⌉
});

test("a long call spread's maintenance margin never exceeds its value (its maximum loss)", async () => {
  const risk = await booksInBothModes();
  const value = money("3200"); // 1 × (4,450 − 1,250) at the marks
  const spread = risk("callSpread", "portfolio");
  assert.ok(spread.maintenanceMargin > 0n && spread.maintenanceMargin <= value, `MM ${spread.maintenanceMargin}`);
  // IM = MM × 1.25, rounded up
  assert.is(spread.initialMargin, (spread.maintenanceMargin * 125n + 99n) / 100n);
});

test("a naked short call needs at least the short-option minimum", async () => {
  const risk = await booksInBothModes();
  // 0.01 × 65,000 × 1 BTC = 650: the grid's losses on a 120,000 call are far smaller
  assert.is(risk("nakedCall", "portfolio").maintenanceMargin, money("650"));
  assert.is(risk("nakedCall", "portfolio").initialMargin, money("812.5"));
  const doubled = await booksInBothModes({ shortOptionMin: "0.02" });
  assert.is(doubled("nakedCall", "portfolio").maintenanceMargin, money("1300"));
});

test("the wide grid and a custom grid apply; span16 has 16 scenarios", async () => {
  const engine = await MarginEngine.fromVenue({ now: "2026-11-24T00:00:00Z", underlyings: [{ id: "BTC", spot: "65000", vol: "0.6" }] });
  const grid = engine.scenarioGrid();
  assert.is(grid.length, 16);
  assert.equal(grid.slice(0, 4).map((s) => [s.move, s.vol]), [[0n, 1], [0n, -1], [53_333_333n, 1], [53_333_333n, -1]]);
  assert.equal(grid.slice(14).map((s) => [s.move, s.cover]), [[480_000_000n, 330_000_000n], [-480_000_000n, 330_000_000n]]);
  const wide = await booksInBothModes({ grid: "wide" });
  const custom = await booksInBothModes({ grid: [{ move: "-0.5", vol: "up", cover: "1" }] });
  // a single −50 % scenario with vol up: the short straddle's put leg loses heavily
  assert.ok(custom("shortStraddle", "portfolio").maintenanceMargin > wide("shortStraddle", "portfolio").maintenanceMargin);
});

test("scenarios(): the binding scenario's covered loss is the bucket margin, and buckets sum to MM", async () => {
  const { readFileSync } = await import("node:fs");
  const engine = await MarginEngine.fromVenue(readFileSync(new URL("../examples/venue.json", import.meta.url), "utf8"));
  const grid = engine.scenarios("alice");
  assert.is(grid.buckets.length, 1);
  const btc = grid.buckets[0];
  assert.is(btc.scenarios.length, 16);
  const losses = btc.scenarios.map((s) => {
    const loss = -parseDecimal(s.pnl, 6);
    return s.cover === "1" ? loss : (loss * parseDecimal(s.cover, 9) + 999_999_999n) / 1_000_000_000n; // ⌈⌉ for loss > 0
  });
  const worst = losses.reduce((a, b) => (a > b ? a : b));
  assert.is(btc.binding, losses.indexOf(worst));
  assert.is(money(btc.margin), worst);
  assert.is(engine.account("alice").maintenanceMargin, btc.margin);
  assert.equal(engine.scenarios("bob").buckets, [], "standard accounts have no scenario buckets");
});

test("correlated buckets: ⌈√(L₁² + L₂² + 2ρ·L₁·L₂)⌉ between the largest bucket and the sum", async () => {
  const venue = (correlation) => ({
    now: "2026-11-24T00:00:00Z", params: correlation ? { correlation } : {}, assets: [{ id: "USD", price: "1" }],
    underlyings: [{ id: "BTC", spot: "65000", vol: "0.6" }, { id: "ETH", spot: "3500", vol: "0.7" }],
    instruments: [option("C120", "call", "120000", "1"), { ...option("E9", "call", "9000", "0.1"), underlying: "ETH", lotSize: "1" }],
    accounts: [{ id: "p", mode: "portfolio", collateral: { USD: "10000" }, positions: [{ instrument: "C120", qty: "-1", entry: "1" }, { instrument: "E9", qty: "-10", entry: "1" }] }],
  });
  // both naked calls are far out of the money: each bucket pays its short-option minimum,
  // 0.01 × 65,000 × 1 = 650 and 0.01 × 3,500 × 10 = 350
  const plain = await MarginEngine.fromVenue(venue(null));
  assert.equal(plain.accountBuckets("p").map((b) => b.loss), [money("650"), money("350")]);
  assert.is(plain.accountRaw("p").maintenanceMargin, money("1000"));
  // ρ = 0.5: √(650² + 350² + 650 × 350) = √772,500 = 878.91979156… → 878.919792 rounded up to the µ-unit
  const half = await MarginEngine.fromVenue(venue({ BTC: { ETH: "0.5" } }));
  assert.is(half.accountRaw("p").maintenanceMargin, money("878.919792"));
  // ρ = 1 is the plain sum; ρ = −1 leaves |650 − 350| = 300
  assert.is((await MarginEngine.fromVenue(venue({ BTC: { ETH: "1" } }))).accountRaw("p").maintenanceMargin, money("1000"));
  assert.is((await MarginEngine.fromVenue(venue({ ETH: { BTC: "-1" } }))).accountRaw("p").maintenanceMargin, money("300"));
});

const rejects = (params, code, field) => expectMarginError(
  () => MarginEngine.fromVenue({ now: "2026-11-24T00:00:00Z", params, underlyings: [{ id: "BTC", spot: "65000", vol: "0.6" }, { id: "ETH", spot: "3500", vol: "0.7" }] }),
  { code, field },
);

test("bad grid parameters are rejected naming the field", async () => {
  await rejects({ grid: "span32" }, "UNKNOWN_ID", "params.grid");
  await rejects({ grid: [{ move: "0.1", vol: "up", cover: "0" }] }, "OUT_OF_RANGE", "params.grid[0].cover");
  await rejects({ grid: [{ move: "0.1", vol: "up", cover: "1.5" }] }, "OUT_OF_RANGE", "params.grid[0].cover");
  await rejects({ grid: [{ move: "-1.2", vol: "none" }] }, "OUT_OF_RANGE", "params.grid[0].move");
  await rejects({ grid: [{ move: "0.1", vol: "sideways" }] }, "MALFORMED", "params.grid[0].vol");
  await rejects({ grid: [] }, "OUT_OF_RANGE", "params.grid");
  // a grid row is as strict as the params it is in: a misspelt cover would read as cover 1
  await rejects({ grid: [{ move: "0.1", vol: "up" }, { move: "-0.5", cvoer: "0.5" }] }, "UNKNOWN_ID", "params.grid[1].cvoer");
  await rejects({ grid: JSON.parse('[{ "move": "0.1", "__proto__": "1" }]') }, "UNKNOWN_ID", "params.grid[0].__proto__");
  await rejects({ priceScan: "NaN" }, "INVALID_NUMBER", "params.priceScan");
  await rejects({ extremeMultiple: "8" }, "OUT_OF_RANGE", "params.extremeMultiple");
  await rejects({ imMultiplier: "0.9" }, "OUT_OF_RANGE", "params.imMultiplier");
  await rejects({ shockCollateral: "yes" }, "MALFORMED", "params.shockCollateral");
  await rejects({ correlation: [[1]] }, "MALFORMED", "params.correlation");
  await rejects({ correlation: { BTC: { ETH: "1.2" } } }, "OUT_OF_RANGE", "params.correlation.BTC.ETH");
  await rejects({ correlation: { BTC: { ETH: "NaN" } } }, "INVALID_NUMBER", "params.correlation.BTC.ETH");
  await rejects({ correlation: { BTC: { ETH: "0.5" }, ETH: { BTC: "0.6" } } }, "OUT_OF_RANGE", "params.correlation.ETH.BTC");
  await rejects({ correlation: { BTC: { BTC: "0.9" } } }, "OUT_OF_RANGE", "params.correlation.BTC.BTC");
  await rejects({ correlation: { BTC: { DOGE: "0.5" } } }, "UNKNOWN_ID", "params.correlation.BTC.DOGE");
  await rejects({ correlation: { DOGE: { BTC: "0.5" } } }, "UNKNOWN_ID", "params.correlation.DOGE");
});

test.run();
