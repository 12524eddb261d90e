// An optional member of a venue file, or of a row an upsert takes, given as null takes its
// default exactly as one left out (docs/api.md): JSON written by other tools often spells an
// absent field as null. `now: null` stays MALFORMED: its absence means the current time.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { readFileSync } from "node:fs";
import { MarginEngine } from "../build/index.js";
import { expectMarginError } from "./helpers/margin-error.mjs";

const base = JSON.parse(readFileSync(new URL("../examples/venue.json", import.meta.url), "utf8"));
const EMPTY_PARAMS = { liquidationFee: null, grid: null, correlation: null, dynamicMargin: null, maxPriceAge: null, maxLiquidationNotionalPerPass: null, shockCollateral: null };

/** The example venue with every optional member it leaves out given as null instead. */
function withNulls() {
  const v = structuredClone(base);
  v.params = EMPTY_PARAMS;
  v.insuranceFund ??= null;
  v.clock = null;
  for (const row of [...v.assets, ...v.underlyings, ...v.instruments]) row.priceTime ??= null;
  for (const a of v.assets) for (const k of ["haircut", "underlying"]) if (!(k in a)) a[k] = null;
  v.underlyings.push({ id: "ETH", spot: "3000", vol: "0.7", rate: null, sources: null });
  for (const i of v.instruments) {
    i.liquidity ??= null;
    if (i.kind === "option") i.iv = null;
  }
  for (const a of v.accounts) for (const k of ["mode", "parent", "positions", "collateral"]) if (!(k in a) || a[k] === "standard") a[k] = null;
  return v;
}

/** The same venue with those members left out. */
function leftOut() {
  const v = structuredClone(base);
  v.underlyings.push({ id: "ETH", spot: "3000", vol: "0.7" });
  for (const i of v.instruments) if (i.kind === "option") delete i.iv;
  for (const a of v.accounts) if (a.mode === "standard") delete a.mode;
  return v;
}

const results = (engine) => JSON.stringify({ accounts: engine.accounts({ liquidationPrices: true }), totals: engine.totals(), scenarios: engine.scenarios("alice") });

test("a venue whose optional members are null loads as the one that leaves them out, as an object and as text", async () => {
  const nulls = withNulls();
  assert.ok(nulls.accounts.some((a) => a.mode === null) && nulls.assets.some((a) => a.underlying === null), "the venue does hold nulls");
  const expected = await MarginEngine.fromVenue(leftOut());
  for (const venue of [nulls, JSON.stringify(nulls)]) {
    const engine = await MarginEngine.fromVenue(venue);
    assert.is(results(engine), results(expected));
    assert.equal(engine.toVenue(), expected.toVenue());
    assert.equal(engine.snapshot(), expected.snapshot());
  }
});

test("an upsert row's null members are its defaults; upsertAccount's mode: null sets standard", async () => {
  const edited = async (rows) => {
    const engine = await MarginEngine.fromVenue(base);
    engine.upsertUnderlying(rows.underlying);
    engine.upsertAsset(rows.asset);
    engine.upsertInstrument(rows.instrument);
    return engine;
  };
  const tiers = [{ upTo: "1000000", imf: "0.05", mmf: "0.025" }];
  const nulls = await edited({
    underlying: { id: "SOL", spot: "150", vol: "0.9", rate: null, sources: null },
    asset: { id: "SOLC", price: "150", haircut: null, underlying: null },
    instrument: { id: "SOL-PERP", kind: "perp", underlying: "SOL", lotSize: "1", mark: "150", tiers, liquidity: null },
  });
  const absent = await edited({
    underlying: { id: "SOL", spot: "150", vol: "0.9" },
    asset: { id: "SOLC", price: "150" },
    instrument: { id: "SOL-PERP", kind: "perp", underlying: "SOL", lotSize: "1", mark: "150", tiers },
  });
  assert.equal(nulls.toVenue(), absent.toVenue());
  assert.is(nulls.toVenue().underlyings.find((u) => u.id === "SOL").rate, "0");
  assert.is(nulls.account("alice").mode, "portfolio");
  nulls.upsertAccount({ id: "alice", mode: null });
  assert.is(nulls.account("alice").mode, "standard");
});

test("now: null is still MALFORMED, and a null where a value is required is named", async () => {
  await expectMarginError(() => MarginEngine.fromVenue({ ...base, now: null }), { code: "MALFORMED", field: "now" });
  await expectMarginError(() => MarginEngine.fromVenue({ ...base, underlyings: [{ ...base.underlyings[0], vol: null }] }), { code: "MALFORMED", field: "underlyings[0].vol" });
  await expectMarginError(() => MarginEngine.fromVenue({ ...base, underlyings: [{ ...base.underlyings[0], spot: null, sources: null }] }), { code: "MALFORMED", field: "underlyings[0].spot" });
});

test.run();
