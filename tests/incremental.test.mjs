// Incremental = full: after random price ticks (underlyings and instrument marks), book edits,
// mode changes and instrument upserts, the results kept up to date incrementally — a tick moves
// an account by its ticked group alone, from its cache slot — equal those of a full recompute,
// bit for bit, IM total included: on random edge-case venues, on venues that aggregate buckets
// by correlation, scale their ranges dynamically and hold balances priced by the ticked
// underlying, and on a generated one.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { readFileSync } from "node:fs";
import { xoroshiro128plus } from "pure-rand/generator/xoroshiro128plus";
import { uniformInt } from "pure-rand/distribution/uniformInt";
import { MarginEngine, MarginError, generateVenue } from "../build/index.js";
import { randomVenue } from "./reference/random-venue.mjs";
import { parseDecimal, formatDecimal } from "./reference/decimal.mjs";
import { referenceGreeks } from "./reference/greeks.mjs";

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
  // the IM total is kept incrementally too (IM follows from MM, or sits in a standard account's cache slot)
  assert.is(incremental.totals().initialMargin, full.totals().initialMargin, `${label}: IM total`);
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
    const at = time, roll = int(0, 10);
    if (roll < 6 || venue.accounts.length === 0) {
      const u = pick(venue.underlyings).id;
      const price = moved(prices.get(u));
      ops.push({ kind: "tick", apply: (e) => e.setPrice(u, formatDecimal(price, 8), at), commit: () => prices.set(u, price) });
    } else if (roll < 8) {
      const i = pick(venue.instruments).id;
      const mark = moved(marks.get(i));
      ops.push({ kind: "mark", apply: (e) => e.setPrice(i, formatDecimal(mark, 8), at), commit: () => marks.set(i, mark) });
    } else if (roll < 9) {
      const account = pick(venue.accounts);
      const instrument = pick(venue.instruments);
      const lots = BigInt(int(-5, 5));
      const qty = formatDecimal(lots * parseDecimal(instrument.lotSize, 8), 8);
      ops.push({ kind: "edit", apply: (e) => e.setPosition(account.id, instrument.id, qty, instrument.mark), commit: () => {} });
    } else if (roll < 10) {
      const account = pick(venue.accounts);
      const mode = account.mode === "portfolio" ? "standard" : "portfolio";
      ops.push({ kind: "mode", apply: (e) => e.upsertAccount({ id: account.id, mode }), commit: () => { account.mode = mode; } });
    } else {
      // an instrument's row replaced (its mark, and its tiers grown or cut), or a new one listed
      const row = pick(venue.instruments);
      const next = { ...row, id: int(0, 3) === 0 ? `${row.id}-N${k}` : row.id, mark: formatDecimal(moved(marks.get(row.id)), 8) };
      if (next.tiers?.length) {
        const kept = next.tiers.slice(0, int(1, next.tiers.length));
        next.tiers = kept.length < 16 && int(0, 1) ? [...kept, { upTo: "10000000000", imf: "1", mmf: "0.5" }] : kept;
      }
      ops.push({ kind: "upsert", apply: (e) => e.upsertInstrument(next), commit: () => {
        if (next.id === row.id) marks.set(row.id, parseDecimal(next.mark, 8));
        else if (!venue.instruments.some((x) => x.id === next.id)) { venue.instruments.push(next); marks.set(next.id, parseDecimal(next.mark, 8)); }
      } });
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

test("correlated buckets, dynamic scan ranges, balances priced by the ticked underlying: incremental = full", async () => {
  let pricedBalances = 0, correlatedAccounts = 0;
  for (let seed = 401; seed <= 410; seed++) {
    const venue = randomVenue(seed, { accounts: 100 });
    const ids = venue.underlyings.map((u) => u.id);
    // every pair correlated at 0.5 (positive semi-definite), ranges following the index, and a
    // balance priced by the first underlying in a third of the accounts
    const correlation = Object.fromEntries(ids.slice(0, -1).map((a, k) => [a, Object.fromEntries(ids.slice(k + 1).map((b) => [b, "0.5"]))]));
    venue.params = { ...venue.params, dynamicMargin: true, ...(ids.length > 1 ? { correlation } : {}) };
    venue.assets.push({ id: "PRICED", price: "1", haircut: "0.2", underlying: ids[0] });
    venue.accounts.forEach((a, k) => {
      if (k % 3 === 0) a.collateral = { ...a.collateral, PRICED: k % 2 ? "-0.5" : "2.5" };
    });
    pricedBalances += venue.accounts.filter((a) => a.collateral.PRICED).length;
    if (ids.length > 1) correlatedAccounts += venue.accounts.filter((a) => a.mode === "portfolio" && new Set(a.positions.map((p) => p.instrument.split("-")[0])).size > 1).length;
    const engines = await Promise.all([MarginEngine.fromVenue(venue), MarginEngine.fromVenue(venue)]);
    assertSameResults(engines[0], engines[1], `seed ${seed} start`);
    randomOperations(venue, seed, 30).forEach((op, k) => {
      const outcome = applyBoth(engines, op.apply);
      if (outcome === "ok") op.commit();
      if (k % 2 === 0) assertSameResults(engines[0], engines[1], `seed ${seed} step ${k} (${op.kind}, ${outcome})`);
    });
    assert.equal(engines[0].totals(), engines[1].totals(), `seed ${seed}: totals`);
  }
  assert.ok(pricedBalances > 100, `balances priced by a ticked underlying: ${pricedBalances}`);
  assert.ok(correlatedAccounts > 20, `portfolio accounts with buckets to correlate: ${correlatedAccounts}`);
});

test("venue greeks follow every book edit, liquidation pass, dry run and restore", async () => {
  // the module sums net lots per instrument again only after lots moved: each step's totals are
  // checked against the twin's sums over the books as they stand
  const check = (engine, label) => {
    const want = referenceGreeks(engine.toVenue(), (id) => engine.lotGreeks(id)).totals;
    assert.equal(engine.totals().greeks, want, label);
  };
  let edits = 0, traded = 0;
  for (let seed = 501; seed <= 506; seed++) {
    const venue = randomVenue(seed, { accounts: 80 });
    let engine = await MarginEngine.fromVenue(venue);
    check(engine, `seed ${seed} start`);
    randomOperations(venue, seed, 40).forEach((op, k) => {
      try {
        op.apply(engine);
        op.commit();
        if (op.kind === "edit" || op.kind === "upsert") edits++;
      } catch (error) {
        if (!(error instanceof MarginError)) throw error;
      }
      if (k % 10 === 4) engine.liquidationQueue();
      if (k % 10 === 7) traded += engine.liquidate().queue.filter((entry) => entry.orders.length > 0).length;
      check(engine, `seed ${seed} step ${k} (${op.kind})`);
    });
    engine = await MarginEngine.restore(engine.snapshot());
    check(engine, `seed ${seed} restored`);
  }
  assert.ok(edits > 20, `book edits and upserts: ${edits}`);
  assert.ok(traded > 10, `entries that traded: ${traded}`);
});

test("an edit between a print and the next read: the tick leaves the edited account to its whole walk (a book valid only at the new price)", async () => {
  const text = readFileSync(new URL("../examples/venue.json", import.meta.url), "utf8");
  const engines = await Promise.all([MarginEngine.fromVenue(text), MarginEngine.fromVenue(text)]);
  const time = Date.parse("2026-11-24T00:00:01Z");
  for (const engine of engines) {
    engine.setCollateral("bob", "BTC", "1538402.36913964");
    engine.totals();
    // BTC falls to 4e-8: a loan of 10^10 BTC is then worth 400 USD, inside the limits, though at the
    // price the cached results were computed at it would be worth 6.5 × 10^14
    engine.setPrice("BTC", "0.00000004", time, "feedA");
    engine.setPrice("BTC", "0.00000004", time, "feedB");
    engine.setCollateral("bob", "BTC", "-10000000000");
  }
  assertSameResults(engines[0], engines[1], "after the edit");
  assert.is(engines[0].totals().equity, (await MarginEngine.restore(engines[0].snapshot())).totals().equity, "a restored copy counts the same");
});

/** A random venue of `accounts` accounts loaded into two engines, with seeded draws of integers and list members. */
async function twinsOf(seed, accounts) {
  const venue = randomVenue(seed, { accounts });
  const engines = await Promise.all([MarginEngine.fromVenue(venue), MarginEngine.fromVenue(venue)]);
  const rng = xoroshiro128plus(seed);
  const int = (lo, hi) => uniformInt(rng, lo, hi);
  return { venue, engines, int, pick: (list) => list[int(0, list.length - 1)] };
}

test("accounts added one by one between ticks and edits, past the exposure index's room: incremental = full", async () => {
  let added = 0, portfolio = 0, subAccounts = 0;
  for (let seed = 501; seed <= 506; seed++) {
    const { venue, engines, int, pick } = await twinsOf(seed, 40);
    const parents = venue.accounts.filter((a) => a.parent == null).map((a) => a.id);
    const ticks = randomOperations(venue, seed, 200).filter((op) => op.kind === "tick");
    // 40 accounts leave the index room for 64: the 25th new account passes it
    for (let k = 0; k < 40; k++) {
      const id = `new-${k}`, mode = int(0, 1) ? "portfolio" : "standard", parent = int(0, 3) === 0 ? pick(parents) : undefined;
      applyBoth(engines, (e) => e.upsertAccount(parent === undefined ? { id, mode } : { id, mode, parent }));
      added++;
      if (mode === "portfolio") portfolio++;
      if (parent !== undefined) subAccounts++;
      // counted as an empty, healthy account until it holds something
      if (k % 5 === 0) assertSameResults(engines[0], engines[1], `seed ${seed} ${id} empty`);
      const asset = pick(venue.assets), amount = String(int(-50, 5000));
      applyBoth(engines, (e) => e.setCollateral(id, asset.id, amount));
      for (let n = int(0, 3); n > 0; n--) {
        const instrument = pick(venue.instruments);
        const qty = formatDecimal(BigInt(int(-4, 4)) * parseDecimal(instrument.lotSize, 8), 8);
        applyBoth(engines, (e) => e.setPosition(id, instrument.id, qty, instrument.mark));
      }
      // a print between the edits and the next read: the new account's walk follows the tick
      const tick = ticks[k];
      if (applyBoth(engines, tick.apply) === "ok") tick.commit();
      if (k % 2 === 0) assertSameResults(engines[0], engines[1], `seed ${seed} ${id}`);
    }
    for (const tick of ticks.slice(40, 60)) if (applyBoth(engines, tick.apply) === "ok") tick.commit();
    assertSameResults(engines[0], engines[1], `seed ${seed} after the last ticks`);
    assert.is(JSON.stringify(engines[0].accounts()), JSON.stringify(engines[1].accounts()), `seed ${seed}: accounts with IM`);
    const restored = await MarginEngine.restore(engines[0].snapshot());
    assert.equal(restored.totals(), engines[0].totals(), `seed ${seed}: a restored copy counts the same`);
  }
  assert.is(added, 240);
  assert.ok(portfolio > 80 && portfolio < 160 && subAccounts > 30, "both modes and sub-accounts added");
});

test("prints on assets priced on their own, among ticks, edits, mode changes and new accounts: incremental = full", async () => {
  let prints = 0, holders = 0, loans = 0;
  for (let seed = 601; seed <= 612; seed++) {
    const { venue, engines, int, pick } = await twinsOf(seed, 80);
    const own = venue.assets.filter((a) => a.underlying === undefined && a.id !== venue.settlement);
    const prices = new Map(own.map((a) => [a.id, parseDecimal(a.price, 8)]));
    const ticks = randomOperations(venue, seed, 300).filter((op) => op.kind === "tick");
    const ids = venue.accounts.map((a) => a.id);
    holders += venue.accounts.filter((a) => Object.keys(a.collateral).some((asset) => prices.has(asset))).length;
    let time = Date.parse(venue.now) + 500;
    for (let k = 0; k < 60; k++) {
      const roll = int(0, 9);
      if (own.length > 0 && roll < 4) {
        // one print, or several on the same asset before a read: the first price is the one counted
        const asset = pick(own).id;
        for (let n = int(1, 3); n > 0; n--) {
          const next = (prices.get(asset) * BigInt(int(600, 1400))) / 1000n || 1n;
          time += 1;
          const at = time;
          if (applyBoth(engines, (e) => e.setPrice(asset, formatDecimal(next, 8), at)) === "ok") {
            prices.set(asset, next);
            prints++;
          }
        }
      } else if (roll < 6) {
        const tick = ticks[k];
        if (applyBoth(engines, tick.apply) === "ok") tick.commit();
      } else if (roll < 8) {
        const id = pick(ids), asset = own.length > 0 && int(0, 2) > 0 ? pick(own).id : pick(venue.assets).id, amount = String(int(-1000, 3000));
        if (amount.startsWith("-")) loans++;
        applyBoth(engines, (e) => e.setCollateral(id, asset, amount));
      } else if (roll < 9) {
        const id = pick(ids), mode = int(0, 1) ? "portfolio" : "standard";
        applyBoth(engines, (e) => e.upsertAccount({ id, mode }));
      } else {
        const id = `new-${k}`, asset = own.length > 0 ? pick(own).id : venue.settlement, amount = String(int(1, 900));
        applyBoth(engines, (e) => e.upsertAccount({ id, mode: "portfolio" }));
        applyBoth(engines, (e) => e.setCollateral(id, asset, amount));
        ids.push(id);
      }
      if (k % 4 !== 3) assertSameResults(engines[0], engines[1], `seed ${seed} step ${k}`);
    }
    assertSameResults(engines[0], engines[1], `seed ${seed} end`);
    assert.is(JSON.stringify(engines[0].accounts()), JSON.stringify(engines[1].accounts()), `seed ${seed}: accounts with IM`);
  }
  assert.ok(prints > 200 && holders > 50 && loans > 20, `prints ${prints}, holders at load ${holders}, loans ${loans}`);
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
