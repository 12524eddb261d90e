// Incremental = full: after random price ticks (underlyings and instrument marks) and random
// book edits, the results kept up to date incrementally equal those of a full recompute, bit
// for bit, on random edge-case venues and on a generated one.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { xoroshiro128plus } from "pure-rand/generator/xoroshiro128plus";
import { uniformInt } from "pure-rand/distribution/uniformInt";
import { MarginEngine, MarginError, generateVenue } from "../build/index.js";
import { randomVenue } from "./reference/random-venue.mjs";
import { parseDecimal, formatDecimal } from "./reference/decimal.mjs";

/** Applies one operation to both engines; a rejection must reject on both and change nothing. */
function applyBoth(engines, op) {
  const outcomes = engines.map((engine) => {
    try {
      op(engine);
      return "ok";
    } catch (error) {
      if (!(error instanceof MarginError)) throw error;
      return error.code;
    }
  });
  assert.is(outcomes[0], outcomes[1]);
  return outcomes[0];
}

function assertSameResults(incremental, full, label) {
  full.recompute();
  const a = incremental.riskColumns(), b = full.riskColumns();
  assert.equal(a.equity, b.equity, `${label}: equity`);
  assert.equal(a.maintenanceMargin, b.maintenanceMargin, `${label}: maintenance margin`);
  assert.equal(a.status, b.status, `${label}: status`);
  assert.is(a.equityTotal, b.equityTotal, `${label}: equity total`);
  assert.is(a.maintenanceMarginTotal, b.maintenanceMarginTotal, `${label}: MM total`);
  assert.equal(a.statusCounts, b.statusCounts, `${label}: status counts`);
}

/** A random walk of ticks and edits over a venue's reference data. */
function randomOperations(venue, seed, count) {
  const rng = xoroshiro128plus(seed);
  const int = (lo, hi) => uniformInt(rng, lo, hi);
  const pick = (list) => list[int(0, list.length - 1)];
  const prices = new Map(venue.underlyings.map((u) => [u.id, parseDecimal(u.spot, 8)]));
  const marks = new Map(venue.instruments.map((i) => [i.id, parseDecimal(i.mark, 8)]));
  const moved = (raw) => {
    const next = (raw * BigInt(int(700, 1300))) / 1000n;
    return next > 0n ? next : 1n;
  };
  let time = Date.parse(venue.now);
  const ops = [];
  for (let k = 0; k < count; k++) {
    time += 1000;
    const at = time, roll = int(0, 9);
    if (roll < 6 || venue.accounts.length === 0) {
      const u = pick(venue.underlyings).id;
      const price = moved(prices.get(u));
      ops.push({ kind: "tick", apply: (e) => e.setPrice(u, formatDecimal(price, 8), at), commit: () => prices.set(u, price) });
    } else if (roll < 8) {
      const i = pick(venue.instruments).id;
      const mark = moved(marks.get(i));
      ops.push({ kind: "mark", apply: (e) => e.setPrice(i, formatDecimal(mark, 8), at), commit: () => marks.set(i, mark) });
    } else {
      const account = pick(venue.accounts).id;
      const instrument = pick(venue.instruments);
      const lots = BigInt(int(-5, 5));
      const qty = formatDecimal(lots * parseDecimal(instrument.lotSize, 8), 8);
      ops.push({ kind: "edit", apply: (e) => e.setPosition(account, instrument.id, qty, instrument.mark), commit: () => {} });
    }
  }
  return ops;
}

test("random edge-case venues: incremental refresh = full recompute after every step", async () => {
  let ticks = 0, rejected = 0;
  for (let seed = 301; seed <= 316; seed++) {
    const venue = randomVenue(seed, { accounts: 120 });
    const engines = await Promise.all([MarginEngine.fromVenue(venue), MarginEngine.fromVenue(venue)]);
    assertSameResults(engines[0], engines[1], `seed ${seed} start`);
    randomOperations(venue, seed, 40).forEach((op, k) => {
      const outcome = applyBoth(engines, op.apply);
      if (outcome === "ok") op.commit();
      else rejected++;
      if (op.kind === "tick") ticks++;
      // compare after most steps, and sometimes let several ticks pile up first
      if (k % 3 !== 1) assertSameResults(engines[0], engines[1], `seed ${seed} step ${k} (${op.kind}, ${outcome})`);
    });
    assert.is(JSON.stringify(engines[0].accounts()), JSON.stringify(engines[1].accounts()), `seed ${seed}: accounts with IM`);
    assert.equal(engines[0].totals(), engines[1].totals(), `seed ${seed}: totals`);
  }
  assert.ok(ticks > 300, "enough ticks exercised");
  assert.ok(rejected < ticks, "most ticks were accepted");
});

test("a generated venue: one-underlying ticks refresh exactly, statuses move", async () => {
  const { venue, columns } = generateVenue({ accounts: 4000, seed: 11 });
  const engines = await Promise.all([0, 1].map(() => MarginEngine.fromVenue({ ...venue, accounts: [] })));
  for (const engine of engines) engine.loadColumns(columns);
  assertSameResults(engines[0], engines[1], "start");
  const before = engines[0].riskColumns().statusCounts;
  let time = Date.parse(venue.now);
  const spot = { BTC: 65000, ETH: 3500, SOL: 150 };
  for (let k = 1; k <= 12; k++) {
    for (const engine of engines) engine.setPrice("BTC", (spot.BTC * (1 - 0.02 * k)).toFixed(2), time + k * 1000);
    if (k % 4 === 0) for (const engine of engines) engine.setPrice("SOL", (spot.SOL * (1 + 0.03 * k)).toFixed(2), time + k * 1000);
    assertSameResults(engines[0], engines[1], `tick ${k}`);
  }
  const after = engines[0].riskColumns().statusCounts;
  assert.ok(after.liquidatable + after.bankrupt > before.liquidatable + before.bankrupt, "a 24 % BTC fall puts more accounts under maintenance");
});

test.run();
