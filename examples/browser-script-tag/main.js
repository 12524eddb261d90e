// A classic script: MarginCore is the global the script-tag build defines.
const venue = {
  now: "2026-11-24T00:00:00Z",
  underlyings: [{ id: "BTC", spot: "65000", vol: "0.55" }],
  instruments: [{ id: "BTC-PERP", kind: "perp", underlying: "BTC", lotSize: "0.001", mark: "65010", tiers: [{ upTo: "1000000", imf: "0.02", mmf: "0.01" }] }],
  accounts: [{ id: "bob", collateral: { USD: "500" }, positions: [{ instrument: "BTC-PERP", qty: "0.2", entry: "66000" }] }],
};
MarginCore.MarginEngine.fromVenue(venue).then(
  (engine) => {
    const bob = engine.account("bob");
    document.querySelector("output").textContent = JSON.stringify(bob, null, 2);
    globalThis.result = bob;
  },
  (error) => {
    document.querySelector("output").textContent = error.message;
    globalThis.result = { error: error.message };
  },
);
