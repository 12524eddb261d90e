// The settlement-balance limit in a liquidation pass (docs/limits.md, "Liquidation cash flows"):
// only the balance a write leaves is held to 10^10 units — an entry's fills, fee and collateral
// trades land in one write, and so do an ADL opponent's realized profit and its payment; a
// bankrupt close-out cut short has the loss its balance cannot hold settled as it is realized.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { MarginEngine } from "../build/index.js";
import { parseDecimal } from "./reference/decimal.mjs";
import { referencePass } from "./reference/liquidation-pass.mjs";
import { engineTables } from "./helpers/engine-tables.mjs";

const money = (s) => parseDecimal(s, 6);
const wealth = (engine) => engine.runningTotals().equity + engine.fundRaw();
const NOW = "2026-11-24T00:00:00Z";

/** A bankrupt long 1,000,000 X from 150 at 100 with 10,000,000 USD (deficit 40,000,000), and short opponents of 1,000,000 from `entry` holding `usd`. */
function adlVenue(...opponents) {
  return {
    now: NOW, settlement: "USD", assets: [{ id: "USD", price: "1", haircut: "0" }],
    underlyings: [{ id: "X", spot: "100", vol: "0.5", rate: "0" }],
    instruments: [{ id: "P", kind: "perp", underlying: "X", lotSize: "1", mark: "100", tiers: [{ upTo: "10000000000", imf: "0.1", mmf: "0.05" }] }],
    insuranceFund: "0",
    accounts: [
      { id: "bust", collateral: { USD: "10000000" }, positions: [{ instrument: "P", qty: "1000000", entry: "150" }] },
      ...opponents.map(([cash, entry], k) => ({ id: `opp${k}`, collateral: { USD: cash }, positions: [{ instrument: "P", qty: "-1000000", entry }] })),
    ],
  };
}

test("an ADL opponent whose realized profit alone passes 10^10 units, and whose payment brings it back, is deleveraged", async () => {
  // 9,720,000,000 + 300,000,000 profit = 10,020,000,000 on the way; less the 40,000,000 paid: 9,980,000,000
  const venue = adlVenue(["9720000000", "400"]);
  const engine = await MarginEngine.fromVenue(venue);
  const before = wealth(engine);
  const twin = referencePass(venue, engineTables(engine));
  const pass = engine.liquidate();
  assert.equal(pass.skipped, []);
  assert.equal(pass.queue[0].adl, [{ account: "opp0", instrument: "P", qty: "-1000000", price: "140", amount: "40000000", equityBefore: "10020000000", equityAfter: "9980000000" }]);
  assert.equal([pass.socializedLoss, pass.badDebt], ["40000000", "0"]);
  assert.equal(engine.toVenue().accounts.map((a) => [a.id, a.collateral, a.positions]), [["bust", {}, []], ["opp0", { USD: "9980000000" }, []]]);
  assert.is(wealth(engine) - before, 0n);
  assert.equal([twin.skipped, twin.socializedLoss, twin.badDebt], [[], 40000000n * 10n ** 6n, 0n]);
  assert.equal(twin.venue.accounts[1].collateral, { USD: "9980000000" });
});

test("an ADL opponent whose balance the fill would leave past 10^10 units is skipped, and the next in rank pays", async () => {
  // opp0 would end at 9,750,000,000 + 300,000,000 − 40,000,000 = 10,010,000,000; opp1 (a smaller profit, ranked
  // after) at 9,000,000,000 + 100,000,000 − 40,000,000
  const venue = adlVenue(["9750000000", "400"], ["9000000000", "200"]);
  const engine = await MarginEngine.fromVenue(venue);
  const before = wealth(engine);
  const pass = engine.liquidate();
  assert.equal(pass.skipped.map((s) => [s.account, s.code]), [["opp0", "OUT_OF_RANGE"]]);
  assert.equal(pass.queue[0].adl.map((f) => [f.account, f.qty, f.amount]), [["opp1", "-1000000", "40000000"]]);
  assert.equal(engine.toVenue().accounts.map((a) => a.collateral), [{}, { USD: "9750000000" }, { USD: "9060000000" }]);
  assert.equal([pass.socializedLoss, pass.badDebt], ["40000000", "0"]);
  assert.is(wealth(engine) - before, money(pass.badDebt));
  const twin = referencePass(venue, engineTables(engine));
  assert.equal(twin.skipped, ["opp0"]);
  assert.equal(twin.venue.accounts.map((a) => a.collateral), [{}, { USD: "9750000000" }, { USD: "9060000000" }]);
});

/** A bankrupt long 120,000 BTC from 80,000 at 65,000 with −9,000,000,000 USD (deficit 10,800,000,000), a pass trading at most 2,000,000,000. */
const CAPPED_WHALE = {
  now: NOW, settlement: "USD", params: { maxLiquidationNotionalPerPass: "2000000000" },
  assets: [{ id: "USD", price: "1", haircut: "0" }], underlyings: [{ id: "BTC", spot: "65000", vol: "0.5", rate: "0" }],
  instruments: [{ id: "P", kind: "perp", underlying: "BTC", lotSize: "0.001", mark: "65000", tiers: [{ upTo: "10000000000", imf: "0.02", mmf: "0.01" }] }],
  insuranceFund: "1000000",
  accounts: [
    { id: "whale", collateral: { USD: "-9000000000" }, positions: [{ instrument: "P", qty: "120000", entry: "80000" }] },
    { id: "short", collateral: { USD: "100000" }, positions: [{ instrument: "P", qty: "-2", entry: "70000" }] },
  ],
};

/** The same whale with the instrument's depth, not a cap, holding each pass to 2,000,000,000. */
const SHALLOW_WHALE = {
  ...CAPPED_WHALE, params: {},
  instruments: CAPPED_WHALE.instruments.map((i) => ({ ...i, liquidity: { notional: "2000000000", slippage: "0" } })),
};

for (const [name, venue] of [["a cap", CAPPED_WHALE], ["depth", SHALLOW_WHALE]]) test(`a bankrupt close-out ${name} cuts short settles the loss its balance cannot hold each pass, and is closed out in the end`, async () => {
  const engine = await MarginEngine.fromVenue(venue);
  let state = venue;
  const settled = [];
  for (let pass = 1; pass <= 10 && engine.queueOrder().accounts.length > 0; pass++) {
    const before = wealth(engine);
    const twin = referencePass(state, engineTables(engine));
    const report = engine.liquidate();
    const [whale] = report.queue;
    assert.equal(report.skipped, [], `pass ${pass}: nothing skipped`);
    assert.ok(whale.orders.length === 1 && money(whale.notional) <= money("2000000000"), `pass ${pass}: a capped close`);
    const usd = money(engine.toVenue().accounts[0].collateral.USD ?? "0");
    assert.ok(usd >= -money("10000000000"), `pass ${pass}: the balance within its bound`);
    assert.is(wealth(engine) - before, money(report.badDebt), `pass ${pass}: money conserved`);
    assert.equal(twin.entries.map((e) => [e.id, e.cutShort, e.deficit, e.fundPaid, e.uncovered]),
      report.queue.map((q) => [q.id, q.cutShort, money(q.deficit), money(q.insurancePaid), money(q.uncoveredDeficit)]), `pass ${pass}: the twin's entries`);
    assert.equal(twin.venue.accounts.map((a) => [a.collateral, a.positions]), engine.toVenue().accounts.map((a) => [a.collateral, a.positions]), `pass ${pass}: the twin's books`);
    settled.push([whale.cutShort, whale.deficit]);
    state = twin.venue;
  }
  // 30,769.23 BTC a pass realize 461,538,450 each: the third and fourth passes' loss passes the bound
  assert.equal(settled, [[true, "0"], [true, "0"], [true, "384615350"], [false, "10415384650"]]);
  assert.equal(engine.toVenue().accounts[0], { id: "whale", mode: "standard", collateral: {}, positions: [] });
});

/**
 * A bankrupt account at −9,500,000,000 USD holding 10,000,000 X at 1,000 and a long perp that realizes −1,000,000,000:
 * a per-account cap of 1,000,000,000 lets the perp close and no X be sold, so the loss would take the balance past its bound.
 */
const CAPPED_COLLATERAL = {
  now: NOW, settlement: "USD", params: { maxLiquidationNotionalPerAccount: "1000000000" },
  assets: [{ id: "USD", price: "1" }, { id: "X", price: "1000", haircut: "0" }],
  underlyings: [{ id: "U", spot: "1000000000", vol: "0.5" }],
  instruments: [{ id: "P", kind: "perp", underlying: "U", lotSize: "1", mark: "1000000000", tiers: [{ upTo: "10000000000", imf: "0.1", mmf: "0.05" }] }],
  insuranceFund: "0",
  accounts: [{ id: "w", collateral: { USD: "-9500000000", X: "10000000" }, positions: [{ instrument: "P", qty: "1", entry: "2000000000" }] }],
};

test("a bankrupt close-out whose cap leaves collateral unsold settles the loss its balance cannot hold, rather than being put back every pass", async () => {
  const engine = await MarginEngine.fromVenue(CAPPED_COLLATERAL);
  const before = wealth(engine);
  const twin = referencePass(CAPPED_COLLATERAL, engineTables(engine));
  const report = engine.liquidate();
  assert.equal(report.skipped, [], "not put back");
  const [entry] = report.queue;
  assert.equal(entry.orders.map((o) => [o.instrument, o.qty]), [["P", "-1"]]);
  assert.equal([entry.cutShort, entry.bankruptcy, entry.deficit, report.badDebt], [true, true, "500000000", "500000000"]);
  // the balance takes the bound's floor, X is kept: equity 0, the deficit written off, money conserved
  assert.equal(engine.toVenue().accounts[0].collateral, { USD: "-10000000000", X: "10000000" });
  assert.is(engine.accountRaw("w").equity, 0n);
  assert.is(wealth(engine) - before, money(report.badDebt));
  assert.equal(twin.skipped, []);
  assert.equal(twin.entries.map((e) => [e.cutShort, e.deficit, e.uncovered]), [[true, money("500000000"), money("500000000")]]);
  assert.equal(twin.venue.accounts[0].collateral, engine.toVenue().accounts[0].collateral);
});

test("one holding an asset whose haircut passes the liquidation discount is put back instead: sold, the asset may cover the loss", async () => {
  // X at a 50 % haircut sells at 1 % off: 10,000,000 X fetch 9,900,000,000, though equity counts 5,000,000,000
  const venue = {
    ...CAPPED_COLLATERAL, params: { ...CAPPED_COLLATERAL.params, collateralLiquidationDiscount: "0.01" }, insuranceFund: "1000000000",
    assets: [{ id: "USD", price: "1" }, { id: "X", price: "1000", haircut: "0.5" }],
  };
  const engine = await MarginEngine.fromVenue(venue);
  const before = engine.snapshot();
  const twin = referencePass(venue, engineTables(engine));
  const report = engine.liquidate();
  assert.equal(report.skipped.map((s) => [s.account, s.code]), [["w", "OUT_OF_RANGE"]]);
  assert.equal([report.insurancePaid, report.badDebt, report.insuranceFund], ["0", "0", "1000000000"], "nothing paid for it");
  assert.equal(engine.snapshot(), before, "the entry put back whole");
  assert.equal(twin.skipped, ["w"]);
});

test.run();
