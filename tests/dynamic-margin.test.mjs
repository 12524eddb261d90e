// Dynamic scan range (docs/methodology.md §5): the EWMA range follows a replay of index prices exactly as
// its twin does, spends its 25 % buffer before margin rises and rebuilds it as markets calm, and
// the portfolio margin charged is the twin's on each underlying's own grid.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { MarginEngine } from "../build/index.js";
import { expectMarginError } from "./helpers/margin-error.mjs";
import { referenceScanPath } from "./reference/scan-range.mjs";
import { referenceVenueRisk } from "./reference/standard-margin.mjs";
import { engineTables } from "./helpers/engine-tables.mjs";

const T0 = Date.parse("2026-11-24T00:00:00Z");
const MINUTE = 60_000, DAY = 86_400_000;
const DYNAMIC = { dynamicMargin: true };
const SCAN = { vol: 600_000_000n, lambda: 0.94, sigmas: 3.5, mporDays: 1, floor: 160_000_000n, cap: 333_333_333n };

function venue(params = DYNAMIC) {
  return {
    now: "2026-11-24T00:00:00Z", params, assets: [{ id: "USD", price: "1" }],
    underlyings: [{ id: "BTC", spot: "65000", vol: "0.6" }, { id: "ETH", spot: "3500", vol: "0.7" }],
    instruments: [
      { id: "BTC-PERP", kind: "perp", underlying: "BTC", lotSize: "0.001", mark: "65000", tiers: [{ upTo: "100000000", imf: "0.02", mmf: "0.01" }] },
      { id: "ETH-PERP", kind: "perp", underlying: "ETH", lotSize: "0.01", mark: "3500", tiers: [{ upTo: "100000000", imf: "0.02", mmf: "0.01" }] },
      { id: "BTC-C70", kind: "option", underlying: "BTC", right: "call", strike: "70000", expiry: "2026-12-24T08:00:00Z", lotSize: "0.1", mark: "3000", iv: "0.6" },
    ],
    accounts: [
      { id: "long", mode: "portfolio", collateral: { USD: "50000" }, positions: [{ instrument: "BTC-PERP", qty: "1", entry: "65000" }] },
      { id: "mixed", mode: "portfolio", collateral: { USD: "80000" }, positions: [
        { instrument: "BTC-PERP", qty: "-0.5", entry: "65000" }, { instrument: "BTC-C70", qty: "-2", entry: "3000" },
        { instrument: "ETH-PERP", qty: "10", entry: "3500" }] },
      { id: "plain", mode: "standard", collateral: { USD: "50000" }, positions: [{ instrument: "BTC-PERP", qty: "1", entry: "65000" }] },
    ],
  };
}

/** Alternating ±8 % moves a minute apart, then one unchanged print a day for 60 days. */
function stormThenCalm() {
  const samples = [];
  let price = 6_500_000_000_000n;
  for (let k = 1; k <= 24; k++) {
    price = (price * (k % 2 ? 108n : 92n)) / 100n;
    samples.push({ index: price, time: T0 + k * MINUTE });
  }
  for (let d = 1; d <= 60; d++) samples.push({ index: price, time: T0 + 24 * MINUTE + d * DAY });
  return samples;
}

const priceText = (raw) => `${raw / 100_000_000n}.${String(raw % 100_000_000n).padStart(8, "0")}`;

function assertMatchesTwin(engine, label) {
  const file = engine.toVenue();
  const twin = referenceVenueRisk(file, engineTables(engine));
  for (const want of twin.accounts) {
    const got = engine.accountRaw(want.id);
    assert.is(got.maintenanceMargin, want.maintenanceMargin, `${label}: ${want.id} MM`);
    assert.is(got.initialMargin, want.initialMargin, `${label}: ${want.id} IM`);
  }
}

test("a calm venue charges the priceScan floor with its 25 % buffer full", async () => {
  const dynamic = await MarginEngine.fromVenue(venue());
  const fixed = await MarginEngine.fromVenue(venue({}));
  // σ_daily = 0.6 / √365 = 0.0314; 3.5 σ = 0.110 < 0.16, so the candidate is the floor 0.16
  assert.is(dynamic.scanRange("BTC"), 200_000_000n);
  assert.is(fixed.scanRange("BTC"), 160_000_000n);
  // a long BTC position alone: the worst regular move is the whole range, 65,000 × 0.20 = 13,000
  assert.is(dynamic.accountRaw("long").maintenanceMargin, 13_000_000_000n);
  assert.is(fixed.accountRaw("long").maintenanceMargin, 10_400_000_000n);
  // standard accounts do not scan
  assert.is(dynamic.accountRaw("plain").maintenanceMargin, fixed.accountRaw("plain").maintenanceMargin);
  assert.equal(fixed.scenarioGrid("BTC"), fixed.scenarioGrid());
  assertMatchesTwin(dynamic, "calm");
});

test("the charged range follows its twin through a storm and a calm, buffer first", async () => {
  const engine = await MarginEngine.fromVenue(venue());
  const samples = stormThenCalm();
  const expected = referenceScanPath(SCAN, { index: 6_500_000_000_000n, time: T0 }, samples);
  const got = [engine.scanRange("BTC")];
  samples.forEach((s, k) => {
    engine.setPrice("BTC", priceText(s.index), s.time);
    got.push(engine.scanRange("BTC"));
    if (k % 8 === 0) assertMatchesTwin(engine, `sample ${k}`);
  });
  assert.equal(got, expected.map((p) => p.range));
  const steps = expected.slice(1).map((p, k) => ({ ...p, before: expected[k] }));
  // the buffer is spent first: the candidate rose while the range charged stood still
  assert.ok(steps.some((s) => s.candidate > s.before.candidate && s.range === s.before.range), "buffer absorbed a rise");
  assert.ok(steps.some((s) => s.range > s.before.range), "the range rose once the buffer was spent");
  assert.ok(steps.some((s) => s.candidate < s.before.candidate && s.range === s.before.range), "buffer rebuilt before margin falls");
  assert.ok(steps.some((s) => s.range < s.before.range), "the range fell in the calm");
  assert.ok(got.every((r) => r >= SCAN.floor && r <= SCAN.cap), "range within floor and cap");
  assert.is(engine.scanRange("ETH"), 200_000_000n, "an untouched underlying keeps its range");
  assertMatchesTwin(engine, "after the calm");
});

test("incremental refresh after range moves equals a restored engine's full recompute", async () => {
  const engine = await MarginEngine.fromVenue(venue());
  for (const s of stormThenCalm().slice(0, 12)) {
    engine.setPrice("BTC", priceText(s.index), s.time);
    engine.account("mixed");
  }
  const bytes = engine.snapshot();
  const restored = await MarginEngine.restore(bytes);
  assert.equal(restored.snapshot(), bytes, "restore → snapshot gives the same bytes");
  assert.is(restored.scanRange("BTC"), engine.scanRange("BTC"));
  assert.ok(engine.scanRange("BTC") > 200_000_000n, "the storm widened the range");
  restored.recompute();
  assert.equal(engine.riskColumns(), restored.riskColumns());
  // the next price moves both the same way: the variance state came through the snapshot
  engine.setPrice("BTC", "60000", T0 + 13 * MINUTE);
  restored.setPrice("BTC", "60000", T0 + 13 * MINUTE);
  assert.is(restored.scanRange("BTC"), engine.scanRange("BTC"));
  assert.is(restored.accountRaw("mixed").maintenanceMargin, engine.accountRaw("mixed").maintenanceMargin);
});

test("named grids rebuild at the range, custom grids scale, and moves never pass ±100 %", async () => {
  const span = await MarginEngine.fromVenue(venue());
  const grid = span.scenarioGrid("BTC");
  assert.equal(grid.slice(14).map((s) => s.move), [600_000_000n, -600_000_000n], "extremes are 3 × 0.20");
  const custom = await MarginEngine.fromVenue(venue({ dynamicMargin: true, grid: [{ move: "-0.5", vol: "up" }, { move: "0.25" }] }));
  assert.equal(custom.scenarioGrid("BTC").map((s) => s.move), [-625_000_000n, 312_500_000n], "scaled by 0.20 / 0.16");
  // a crash of 50 % a minute drives the candidate to the cap: the widest move is then 100 %
  let price = 65000n;
  for (let k = 1; k <= 6; k++) {
    price = k % 2 ? price / 2n : price * 2n;
    span.setPrice("BTC", String(price), T0 + k * MINUTE);
  }
  assert.is(span.scanRange("BTC"), 333_333_333n);
  assert.ok(span.scenarioGrid("BTC").every((s) => s.move <= 1_000_000_000n && s.move >= -1_000_000_000n));
  assertMatchesTwin(span, "at the cap");
});

test("dynamic margin parameters are validated, naming the field", async () => {
  const rejects = (params, code, field) =>
    expectMarginError(() => MarginEngine.fromVenue(venue(params)), { code, field, label: JSON.stringify(params) });
  await rejects({ dynamicMargin: "yes" }, "MALFORMED", "params.dynamicMargin");
  await rejects({ dynamicMargin: true, ewmaLambda: "1" }, "OUT_OF_RANGE", "params.ewmaLambda");
  await rejects({ dynamicMargin: true, ewmaLambda: "0" }, "OUT_OF_RANGE", "params.ewmaLambda");
  await rejects({ dynamicMargin: true, mporDays: "0" }, "OUT_OF_RANGE", "params.mporDays");
  await rejects({ dynamicMargin: true, scanSigmas: "-1" }, "OUT_OF_RANGE", "params.scanSigmas");
  // a custom grid is scaled by R / priceScan: without a priceScan its moves have no scale
  const custom = [{ move: "0.1" }, { move: "-0.1" }];
  await rejects({ dynamicMargin: true, priceScan: "0", grid: custom }, "OUT_OF_RANGE", "params.priceScan");
  const engine = await MarginEngine.fromVenue(venue({ priceScan: "0", grid: custom }));
  await expectMarginError(() => engine.withParams({ dynamicMargin: true }), { code: "OUT_OF_RANGE", field: "params.priceScan" });
  // a named grid is rebuilt at R itself: a priceScan of 0 is only its floor
  const named = await MarginEngine.fromVenue(venue({ dynamicMargin: true, priceScan: "0", extremeMultiple: "3" }));
  assert.ok(named.scanRange("BTC") > 0n);
});

test("a venue written after prints and loaded with dynamic margin starts its estimate where one switched on by a proposal does", async () => {
  const engine = await MarginEngine.fromVenue({ now: "2026-11-24T00:00:00Z", underlyings: [{ id: "BTC", spot: "65000", vol: "0.9" }] });
  const printed = Date.parse("2026-11-24T23:00:00Z");
  engine.setPrice("BTC", "63000", printed);
  const switched = await engine.withParams({ dynamicMargin: true });
  const loaded = await MarginEngine.fromVenue({ ...engine.toVenue(), params: { dynamicMargin: true } });
  assert.is(loaded.scanRange("BTC"), switched.scanRange("BTC"));
  // the first return is measured over the hour since that print, not the day since now
  for (const copy of [switched, loaded]) copy.setPrice("BTC", "50000", printed + 3_600_000);
  assert.is(loaded.scanRange("BTC"), switched.scanRange("BTC"));
});

test("the range charged is capped at 100 %, and at the grid's widest move within ±100 %", async () => {
  // vol 10: the candidate is far above every cap
  const rangeOf = async (params) => {
    const engine = await MarginEngine.fromVenue({ now: "2026-11-24T00:00:00Z", params: { ...DYNAMIC, ...params }, underlyings: [{ id: "U", spot: "100", vol: "10" }] });
    return [engine.scanRange("U"), engine.scenarioGrid("U").map((s) => s.move)];
  };
  // extremeMultiple 0.5: 1 / 0.5 = 2 would put span16's regular moves at ±200 %; the cap is 1
  const [named, namedMoves] = await rangeOf({ extremeMultiple: "0.5" });
  assert.is(named, 1_000_000_000n);
  assert.equal(namedMoves.slice(0, 12).filter((_, k) => k % 2 === 0), [0n, 333_333_333n, -333_333_333n, 666_666_667n, -666_666_667n, 1_000_000_000n]);
  // extremeMultiple 3 at priceScan 0.3: the band's top ⌈1.25 × 0.3⌉ is past 1 / 3, which caps it
  assert.is((await rangeOf({ priceScan: "0.3" }))[0], 333_333_333n);
  // a custom grid of ±1 % at priceScan 0.16 could widen 16 times; the cap is still 1, its moves ±0.0625
  const [custom, customMoves] = await rangeOf({ grid: [{ move: "0.01" }, { move: "-0.01" }] });
  assert.equal([custom, customMoves], [1_000_000_000n, [62_500_000n, -62_500_000n]]);
  // a calm venue charges 1.25 × priceScan: a move of 2e-9 scales to 2.5e-9, rounded half away from zero
  const calm = await MarginEngine.fromVenue({ now: "2026-11-24T00:00:00Z", params: { ...DYNAMIC, priceScan: "0.2", grid: [{ move: "0.000000002" }, { move: "-0.000000002" }] }, underlyings: [{ id: "U", spot: "100", vol: "0.5" }] });
  assert.equal([calm.scanRange("U"), calm.scenarioGrid("U").map((s) => s.move)], [250_000_000n, [3n, -3n]]);
});

test.run();
