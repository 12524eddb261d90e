// Price updates cost what they change (docs/methodology.md §9): a print re-prepares nothing until
// a result is asked for, then only the held instruments of its underlying; an instrument nobody
// holds is prepared when first needed; upsertInstrument writes its own row. Whatever was skipped,
// every figure read back equals a fresh engine's built from the same state.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { readFileSync } from "node:fs";
import { MarginEngine } from "../build/index.js";
import { expectMarginError } from "./helpers/margin-error.mjs";

const NOW = "2026-11-24T00:00:00Z";
const expiry = (days) => new Date(Date.parse(NOW) + days * 86_400_000).toISOString();

/** BTC with a perpetual and `count` options, five held; ETH with a perpetual held. */
function venue(count = 40) {
  const options = Array.from({ length: count }, (_, k) => ({
    id: `O${k}`, kind: "option", underlying: "BTC", right: k % 2 ? "put" : "call",
    strike: String(50_000 + 1000 * k), expiry: expiry(10 + 7 * k), lotSize: "0.1", mark: "2000", iv: "0.6",
  }));
  return {
    now: NOW, assets: [{ id: "USD", price: "1" }, { id: "WBTC", price: "1", haircut: "0.1", underlying: "BTC" }],
    underlyings: [{ id: "BTC", spot: "65000", vol: "0.6" }, { id: "ETH", spot: "3500", vol: "0.7" }],
    instruments: [
      { id: "BTC-PERP", kind: "perp", underlying: "BTC", lotSize: "0.001", mark: "65000", tiers: [{ upTo: "1000000", imf: "0.02", mmf: "0.01" }] },
      { id: "ETH-PERP", kind: "perp", underlying: "ETH", lotSize: "0.01", mark: "3500", tiers: [{ upTo: "1000000", imf: "0.02", mmf: "0.01" }] },
      ...options,
    ],
    accounts: Array.from({ length: 12 }, (_, a) => ({
      id: `a${a}`, mode: a % 3 ? "portfolio" : "standard", collateral: { USD: "200000", ...(a % 4 ? {} : { WBTC: "1.5" }) },
      positions: [
        { instrument: "BTC-PERP", qty: a % 2 ? "-0.5" : "0.7", entry: "64000" },
        { instrument: "ETH-PERP", qty: "3", entry: "3400" },
        ...["O1", "O2", "O5", "O8", "O13"].slice(0, 1 + (a % 5)).map((id, k) => ({ instrument: id, qty: (a + k) % 3 ? "0.3" : "-0.2", entry: "1800" })),
      ],
    })),
  };
}

/**
 * A fresh engine built from another's state, recomputed from scratch; with `holding`, one more
 * account holds a lot of each of those instruments, so a full recompute prepares them.
 */
async function fresh(engine, holding = []) {
  const file = engine.toVenue();
  if (holding.length > 0) {
    const lots = new Map(file.instruments.map((i) => [i.id, i.lotSize]));
    file.accounts.push({ id: "holder", mode: "portfolio", collateral: { USD: "1000000" }, positions: holding.map((id) => ({ instrument: id, qty: lots.get(id), entry: "1" })) });
  }
  const copy = await MarginEngine.fromVenue(file);
  copy.recompute();
  return copy;
}

function assertSameAccounts(engine, reference, label) {
  assert.is(JSON.stringify(engine.accounts()), JSON.stringify(reference.accounts()), `${label}: accounts`);
  assert.equal(engine.totals(), reference.totals(), `${label}: totals`);
}

test("prints pile up without work; reads then equal a fresh engine's, held or not", async () => {
  const engine = await MarginEngine.fromVenue(venue());
  engine.totals();
  let time = Date.parse(NOW);
  for (const price of ["65500", "64100.5", "63000"]) engine.setPrice("BTC", price, (time += 1000));
  engine.setPrice("O2", "2100", (time += 1000)); // a held option's mark
  engine.setPrice("O30", "150", (time += 1000)); // one nobody holds
  assertSameAccounts(engine, await fresh(engine), "after the prints");
  // the reference holds them all, so its full recompute prepares them whatever is lazy
  const ids = ["O0", "O2", "O30", "O31", "O39", "BTC-PERP"], reference = await fresh(engine, ids);
  for (const id of ids) {
    assert.equal(engine.riskArray(id), reference.riskArray(id), `${id} risk array`);
    assert.equal(engine.lotGreeks(id), reference.lotGreeks(id), `${id} greeks`);
  }
  assert.ok(engine.lotGreeks("O30").delta !== 0n, "an unheld option's greeks are computed");
  assert.is(engine.optionModelValue("O31"), reference.optionModelValue("O31"), "an unheld option's model value");
});

test("an order on an instrument nobody holds prices it first", async () => {
  const engine = await MarginEngine.fromVenue(venue());
  engine.totals();
  engine.setPrice("BTC", "61000", Date.parse(NOW) + 1000);
  const reference = await fresh(engine, ["O21"]);
  const order = { account: "a4", instrument: "O21", qty: "-0.5", price: "900" };
  assert.equal(engine.checkOrder(order), reference.checkOrder(order));
  assertSameAccounts(engine, await fresh(engine), "after the check");
});

test("upsertInstrument: a held row rewritten (tiers grown past their place or shrunk into it), a row added, many times over", async () => {
  const engine = await MarginEngine.fromVenue(venue());
  engine.totals();
  const perp = venue().instruments[1]; // ETH-PERP: its tiers follow BTC-PERP's in the module's table
  for (let k = 1; k <= 40; k++) {
    const tiers = Array.from({ length: 1 + (k % 6) }, (_, t) => ({ upTo: String(1000 * (t + 1) * (1 + (k % 3))), imf: String((5 + t) / 100), mmf: String((3 + t) / 100) }));
    engine.upsertInstrument({ ...perp, mark: String(3400 + 5 * k), tiers });
    engine.upsertInstrument({ id: `N${k}`, kind: "option", underlying: "ETH", right: "call", strike: String(3000 + 10 * k), expiry: expiry(30), lotSize: "1", mark: "50" });
    if (k % 7 === 0) assertSameAccounts(engine, await fresh(engine), `upsert round ${k}`);
  }
  engine.setPosition("a1", "N40", "-2", "50");
  engine.setPrice("ETH", "3600", Date.parse(NOW) + 1000);
  assertSameAccounts(engine, await fresh(engine), "after a position in a new row and a tick");
  // enough rewrites that the rows left behind pass a thousand and the table is laid out again
  for (let k = 1; k <= 600; k++) {
    const tiers = Array.from({ length: k % 2 ? 16 : 1 }, (_, t) => ({ upTo: String(1000 * (t + 1)), imf: "0.1", mmf: String(0.01 + (k % 5) / 100) }));
    engine.upsertInstrument({ ...perp, tiers });
  }
  assertSameAccounts(engine, await fresh(engine), "after the table was laid out again");
});

test("the notional check on a print counts every instrument held since the load", async () => {
  const file = venue();
  // 150 BTC of the perpetual: 150 × 65,000 is under the 1e10 limit, 150 × 70,000,000 is not
  file.accounts[0].positions[0] = { instrument: "BTC-PERP", qty: "150", entry: "65000" };
  const engine = await MarginEngine.fromVenue(file);
  const time = Date.parse(NOW);
  assert.throws(() => engine.setPrice("BTC", "70000000", time + 1000), (e) => e.code === "OUT_OF_RANGE" && e.field === "price");
  engine.setPosition("a0", "BTC-PERP", "0", "65000");
  // closed, but its largest holding since the load still bounds the price (docs/limits.md)
  assert.throws(() => engine.setPrice("BTC", "70000000", time + 2000), (e) => e.code === "OUT_OF_RANGE" && e.field === "price");
  engine.setPrice("BTC", "66000", time + 3000);
  assertSameAccounts(engine, await fresh(engine), "after the accepted print");
});

test("upsertUnderlying's sources count as prints: past maxClockSkew refused, changing nothing; ahead of the clock, they move it as a load would", async () => {
  const text = readFileSync(new URL("../examples/venue.json", import.meta.url), "utf8");
  const row = (time, price) => ({ id: "BTC", spot: "65000", vol: "0.55", rate: "0", sources: [
    { id: "feedA", price: "65010", time: "2026-11-23T23:59:58Z" }, { id: "feedB", price, time }] });
  const engine = await MarginEngine.fromVenue(text);
  const before = engine.snapshot();
  try {
    engine.upsertUnderlying(row("9999-12-31T23:59:59.999Z", "64995"));
    assert.unreachable("a source dated 9999 accepted");
  } catch (error) {
    assert.equal([error.code, error.field], ["OUT_OF_RANGE", "underlying.sources[1].time"]);
  }
  assert.equal(engine.snapshot(), before, "nothing changed");
  // an hour ahead, inside the skew: the clock moves there and feedA ages out; feedB alone is no
  // quorum of the two, so it does not become the index: BTC is stale at the row's spot
  engine.upsertUnderlying(row("2026-11-24T01:00:00Z", "100000"));
  assert.is(engine.clock(), Date.parse("2026-11-24T01:00:00Z"));
  assert.is(engine.underlyingIndex("BTC"), 6_500_000_000_000n);
  assert.equal(engine.staleUnderlyings(), ["BTC"]);
  const reloaded = await MarginEngine.fromVenue(JSON.stringify(engine.toVenue()));
  assert.equal([reloaded.clock(), reloaded.underlyingIndex("BTC"), reloaded.totals()], [engine.clock(), engine.underlyingIndex("BTC"), engine.totals()]);
});

test("a feed dated ahead reaches the same state by a print or by an upsert naming it: stale, the index kept, no sample of it taken", async () => {
  const t0 = "2026-11-24T00:00:00Z", now = Date.parse(t0);
  const venue = {
    now: t0, params: { dynamicMargin: true },
    underlyings: [{ id: "X", vol: "0.5", sources: [{ id: "a", price: "100", time: t0 }, { id: "b", price: "100", time: t0 }] }],
    instruments: [{ id: "XP", kind: "perp", underlying: "X", lotSize: "1", mark: "100", tiers: [{ upTo: "10000000000", imf: "0.1", mmf: "0.05" }] }],
    accounts: [{ id: "w", collateral: { USD: "600" }, positions: [{ instrument: "XP", qty: "100", entry: "100" }] }],
  };
  const [printed, upserted] = [await MarginEngine.fromVenue(venue), await MarginEngine.fromVenue(venue)];
  printed.setPrice("X", "50", now + 3_600_000, "b");
  upserted.upsertUnderlying({ id: "X", vol: "0.5", sources: [{ id: "a", price: "100", time: t0 }, { id: "b", price: "50", time: "2026-11-24T01:00:00Z" }] });
  for (const engine of [printed, upserted]) {
    assert.equal([engine.underlyingIndex("X"), engine.staleUnderlyings(), engine.account("w").equity], [10_000_000_000n, ["X"], "600"]);
  }
  assert.equal(upserted.scanRange("X"), printed.scanRange("X"));
});

test("oracleSources: each source's last price and time, and whether the index counts it — an outlier and an aged-out source do not", async () => {
  const t0 = "2026-11-24T00:00:00Z", now = Date.parse(t0);
  const engine = await MarginEngine.fromVenue({
    now: t0, underlyings: [{ id: "X", vol: "0.5", sources: ["a", "b", "c", "d"].map((id) => ({ id, price: "100", time: t0 })) }, { id: "Y", spot: "7", vol: "0.5" }],
  });
  engine.setPrice("X", "104", now + 1000, "b");
  engine.setPrice("X", "101", now + 2000, "c");
  // the fresh median of 100, 104, 101 and 100 is 100.5: 104 is 3.48 % from it, past maxSourceDeviation (3 %)
  assert.equal(engine.oracleSources("X"), [
    { id: "a", price: "100", time: now, counted: true }, { id: "b", price: "104", time: now + 1000, counted: false },
    { id: "c", price: "101", time: now + 2000, counted: true }, { id: "d", price: "100", time: now, counted: true },
  ]);
  assert.is(engine.underlyingIndex("X"), 10_000_000_000n); // the median of 100, 100, 101
  // 61 s later a and d have aged out: b and c are fresh and both within 3 % of their median — but two of four make no quorum
  engine.setPrice("X", "101", now + 61_000, "c");
  assert.equal(engine.oracleSources("X").map((s) => s.counted), [false, true, true, false]);
  assert.equal(engine.staleUnderlyings(), ["X"]);
  assert.equal(engine.oracleSources("Y"), []);
  await expectMarginError(() => engine.oracleSources("Z"), { code: "UNKNOWN_ID", field: "underlying" });
});

test("toVenue carries each row's last print time: the file loaded back refuses an older print as the engine that wrote it does", async () => {
  const example = readFileSync(new URL("../examples/venue.json", import.meta.url), "utf8");
  const engine = await MarginEngine.fromVenue(example);
  const t0 = engine.clock(), hour = 3_600_000;
  engine.setPrice("BTC-PERP", "65100", t0 + hour);                 // a mark, ahead of the clock
  engine.setPrice("BTC", "65050", t0 + 2 * hour, "feedA");         // a source, moving the clock
  const venue = engine.toVenue();
  assert.is(venue.instruments.find((i) => i.id === "BTC-PERP").priceTime, new Date(t0 + hour).toISOString().replace(".000Z", "Z"));
  const reloaded = await MarginEngine.fromVenue(JSON.stringify(venue));
  for (const copy of [engine, reloaded, await MarginEngine.restore(engine.snapshot())]) {
    expectMarginError(() => copy.checkPrice("BTC-PERP", "65200", t0 + hour - 1), { code: "OUT_OF_RANGE", field: "timestamp" });
    copy.checkPrice("BTC-PERP", "65200", t0 + hour);
  }
  assert.equal(JSON.parse(JSON.stringify(reloaded.toVenue())), JSON.parse(JSON.stringify(venue)));
  // under a tighter maxClockSkew the mark printed an hour ahead still loads back
  const tight = await engine.withParams({ maxClockSkew: "60" });
  await MarginEngine.fromVenue(JSON.stringify(tight.toVenue()));
  // a print time before now, or not a time, is refused
  const at = (ms) => new Date(ms).toISOString();
  const withTime = (member, id, time) => ({ ...venue, [member]: venue[member].map((row) => (row.id === id ? { ...row, priceTime: time } : row)) });
  await expectMarginError(() => MarginEngine.fromVenue(withTime("instruments", "BTC-PERP", at(t0 - 1))), { code: "OUT_OF_RANGE", field: /^instruments\[\d+\]\.priceTime$/ });
  await expectMarginError(() => MarginEngine.fromVenue(withTime("underlyings", "BTC", at(t0 - 1))), { code: "OUT_OF_RANGE", field: "underlyings[0].priceTime" });
  await expectMarginError(() => MarginEngine.fromVenue(withTime("assets", "USD", "noon")), { code: "MALFORMED", field: /^assets\[\d+\]\.priceTime$/ });
});


test("an upserted row's priceTime is judged as a venue file's: a time at or after now, no older than the price held, within maxClockSkew; kept, and an underlying's moves the clock", async () => {
  const text = readFileSync(new URL("../examples/venue.json", import.meta.url), "utf8");
  const engine = await MarginEngine.fromVenue(text);
  const file = JSON.parse(text), at = (ms) => new Date(Date.parse(NOW) + ms).toISOString().replace(".000Z", "Z");
  const perp = file.instruments.find((i) => i.kind === "perp"), usdc = { id: "USDC", price: "1", haircut: "0.01" }, eth = { id: "ETH", spot: "3500", vol: "0.6" };
  engine.upsertAsset(usdc);
  const refused = [
    [() => engine.upsertInstrument({ ...perp, priceTime: "garbage" }), "MALFORMED", "instrument.priceTime"],
    [() => engine.upsertInstrument({ ...perp, priceTime: 5 }), "MALFORMED", "instrument.priceTime"],
    [() => engine.upsertInstrument({ ...perp, priceTime: "2026-11-23T23:59:59Z" }), "OUT_OF_RANGE", "instrument.priceTime"],
    [() => engine.upsertAsset({ ...usdc, priceTime: at(86_400_001) }), "OUT_OF_RANGE", "asset.priceTime"],
    [() => engine.upsertUnderlying({ ...eth, priceTime: at(86_400_001) }), "OUT_OF_RANGE", "underlying.priceTime"],
  ];
  for (const [call, code, field] of refused) {
    const before = engine.snapshot();
    await expectMarginError(call, { code, field });
    assert.equal(engine.snapshot(), before, `${code} at ${field}: unchanged`);
  }
  // kept as given: a later print may not be older, and toVenue writes it back
  engine.upsertInstrument({ ...perp, priceTime: at(5_000) });
  await expectMarginError(() => engine.setPrice(perp.id, perp.mark, Date.parse(NOW) + 4_000), { code: "OUT_OF_RANGE", field: "timestamp" });
  assert.is(engine.toVenue().instruments.find((i) => i.id === perp.id).priceTime, at(5_000));
  await expectMarginError(() => engine.upsertInstrument({ ...perp, priceTime: at(4_000) }), { code: "OUT_OF_RANGE", field: "instrument.priceTime" });
  // left out, a row's print time never goes back: a mark printed ahead of the clock stays the one held
  engine.upsertInstrument(perp);
  await expectMarginError(() => engine.setPrice(perp.id, perp.mark, Date.parse(NOW) + 4_000), { code: "OUT_OF_RANGE", field: "timestamp" });
  // a row read from toVenue() and upserted back keeps its time
  engine.upsertInstrument(engine.toVenue().instruments.find((i) => i.id === perp.id));
  assert.is(engine.toVenue().instruments.find((i) => i.id === perp.id).priceTime, at(5_000));
  // an underlying's print time moves the oracle clock, as its sources' times do
  engine.upsertUnderlying({ ...eth, priceTime: at(60_000) });
  assert.is(engine.toVenue().clock, at(60_000));
  assert.equal((await MarginEngine.restore(engine.snapshot())).snapshot(), engine.snapshot());
});

test.run();
