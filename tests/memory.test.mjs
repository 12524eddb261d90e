// Wasm memory sized up front: an engine given memoryEstimate() for its load never grows its
// memory (the allocator's doubling is what kept 10M accounts out of 2 GiB) and computes what an
// engine growing on demand computes; a bad size is refused naming the option, and a load past
// what wasm32 can hold is refused before it is staged.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { MarginEngine, generateVenue } from "../build/index.js";
import { expectMarginError } from "./helpers/margin-error.mjs";

const PAGE = 65536;

test("a load sized by memoryEstimate stays in its initial memory and agrees with a growing one", async () => {
  const accounts = 50_000;
  const { venue, columns } = generateVenue({ accounts, seed: 5 });
  const initialMemory = MarginEngine.memoryEstimate({
    accounts, positions: columns.positionOffsets[accounts], collaterals: columns.collateralOffsets[accounts],
  });
  const sized = await MarginEngine.fromVenue({ ...venue, accounts: [] }, { initialMemory });
  const growing = await MarginEngine.fromVenue({ ...venue, accounts: [] });
  const before = sized.stats().memoryBytes;
  assert.is(before, Math.ceil(initialMemory / PAGE) * PAGE);
  for (const engine of [sized, growing]) {
    engine.loadColumns(columns);
    engine.recompute();
    engine.queueOrder();
  }
  assert.is(sized.stats().memoryBytes, before, "never grew");
  assert.ok(sized.stats().liveBytes <= initialMemory, "the live state fits the estimate");
  assert.equal(sized.riskColumns(), growing.riskColumns());
});

test("the correlation matrix is held only under correlation: 1,000 underlyings without it take no n² row", async () => {
  const venue = (correlation) => ({
    now: "2026-11-24T00:00:00Z",
    params: correlation === undefined ? {} : { correlation },
    underlyings: Array.from({ length: 1000 }, (_, k) => ({ id: `U${k}`, spot: "100", vol: "0.5", rate: "0" })),
    instruments: [0, 1].map((k) => ({ id: `P${k}`, kind: "perp", underlying: `U${k}`, lotSize: "1", mark: "100", tiers: [{ upTo: "1000000", imf: "0.1", mmf: "0.05" }] })),
    accounts: [{ id: "a", mode: "portfolio", collateral: { USD: "100" }, positions: [{ instrument: "P0", qty: "1", entry: "100" }, { instrument: "P1", qty: "1", entry: "100" }] }],
  });
  const plain = await MarginEngine.fromVenue(venue());
  const correlated = await MarginEngine.fromVenue(venue({ U0: { U1: "-1" } }));
  const matrix = 1000 * 1000 * 8;
  assert.ok(plain.stats().liveBytes < matrix, `${plain.stats().liveBytes} live bytes`);
  assert.ok(correlated.stats().liveBytes - plain.stats().liveBytes >= matrix, "the correlated venue holds its matrix");
  // both price their buckets: two opposite ones offset under ρ = −1 and add up without it
  const [alone, offset] = [plain, correlated].map((e) => BigInt(e.accountRaw("a").maintenanceMargin));
  assert.ok(offset < alone, `${offset} against ${alone}`);
  // the matrix follows the underlyings: one added keeps the pair's ρ, and a venue without correlation stays without a matrix
  for (const engine of [plain, correlated]) engine.upsertUnderlying({ id: "U1000", spot: "100", vol: "0.5", rate: "0" });
  assert.is(BigInt(correlated.accountRaw("a").maintenanceMargin), offset);
  assert.ok(plain.stats().liveBytes < matrix);
});

test("initialMemory outside [0, 4 GiB] is refused naming it", async () => {
  for (const initialMemory of [-1, 1.5, 2 ** 32 + 1, Number.NaN]) {
    await expectMarginError(() => MarginEngine.create({ initialMemory }), { code: "OUT_OF_RANGE", field: "options.initialMemory", label: String(initialMemory) });
  }
});

test("a load the module cannot hold is refused before anything is staged", async () => {
  const engine = await MarginEngine.create();
  const empty = { mode: new Uint8Array(1), parent: Int32Array.of(-1), positionInstrument: new Uint16Array(0), positionLots: new Int32Array(0),
    positionEntry: new BigInt64Array(0), collateralAsset: new Uint8Array(0), collateralAmount: new BigInt64Array(0) };
  const rejects = (columns, field) => expectMarginError(() => engine.loadColumns(columns), { code: "OUT_OF_RANGE", field });
  rejects({ ...empty, count: 1, positionOffsets: Uint32Array.of(0, 120_000_001), collateralOffsets: Uint32Array.of(0, 0) }, "columns.positionOffsets");
  rejects({ ...empty, count: 1, positionOffsets: Uint32Array.of(0, 0), collateralOffsets: Uint32Array.of(0, 120_000_001) }, "columns.collateralOffsets");
  // 30M accounts with 119M positions and 119M balances: about 4.3 GiB with staging, past wasm32
  const count = 30_000_000, offsets = (last) => {
    const column = new Uint32Array(count + 1);
    column[count] = last;
    return column;
  };
  rejects({
    ...empty, count, mode: new Uint8Array(count), parent: new Int32Array(count).fill(-1),
    positionOffsets: offsets(119_000_000), collateralOffsets: offsets(119_000_000),
  }, "columns.count");
  assert.is(engine.stats().accounts, 0);
});

test.run();
