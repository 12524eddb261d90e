// The insurance fund's bound in a liquidation pass (docs/limits.md, "Liquidation cash flows"): an
// entry's fees, impact and discounts are held to 10^12 units once phase two has paid the deficits
// found so far, so a fund at its limit still takes the fees of a pass whose payouts bring it back.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { MarginEngine } from "../build/index.js";
import { parseDecimal } from "./reference/decimal.mjs";
import { referencePass } from "./reference/liquidation-pass.mjs";
import { engineTables } from "./helpers/engine-tables.mjs";

const money = (s) => parseDecimal(s, 6);
const wealth = (engine) => engine.runningTotals().equity + engine.fundRaw();

/** A fund 0.01 under its limit; a flat account 5,000 under water, queued first; a long liquidatable by 50 that owes a fee. */
const venue = (params = {}) => ({
  now: "2026-11-24T00:00:00Z", settlement: "USD", params, insuranceFund: "999999999999.99",
  assets: [{ id: "USD", price: "1", haircut: "0" }], underlyings: [{ id: "BTC", spot: "65000", vol: "0.5", rate: "0" }],
  instruments: [{ id: "P", kind: "perp", underlying: "BTC", lotSize: "0.001", mark: "65000", tiers: [{ upTo: "10000000000", imf: "0.02", mmf: "0.01" }] }],
  accounts: [
    { id: "bust", collateral: { USD: "-5000" }, positions: [] },
    { id: "under", collateral: { USD: "600" }, positions: [{ instrument: "P", qty: "1", entry: "65000" }] },
  ],
});

test("a fee that passes the fund's limit goes through when the pass's payouts so far bring the fund back", async () => {
  const engine = await MarginEngine.fromVenue(venue());
  const before = wealth(engine);
  const pass = engine.liquidate();
  assert.equal(pass.skipped, []);
  assert.equal(pass.queue.map((q) => [q.id, q.orders.length > 0, q.deficit, q.insurancePaid]), [["bust", false, "5000", "5000"], ["under", true, "0", "0"]]);
  const fee = money(pass.feesPaid);
  assert.ok(fee > money("0.01"), `a fee of ${pass.feesPaid} passes the 0.01 of room`);
  assert.is(money(pass.insuranceFund), money("999999999999.99") + fee - money("5000"));
  assert.is(wealth(engine) - before, 0n);
  const twin = referencePass(venue(), engineTables(engine));
  assert.equal([twin.skipped, twin.feesPaid, twin.fundAfter], [[], fee, money(pass.insuranceFund)]);
});

test("a payout cap below the fee's excess: the entry is still put back", async () => {
  const capped = venue({ maxInsuranceLossPerPass: "0.01" });
  const engine = await MarginEngine.fromVenue(capped);
  const pass = engine.liquidate();
  assert.equal(pass.skipped.map((s) => [s.account, s.code]), [["under", "OUT_OF_RANGE"]]);
  assert.equal(pass.queue.map((q) => [q.id, q.deficit, q.insurancePaid, q.uncoveredDeficit]), [["bust", "5000", "0.01", "4999.99"], ["under", "0", "0", "0"]]);
  assert.is(pass.insuranceFund, "999999999999.98");
  assert.equal(referencePass(capped, engineTables(engine)).skipped, ["under"]);
});

test.run();
