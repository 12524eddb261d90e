// Issue 12's reproducers on the TypeScript API: bounded timestamps, faithful snapshots (the
// oracle clock, high-water marks), checksummed bytes, strict ISO-8601 times independent of the
// host's zone, setPrice without a source on an oracle-fed underlying, upsertAccount keeping what
// it is not given, null options.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { MarginEngine } from "../build/index.js";
import { expectMarginError, expectRefusedUnchanged } from "./helpers/margin-error.mjs";
import { withHeader } from "./helpers/snapshot-bytes.mjs";

const VENUE = readFileSync(new URL("../examples/venue.json", import.meta.url), "utf8");
const NOW = Date.parse("2026-11-24T00:00:00Z");
const SECOND = 1000, DAY = 86_400_000;

const unchangedAfter = (engine, fn, code, field) => expectRefusedUnchanged(engine, fn, { code, field });

test("timestamps past what a snapshot can write, or far ahead of the clock, are refused; snapshot and toVenue keep working", async () => {
  const engine = await MarginEngine.fromVenue(VENUE);
  await unchangedAfter(engine, () => engine.setPrice("BTC", "65001", 8.64e15 + 1, "feedA"), "OUT_OF_RANGE", "timestamp");
  await unchangedAfter(engine, () => engine.setPrice("BTC", "65001", NOW + 365 * DAY, "feedA"), "OUT_OF_RANGE", "timestamp");
  await unchangedAfter(engine, () => engine.setPrice("BTC-PERP", "65001", NOW + 365 * DAY), "OUT_OF_RANGE", "timestamp");
  await unchangedAfter(engine, () => engine.setPrice("BTC", "65001", NOW + 1.5, "feedA"), "PRECISION", "timestamp");
  await unchangedAfter(engine, () => engine.setPrice("BTC", "65001", "1", "feedA"), "MALFORMED", "timestamp");
  // within maxClockSkew (a day by default) of the clock a feed may run ahead
  engine.setPrice("BTC", "65001", NOW + DAY, "feedA");
  assert.is(engine.clock(), NOW + DAY);
  assert.ok(engine.snapshot().length > 0);
  assert.is(JSON.parse(JSON.stringify(engine.toVenue())).underlyings[0].sources[0].time, "2026-11-25T00:00:00Z");
  const tight = await MarginEngine.fromVenue({ ...JSON.parse(VENUE), params: { maxClockSkew: "5" } });
  await unchangedAfter(tight, () => tight.setPrice("BTC", "65001", NOW + 6 * SECOND, "feedA"), "OUT_OF_RANGE", "timestamp");
  tight.setPrice("BTC", "65001", NOW + 5 * SECOND, "feedA");
});

test("a restored engine judges a late feed print against the same oracle clock", async () => {
  const engine = await MarginEngine.fromVenue(VENUE);
  // the clock moves to +70 s; feedB (−1 s) is stale, and one fresh feed of two is no quorum: BTC keeps its index
  engine.setPrice("BTC", "65100", NOW + 70 * SECOND, "feedA");
  const restored = await MarginEngine.restore(engine.snapshot());
  assert.is(restored.clock(), engine.clock());
  for (const e of [engine, restored]) e.setPrice("BTC", "65000", NOW + 5 * SECOND, "feedB"); // older than the clock: stale on arrival
  assert.is(engine.underlyingIndex("BTC"), 6_500_250_000_000n);
  assert.equal(engine.staleUnderlyings(), ["BTC"]);
  assert.is(restored.underlyingIndex("BTC"), engine.underlyingIndex("BTC"));
  assert.equal(restored.staleUnderlyings(), engine.staleUnderlyings());
  assert.equal(restored.snapshot(), engine.snapshot());
});

test("a restored engine keeps the largest holdings its price checks are held to", async () => {
  const engine = await MarginEngine.fromVenue(VENUE);
  engine.setPosition("bob", "BTC-PERP", "100000", "65000"); // 6.5e9 of the 1e10 notional limit
  engine.setPosition("bob", "BTC-PERP", "0", "65000");
  const restored = await MarginEngine.restore(engine.snapshot());
  for (const e of [engine, restored]) {
    await unchangedAfter(e, () => e.setPrice("BTC-PERP", "150000", NOW + SECOND), "OUT_OF_RANGE", "price");
  }
  restored.loadColumns({
    count: 0, mode: new Uint8Array(0), parent: new Int32Array(0), positionOffsets: new Uint32Array(1), positionInstrument: new Uint16Array(0),
    positionLots: new Int32Array(0), positionEntry: new BigInt64Array(0), collateralOffsets: new Uint32Array(1),
    collateralAsset: new Uint8Array(0), collateralAmount: new BigInt64Array(0),
  });
  restored.setPrice("BTC-PERP", "150000", NOW + SECOND); // a bulk load starts the marks again
});

test("damaged snapshots are refused with a MarginError, whatever byte is hit", async () => {
  const engine = await MarginEngine.fromVenue(VENUE);
  engine.setPrice("BTC", "65100", NOW + 10 * SECOND, "feedA");
  const bytes = engine.snapshot();
  for (let at = 0; at < bytes.length; at++) {
    for (const flip of [1, 0x80]) {
      const damaged = bytes.slice();
      damaged[at] ^= flip;
      await expectMarginError(() => MarginEngine.restore(damaged), { code: "MALFORMED", field: /^snapshot/, label: `byte ${at} ^ ${flip}` });
    }
  }
  for (const length of [0, 8, 16, 40, bytes.length - 1]) {
    await expectMarginError(() => MarginEngine.restore(bytes.slice(0, length)), { code: "MALFORMED", field: /^snapshot/, label: `${length} bytes` });
  }
  for (const notBytes of [null, undefined, "MCSNAP03", [1, 2, 3], {}]) {
    await expectMarginError(() => MarginEngine.restore(notBytes), { code: "MALFORMED", field: "snapshot" });
  }
});

test("a forged snapshot's parents are named in the snapshot's header: an account its own parent, one out of range, a sub-account's sub-account", async () => {
  const engine = await MarginEngine.fromVenue(VENUE);
  const bytes = engine.snapshot();
  const n = engine.accounts().length;
  for (const parents of [[[1, 1]], [[1, n]], [[1, -1]], [[1, 0], [2, 1]]]) {
    await expectMarginError(() => MarginEngine.restore(withHeader(bytes, (h) => { h.parents = parents; })), { code: "MALFORMED", field: "snapshot.header.parents" });
  }
  const restored = await MarginEngine.restore(withHeader(bytes, (h) => { h.parents = [[1, 0], [2, 0]]; }));
  assert.equal(restored.accounts().map((a) => a.parent), [null, restored.accounts()[0].id, restored.accounts()[0].id, ...Array(n - 3).fill(null)]);
});

test("a forged snapshot's times no engine writes are refused: a print after the oracle clock or before now, a scan sample that is no time up to the clock", async () => {
  const engine = await MarginEngine.fromVenue({ ...JSON.parse(VENUE), params: { dynamicMargin: true } });
  engine.setPrice("BTC", "65100", NOW + 10 * SECOND, "feedA");
  const bytes = engine.snapshot();
  const refused = async (edit, field) => expectMarginError(() => MarginEngine.restore(withHeader(bytes, edit)), { code: "MALFORMED", field });
  const { clock, now } = JSON.parse(new TextDecoder().decode(bytes.subarray(16, 16 + Number(new DataView(bytes.buffer).getBigUint64(8, true)))));
  // a print on an underlying moves the clock to it
  await refused((h) => { h.underlyings[0].priceTime = clock + 1; }, "snapshot.header.underlyings[0].priceTime");
  // every row's print is at or after now, as a venue file's
  await refused((h) => { h.instruments[0].priceTime = now - 1; }, "snapshot.header.instruments[0].priceTime");
  await refused((h) => { h.assets[0].priceTime = now - 1; }, "snapshot.header.assets[0].priceTime");
  // a scan sample is taken at a print, a whole ms no later than the clock: one dated 10^300 would
  // hold every later print back from the dynamic range
  for (const sampleTime of [clock + 1, 0.5, 1e300]) {
    await refused((h) => { h.underlyings[0].scan.sampleTime = sampleTime; }, "snapshot.underlyings[0].scan.sampleTime");
  }
  // at their limits they restore: a mark printed ahead of the clock, a sample at the clock
  const restored = await MarginEngine.restore(withHeader(bytes, (h) => { h.instruments[0].priceTime = clock + DAY; h.underlyings[0].scan.sampleTime = clock; }));
  assert.equal(restored.accounts(), engine.accounts());
});

test("a forged snapshot's oracle state is refused: an index its sources do not make, staleness they do not, a clock that ages them out, a scan range outside its band; its account columns are named as the snapshot's", async () => {
  const venue = { ...JSON.parse(VENUE), params: { dynamicMargin: true } };
  venue.underlyings = [...venue.underlyings, { id: "ETH", spot: "3000", vol: "0.6" }];
  const engine = await MarginEngine.fromVenue(venue);
  const bytes = engine.snapshot();
  const refused = async (edit, field) => expectMarginError(() => MarginEngine.restore(withHeader(bytes, edit)), { code: "MALFORMED", field });
  // BTC's two fresh sources make 65,002.5; ETH has no sources, so its spot is its index
  await refused((h) => { h.underlyings[0].index = "7000000000000"; }, "snapshot.underlyings[0]");
  await refused((h) => { h.underlyings[0].stale = true; }, "snapshot.underlyings[0]");
  await refused((h) => { h.underlyings[1].stale = true; }, "snapshot.underlyings[1]");
  await refused((h) => { h.underlyings[1].index = "310000000000"; }, "snapshot.underlyings[1]");
  // a day later both sources are past maxPriceAge: BTC would be stale there, not indexed at their median
  await refused((h) => { h.clock += DAY; }, "snapshot.underlyings[0]");
  // the charged range lies in [candidate, 1.25 × candidate] for its variance: 0 does not
  await refused((h) => { h.underlyings[0].scan.range = "0"; }, "snapshot.underlyings[0].scan.range");
  // the accounts' columns are named as the snapshot holds them, not as loadColumns' argument
  await refused((h) => { h.accountIds.pop(); }, "snapshot.ids");
  await expectMarginError(() => MarginEngine.restore(withHeader(bytes, (h) => { h.accountIds[1] = h.accountIds[0]; })), { code: "DUPLICATE_ID", field: "snapshot.ids[1]" });
  // stale at that later clock, a stale underlying keeps whatever index it had
  const later = withHeader(bytes, (h) => {
    h.clock += DAY;
    h.underlyings[0].stale = true;
    h.underlyings[0].index = "6400000000000";
  });
  const restored = await MarginEngine.restore(later);
  assert.equal(restored.staleUnderlyings(), ["BTC"]);
  assert.is(restored.toVenue().underlyings[0].spot, "64000");
});

test("times carry a zone, name real dates, and parse the same in every host time zone", async () => {
  const venue = (now) => ({ ...JSON.parse(VENUE), now });
  const bad = [
    ["2026-11-24T00:00:00", "MALFORMED"], ["2026-11-31T00:00:00Z", "MALFORMED"], ["2026-02-29T00:00:00Z", "MALFORMED"],
    ["2026-11-24T24:00:00Z", "MALFORMED"], ["2026-11-24", "MALFORMED"], ["2026-11-24T00:00:00+25:00", "MALFORMED"],
    ["2026-11-24 00:00:00Z", "MALFORMED"], ["+02026-11-24T00:00:00Z", "MALFORMED"], ["1969-12-31T23:59:59Z", "OUT_OF_RANGE"],
  ];
  for (const [text, code] of bad) await expectMarginError(() => MarginEngine.fromVenue(venue(text)), { code, field: "now", label: text });
  await expectMarginError(() => MarginEngine.fromVenue(venue("2026-11-24T00:00:00.0001Z")), { code: "PRECISION", field: "now" });
  // a fraction of any length: zeros past the millisecond are the same time, anything else is finer
  await expectMarginError(() => MarginEngine.fromVenue(venue(`2026-11-24T00:00:00.5${"0".repeat(20)}1Z`)), { code: "PRECISION", field: "now" });
  const long = await MarginEngine.fromVenue(venue(`2026-11-24T00:00:00.5${"0".repeat(20)}Z`));
  assert.is(long.toVenue().now, "2026-11-24T00:00:00.500Z");
  const offset = await MarginEngine.fromVenue(venue("2026-11-24T01:00:00+01:00"));
  assert.equal(offset.snapshot(), (await MarginEngine.fromVenue(VENUE)).snapshot());
  const leap = await MarginEngine.fromVenue({ ...venue("2028-02-29T00:00:00.000000Z"), instruments: [], accounts: [] });
  assert.is(leap.toVenue().now, "2028-02-29T00:00:00Z");
  const script = `import("${new URL("../build/index.js", import.meta.url).href}").then(async ({ MarginEngine }) => {
    const e = await MarginEngine.fromVenue(${JSON.stringify(JSON.stringify(venue("2026-11-24T00:00:00-05:00")))});
    let local; try { await MarginEngine.fromVenue(${JSON.stringify(JSON.stringify(venue("2026-11-24T00:00:00")))}); } catch (x) { local = x.code; }
    console.log(JSON.stringify({ now: e.toVenue().now, local }));
  })`;
  const outputs = ["UTC", "America/New_York", "Asia/Kolkata"].map((TZ) =>
    spawnSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8", env: { ...process.env, TZ } }).stdout.trim());
  assert.equal(outputs, Array(3).fill(JSON.stringify({ now: "2026-11-24T05:00:00Z", local: "MALFORMED" })));
});

test("setPrice without a source on an oracle-fed underlying is refused, never an index of 1", async () => {
  const engine = await MarginEngine.fromVenue(VENUE);
  for (const at of [NOW, NOW + 1]) {
    await unchangedAfter(engine, () => engine.setPrice("BTC", "1", at), "MALFORMED", "source");
    await unchangedAfter(engine, () => engine.setPrice("BTC", "65500", at, null), "MALFORMED", "source");
  }
  assert.is(engine.underlyingIndex("BTC"), 6_500_250_000_000n);
  assert.is(engine.account("bob").status, "healthy");
  // an underlying without sources still takes its index directly
  engine.upsertUnderlying({ id: "ETH", spot: "3500", vol: "0.7" });
  engine.setPrice("ETH", "3400", NOW + 1);
  assert.is(engine.underlyingIndex("ETH"), 340_000_000_000n);
});

test("upsertAccount keeps the fields it is not given; parent: null detaches", async () => {
  const engine = await MarginEngine.fromVenue(VENUE);
  engine.upsertAccount({ id: "carol" });
  assert.is(engine.account("carol").parent, "alice");
  engine.upsertAccount({ id: "alice" });
  assert.is(engine.account("alice").mode, "portfolio");
  assert.equal(engine.account("alice").subAccounts, ["carol"]);
  engine.upsertAccount({ id: "carol", mode: "portfolio" });
  assert.equal([engine.account("carol").mode, engine.account("carol").parent], ["portfolio", "alice"]);
  engine.upsertAccount({ id: "carol", parent: null });
  assert.equal([engine.account("carol").mode, engine.account("carol").parent], ["portfolio", null]);
  engine.upsertAccount({ id: "dave" });
  assert.equal([engine.account("dave").mode, engine.account("dave").parent], ["standard", null]);
  // its own parent, new or not: the same error
  for (const id of ["dave", "erin"]) expectMarginError(() => engine.upsertAccount({ id, parent: id }), { code: "MALFORMED", field: "account.parent", label: id });
});

test("null or absent options mean the defaults", async () => {
  const engine = await MarginEngine.fromVenue(VENUE, null);
  const before = engine.snapshot();
  assert.equal(engine.liquidationQueue(null), engine.liquidationQueue());
  assert.equal(engine.liquidationQueue({ limit: null }), engine.liquidationQueue());
  assert.equal(engine.accounts(null), engine.accounts());
  assert.equal(engine.accounts({ liquidationPrices: null, offset: null, limit: null }), engine.accounts());
  await expectMarginError(() => engine.liquidationQueue({ limit: -1 }), { code: "OUT_OF_RANGE", field: "options.limit" });
  await expectMarginError(() => engine.liquidate({ limit: 0.5 }), { code: "OUT_OF_RANGE", field: "options.limit" });
  assert.equal(engine.scenarioGrid(null), engine.scenarioGrid());
  assert.equal(engine.snapshot(), before);
  await expectMarginError(() => engine.loadColumns(null), { code: "MALFORMED", field: "columns" });
  await expectMarginError(() => engine.accounts({ liquidationPrices: "yes" }), { code: "MALFORMED", field: "options.liquidationPrices" });
  assert.equal(engine.snapshot(), before);
  assert.is(engine.liquidate(null).queue.length, 1);
  assert.is((await MarginEngine.create(null)).stats().accounts, 0);
  assert.is((await MarginEngine.restore(before, null)).snapshot().length, before.length);
});

test.run();
