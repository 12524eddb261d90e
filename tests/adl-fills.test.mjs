// ADL fill prices (docs/methodology.md §10): the bankruptcy price of a fill stays a price the
// instrument may have — above 0 for a perpetual or a future, at least 0 for an option, at most
// the price limit — so a share larger than the lots closed can pay at such a price is taken only
// that far, and the rest is written off as bad debt.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { MarginEngine } from "../build/index.js";
import { parseDecimal } from "./reference/decimal.mjs";
import { referencePass } from "./reference/liquidation-pass.mjs";
import { engineTables } from "./helpers/engine-tables.mjs";

const money = (s) => parseDecimal(s, 6);
const wealth = (engine) => engine.runningTotals().equity + engine.fundRaw();

/** A bankrupt short of 10 X at the mark of 100 with −2,000 USD (a deficit of twice its notional), and a long opponent in profit. */
const venue = {
  now: "2026-11-24T00:00:00Z", settlement: "USD", assets: [{ id: "USD", price: "1", haircut: "0" }],
  underlyings: [{ id: "X", spot: "100", vol: "0.5", rate: "0" }],
  instruments: [{ id: "P", kind: "perp", underlying: "X", lotSize: "1", mark: "100", tiers: [{ upTo: "10000000000", imf: "0.1", mmf: "0.05" }] }],
  insuranceFund: "0",
  accounts: [
    { id: "bust", collateral: { USD: "-2000" }, positions: [{ instrument: "P", qty: "-10", entry: "100" }] },
    { id: "long", collateral: { USD: "10000" }, positions: [{ instrument: "P", qty: "10", entry: "50" }] },
  ],
};

test("a short whose deficit passes its notional is deleveraged at a price above 0, the rest written off", async () => {
  const engine = await MarginEngine.fromVenue(venue);
  const before = wealth(engine);
  const pass = engine.liquidate();
  const [entry] = pass.queue;
  assert.is(entry.deficit, "2000");
  // the 10 lots pay at most (100 − 10^-8) × 10 = 999.9999999, in µ-units 999.999999: the price
  // 100 − ⌊999.999999 / 10⌋ in price units is 0.0000001
  assert.equal(entry.adl, [{ account: "long", instrument: "P", qty: "10", price: "0.0000001", amount: "999.999999", equityBefore: "10500", equityAfter: "9500.000001" }]);
  assert.equal([pass.socializedLoss, pass.badDebt, entry.uncoveredDeficit], ["999.999999", "1000.000001", "1000.000001"]);
  assert.is(wealth(engine) - before, money(pass.badDebt));
  assert.equal(engine.toVenue().accounts.map((a) => [a.id, a.collateral, a.positions]), [["bust", {}, []], ["long", { USD: "9500.000001" }, []]]);
  const twin = referencePass(venue, engineTables(engine));
  assert.equal(twin.entries[0].adl.map((f) => [f.account, f.price, f.amount]), [["long", 10n, 999_999_999n]]);
  assert.equal([twin.socializedLoss, twin.badDebt], [999_999_999n, 1_000_000_001n]);
  assert.equal(twin.venue.accounts.map((a) => a.collateral), [{}, { USD: "9500.000001" }]);
});

test("a short option's deficit past its premium is deleveraged at a premium of 0 at the lowest, the rest written off", async () => {
  const options = {
    ...venue,
    instruments: [{ id: "C", kind: "option", underlying: "X", right: "call", strike: "100", expiry: "2026-12-24T00:00:00Z", lotSize: "1", mark: "5" }],
    accounts: [
      { id: "bust", collateral: { USD: "-100" }, positions: [{ instrument: "C", qty: "-10", entry: "5" }] },
      { id: "long", collateral: { USD: "10000" }, positions: [{ instrument: "C", qty: "10", entry: "0" }] },
    ],
  };
  const engine = await MarginEngine.fromVenue(options);
  const before = wealth(engine);
  const pass = engine.liquidate();
  const [entry] = pass.queue, mark = parseDecimal(entry.orders[0].price, 8);
  // the 10 lots pay at most their premium, ⌊10 × mark / 10^10⌋ µ-units: the price 0
  const premium = (10n * 10n ** 8n * mark) / 10n ** 10n;
  assert.ok(premium > 0n && premium < money(entry.deficit), `${premium} of ${entry.deficit}`);
  assert.equal(entry.adl.map((f) => [f.account, f.qty, f.price, money(f.amount)]), [["long", "10", "0", premium]]);
  assert.equal([money(pass.socializedLoss), money(pass.badDebt)], [premium, money(entry.deficit) - premium]);
  assert.is(wealth(engine) - before, money(pass.badDebt));
  const twin = referencePass(options, engineTables(engine));
  assert.equal(twin.entries[0].adl.map((f) => [f.account, f.price, f.amount]), [["long", 0n, premium]]);
  assert.equal(twin.badDebt, money(pass.badDebt));
});

test.run();
