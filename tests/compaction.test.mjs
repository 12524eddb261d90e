// compact(): books moved by trading, slots moved by a new price group or a mode change, and the
// exposure index's stale bits are laid out in account order again. Nothing a caller can read
// changes — results, totals, snapshot bytes — the live bytes shrink by the holes, and the ticks
// and edits that follow give what a full recompute gives.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { readFileSync } from "node:fs";
import { xoroshiro128plus } from "pure-rand/generator/xoroshiro128plus";
import { uniformInt } from "pure-rand/distribution/uniformInt";
import { MarginEngine, generateVenue, formatDecimal, parseDecimal } from "../build/index.js";
import { expectRefusedUnchanged } from "./helpers/margin-error.mjs";

const ACCOUNTS = 3000;
const { venue, columns } = generateVenue({ accounts: ACCOUNTS, seed: 11 });
const perpetuals = venue.instruments.filter((i) => i.kind === "perp");

/** The generated venue after seeded trading: new perpetuals, new balances, closed positions, mode switches. */
async function traded(seed) {
  const engine = await MarginEngine.fromVenue({ ...venue, accounts: [] });
  engine.loadColumns(columns);
  engine.totals();
  const rng = xoroshiro128plus(seed), int = (lo, hi) => uniformInt(rng, lo, hi);
  const file = engine.toVenue();
  for (let k = 0; k < 1500; k++) {
    const account = file.accounts[int(0, ACCOUNTS - 1)];
    const step = int(0, 3);
    if (step === 0) {
      const perpetual = perpetuals[int(0, perpetuals.length - 1)];
      engine.setPosition(account.id, perpetual.id, perpetual.lotSize, perpetual.mark);
    } else if (step === 1) {
      engine.setCollateral(account.id, venue.assets[int(0, venue.assets.length - 1)].id, "1");
    } else if (step === 2 && account.positions.length > 0) {
      engine.setPosition(account.id, account.positions[0].instrument, "0", "1");
    } else {
      engine.upsertAccount({ id: account.id, mode: int(0, 1) === 0 ? "standard" : "portfolio" });
    }
    if (k % 100 === 0) engine.totals(); // results absorbed along the way, so slots move as they grow
  }
  engine.totals();
  return engine;
}

test("compact() changes nothing a caller reads and gives back the holes trading left", async () => {
  const engine = await traded(1);
  const snapshot = engine.snapshot(), totals = engine.totals(), accounts = engine.accounts(), risk = engine.riskColumns();
  const bytes = engine.stats().liveBytes;
  // the rows held, as the venue lists them, whatever room and holes the arenas keep
  const held = engine.toVenue().accounts.reduce((sum, a) => [sum[0] + a.positions.length, sum[1] + Object.keys(a.collateral).length], [0, 0]);
  const rows = ({ positions, collaterals }) => [positions, collaterals];
  assert.equal(rows(engine.stats()), held);
  assert.equal(rows((await MarginEngine.restore(snapshot)).stats()), held);
  engine.compact();
  assert.equal(rows(engine.stats()), held);
  assert.equal(engine.snapshot(), snapshot);
  assert.equal(engine.totals(), totals);
  assert.equal(engine.accounts(), accounts);
  assert.equal(engine.riskColumns(), risk);
  const compacted = engine.stats().liveBytes;
  assert.ok(compacted < bytes, `live bytes ${bytes} → ${compacted}`);
  // a second call finds nothing to move
  engine.compact();
  assert.is(engine.stats().liveBytes, compacted);
  assert.equal(engine.snapshot(), snapshot);
});

test("after compact(), ticks and edits move each account as a full recompute does", async () => {
  const engine = await traded(2);
  engine.compact();
  const full = await MarginEngine.restore(engine.snapshot());
  const clock = Date.parse(venue.now) + 1000;
  const same = (label) => {
    full.recompute();
    const a = engine.riskColumns(), b = full.riskColumns();
    assert.equal(a.equity, b.equity, `${label}: equity`);
    assert.equal(a.maintenanceMargin, b.maintenanceMargin, `${label}: MM`);
    assert.equal(a.status, b.status, `${label}: status`);
    assert.equal(engine.totals(), full.totals(), `${label}: totals`);
  };
  for (const [k, underlying] of venue.underlyings.entries()) {
    const price = formatDecimal((parseDecimal(underlying.spot, 8) * BigInt(96 + 2 * k)) / 100n, 8);
    for (const e of [engine, full]) e.setPrice(underlying.id, price, clock + k);
    same(`${underlying.id} tick`);
  }
  const perpetual = perpetuals[0];
  for (const e of [engine, full]) {
    e.setPosition("acc-7", perpetual.id, perpetual.lotSize, perpetual.mark);
    e.upsertAccount({ id: "acc-8", mode: "portfolio" });
  }
  same("edits");
  engine.compact();
  same("compacted again");
});

test("compact() that does not fit the memory is refused naming maximumMemory, and nothing changes", async () => {
  const text = readFileSync(new URL("../examples/venue.json", import.meta.url), "utf8");
  const engine = await MarginEngine.fromVenue(text, { maximumMemory: 2 ** 20 });
  // one-position books, each then given a second position: every book moves, until memory runs out
  const n = 9000;
  engine.loadColumns({
    count: n, ids: Array.from({ length: n }, (_, k) => `b-${k}`), mode: new Uint8Array(n), parent: new Int32Array(n).fill(-1),
    positionOffsets: Uint32Array.from({ length: n + 1 }, (_, k) => k), positionInstrument: new Uint16Array(n),
    positionLots: new Int32Array(n).fill(1), positionEntry: new BigInt64Array(n).fill(6_500_000_000_000n),
    collateralOffsets: Uint32Array.from({ length: n + 1 }, (_, k) => k), collateralAsset: new Uint8Array(n),
    collateralAmount: new BigInt64Array(n).fill(100_000_000_000n),
  });
  let moved = 0;
  try {
    for (; moved < n; moved++) engine.setPosition(`b-${moved}`, "BTC-20261225", "0.001", "65400");
  } catch (error) {
    if (error?.name !== "MarginError") throw error;
  }
  assert.ok(moved > 100 && moved < n, `${moved} books moved before the memory ran out`);
  engine.totals();
  await expectRefusedUnchanged(engine, () => engine.compact(), { code: "OUT_OF_RANGE", field: "maximumMemory" });
});

test("the tick cache reclaims the slots mode changes give up: a venue of constant size keeps to its memory", async () => {
  // 2,000 portfolio accounts with a perpetual on each of 8 underlyings (16 slot words each); each
  // flip sets an account to standard and back, a read after each: its slot is given up twice, and
  // the state is the same size after every flip
  const underlyings = Array.from({ length: 8 }, (_, u) => ({ id: `U${u}`, spot: "100", vol: "0.5" }));
  const instruments = underlyings.map((u) => ({ id: `${u.id}-PERP`, kind: "perp", underlying: u.id, lotSize: "0.01", mark: "100", tiers: [{ upTo: "1000000", imf: "0.1", mmf: "0.05" }] }));
  const accounts = Array.from({ length: 2000 }, (_, a) => ({
    id: `a${a}`, mode: "portfolio", collateral: { USD: "1000" }, positions: instruments.map((i) => ({ instrument: i.id, qty: "0.01", entry: "100" })),
  }));
  const venue = { now: "2026-11-24T00:00:00Z", underlyings, instruments, accounts };
  const engine = await MarginEngine.fromVenue(venue, { maximumMemory: 2 * 2 ** 20 });
  engine.totals();
  const loaded = engine.stats().liveBytes;
  // the slots' holes were never reclaimed short of a full recompute: 2 MiB ran out after 4,470 flips
  for (let flip = 0; flip < 6000; flip++) {
    const id = `a${flip % accounts.length}`;
    engine.upsertAccount({ id, mode: "standard" });
    engine.runningTotals();
    engine.upsertAccount({ id, mode: "portfolio" });
    engine.runningTotals();
  }
  const live = engine.stats().liveBytes;
  assert.ok(live < 2 * loaded, `live state ${live} bytes after the flips, ${loaded} loaded`);
  const fresh = await MarginEngine.fromVenue(venue);
  assert.equal(engine.accounts(), fresh.accounts());
  assert.equal(engine.totals(), fresh.totals());
  // and compact() asks for the slots' own words, not their holes too
  engine.compact();
  assert.equal(engine.accounts(), fresh.accounts());
});

test.run();
