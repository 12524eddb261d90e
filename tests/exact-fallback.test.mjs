// The portfolio kernel sums lots × risk arrays in f64 only while that is exact: per bucket,
// Σ |lots| × max |risk| < 2^52 and |E| < 2^52 (docs/methodology.md §5). A venue built to break the
// guard — lots and risk values near their limits, exposures past 2^52 µ, partial sums that cross
// 2^53 although each product does not — must take the exact i64 path and give the twin's numbers
// bit for bit; a venue of ordinary sizes must not take it.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { MarginEngine } from "../build/index.js";
import { referenceVenueRisk } from "./reference/standard-margin.mjs";
import { engineTables } from "./helpers/engine-tables.mjs";

const NOW = "2026-11-24T00:00:00Z";
const expiry = (days) => new Date(Date.parse(NOW) + days * 86_400_000).toISOString();

/**
 * A venue whose notionals sit at the 1e10 limit when `huge` (one lot of 10,000 units at an index
 * of 1,000,000, strikes at or below it), so risk values and exposures pass 2^52 µ; `lotSize`
 * overrides the options' lot size.
 */
function venue(huge, lotSize = huge ? "10000" : "0.1") {
  const spot = huge ? "1000000" : "65000";
  const options = Array.from({ length: 40 }, (_, k) => ({
    id: `C${k}`, kind: "option", underlying: "X", right: k < 36 ? "call" : "put",
    strike: String((Number(spot) * (60 + k)) / 100), expiry: expiry(20 + 15 * k), lotSize, mark: String(Number(spot) / 20), iv: "0.8",
  }));
  const perp = { id: "PERP", kind: "perp", underlying: "X", lotSize: huge ? "1" : "0.001", mark: spot, tiers: [{ upTo: "10000000000", imf: "0.05", mmf: "0.02" }] };
  const lots = (k) => (huge ? (k % 2 ? "-10000" : "10000") : (k % 2 ? "-0.2" : "0.3"));
  const accounts = [
    // forty long calls at the notional limit: one position's risk values pass 2^52 µ, their sums 2^57
    { id: "options", positions: options.slice(0, 36).map((o) => ({ instrument: o.id, qty: huge ? "10000" : "0.1", entry: o.mark })) },
    // a linear exposure of 1e10 units = 1e16 µ: |E| past 2^52
    { id: "linear", positions: [{ instrument: "PERP", qty: huge ? "10000" : "1", entry: spot }] },
    // both, and collateral priced by the underlying
    { id: "both", collateral: { XA: huge ? "100000" : "2" }, positions: [
      { instrument: "PERP", qty: huge ? "-9000" : "-1", entry: spot },
      ...options.slice(0, 6).map((o, k) => ({ instrument: o.id, qty: lots(k + 1), entry: o.mark }))] },
  ].map((a) => ({ mode: "portfolio", collateral: { USD: "1000000000" }, ...a, collateral: { USD: "1000000000", ...a.collateral } }));
  return {
    now: NOW, params: {}, assets: [{ id: "USD", price: "1" }, { id: "XA", price: spot, haircut: "0.1", underlying: "X" }],
    underlyings: [{ id: "X", spot, vol: "0.8" }], instruments: [perp, ...options], accounts,
  };
}

function assertTwin(engine, file, label) {
  const twin = referenceVenueRisk(file, engineTables(engine));
  for (const want of twin.accounts) {
    const got = engine.accountRaw(want.id);
    for (const key of ["equity", "initialMargin", "maintenanceMargin", "status"]) assert.is(got[key], want[key], `${label} ${want.id} ${key}`);
    const buckets = engine.accountBuckets(want.id);
    for (const b of buckets) {
      const w = want.buckets.get(b.underlying);
      assert.is(b.loss, w.loss, `${label} ${want.id} bucket ${b.underlying} loss`);
      assert.is(b.binding, w.binding, `${label} ${want.id} bucket ${b.underlying} binding`);
    }
  }
  return twin;
}

test("sizes at the limits take the exact path and give the twin's numbers", async () => {
  for (const simd of [true, false]) {
    const file = venue(true);
    const engine = await MarginEngine.fromVenue(file, { simd });
    engine.recompute();
    assert.is(engine.stats().exactBuckets, 3, "each account's bucket took the exact path");
    const twin = assertTwin(engine, file, simd ? "simd" : "scalar");
    const margins = twin.accounts.map((a) => a.maintenanceMargin);
    assert.ok(margins.some((m) => m > 2n ** 53n), `a margin no f64 holds exactly: ${margins}`);
  }
});

test("the guard also sees sums: twelve positions each under 2^52 whose sum is not", async () => {
  const file = venue(true, "1000");
  // a fifth of the limit each: every product is below 2^52, their sum in one bucket is not
  file.accounts = [{ id: "sum", mode: "portfolio", collateral: { USD: "1000000000" }, positions: file.instruments.slice(1, 13).map((o, k) => ({ instrument: o.id, qty: k % 2 ? "-2000" : "2000", entry: o.mark })) }];
  const engine = await MarginEngine.fromVenue(file);
  // two lots each: a position's largest term is twice its instrument's largest risk value
  const single = 2 * Math.max(...file.instruments.slice(1, 13).map((o) => Math.max(...engine.riskArray(o.id).map((r) => Math.abs(Number(r))))));
  assert.ok(single < 2 ** 52, `one position stays under 2^52 (${single})`);
  assertTwin(engine, file, "sum");
  assert.ok(engine.stats().exactBuckets >= 1, "the bucket took the exact path");
});

test("ordinary sizes stay on the f64 path, with the same results as the twin", async () => {
  const file = venue(false);
  const engine = await MarginEngine.fromVenue(file);
  engine.recompute();
  assertTwin(engine, file, "ordinary");
  assert.is(engine.stats().exactBuckets, 0);
});

test("ticks on a venue past the guard: incremental = full = twin", async () => {
  const file = venue(true);
  const [incremental, full] = await Promise.all([MarginEngine.fromVenue(file), MarginEngine.fromVenue(file)]);
  incremental.recompute();
  let time = Date.parse(NOW);
  for (const price of ["990000", "999999.5", "940000", "1000000", "970001"]) {
    time += 1000;
    for (const engine of [incremental, full]) engine.setPrice("X", price, time);
    full.recompute();
    const a = incremental.riskColumns(), b = full.riskColumns();
    assert.equal(a.equity, b.equity, `${price}: equity`);
    assert.equal(a.maintenanceMargin, b.maintenanceMargin, `${price}: MM`);
    assert.equal(incremental.totals(), full.totals(), `${price}: totals`);
    assertTwin(incremental, incremental.toVenue(), `after ${price}`);
  }
});

test.run();
