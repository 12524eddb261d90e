// An expired option's per-lot greeks are those of its payoff (docs/methodology.md §13): delta
// + the lot size for a call in the money, − the lot size for a put in the money, else 0. "In the
// money" is decided on the exact index and strike, one price unit (1e-8) included, even where
// both round to the same f64.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { MarginEngine } from "../build/index.js";

const NOW = Date.parse("2026-11-24T00:00:00Z");
const INDEX = "9999999999.99999999"; // as an f64 this is 1e10 exactly
const option = (id, right, strike) => ({
  id, kind: "option", underlying: "X", right, strike, expiry: "2026-11-24T00:00:01Z", lotSize: "0.1", mark: "0",
});

function venue() {
  return {
    now: "2026-11-24T00:00:00Z",
    underlyings: [{ id: "X", spot: INDEX, vol: "0.5" }],
    instruments: [
      option("P-ITM", "put", "10000000000"), // in the money by one price unit
      option("C-ITM", "call", "9999999999.99999998"), // in the money by one price unit
      option("P-ATM", "put", INDEX),
      option("C-OTM", "call", "10000000000"),
    ],
    accounts: [{ id: "a", collateral: { USD: "1000" }, positions: [
      { instrument: "P-ITM", qty: "1", entry: "0" },
      { instrument: "C-ITM", qty: "-0.5", entry: "0" },
    ] }],
  };
}

test("an expired option one price unit in the money has the payoff's delta of ± its lot size", async () => {
  const engine = await MarginEngine.fromVenue(venue());
  engine.setPrice("X", INDEX, NOW + 2000); // the clock passes the expiry
  assert.is(engine.optionModelValue("P-ITM"), 1n);
  assert.is(engine.optionModelValue("C-ITM"), 1n);
  assert.equal(engine.lotGreeks("P-ITM"), { delta: -100_000_000n, gamma: 0n, vega: 0n, theta: 0n });
  assert.equal(engine.lotGreeks("C-ITM"), { delta: 100_000_000n, gamma: 0n, vega: 0n, theta: 0n });
  assert.equal(engine.lotGreeks("P-ATM"), { delta: 0n, gamma: 0n, vega: 0n, theta: 0n });
  assert.equal(engine.lotGreeks("C-OTM"), { delta: 0n, gamma: 0n, vega: 0n, theta: 0n });
  // long 10 lots of the put (−0.1 each), short 5 lots of the call (+0.1 each): delta −1.5
  assert.equal(engine.account("a").greeks, { X: { delta: "-1.5", gamma: "0", vega: "0", theta: "0" } });
});

test("the payoff's delta follows the index across the strike after expiry", async () => {
  const engine = await MarginEngine.fromVenue(venue());
  engine.setPrice("X", "10000000000", NOW + 2000);
  assert.is(engine.lotGreeks("P-ITM").delta, 0n);
  assert.is(engine.lotGreeks("C-ITM").delta, 100_000_000n);
  engine.setPrice("X", "9999999999.99999997", NOW + 3000);
  assert.is(engine.lotGreeks("P-ITM").delta, -100_000_000n);
  assert.is(engine.lotGreeks("C-ITM").delta, 0n);
  assert.is(engine.lotGreeks("P-ATM").delta, -100_000_000n);
});

test.run();
