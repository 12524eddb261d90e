// docs/limits.md at its edges: the largest accepted value loads, one raw unit more is rejected
// naming the field, and accounts built from maxima compute exactly (checked against the BigInt
// twin), i.e. nothing overflows.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { MarginEngine } from "../build/index.js";
import { expectMarginError, expectRefusedUnchanged } from "./helpers/margin-error.mjs";
import { referenceVenueRisk } from "./reference/standard-margin.mjs";
import { parseDecimal } from "./reference/decimal.mjs";

const NOW = "2026-11-24T00:00:00Z";
const MAX_PRICE = "10000000000";
const MAX_TIERS = 64;

/** `count` brackets of equal width ending exactly at the 1e10 bound, rates rising to below 1. */
function tiers(count) {
  const width = 10_000_000_000 / count, step = 0.95 / count;
  return Array.from({ length: count }, (_, k) => ({
    upTo: String((k + 1) * width), imf: (0.02 + k * step).toFixed(6), mmf: (0.01 + k * step).toFixed(6),
  }));
}

/** 64 perps on one underlying at the price limit, each with the most tiers, and 16 assets at the collateral value limit. */
function extremeVenue({ side, loans }) {
  const instruments = Array.from({ length: 64 }, (_, k) => ({
    id: `P${k}`, kind: "perp", underlying: "X", lotSize: "1", mark: MAX_PRICE, tiers: tiers(MAX_TIERS),
  }));
  const assets = [{ id: "USD", price: "1", haircut: "0" }];
  for (let k = 0; k < 15; k++) assets.push({ id: `A${k}`, price: MAX_PRICE, haircut: "0.999999999" });
  const collateral = { USD: loans ? "-10000000000" : "10000000000" }; // the amount limit, 1e10
  for (let k = 0; k < 15; k++) collateral[`A${k}`] = loans ? "-10" : "10";
  return {
    now: NOW, settlement: "USD", params: {},
    assets, underlyings: [{ id: "X", spot: MAX_PRICE, vol: "10", rate: "1" }], instruments,
    accounts: [{
      id: "max", collateral,
      // |qty| × max(mark, entry, index) = 1 × 1e10: exactly the notional limit.
      positions: instruments.map((i) => ({ instrument: i.id, qty: side, entry: "0.00000001" })),
    }],
    insuranceFund: "1000000000000",
  };
}

async function expectExact(venue) {
  const engine = await MarginEngine.fromVenue(venue);
  const expected = referenceVenueRisk(venue, { optionModelValue: () => 0n }).accounts[0];
  const got = engine.accountRaw("max");
  assert.is(got.equity, expected.equity);
  assert.is(got.initialMargin, expected.initialMargin);
  assert.is(got.maintenanceMargin, expected.maintenanceMargin);
  assert.is(got.status, expected.status);
  return got;
}

test("an account built from maxima computes exactly (longs, positive collateral)", async () => {
  const risk = await expectExact(extremeVenue({ side: "1", loans: false }));
  // 64 × (1e10 − 1e-8) PnL, each floored to 9999999999.999999, + 1e10 USD + 15 × 100
  // (a 0.999999999 haircut leaves a billionth of 1e11) — all exact.
  assert.is(risk.equity, parseDecimal("650000001500", 6) - 64n);
});

test("an account built from maxima computes exactly (shorts and loans)", async () => {
  const risk = await expectExact(extremeVenue({ side: "-1", loans: true }));
  assert.ok(risk.equity < -(3n * 10n ** 18n), "deeply negative, far past 2^53, still exact");
  assert.is(risk.status, "bankrupt");
});

const expectRejected = (fn, field) => expectMarginError(fn, { code: "OUT_OF_RANGE", field });

test("tiers per instrument: 64 load and charge every bracket, 65 are refused naming the field, nothing changed", async () => {
  const perp = (id, count) => ({ id, kind: "perp", underlying: "X", lotSize: "1", mark: "100", tiers: tiers(count) });
  const venue = (count) => ({
    now: NOW, underlyings: [{ id: "X", spot: "100", vol: "0.5" }], instruments: [perp("P", count)],
    accounts: [{ id: "a", collateral: { USD: "10000000000" }, positions: [{ instrument: "P", qty: "-100000000", entry: "100" }] }],
  });
  const engine = await MarginEngine.fromVenue(venue(MAX_TIERS));
  // a notional of exactly 1e10 fills every bracket: MM = Σ width × (0.01 + k × step), IM likewise from 0.02
  const expected = referenceVenueRisk(venue(MAX_TIERS), { optionModelValue: () => 0n }).accounts[0];
  const got = engine.accountRaw("a");
  assert.is(got.maintenanceMargin, expected.maintenanceMargin);
  assert.is(got.initialMargin, expected.initialMargin);
  const width = 10_000_000_000n / BigInt(MAX_TIERS);
  const rates = tiers(MAX_TIERS).map((t) => parseDecimal(t.mmf, 9));
  assert.is(got.maintenanceMargin, rates.reduce((sum, r) => sum + width * r, 0n) / 1000n, "Σ bracket × rate, exact in µ");
  await expectMarginError(() => MarginEngine.fromVenue(venue(MAX_TIERS + 1)), { code: "OUT_OF_RANGE", field: "instruments[0].tiers" });
  await expectRefusedUnchanged(engine, () => engine.upsertInstrument(perp("Q", MAX_TIERS + 1)), { code: "OUT_OF_RANGE", field: "instrument.tiers" });
  engine.upsertInstrument(perp("Q", MAX_TIERS));
  assert.equal((await MarginEngine.restore(engine.snapshot())).snapshot(), engine.snapshot());
});

test("an option whose model value passes the price bound (a negative rate over a year or two) is valued at its mark, not at 0", async () => {
  const venue = (rate, expiry) => ({
    now: NOW,
    underlyings: [{ id: "X", spot: MAX_PRICE, vol: "0.5", rate }],
    instruments: [{ id: "P", kind: "option", underlying: "X", right: "put", strike: MAX_PRICE, expiry, lotSize: "1", mark: "5000000000" }],
    accounts: [
      { id: "long", collateral: { USD: "1000" }, positions: [{ instrument: "P", qty: "1", entry: "0" }] },
      { id: "short", collateral: { USD: "10000000000" }, positions: [{ instrument: "P", qty: "-1", entry: "0" }] },
    ],
  });
  // |rate| × years = 1 in both, the most the limit allows: one 365-day year, then two (2028 is a leap year)
  for (const [rate, expiry] of [["-1", "2027-11-24T00:00:00Z"], ["-0.5", "2028-11-23T00:00:00Z"]]) {
    const engine = await MarginEngine.fromVenue(venue(rate, expiry));
    // Black-76 prices this put far above 10^10 (K e^(−rT)): the guard's cap is then above any mark
    assert.ok(engine.optionModelValue("P") > 10n ** 18n, `rate ${rate}: model value past the price bound`);
    assert.is(engine.account("long").equity, "5000001000", `rate ${rate}: the long holds the mark's worth`);
    assert.is(engine.account("short").equity, "5000000000", `rate ${rate}: the short owes it`);
    assert.ok(parseDecimal(engine.account("short").maintenanceMargin, 6) > 0n, `rate ${rate}: the short is margined`);
  }
});

test("|rate| × years to an option's expiry: 1 accepted, 1 ms more rejected at load, upsertInstrument and upsertUnderlying", async () => {
  const YEAR = 365 * 86_400_000, now = Date.parse(NOW);
  const at = (ms) => new Date(now + ms).toISOString();
  const option = (id, expiry) => ({ id, kind: "option", underlying: "X", right: "put", strike: "100", expiry, lotSize: "1", mark: "1" });
  const venue = (rate, expiry) => ({
    now: NOW, underlyings: [{ id: "X", spot: "100", vol: "0.5", rate }],
    instruments: [option("P", expiry)], accounts: [{ id: "a", collateral: { USD: "1000" }, positions: [{ instrument: "P", qty: "-1", entry: "1" }] }],
  });
  for (const rate of ["-1", "1", "-0.25"]) {
    const years = 1 / Math.abs(Number(rate));
    await MarginEngine.fromVenue(venue(rate, at(years * YEAR)));
    await expectMarginError(() => MarginEngine.fromVenue(venue(rate, at(years * YEAR + 1))), { code: "OUT_OF_RANGE", field: "instruments[0].expiry" });
  }
  // a rate of 0 prices any expiry the time range holds
  await MarginEngine.fromVenue(venue("0", "9999-12-31T00:00:00Z"));

  const engine = await MarginEngine.fromVenue(venue("-0.5", at(2 * YEAR)));
  const before = engine.snapshot();
  expectRejected(() => engine.upsertInstrument(option("Q", at(2 * YEAR + 1))), "instrument.expiry");
  // a new rate is checked against every option on the underlying
  expectRejected(() => engine.upsertUnderlying({ id: "X", spot: "100", vol: "0.5", rate: "-0.500000001" }), "underlying.rate");
  assert.equal(engine.snapshot(), before, "nothing changed");
  engine.upsertUnderlying({ id: "X", spot: "100", vol: "0.5", rate: "0.5" });
  engine.upsertInstrument(option("Q", at(2 * YEAR)));
  assert.is(engine.toVenue().instruments.length, 2);
  await MarginEngine.fromVenue(engine.toVenue());
  // an expired option is valued at its payoff (T = 0): it holds no rate back, and the state still restores and reloads
  engine.settleExpired(now + 2 * YEAR + 1);
  engine.upsertUnderlying({ id: "X", spot: "100", vol: "0.5", rate: "1" });
  const restored = await MarginEngine.restore(engine.snapshot());
  assert.equal(restored.snapshot(), engine.snapshot());
  assert.equal((await MarginEngine.fromVenue(JSON.stringify(engine.toVenue()))).accountRaw("a"), engine.accountRaw("a"));
});

test("price, lots, notional, collateral and fund limits: max accepted, max + 1 rejected", async () => {
  const engine = await MarginEngine.fromVenue({
    now: NOW, assets: [{ id: "USD", price: "1" }, { id: "Z", price: "1" , haircut: "0.5" }],
    underlyings: [{ id: "X", spot: "1", vol: "0.5" }],
    instruments: [{ id: "P", kind: "perp", underlying: "X", lotSize: "0.00000001", mark: "1", tiers: [{ upTo: "10000000000", imf: "1", mmf: "1" }] }],
    accounts: [{ id: "a" }],
  });
  const t = Date.parse(NOW) + 1000;
  engine.setPrice("X", MAX_PRICE, t);
  expectRejected(() => engine.setPrice("X", "10000000000.00000001", t), "price");
  engine.setPrice("X", "1", t);
  engine.setPosition("a", "P", "9", "1");                 // 900,000,000 lots of 1e-8
  expectRejected(() => engine.setPosition("a", "P", "9.00000001", "1"), "qty");
  // notional: 9 units × entry 1,111,111,111.11111111 = 9,999,999,999.99999999 ≤ 1e10
  engine.setPosition("a", "P", "9", "1111111111.11111111");
  expectRejected(() => engine.setPosition("a", "P", "9", "1111111111.11111112"), "qty");
  // a price that would push the held position past the notional limit is refused
  expectRejected(() => engine.setPrice("X", "1111111111.11111112", t + 1), "price");
  engine.setCollateral("a", "Z", "10000000000");         // value 1e10 units × price 1
  engine.setPrice("Z", "10", t);                           // 1e11: exactly the value limit
  expectRejected(() => engine.setPrice("Z", "10.00000001", t), "price");
  expectRejected(() => engine.setCollateral("a", "Z", "10000000000.00000001"), "amount");
  // 9 units at mark 1 with a 100% rate: MM = notional = 9.
  assert.is(engine.accountRaw("a").maintenanceMargin, 9_000_000n);
  const fullFund = await MarginEngine.fromVenue({ now: NOW, insuranceFund: "1000000000000" });
  assert.is(fullFund.toVenue().insuranceFund, "1000000000000");
});

test("reference row counts at their limits: a file past one names its list, an upsert past one names its row", async () => {
  const underlyings = (n) => Array.from({ length: n }, (_, k) => ({ id: `U${k}`, spot: "100", vol: "0.5" }));
  const assets = (n) => Array.from({ length: n }, (_, k) => ({ id: k === 0 ? "USD" : `A${k}`, price: "1" }));
  const full = await MarginEngine.fromVenue({ now: NOW, underlyings: underlyings(1024), assets: assets(255) });
  await expectMarginError(() => MarginEngine.fromVenue({ now: NOW, underlyings: underlyings(1025) }), { code: "OUT_OF_RANGE", field: "underlyings" });
  await expectMarginError(() => MarginEngine.fromVenue({ now: NOW, assets: assets(256) }), { code: "OUT_OF_RANGE", field: "assets" });
  await expectMarginError(() => full.upsertUnderlying({ id: "U1024", spot: "100", vol: "0.5" }), { code: "OUT_OF_RANGE", field: "underlying" });
  await expectMarginError(() => full.upsertAsset({ id: "A255", price: "1" }), { code: "OUT_OF_RANGE", field: "asset" });
  // replacing a row adds none
  full.upsertUnderlying({ id: "U7", spot: "101", vol: "0.5" });
  full.upsertAsset({ id: "A7", price: "2" });
  assert.is(full.underlyingIndex("U7"), 10_100_000_000n);
});

test("an underlying's priceTime in a venue file is a print: at most maxClockSkew ahead of the file's clock, which then starts at it", async () => {
  const now = Date.parse(NOW), day = 86_400_000, at = (ms) => new Date(now + ms).toISOString();
  const venue = (priceTime, clock) => ({
    now: NOW, ...(clock === undefined ? {} : { clock }),
    underlyings: [{ id: "X", spot: "100", vol: "0.5", priceTime }, { id: "Y", vol: "0.5", sources: [{ id: "a", price: "50", time: NOW }] }],
  });
  for (const load of [(v) => MarginEngine.fromVenue(v), (v) => MarginEngine.fromVenue(JSON.stringify(v))]) {
    // the skew exactly: the clock starts at the print, so the next print need only be later than it
    const engine = await load(venue(at(day)));
    assert.is(engine.clock(), now + day);
    engine.setPrice("X", "101", now + day + 1);
    assert.is(engine.underlyingIndex("X"), 10_100_000_000n);
    // the clock moved a day: Y's only source aged out, as a print a day later would leave it
    assert.equal(engine.staleUnderlyings(), ["Y"]);
    await expectMarginError(() => load(venue(at(day + 1))), { code: "OUT_OF_RANGE", field: "underlyings[0].priceTime" });
    // measured from the file's clock when it has one
    assert.is((await load(venue(at(2 * day), at(day)))).clock(), now + 2 * day);
    await expectMarginError(() => load(venue(at(2 * day + 1), at(day))), { code: "OUT_OF_RANGE", field: "underlyings[0].priceTime" });
  }
  // written back, the file loads as it was
  const engine = await MarginEngine.fromVenue(venue(at(1000)));
  const reloaded = await MarginEngine.fromVenue(engine.toVenue());
  assert.equal([reloaded.clock(), reloaded.toVenue()], [engine.clock(), engine.toVenue()]);
  assert.equal((await MarginEngine.restore(engine.snapshot())).snapshot(), engine.snapshot());
});

test("an upsert that would take a held position or balance past its limit names the field that moved it: a strike, a mark, an asset's price or its underlying", async () => {
  const call = { id: "C", kind: "option", underlying: "X", right: "call", strike: "100", expiry: "2027-01-01T00:00:00Z", lotSize: "1", mark: "5" };
  const engine = await MarginEngine.fromVenue({
    now: NOW, assets: [{ id: "USD", price: "1" }, { id: "Z", price: "1" }],
    underlyings: [{ id: "X", spot: "100", vol: "0.5" }, { id: "Y", spot: "10.00000001", vol: "0.5" }],
    instruments: [call],
    // 10^8 short calls struck at 100: the notional limit; 10^10 Z at 10: the collateral value limit
    accounts: [{ id: "a", collateral: { USD: "10000000000", Z: "10000000000" }, positions: [{ instrument: "C", qty: "-100000000", entry: "5" }] }],
  });
  const refused = (fn, field) => expectRefusedUnchanged(engine, fn, { code: "OUT_OF_RANGE", field });
  await refused(() => engine.upsertInstrument({ ...call, strike: "100.00000001" }), "instrument.strike");
  await refused(() => engine.upsertInstrument({ ...call, mark: "100.00000001" }), "instrument.mark");
  await refused(() => engine.upsertInstrument({ ...call, strike: "100.00000001", mark: "100.00000001" }), "instrument.mark");
  engine.upsertInstrument({ ...call, strike: "99", mark: "100" });
  // Z priced by Y: its price field is not used, the underlying's index is
  await refused(() => engine.upsertAsset({ id: "Z", price: "1", underlying: "Y" }), "asset.underlying");
  await refused(() => engine.upsertAsset({ id: "Z", price: "10.00000001" }), "asset.price");
  engine.upsertUnderlying({ id: "Y", spot: "10", vol: "0.5" });
  const before = engine.accountRaw("a").equity;
  engine.upsertAsset({ id: "Z", price: "1", underlying: "Y" });
  // 10^10 Z from 1 to 10: exactly the value limit, worth 9 × 10^10 more
  assert.is(engine.accountRaw("a").equity - before, 90_000_000_000_000_000n);
});

test.run();
