// The pre-trade check's refusal reasons, in the order they are decided (docs/methodology.md §12):
// EXPIRED, then STALE_PRICE for a risk-adding order, then OVER_TIER_LIMIT, then
// INSUFFICIENT_MARGIN or ACCOUNT_BANKRUPT.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { MarginEngine } from "../build/index.js";

function venue(stale) {
  return {
    now: "2026-11-24T00:00:00Z",
    underlyings: [{ id: "X", spot: "100", vol: "0.5", sources: [
      { id: "a", price: "100", time: "2026-11-24T00:00:00Z" },
      { id: "b", price: "100", time: stale ? "2026-11-23T23:00:00Z" : "2026-11-24T00:00:00Z" },
    ] }],
    instruments: [
      // 10,000 of notional at most; the charged one costs 10 % IM, the free one nothing
      { id: "P", kind: "perp", underlying: "X", lotSize: "1", mark: "100", tiers: [{ upTo: "10000", imf: "0.1", mmf: "0.05" }] },
      { id: "Z", kind: "perp", underlying: "X", lotSize: "1", mark: "100", tiers: [{ upTo: "10000", imf: "0", mmf: "0" }] },
    ],
    accounts: [{ id: "w", collateral: { USD: "1000000" }, positions: [{ instrument: "Z", qty: "90", entry: "100" }] }],
  };
}

test("a risk-adding order past the last tier on a stale underlying is STALE_PRICE", async () => {
  const stale = await MarginEngine.fromVenue(venue(true));
  assert.equal(stale.staleUnderlyings(), ["X"]);
  const order = { account: "w", instrument: "P", qty: "200", price: "100" }; // 20,000 of notional
  const check = stale.checkOrder(order);
  assert.equal([check.accepted, check.reason, check.initialMarginBefore, check.initialMarginAfter], [false, "STALE_PRICE", "0", "2000"]);
  const fresh = await MarginEngine.fromVenue(venue(false));
  assert.equal([fresh.checkOrder(order).accepted, fresh.checkOrder(order).reason], [false, "OVER_TIER_LIMIT"]);
});

test("an order past the last tier that leaves IM as it was is OVER_TIER_LIMIT, stale or not", async () => {
  for (const isStale of [true, false]) {
    const engine = await MarginEngine.fromVenue(venue(isStale));
    const check = engine.checkOrder({ account: "w", instrument: "Z", qty: "20", price: "100" }); // 90 → 110 lots
    assert.equal([check.accepted, check.reason, check.initialMarginAfter], [false, "OVER_TIER_LIMIT", "0"], `stale ${isStale}`);
    assert.is(engine.checkOrder({ account: "w", instrument: "Z", qty: "10", price: "100" }).accepted, true, `stale ${isStale}`);
  }
});

test("an order through zero grows a position past its last tier only past the size it had", async () => {
  // long 15 at 100 (notional 1,500) under a last tier of 1,200: selling 30 leaves short 15, selling 31 short 16
  const engine = await MarginEngine.fromVenue({
    now: "2026-11-24T00:00:00Z", underlyings: [{ id: "U", spot: "100", vol: "0.5" }],
    instruments: [{ id: "P", kind: "perp", underlying: "U", lotSize: "1", mark: "100", tiers: [{ upTo: "1200", imf: "0.01", mmf: "0.005" }] }],
    accounts: [{ id: "a", collateral: { USD: "100000" }, positions: [{ instrument: "P", qty: "15", entry: "100" }] }],
  });
  const reason = (qty) => engine.checkOrder({ account: "a", instrument: "P", qty, price: "100" }).reason;
  assert.equal([reason("-30"), reason("-31"), reason("1")], [null, "OVER_TIER_LIMIT", "OVER_TIER_LIMIT"]);
});

test.run();
