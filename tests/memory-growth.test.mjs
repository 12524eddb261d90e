// Incremental growth past the module's memory: with a small maximumMemory, new accounts,
// positions and balances are refused with OUT_OF_RANGE before anything changes, and the engine
// goes on working — reads, edits that need no room, liquidation passes, snapshots.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { readFileSync } from "node:fs";
import { MarginEngine, generateVenue } from "../build/index.js";
import { expectMarginError } from "./helpers/margin-error.mjs";

const VENUE = readFileSync(new URL("../examples/venue.json", import.meta.url), "utf8");
const MiB = 2 ** 20;

/** Adds accounts with a balance and a position each until memory refuses; the refused edit is tried again on a snapshot's state. */
function growUntilRefused(engine, limit) {
  for (let k = 0; k < limit; k++) {
    const id = `grow-${k}`;
    const edits = [() => engine.upsertAccount({ id }), () => engine.setCollateral(id, "USD", "1000"), () => engine.setPosition(id, "BTC-PERP", "0.01", "65000")];
    for (const edit of edits) {
      const accountsBefore = engine.stats().accounts;
      try {
        edit();
      } catch (error) {
        if (error?.name !== "MarginError") throw error;
        assert.is(error.code, "OUT_OF_RANGE", error.message);
        assert.match(error.detail, "maximumMemory");
        // nothing changed (read without a snapshot, which would compact the arenas and make room)
        if (error.field === "account") assert.throws(() => engine.accountRaw(id), /UNKNOWN_ID/);
        else assert.equal(engine.toVenue().accounts.at(-1), { id, mode: "standard", collateral: error.field === "qty" ? { USD: "1000" } : {}, positions: [] });
        assert.is(engine.stats().accounts, accountsBefore);
        return { accounts: k, field: error.field };
      }
    }
  }
  return { accounts: limit, field: null };
}

test("growing account by account past maximumMemory is refused with OUT_OF_RANGE, and the engine keeps working", async () => {
  const engine = await MarginEngine.fromVenue(VENUE, { maximumMemory: 2 * MiB });
  const { accounts, field } = growUntilRefused(engine, 20_000);
  assert.ok(accounts > 1000, `grew to ${accounts} accounts first`);
  assert.ok(["account", "qty", "amount"].includes(field), `refused at ${field}`);
  assert.ok(engine.stats().memoryBytes <= 2 * MiB);
  const bytes = engine.snapshot();
  // reads, an edit that needs no room, a liquidation pass, a full recompute: all still work
  assert.is(engine.accounts().length, engine.stats().accounts);
  engine.setCollateral("bob", "USD", "501");
  engine.setPrice("BTC", "60000", Date.parse("2026-11-24T00:00:05Z"), "feedA");
  engine.setPrice("BTC", "60000", Date.parse("2026-11-24T00:00:05Z"), "feedB");
  engine.liquidationQueue();
  engine.liquidate();
  engine.recompute();
  assert.is(typeof engine.totals().equity, "string");
  // the same state in an engine with room computes the same
  const roomy = await MarginEngine.restore(bytes);
  const small = await MarginEngine.restore(bytes, { maximumMemory: 4 * MiB });
  assert.equal(small.accounts(), roomy.accounts());
});

test("a bulk load past maximumMemory is refused before it is staged", async () => {
  const engine = await MarginEngine.fromVenue(VENUE, { maximumMemory: 2 * MiB });
  const before = engine.snapshot();
  const n = 100_000;
  const columns = {
    count: n, mode: new Uint8Array(n), parent: new Int32Array(n).fill(-1),
    positionOffsets: Uint32Array.from({ length: n + 1 }, (_, k) => k), positionInstrument: new Uint16Array(n),
    positionLots: new Int32Array(n).fill(1), positionEntry: new BigInt64Array(n).fill(6_500_000_000_000n),
    collateralOffsets: new Uint32Array(n + 1), collateralAsset: new Uint8Array(0), collateralAmount: new BigInt64Array(0),
  };
  await expectMarginError(() => engine.loadColumns(columns), { code: "OUT_OF_RANGE", field: "columns.count" });
  assert.equal(engine.snapshot(), before);
  const roomy = await MarginEngine.fromVenue(VENUE, { maximumMemory: 64 * MiB });
  roomy.loadColumns(columns);
  assert.is(roomy.stats().accounts, n);
});

test("reference rows past maximumMemory are refused, and so is building an engine that cannot fit", async () => {
  // 1,000 options to start with (upserts one by one are slow: each re-mirrors every row)
  const start = JSON.parse(VENUE);
  for (let k = 0; k < 1000; k++) start.instruments.push({ id: `S-${k}`, kind: "option", underlying: "BTC", right: "call", strike: String(1000 + k), expiry: "2026-12-25T08:00:00Z", lotSize: "0.1", mark: "1" });
  const engine = await MarginEngine.fromVenue(start, { maximumMemory: 3.5 * MiB });
  let added = 0, refusal = null;
  for (; added < 20_000 && refusal === null; added++) {
    try {
      engine.upsertInstrument({ id: `C-${added}`, kind: "option", underlying: "BTC", right: "call", strike: String(50_000 + added), expiry: "2026-12-25T08:00:00Z", lotSize: "0.1", mark: "100" });
    } catch (error) {
      if (error?.name !== "MarginError") throw error;
      refusal = error;
    }
  }
  assert.ok(refusal !== null, "refused at last");
  assert.equal([refusal.code, refusal.field], ["OUT_OF_RANGE", "instrument"]);
  assert.ok(added > 10, `${added} instruments first`);
  assert.throws(() => engine.instrumentIndex(`C-${added - 1}`), /UNKNOWN_ID/);
  assert.is(engine.accounts().length, 3);
  const restored = await MarginEngine.restore(engine.snapshot());
  assert.equal(restored.accounts(), engine.accounts());
  // a venue of 5,000 options cannot be built in 1 MiB: refused as such, not a crash
  const venue = JSON.parse(VENUE);
  for (let k = 0; k < 5000; k++) venue.instruments.push({ id: `O-${k}`, kind: "option", underlying: "BTC", right: "put", strike: String(1000 + k), expiry: "2026-12-25T08:00:00Z", lotSize: "0.1", mark: "1" });
  await expectMarginError(() => MarginEngine.fromVenue(venue, { maximumMemory: MiB }), { code: "OUT_OF_RANGE", field: "maximumMemory" });
});

test("a venue or snapshot whose accounts do not fit is refused at maximumMemory, the caller's option, not at a field of its own", async () => {
  const { venue, columns } = generateVenue({ accounts: 20_000, seed: 3 });
  const writer = await MarginEngine.fromVenue({ ...venue, accounts: [] });
  writer.loadColumns(columns);
  const text = JSON.stringify(writer.toVenue());
  for (const input of [text, JSON.parse(text)]) {
    await expectMarginError(() => MarginEngine.fromVenue(input, { maximumMemory: 2 * MiB }), { code: "OUT_OF_RANGE", field: "maximumMemory", label: typeof input });
  }
  await expectMarginError(() => MarginEngine.restore(writer.snapshot(), { maximumMemory: 2 * MiB }), { code: "OUT_OF_RANGE", field: "maximumMemory", label: "restore" });
  // a built engine's own load still names its columns
  const small = await MarginEngine.fromVenue({ ...venue, accounts: [] }, { maximumMemory: 2 * MiB });
  await expectMarginError(() => small.loadColumns(columns), { code: "OUT_OF_RANGE", field: "columns.count" });
});

test("maximumMemory is checked: at least initialMemory and the module's own 1 MiB", async () => {
  for (const maximumMemory of [-1, 1.5, 2 ** 32 + 1, 65536, "1"]) {
    await expectMarginError(() => MarginEngine.create({ maximumMemory }), { code: "OUT_OF_RANGE", field: "options.maximumMemory", label: String(maximumMemory) });
  }
  await expectMarginError(() => MarginEngine.create({ initialMemory: 8 * MiB, maximumMemory: 4 * MiB }), { code: "OUT_OF_RANGE", field: "options.maximumMemory" });
  await expectMarginError(() => MarginEngine.create({ simd: "yes" }), { code: "MALFORMED", field: "options.simd" });
  assert.is((await MarginEngine.create({ maximumMemory: MiB })).stats().memoryBytes, MiB);
});

test.run();
