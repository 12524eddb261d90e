// The ADL ranking's eligibility (docs/methodology.md §10): a holder with a profit on the position,
// PnL = lots × (mark − entry) in exact integers, is ranked even where the mark and the entry round
// to the same double (prices past 2^53 at scale 10^8, about 90,000,000 units); an option bought
// at a premium of 0 ranks as if bought at one price unit, so its score is finite.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { MarginEngine } from "../build/index.js";
import { referencePass } from "./reference/liquidation-pass.mjs";
import { engineTables } from "./helpers/engine-tables.mjs";


/** A bankrupt short of 1 X at the mark with −1,000 USD, and a long of 5 X from one price unit (10^-8) below the mark. */
const venue = {
  now: "2026-11-24T00:00:00Z", settlement: "USD", assets: [{ id: "USD", price: "1", haircut: "0" }],
  underlyings: [{ id: "X", spot: "100000000", vol: "0.5", rate: "0" }],
  instruments: [{ id: "P", kind: "perp", underlying: "X", lotSize: "0.01", mark: "100000000.00000001", tiers: [{ upTo: "10000000000", imf: "0.1", mmf: "0.05" }] }],
  insuranceFund: "0",
  accounts: [
    { id: "bust", collateral: { USD: "-1000" }, positions: [{ instrument: "P", qty: "-1", entry: "100000000.00000001" }] },
    { id: "long", collateral: { USD: "100000000" }, positions: [{ instrument: "P", qty: "5", entry: "100000000" }] },
  ],
};

test("a holder whose profit is a single price unit a base unit is deleveraged, not passed over", async () => {
  const engine = await MarginEngine.fromVenue(venue);
  const pass = engine.liquidate();
  assert.equal(pass.queue.map((e) => [e.id, e.deficit, e.uncoveredDeficit]), [["bust", "1000", "0"]]);
  // 100 lots of 0.01 at the bankruptcy price mark − 1,000 × 10^10 / (100 × 10^6)
  assert.equal(pass.queue[0].adl, [{ account: "long", instrument: "P", qty: "1", price: "99999000.00000001", amount: "1000", equityBefore: "100000000", equityAfter: "99999000" }]);
  assert.equal([pass.socializedLoss, pass.badDebt], ["1000", "0"]);
  assert.equal(engine.toVenue().accounts.map((a) => [a.id, a.collateral, a.positions.map((p) => p.qty)]),
    [["bust", {}, []], ["long", { USD: "99999000" }, ["4"]]]);
  const twin = referencePass(venue, engineTables(engine));
  assert.equal(twin.entries[0].adl.map((f) => [f.account, f.lots, f.amount]), [["long", 100n, 1000n * 10n ** 6n]]);
  assert.equal([twin.socializedLoss, twin.badDebt], [1000n * 10n ** 6n, 0n]);
});

test("a holder at exactly the mark, which the doubles cannot tell from one a unit away, is still passed over", async () => {
  const level = structuredClone(venue);
  level.accounts[1].positions[0].entry = "100000000.00000001";
  const engine = await MarginEngine.fromVenue(level);
  const pass = engine.liquidate();
  assert.equal([pass.queue[0].adl, pass.badDebt], [[], "1000"]);
  assert.equal(referencePass(level, engineTables(engine)).badDebt, 1000n * 10n ** 6n);
});

/** A bankrupt short of 10 calls with 10 USD, and long calls bought at a premium of 0 by `holders` ([id, USD]) in account order. */
function zeroPremiumVenue(holders) {
  return {
    now: "2026-11-24T00:00:00Z", settlement: "USD", assets: [{ id: "USD", price: "1", haircut: "0" }],
    underlyings: [{ id: "X", spot: "100", vol: "0.5", rate: "0" }],
    instruments: [{ id: "C", kind: "option", underlying: "X", right: "call", strike: "100", expiry: "2026-12-24T00:00:00Z", lotSize: "1", mark: "5" }],
    insuranceFund: "0",
    accounts: [
      { id: "bust", collateral: { USD: "10" }, positions: [{ instrument: "C", qty: "-10", entry: "5" }] },
      ...holders.map(([id, usd]) => ({ id, collateral: { USD: usd }, positions: [{ instrument: "C", qty: "1", entry: "0" }] })),
    ],
  };
}

test("holders of an option bought at a premium of 0 rank by leverage, the more leveraged first, not by account order", async () => {
  const venue = zeroPremiumVenue([["calm", "1000"], ["levered", "1"]]);
  const engine = await MarginEngine.fromVenue(venue);
  const pass = engine.liquidate();
  assert.is(pass.queue[0].deficit, "40");
  // 4 USD a lot of the 40 over the 10 lots closed, each holder giving its one lot
  assert.equal(pass.queue[0].adl.map((f) => [f.account, f.qty, f.amount]), [["levered", "1", "4"], ["calm", "1", "4"]]);
  const twin = referencePass(venue, engineTables(engine));
  assert.equal(twin.entries[0].adl.map((f) => [f.account, f.lots, f.amount]), [["levered", 1n, 4n * 10n ** 6n], ["calm", 1n, 4n * 10n ** 6n]]);
  assert.equal([twin.socializedLoss, twin.badDebt], [8n * 10n ** 6n, 32n * 10n ** 6n]);
});

test.run();
