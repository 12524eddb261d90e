// Black-76 inside the module against QuantLib's BlackCalculator (tests/vectors/black76.json,
// made by scripts/quantlib-vectors.py), Hull's textbook case, parity and the expiry limits.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { readFileSync } from "node:fs";
import { instantiate } from "../build/margin-core.js";

const root = new URL("../", import.meta.url);
const memory = new WebAssembly.Memory({ initial: 16, maximum: 65536 });
const wasm = await instantiate(await WebAssembly.compile(readFileSync(new URL("build/margin-core.wasm", root))), { env: { memory } });
const vectors = JSON.parse(readFileSync(new URL("tests/vectors/black76.json", root), "utf8"));
const GREEKS = ["delta", "gamma", "vega", "theta"];

function greeks(c) {
  wasm.black76Greeks(c.right === "call" ? 1 : 0, c.spot, c.strike, c.years, c.vol, c.rate);
  return { delta: wasm.black76Delta(), gamma: wasm.black76Gamma(), vega: wasm.black76Vega(), theta: wasm.black76Theta() };
}

/** Within 1e-9 relative, or 1e-9 × S absolute near zero. */
function close(got, want, spot, label) {
  const error = Math.abs(got - want);
  if (!(error <= 1e-9 * Math.abs(want) || error <= 1e-9 * spot)) assert.unreachable(`${label}: ${got} vs QuantLib ${want}`);
}

test(`${vectors.cases.length} QuantLib ${vectors.quantlib} vectors: value and greeks`, () => {
  assert.ok(vectors.cases.length >= 600);
  for (const c of vectors.cases) {
    const label = `${c.right} S=${c.spot} K=${c.strike} T=${c.years} σ=${c.vol} r=${c.rate}`;
    close(wasm.black76Value(c.right === "call" ? 1 : 0, c.spot, c.strike, c.years, c.vol, c.rate), c.value, c.spot, `${label} value`);
    const g = greeks(c);
    for (const name of GREEKS) close(g[name], c[name], c.spot, `${label} ${name}`);
  }
});

test("Hull's example: S=42, K=40, r=10%, σ=20%, T=0.5 → call 4.76, put 0.81", () => {
  // Hull, Options, Futures, and Other Derivatives, the Black–Scholes–Merton chapter's worked example.
  assert.is(wasm.black76Value(1, 42, 40, 0.5, 0.2, 0.1).toFixed(2), "4.76");
  assert.is(wasm.black76Value(0, 42, 40, 0.5, 0.2, 0.1).toFixed(2), "0.81");
});

test("per-lot greeks: Hull's call scaled by docs/methodology.md §7, against QuantLib", async () => {
  const { MarginEngine } = await import("../build/index.js");
  const engine = await MarginEngine.fromVenue({
    now: "2026-01-01T00:00:00Z", assets: [{ id: "USD", price: "1" }],
    underlyings: [{ id: "S", spot: "42", vol: "0.2", rate: "0.1" }],
    // 182.5 days = 0.5 years of 365 days
    instruments: [{ id: "C", kind: "option", underlying: "S", right: "call", strike: "40", expiry: "2026-07-02T12:00:00Z", lotSize: "2", mark: "4.76" }],
  });
  const hull = vectors.cases.at(-2);
  const round = (x) => BigInt(Math.sign(x) * Math.round(Math.abs(x)));
  const lot = engine.lotGreeks("C");
  // delta and gamma in base units at 1e9; vega per vol point and theta per day, in money at 1e6
  assert.is(lot.delta, round(2 * hull.delta * 1e9));
  assert.is(lot.gamma, round(2 * hull.gamma * 42 / 100 * 1e9));
  assert.is(lot.vega, round(2 * hull.vega / 100 * 1e6));
  assert.is(lot.theta, round(2 * hull.theta / 365 * 1e6));
  assert.is(lot.delta, 1_558_262_582n); // 2 × 0.779131291: Hull's delta of 0.779 for this call
});

test("put–call parity on every vector: C − P = S − K·e^{−rT}", () => {
  for (const c of vectors.cases.filter((v) => v.right === "call")) {
    const call = wasm.black76Value(1, c.spot, c.strike, c.years, c.vol, c.rate);
    const put = wasm.black76Value(0, c.spot, c.strike, c.years, c.vol, c.rate);
    close(call - put, c.spot - c.strike * Math.exp(-c.rate * c.years), c.spot, `parity S=${c.spot} K=${c.strike}`);
  }
});

test("expiry, no volatility and extreme moneyness stay finite and take their limits", () => {
  assert.is(wasm.black76Value(1, 110, 100, 0, 0.5, 0.05), 10);
  assert.is(wasm.black76Value(0, 110, 100, -1, 0.5, 0.05), 0);
  assert.is(wasm.black76Value(0, 90, 100, 0.5, 0, 0), 10);
  const g = greeks({ right: "put", spot: 90, strike: 100, years: 0, vol: 0.5, rate: 0 });
  assert.equal(g, { delta: -1, gamma: 0, vega: 0, theta: 0 });
  for (const [spot, strike] of [[1e10, 1e-8], [1e-8, 1e10], [100, 100]]) {
    for (const years of [1e-9, 1e-4, 10]) {
      for (const right of ["call", "put"]) {
        const value = wasm.black76Value(right === "call" ? 1 : 0, spot, strike, years, 1e-6, 0.05);
        assert.ok(Number.isFinite(value) && value >= 0, `${right} ${spot}/${strike} T=${years}`);
        const all = Object.values(greeks({ right, spot, strike, years, vol: 1e-6, rate: 0.05 }));
        assert.ok(all.every(Number.isFinite), `greeks ${right} ${spot}/${strike} T=${years}`);
      }
    }
  }
  // deep in the money: value → discounted intrinsic on the forward, delta → ±1
  assert.ok(Math.abs(wasm.black76Value(1, 1e6, 1, 1, 0.3, 0) - (1e6 - 1)) < 1e-6);
  assert.ok(Math.abs(greeks({ right: "call", spot: 1e6, strike: 1, years: 1, vol: 0.3, rate: 0 }).delta - 1) < 1e-15);
});

test.run();
