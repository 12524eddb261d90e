// docs/api.md, Errors: every rejection is a MarginError with a stable code and the offending field,
// and the engine's state is unchanged (equal snapshot bytes before and after).
import { test } from "uvu";
import * as assert from "uvu/assert";
import { readFileSync } from "node:fs";
import { MarginEngine } from "../build/index.js";
import { expectMarginError, expectRefusedUnchanged } from "./helpers/margin-error.mjs";

const VENUE = JSON.parse(readFileSync(new URL("../examples/venue.json", import.meta.url), "utf8"));
const clone = () => structuredClone(VENUE);

const expectVenueError = (venue, code, field) => expectMarginError(() => MarginEngine.fromVenue(venue), { code, field });

/** Runs a rejected operation and asserts the snapshot bytes did not change. */
async function rejectedWithoutChange(operation, code, field) {
  const engine = await MarginEngine.fromVenue(VENUE);
  await expectRefusedUnchanged(engine, () => operation(engine), { code, field });
}

test("venue: malformed JSON", async () => {
  await expectVenueError('{"now": "2026-11-24T00:00:00Z", "assets": [', "MALFORMED", "$");
});

test("venue: a member the file does not take is refused, by object and by text (a typo'd insuranceFund would have left the fund at 0)", async () => {
  const { insuranceFund, ...rest } = clone();
  for (const venue of [{ ...rest, insurancefund: insuranceFund }, { ...clone(), comment: "x" }]) {
    const key = Object.keys(venue).find((k) => !(k in VENUE) && k !== "clock");
    await expectVenueError(venue, "MALFORMED", key);
    await expectVenueError(JSON.stringify(venue), "MALFORMED", key);
  }
});

test("venue: over-precision decimals are rejected, not rounded", async () => {
  const v = clone();
  v.accounts[1].collateral.USD = "500.000000001";
  await expectVenueError(v, "PRECISION", "accounts[1].collateral.USD");
  const w = clone();
  w.instruments[0].mark = "65010.000000001";
  await expectVenueError(w, "PRECISION", "instruments[0].mark");
});

test("venue: NaN, Infinity and exponents are not numbers", async () => {
  for (const bad of ["NaN", "Infinity", "-Infinity", "1e5", "", " 1", "0x10"]) {
    const v = clone();
    v.underlyings[0].vol = bad;
    await expectVenueError(v, "INVALID_NUMBER", "underlyings[0].vol");
  }
  const v = clone();
  v.instruments[0].lotSize = NaN;
  await expectVenueError(v, "INVALID_NUMBER", "instruments[0].lotSize");
  const w = clone();
  w.instruments[0].lotSize = 0.001;
  await expectVenueError(w, "MALFORMED", "instruments[0].lotSize");
});

test("venue: unknown and duplicate ids", async () => {
  const v = clone();
  v.accounts[0].positions[0].instrument = "ETH-PERP";
  await expectVenueError(v, "UNKNOWN_ID", "accounts[0].positions[0].instrument");
  const w = clone();
  w.accounts[1].id = "alice";
  await expectVenueError(w, "DUPLICATE_ID", "accounts[1].id");
  const x = clone();
  x.instruments.push({ ...x.instruments[0] });
  await expectVenueError(x, "DUPLICATE_ID", "instruments[3].id");
  const y = clone();
  y.accounts[0].positions.push({ instrument: "BTC-PERP", qty: "0.1", entry: "1" });
  await expectVenueError(y, "DUPLICATE_ID", "accounts[0].positions[2].instrument");
  const z = clone();
  z.accounts[0].collateral.ETH = "1";
  await expectVenueError(z, "UNKNOWN_ID", "accounts[0].collateral.ETH");
  const p = clone();
  p.params.optIM = "0.2";
  await expectVenueError(p, "UNKNOWN_ID", "params.optIM");
});

test("venue: negative lot size and volatility", async () => {
  const v = clone();
  v.instruments[1].lotSize = "-0.1";
  await expectVenueError(v, "OUT_OF_RANGE", "instruments[1].lotSize");
  const w = clone();
  w.underlyings[0].vol = "-0.55";
  await expectVenueError(w, "OUT_OF_RANGE", "underlyings[0].vol");
  const x = clone();
  x.instruments[1].iv = "-0.6";
  await expectVenueError(x, "OUT_OF_RANGE", "instruments[1].iv");
});

test("venue: an underlying whose sources are all stale still loads, at their last prices", async () => {
  /** BTC with no spot and every source an hour old (> maxPriceAge). */
  const hourOld = (v) => {
    delete v.underlyings[0].spot;
    v.underlyings[0].sources.forEach((s) => { s.time = "2026-11-23T23:00:00Z"; });
    return v;
  };
  const engine = await MarginEngine.fromVenue(hourOld(clone()));
  const fresh = await MarginEngine.fromVenue(VENUE);
  // median of 65,010 and 64,995 = 65,002.5; alice's 0.5 BTC collateral is valued at it
  assert.is(engine.underlyingIndex("BTC"), 6_500_250_000_000n);
  assert.is(engine.account("alice").equity, fresh.account("alice").equity);
  // but the underlying is stale: an order adding risk on it is refused, one reducing risk is not
  assert.equal(engine.staleUnderlyings(), ["BTC"]);
  assert.equal(fresh.staleUnderlyings(), []);
  const adding = { account: "bob", instrument: "BTC-PERP", qty: "0.1", price: "65000" };
  assert.equal([engine.checkOrder(adding).accepted, engine.checkOrder(adding).reason], [false, "STALE_PRICE"]);
  assert.is.not(fresh.checkOrder(adding).reason, "STALE_PRICE");
  const reducing = engine.checkOrder({ ...adding, qty: "-0.1" });
  assert.equal([reducing.accepted, reducing.reason], [true, null]);

  // A third, outlying source tells the last known index from a fresh one: stale, the index is
  // the median of every last price (64,995); fresh, the deviation filter would drop 60,000 and
  // take the median of the other two (65,002.5).
  const outlier = (v) => {
    v.underlyings[0].sources.push({ id: "feedC", price: "60000", time: v.underlyings[0].sources[0].time });
    return v;
  };
  const staleOutlier = await MarginEngine.fromVenue(outlier(hourOld(clone())));
  const freshOutlier = await MarginEngine.fromVenue(outlier(clone()));
  assert.equal(staleOutlier.staleUnderlyings(), ["BTC"]);
  assert.is(staleOutlier.underlyingIndex("BTC"), 6_499_500_000_000n);
  assert.equal(freshOutlier.staleUnderlyings(), []);
  assert.is(freshOutlier.underlyingIndex("BTC"), 6_500_250_000_000n);
});

test("venue: an option already expired at load", async () => {
  const v = clone();
  v.instruments[1].expiry = "2026-11-24T00:00:00Z";
  await expectVenueError(v, "EXPIRED", "instruments[1].expiry");
});

test("venue: a quantity that is not whole lots", async () => {
  const v = clone();
  v.accounts[1].positions[0].qty = "0.2005";
  await expectVenueError(v, "NOT_WHOLE_LOTS", "accounts[1].positions[0].qty");
});

test("venue: limits + 1 are rejected with the field", async () => {
  const v = clone();
  v.instruments[0].mark = "10000000000.00000001";
  await expectVenueError(v, "OUT_OF_RANGE", "instruments[0].mark");
  const w = clone();
  w.accounts[1].positions[0].qty = "900000.001"; // 900,000,001 lots of 0.001
  await expectVenueError(w, "OUT_OF_RANGE", "accounts[1].positions[0].qty");
  const x = clone();
  x.insuranceFund = "1000000000000.000001";
  await expectVenueError(x, "OUT_OF_RANGE", "insuranceFund");
});

test("venue: an entry of 0 or below on a perpetual or future names the rule, by object and by text; an option's premium may be 0", async () => {
  for (const entry of ["0", "-1", "0.00000000"]) {
    const v = clone();
    v.accounts[1].positions[0].entry = entry;
    for (const venue of [v, JSON.stringify(v)]) {
      const error = await expectVenueError(venue, "OUT_OF_RANGE", "accounts[1].positions[0].entry");
      assert.match(error.message, "outside (0, 10000000000]", entry);
    }
  }
  const w = clone();
  const option = w.accounts[0].positions.find((p) => p.instrument === "BTC-20261225-70000-C");
  option.entry = "0";
  for (const venue of [w, JSON.stringify(w)]) assert.is((await MarginEngine.fromVenue(venue)).toVenue().accounts[0].positions.find((p) => p.instrument === option.instrument).entry, "0");
});

test("venue: a \"0\" balance is skipped and does not count toward an account's 16 assets", async () => {
  const v = clone();
  for (let k = 0; k < 16; k++) v.assets.push({ id: `A${k}`, price: "1", haircut: "0.1" });
  v.accounts[1].collateral = Object.fromEntries([["USD", "0"], ...Array.from({ length: 16 }, (_, k) => [`A${k}`, "1"])]);
  for (const venue of [v, JSON.stringify(v)]) {
    const engine = await MarginEngine.fromVenue(venue);
    assert.is(Object.keys(engine.toVenue().accounts[1].collateral).length, 16);
  }
  v.accounts[1].collateral.USD = "1";
  for (const venue of [v, JSON.stringify(v)]) await expectVenueError(venue, "OUT_OF_RANGE", "accounts[1].collateral");
});

test("the settlement asset's price and haircut are each named at their own field", async () => {
  const v = clone();
  v.assets[0].haircut = "0.1";
  await expectVenueError(v, "OUT_OF_RANGE", "assets[0].haircut");
  await rejectedWithoutChange((e) => e.upsertAsset({ id: "USD", price: "1", haircut: "0.1" }), "OUT_OF_RANGE", "asset.haircut");
  await rejectedWithoutChange((e) => e.upsertAsset({ id: "USD", price: "2" }), "OUT_OF_RANGE", "asset.price");
});

test("setPosition: bad input changes nothing", async () => {
  await rejectedWithoutChange((e) => e.setPosition("bob", "BTC-PERP", "0.0005", "65000"), "NOT_WHOLE_LOTS", "qty");
  await rejectedWithoutChange((e) => e.setPosition("bob", "BTC-PERP", "0.1", "NaN"), "INVALID_NUMBER", "entry");
  await rejectedWithoutChange((e) => e.setPosition("nobody", "BTC-PERP", "0.1", "65000"), "UNKNOWN_ID", "account");
  await rejectedWithoutChange((e) => e.setPosition("bob", "ETH-PERP", "0.1", "65000"), "UNKNOWN_ID", "instrument");
  // 153,847 BTC at an entry of 65,000 is past the 1e10 notional limit.
  await rejectedWithoutChange((e) => e.setPosition("bob", "BTC-PERP", "153847", "65000"), "OUT_OF_RANGE", "qty");
  await rejectedWithoutChange((e) => e.setPosition("bob", "BTC-PERP", "0.1", "65000.123456789"), "PRECISION", "entry");
});

test("setCollateral, setPrice, upserts: bad input changes nothing", async () => {
  await rejectedWithoutChange((e) => e.setCollateral("bob", "USD", "Infinity"), "INVALID_NUMBER", "amount");
  await rejectedWithoutChange((e) => e.setCollateral("bob", "DOGE", "1"), "UNKNOWN_ID", "asset");
  await rejectedWithoutChange((e) => e.setCollateral("bob", "USD", "100000000000.00000001"), "OUT_OF_RANGE", "amount");
  await rejectedWithoutChange((e) => e.setPrice("BTC", "NaN", Date.parse("2026-11-24T00:00:01Z")), "INVALID_NUMBER", "price");
  await rejectedWithoutChange((e) => e.setPrice("BTC", "-1", Date.parse("2026-11-24T00:00:01Z")), "OUT_OF_RANGE", "price");
  await rejectedWithoutChange((e) => e.setPrice("BTC", "0", Date.parse("2026-11-24T00:00:01Z")), "OUT_OF_RANGE", "price");
  await rejectedWithoutChange((e) => e.setPrice("BTC", "66000", Date.parse("2026-11-23T00:00:00Z")), "OUT_OF_RANGE", "timestamp");
  await rejectedWithoutChange((e) => e.setPrice("BTC", "66000", NaN), "INVALID_NUMBER", "timestamp");
  await rejectedWithoutChange((e) => e.setPrice("XRP", "1", Date.parse("2026-11-24T00:00:01Z")), "UNKNOWN_ID", "id");
  await rejectedWithoutChange((e) => e.upsertUnderlying({ id: "ETH", spot: "3500", vol: "-0.1" }), "OUT_OF_RANGE", "underlying.vol");
  await rejectedWithoutChange((e) => e.upsertInstrument({ id: "X", kind: "perp", underlying: "BTC", lotSize: "-1", mark: "1", tiers: [] }), "OUT_OF_RANGE", "instrument.lotSize");
  await rejectedWithoutChange((e) => e.upsertInstrument({
    id: "BTC-PERP", kind: "perp", underlying: "BTC", lotSize: "0.01", mark: "65000",
    tiers: [{ upTo: "1000000", imf: "0.02", mmf: "0.01" }],
  }), "OUT_OF_RANGE", "instrument.lotSize");
  // a held instrument's kind and underlying are named as such, even once its positions are closed
  await rejectedWithoutChange((e) => e.upsertInstrument({
    id: "BTC-PERP", kind: "future", expiry: "2026-12-25T08:00:00Z", underlying: "BTC", lotSize: "0.001", mark: "65000",
    tiers: [{ upTo: "1000000", imf: "0.02", mmf: "0.01" }],
  }), "OUT_OF_RANGE", "instrument.kind");
  const closed = await MarginEngine.fromVenue(VENUE);
  closed.upsertUnderlying({ id: "ETH", spot: "3500", vol: "0.7" });
  for (const account of closed.accounts()) closed.setPosition(account.id, "BTC-PERP", "0", "65000");
  await expectRefusedUnchanged(closed, () => closed.upsertInstrument({
    id: "BTC-PERP", kind: "perp", underlying: "ETH", lotSize: "0.001", mark: "3500", tiers: [{ upTo: "1000000", imf: "0.02", mmf: "0.01" }],
  }), { code: "OUT_OF_RANGE", field: "instrument.underlying" });
  await rejectedWithoutChange((e) => e.upsertInstrument({
    id: "BTC-OLD", kind: "option", right: "call", underlying: "BTC", strike: "60000", lotSize: "0.1",
    mark: "5000", expiry: "2026-11-01T00:00:00Z",
  }), "EXPIRED", "instrument.expiry");
  await rejectedWithoutChange((e) => e.upsertInstrument({
    id: "Y", kind: "perp", underlying: "BTC", lotSize: "0.001", mark: "1",
    tiers: [{ upTo: "100", imf: "0.02", mmf: "0.03" }],
  }), "OUT_OF_RANGE", "instrument.tiers[0].mmf");
  await rejectedWithoutChange((e) => e.upsertAsset({ id: "USD", price: "1.01" }), "OUT_OF_RANGE", "asset.price");
});

test("loadColumns: a bad row rejects the whole batch and changes nothing", async () => {
  const columns = () => ({
    count: 2, mode: new Uint8Array([0, 1]), parent: new Int32Array([-1, 0]),
    positionOffsets: new Uint32Array([0, 1, 3]),
    positionInstrument: new Uint16Array([0, 0, 2]),
    positionLots: new Int32Array([100, -5, 7]),
    positionEntry: new BigInt64Array([6_500_000_000_000n, 6_400_000_000_000n, 6_500_000_000_000n]),
    collateralOffsets: new Uint32Array([0, 1, 2]),
    collateralAsset: new Uint8Array([0, 1]),
    collateralAmount: new BigInt64Array([100_000_000_000n, 10_000_000n]),
  });
  const engine = await MarginEngine.fromVenue(VENUE);
  engine.loadColumns(columns()); // the unmodified batch is valid
  assert.is(engine.account("acc-1").parent, "acc-0");

  const cases = [
    [(c) => { c.positionLots[2] = 0; }, "OUT_OF_RANGE", "columns.positionLots[2]", "0 holds nothing: leave the row out"],
    [(c) => { c.positionLots[1] = 900_000_001; }, "OUT_OF_RANGE", "columns.positionLots[1]"],
    [(c) => { c.positionInstrument[2] = 3; }, "UNKNOWN_ID", "columns.positionInstrument[2]"],
    [(c) => { c.positionInstrument[2] = 0; }, "DUPLICATE_ID", "columns.positionInstrument[2]"],
    [(c) => { c.positionEntry[0] = 0n; }, "OUT_OF_RANGE", "columns.positionEntry[0]"],
    [(c) => { c.collateralAsset[1] = 9; }, "UNKNOWN_ID", "columns.collateralAsset[1]"],
    [(c) => { c.collateralAmount[0] = 10n ** 19n / 10n + 1n; }, "OUT_OF_RANGE", "columns.collateralAmount[0]", "outside the documented limits (docs/limits.md)"],
    [(c) => { c.collateralAmount[1] = 0n; }, "OUT_OF_RANGE", "columns.collateralAmount[1]", "0 holds nothing: leave the row out"],
    [(c) => { c.mode[1] = 2; }, "MALFORMED", "columns.mode[1]"],
    [(c) => { c.positionOffsets[1] = 4; }, "MALFORMED", "columns.positionOffsets[1]"],
    [(c) => { c.parent[0] = 0; }, "MALFORMED", "columns.parent[0]"],
    [(c) => { c.ids = ["a", "a"]; }, "DUPLICATE_ID", "columns.ids[1]"],
  ];
  for (const [mutate, code, field, detail] of cases) {
    const before = engine.snapshot();
    const c = columns();
    mutate(c);
    const error = await expectMarginError(() => engine.loadColumns(c), { code, field });
    if (detail !== undefined) assert.is(error.detail, detail, field);
    assert.equal(engine.snapshot(), before, `snapshot changed after ${field}`);
  }
});

test("restore rejects bytes that are not a snapshot", async () => {
  await expectMarginError(() => MarginEngine.restore(new Uint8Array([1, 2, 3])), { code: "MALFORMED", field: "snapshot" });
});

test.run();
