// The synthetic venue generator: deterministic per seed, valid CSR columns, every value inside
// docs/limits.md, and the intended mix of books and margin statuses.
//
// The generator is imported from its own entry, `margin-core/generate` (build/generate.js).
import { test } from "uvu";
import * as assert from "uvu/assert";
import { parseDecimal } from "./reference/decimal.mjs";
import { generateVenue } from "../build/generate.js";

const NOW_MS = Date.parse("2026-11-24T00:00:00Z");
const DAY_MS = 86_400_000;
const P = (text) => parseDecimal(text, 8);   // prices, lot sizes, amounts: raw at 1e8
const F = (text) => parseDecimal(text, 9);   // fractions: raw at 1e9
const ONE = 10n ** 9n;
const abs = (x) => (x < 0n ? -x : x);
const maxOf = (...xs) => xs.reduce((a, b) => (a > b ? a : b));
const COLUMN_TYPES = {
  mode: Uint8Array, parent: Int32Array, positionOffsets: Uint32Array, positionInstrument: Uint16Array,
  positionLots: Int32Array, positionEntry: BigInt64Array, collateralOffsets: Uint32Array,
  collateralAsset: Uint8Array, collateralAmount: BigInt64Array,
};
const bytes = (view) => Buffer.from(view.buffer, view.byteOffset, view.byteLength);

// One venue shared by the read-only checks below.
const SAMPLE = generateVenue({ accounts: 20_000, seed: 9 });

/** Reference data in raw units, by index. */
function indexVenue(venue) {
  const spot = new Map(venue.underlyings.map((u) => [u.id, P(u.spot)]));
  const instruments = venue.instruments.map((i) => ({
    ...i, lot: P(i.lotSize), markRaw: P(i.mark), index: spot.get(i.underlying),
    strikeRaw: i.strike === undefined ? 0n : P(i.strike),
  }));
  const assets = venue.assets.map((a) => ({ ...a, priceRaw: a.underlying ? maxOf(P(a.price), spot.get(a.underlying)) : P(a.price) }));
  return { spot, instruments, assets };
}

test("bad arguments are a MarginError naming the option; nothing is generated", () => {
  const refused = (options, code, field) => {
    try {
      generateVenue(options);
    } catch (error) {
      assert.is(error.name, "MarginError", JSON.stringify(options));
      assert.equal([error.code, error.field], [code, field], JSON.stringify(options));
      return;
    }
    assert.unreachable(`${JSON.stringify(options)} was accepted`);
  };
  refused({ accounts: -1, seed: 1 }, "OUT_OF_RANGE", "options.accounts");
  refused({ accounts: 1.5, seed: 1 }, "OUT_OF_RANGE", "options.accounts");
  refused({ accounts: 50_000_001, seed: 1 }, "OUT_OF_RANGE", "options.accounts");
  refused({ accounts: 10 }, "OUT_OF_RANGE", "options.seed");
  refused({ accounts: 10, seed: -5 }, "OUT_OF_RANGE", "options.seed");
  refused({ accounts: 10, seed: 2 ** 31 }, "OUT_OF_RANGE", "options.seed");
  refused({ accounts: 10, seed: 1, bogus: 1 }, "MALFORMED", "options.bogus");
  refused("10", "MALFORMED", "options");
  assert.is(generateVenue({ accounts: 0, seed: 0 }).columns.count, 0);
  assert.is(generateVenue({ accounts: 3, seed: 2 ** 31 - 1 }).columns.count, 3);
});

test("same seed, same bytes; another seed, another book", () => {
  const a = generateVenue({ accounts: 5000, seed: 42 });
  const b = generateVenue({ accounts: 5000, seed: 42 });
  const c = generateVenue({ accounts: 5000, seed: 43 });
  assert.is(JSON.stringify(a.venue), JSON.stringify(b.venue));
  for (const [key, type] of Object.entries(COLUMN_TYPES)) {
    assert.instance(a.columns[key], type, key);
    assert.ok(bytes(a.columns[key]).equals(bytes(b.columns[key])), `${key} differs between two runs of one seed`);
  }
  assert.is(a.columns.count, 5000);
  assert.is(a.columns.ids, undefined, "ids are left to the acc-<i> default");
  assert.is(JSON.stringify(a.venue), JSON.stringify(c.venue), "the reference data does not depend on the seed");
  assert.not.ok(bytes(a.columns.positionLots).equals(bytes(c.columns.positionLots)), "another seed draws other lots");
  assert.not.ok(bytes(a.columns.collateralAmount).equals(bytes(c.columns.collateralAmount)));
  assert.is(generateVenue({ accounts: 0, seed: 1 }).columns.positionLots.length, 0);
});

test("CSR invariants: offsets, 1–16 positions, 1–3 collateral assets, no instrument twice", () => {
  const { venue, columns } = SAMPLE;
  const n = columns.count;
  const { positionOffsets: po, collateralOffsets: co } = columns;
  assert.is(po.length, n + 1);
  assert.is(co.length, n + 1);
  assert.is(po[0], 0);
  assert.is(co[0], 0);
  assert.is(po[n], columns.positionInstrument.length);
  assert.is(po[n], columns.positionLots.length);
  assert.is(po[n], columns.positionEntry.length);
  assert.is(co[n], columns.collateralAsset.length);
  assert.is(co[n], columns.collateralAmount.length);
  for (let a = 0; a < n; a++) {
    const positions = po[a + 1] - po[a], collateral = co[a + 1] - co[a];
    assert.ok(positions >= 1 && positions <= 16, `account ${a} holds ${positions} positions`);
    assert.ok(collateral >= 1 && collateral <= 3, `account ${a} holds ${collateral} collateral assets`);
    const instruments = new Set(columns.positionInstrument.subarray(po[a], po[a + 1]));
    assert.is(instruments.size, positions, `account ${a} holds an instrument twice`);
    const assets = new Set(columns.collateralAsset.subarray(co[a], co[a + 1]));
    assert.is(assets.size, collateral, `account ${a} holds an asset twice`);
    assert.ok(columns.mode[a] <= 1, `account ${a} mode`);
    for (let p = po[a]; p < po[a + 1]; p++) {
      assert.ok(columns.positionLots[p] !== 0, `position ${p} has no lots`);
      assert.ok(columns.positionInstrument[p] < venue.instruments.length, `position ${p} instrument`);
    }
    for (let c = co[a]; c < co[a + 1]; c++) assert.ok(columns.collateralAsset[c] < venue.assets.length, `collateral ${c} asset`);
  }
});

test("sub-accounts name an earlier account that is not itself a sub-account", () => {
  const { columns } = SAMPLE;
  let subAccounts = 0;
  for (let a = 0; a < columns.count; a++) {
    const parent = columns.parent[a];
    if (parent === -1) continue;
    subAccounts++;
    assert.ok(parent >= 0 && parent < a, `account ${a}'s parent ${parent} is not earlier`);
    assert.is(columns.parent[parent], -1, `account ${a}'s parent ${parent} is a sub-account`);
  }
  const share = subAccounts / columns.count;
  assert.ok(share > 0.01 && share < 0.03, `sub-account share ${share}`);
});

test("reference data: three underlyings, perps, quarterlies and option chains inside the limits", () => {
  const { venue } = SAMPLE;
  assert.is(venue.now, "2026-11-24T00:00:00Z");
  assert.is(venue.settlement, "USD");
  assert.equal(venue.underlyings.map((u) => u.id), ["BTC", "ETH", "SOL"]);
  assert.equal(venue.assets.map((a) => a.id), ["USD", "USDC", "BTC", "ETH", "SOL"]);
  const fund = P(venue.insuranceFund);
  assert.ok(fund >= 0n && fund <= 10n ** 20n, "insurance fund within 0 … 1e12");

  for (const u of venue.underlyings) {
    const spot = P(u.spot), vol = F(u.vol), rate = F(u.rate);
    assert.ok(spot > 0n && spot <= 10n ** 18n, `${u.id} spot`);
    assert.ok(vol > 0n && vol <= 10n * ONE, `${u.id} vol`);
    assert.ok(rate >= -ONE && rate <= ONE, `${u.id} rate`);
  }
  for (const a of venue.assets) {
    const price = P(a.price), haircut = F(a.haircut);
    assert.ok(price > 0n && price <= 10n ** 18n, `${a.id} price`);
    assert.ok(haircut >= 0n && haircut < ONE, `${a.id} haircut`);
  }
  assert.equal(venue.assets[0], { id: "USD", price: "1", haircut: "0" }, "the settlement asset");
  for (const a of venue.assets.slice(2)) {
    assert.is(a.underlying, a.id);
    assert.ok(F(a.haircut) >= F("0.05") && F(a.haircut) <= F("0.15"), `${a.id} haircut`);
  }

  assert.ok(venue.instruments.length >= 100 && venue.instruments.length <= 500, `${venue.instruments.length} instruments`);
  assert.is(new Set(venue.instruments.map((i) => i.id)).size, venue.instruments.length, "instrument ids are unique");
  const spot = new Map(venue.underlyings.map((u) => [u.id, Number(u.spot)]));
  for (const u of venue.underlyings) {
    const of = venue.instruments.filter((i) => i.underlying === u.id);
    assert.is(of.filter((i) => i.kind === "perp").length, 1, `${u.id} perp`);
    assert.is(of.filter((i) => i.kind === "future").length, 3, `${u.id} futures`);
    const options = of.filter((i) => i.kind === "option");
    assert.ok(options.some((o) => o.right === "call") && options.some((o) => o.right === "put"), `${u.id} calls and puts`);
    const expiries = [...new Set(options.map((o) => o.expiry))];
    assert.ok(expiries.length >= 3 && expiries.length <= 6, `${u.id} option expiries`);
    const strikes = options.map((o) => Number(o.strike));
    assert.ok(Math.min(...strikes) <= 0.65 * spot.get(u.id) && Math.max(...strikes) >= 1.35 * spot.get(u.id), `${u.id} strike range`);
  }

  for (const i of venue.instruments) {
    const lot = P(i.lotSize), mark = P(i.mark);
    assert.ok(lot >= 1n && lot <= 10n ** 12n, `${i.id} lotSize`);
    assert.ok(mark > 0n && mark <= 10n ** 18n, `${i.id} mark`);
    if (i.kind === "option") {
      const strike = P(i.strike), iv = F(i.iv), days = (Date.parse(i.expiry) - NOW_MS) / DAY_MS;
      assert.ok(strike > 0n && strike <= 10n ** 18n, `${i.id} strike`);
      assert.ok(iv > 0n && iv <= 10n * ONE, `${i.id} iv`);
      assert.ok(days >= 7 && days <= 180, `${i.id} expires in ${days} days`);
      assert.ok(i.right === "call" || i.right === "put", `${i.id} right`);
      continue;
    }
    const deviation = Math.abs(Number(i.mark) / spot.get(i.underlying) - 1);
    assert.ok(deviation <= 0.05, `${i.id} mark ${i.mark} is ${deviation} off the index`);
    if (i.kind === "future") assert.ok(Date.parse(i.expiry) > NOW_MS, `${i.id} expiry`);
    else assert.is(i.kind, "perp");
    assert.ok(i.tiers.length >= 3 && i.tiers.length <= 6, `${i.id} has ${i.tiers.length} tiers`);
    let upTo = 0n, imf = -1n, mmf = -1n;
    for (const tier of i.tiers) {
      const bound = parseDecimal(tier.upTo, 6), ti = F(tier.imf), tm = F(tier.mmf);
      assert.ok(bound > upTo && bound <= 10n ** 16n, `${i.id} tier bounds strictly increasing, ≤ 1e10`);
      assert.ok(tm >= 0n && tm <= ti && ti <= ONE, `${i.id} 0 ≤ mmf ≤ imf ≤ 1`);
      assert.ok(ti > imf && tm > mmf, `${i.id} rates rise with the bracket`);
      [upTo, imf, mmf] = [bound, ti, tm];
    }
  }
});

test("every position and collateral balance inside docs/limits.md (exact, in bigint)", () => {
  const { venue, columns } = SAMPLE;
  const { instruments, assets } = indexVenue(venue);
  const MAX_NOTIONAL = 10n ** 26n;        // 1e10 settlement units at scale 1e8 × 1e8
  const MAX_COLLATERAL_VALUE = 10n ** 27n; // 1e11 settlement units at scale 1e8 × 1e8
  for (let p = 0; p < columns.positionLots.length; p++) {
    const instrument = instruments[columns.positionInstrument[p]];
    const lots = BigInt(columns.positionLots[p]);
    const entry = columns.positionEntry[p];
    assert.ok(abs(lots) <= 900_000_000n, `position ${p} lots`);
    assert.ok(entry > 0n && entry <= 10n ** 18n, `position ${p} entry ${entry}`);
    const qty = abs(lots) * instrument.lot;
    const price = maxOf(instrument.markRaw, entry, instrument.index, instrument.strikeRaw);
    assert.ok(qty * price <= MAX_NOTIONAL, `position ${p} notional ${qty * price} in ${instrument.id}`);
  }
  for (let c = 0; c < columns.collateralAmount.length; c++) {
    const amount = abs(columns.collateralAmount[c]);
    const asset = assets[columns.collateralAsset[c]];
    assert.ok(amount <= 10n ** 18n, `collateral ${c} amount`);
    assert.ok(amount * asset.priceRaw <= MAX_COLLATERAL_VALUE, `collateral ${c} value in ${asset.id}`);
  }
});

test("book shapes: positions per account, modes, sides, kinds, entries near the marks, collateral mix", () => {
  const { venue, columns } = SAMPLE;
  const n = columns.count;
  const { instruments } = indexVenue(venue);
  const rows = columns.positionLots.length;
  const mean = rows / n;
  assert.ok(mean > 7.5 && mean < 9.5, `mean positions ${mean}`);
  let portfolio = 0;
  for (let a = 0; a < n; a++) portfolio += columns.mode[a];
  assert.ok(portfolio / n > 0.2 && portfolio / n < 0.4, `portfolio share ${portfolio / n}`);

  const kinds = { perp: 0, future: 0, option: 0 };
  let shorts = 0, gains = 0, losses = 0;
  for (let p = 0; p < rows; p++) {
    const instrument = instruments[columns.positionInstrument[p]];
    kinds[instrument.kind]++;
    if (columns.positionLots[p] < 0) shorts++;
    const entry = columns.positionEntry[p], mark = instrument.markRaw;
    // within ±10 % of the mark, give or take the rounding to a tick
    const tick = instrument.underlying === "BTC" ? P("0.5") : instrument.underlying === "ETH" ? P("0.05") : P("0.01");
    assert.ok(abs(entry - mark) * 10n <= mark + 10n * tick, `position ${p} entry ${entry} vs mark ${mark}`);
    if (instrument.kind !== "option") {
      const pnl = BigInt(columns.positionLots[p]) * (mark - entry);
      if (pnl > 0n) gains++;
      if (pnl < 0n) losses++;
    }
  }
  for (const [kind, count] of Object.entries(kinds)) assert.ok(count / rows > 0.1, `${kind} share ${count / rows}`);
  assert.ok(shorts / rows > 0.4 && shorts / rows < 0.6, `short share ${shorts / rows}`);
  const linear = kinds.perp + kinds.future;
  assert.ok(gains / linear > 0.3 && losses / linear > 0.3, `linear positions in profit ${gains / linear}, at a loss ${losses / linear}`);

  let withUsd = 0, withOther = 0, loans = 0;
  for (let a = 0; a < n; a++) {
    let usd = false, other = false, loan = false;
    for (let c = columns.collateralOffsets[a]; c < columns.collateralOffsets[a + 1]; c++) {
      const asset = venue.assets[columns.collateralAsset[c]].id;
      if (asset === "USD") usd = true;
      else other = true;
      if (columns.collateralAmount[c] < 0n) {
        assert.is(asset, "USD", `account ${a} borrows ${asset}`);
        loan = true;
      }
    }
    withUsd += usd;
    withOther += other;
    loans += loan;
  }
  assert.ok(withUsd / n > 0.95, `accounts holding USD ${withUsd / n}`);
  assert.ok(withOther / n > 0.15 && withOther / n < 0.5, `accounts holding USDC or crypto ${withOther / n}`);
  assert.ok(loans > 0 && loans / n < 0.02, `accounts with a USD loan ${loans / n}`);
});

/**
 * Standard-margin status of every standard-mode account, approximated in floating point from
 * docs/methodology.md §3–§4 (marks as given; the engine's mark guard changes little here).
 */
function approximateStandardStatus(venue, columns) {
  const spot = new Map(venue.underlyings.map((u) => [u.id, Number(u.spot)]));
  const instruments = venue.instruments.map((i) => ({
    linear: i.kind !== "option", call: i.right === "call", lot: Number(i.lotSize), mark: Number(i.mark),
    strike: Number(i.strike ?? 0), index: spot.get(i.underlying),
    tiers: (i.tiers ?? []).map((t) => [Number(t.upTo), Number(t.imf), Number(t.mmf)]),
  }));
  const assets = venue.assets.map((a) => ({ price: a.underlying ? spot.get(a.underlying) : Number(a.price), haircut: Number(a.haircut) }));
  const tiered = (notional, tiers, column) => {
    let below = 0, charge = 0;
    for (const tier of tiers) {
      if (notional <= below) return charge;
      charge += (Math.min(notional, tier[0]) - below) * tier[column];
      below = tier[0];
    }
    return charge + Math.max(0, notional - below) * tiers[tiers.length - 1][column];
  };
  const counts = { accounts: 0, bankrupt: 0, underMaintenance: 0, underInitial: 0 };
  for (let a = 0; a < columns.count; a++) {
    if (columns.mode[a] !== 0) continue;
    let equity = 0, im = 0, mm = 0;
    for (let c = columns.collateralOffsets[a]; c < columns.collateralOffsets[a + 1]; c++) {
      const asset = assets[columns.collateralAsset[c]];
      const amount = Number(columns.collateralAmount[c]) / 1e8;
      equity += amount * asset.price * (amount >= 0 ? 1 - asset.haircut : 1 + asset.haircut);
    }
    for (let p = columns.positionOffsets[a]; p < columns.positionOffsets[a + 1]; p++) {
      const i = instruments[columns.positionInstrument[p]];
      const qty = columns.positionLots[p] * i.lot;
      if (i.linear) {
        equity += qty * (i.mark - Number(columns.positionEntry[p]) / 1e8);
        const notional = Math.abs(qty) * i.mark;
        im += tiered(notional, i.tiers, 1);
        mm += tiered(notional, i.tiers, 2);
        continue;
      }
      equity += qty * i.mark;
      if (qty > 0) continue;
      const otm = Math.max(0, i.call ? i.strike - i.index : i.index - i.strike);
      const cap = i.call ? Infinity : -qty * i.strike;
      im += Math.min(cap, -qty * (Math.max(0.15 * i.index - otm, 0.1 * i.index) + i.mark));
      mm += Math.min(cap, -qty * (0.075 * i.index + i.mark));
    }
    counts.accounts++;
    if (equity < 0) counts.bankrupt++;
    if (equity < mm) counts.underMaintenance++;
    else if (equity < im) counts.underInitial++;
  }
  return counts;
}

test("standard accounts: a few percent under maintenance, some under initial margin, a few bankrupt", () => {
  const { venue, columns } = generateVenue({ accounts: 50_000, seed: 1 });
  const counts = approximateStandardStatus(venue, columns);
  const share = (k) => counts[k] / counts.accounts;
  assert.ok(share("underMaintenance") >= 0.03 && share("underMaintenance") <= 0.06, `under maintenance ${share("underMaintenance")}`);
  assert.ok(share("underInitial") >= 0.05 && share("underInitial") <= 0.1, `between maintenance and initial ${share("underInitial")}`);
  assert.ok(share("bankrupt") > 0.002 && share("bankrupt") < 0.015, `bankrupt ${share("bankrupt")}`);
});

test("the engine loads the columns and finds the same status mix in both margin modes", async () => {
  let MarginEngine;
  try {
    ({ MarginEngine } = await import("../build/index.js"));
  } catch (error) {
    throw new Error(`build/index.js is needed for this check (npm run build): ${error.message}`);
  }
  const { venue, columns } = generateVenue({ accounts: 50_000, seed: 1 });
  const engine = await MarginEngine.fromVenue({ ...venue, accounts: [] });
  engine.loadColumns(columns); // validates every row against docs/limits.md
  engine.recompute();
  const { statusCounts, accounts } = engine.totals();
  assert.is(accounts, 50_000);
  const under = (statusCounts.liquidatable + statusCounts.bankrupt) / accounts;
  const restricted = statusCounts.restricted / accounts;
  const bankrupt = statusCounts.bankrupt / accounts;
  assert.ok(under >= 0.03 && under <= 0.06, `under maintenance ${under}`);
  assert.ok(restricted >= 0.05 && restricted <= 0.1, `between maintenance and initial ${restricted}`);
  assert.ok(bankrupt > 0.002 && bankrupt < 0.015, `bankrupt ${bankrupt}`);
});

test.run();
