// The engine's state written out and read back: the venue file (toVenue) and snapshots, whose
// restore reproduces the state byte for byte.
import { formatDecimal, MONEY_SCALE, PRICE_SCALE } from "../core/decimal.js";
import { fail } from "../core/errors.js";
import { MAX_COLLATERAL_AMOUNT, MAX_LOTS, MODE_NAMES } from "../core/constants.generated.js";
import { idRecord, setId } from "../core/records.js";
import { formatTime, parseTime } from "../core/time.js";
import { formatI64, formatUnits, wordsOf } from "../core/units.js";
import { Col } from "../module/views.js";
import { parseVenueAccounts } from "../venue/accounts.js";
import { scanAccounts } from "../venue/accounts-text.js";
import { checkVenueMembers, parseVenueFile, splitVenueText, withoutByteOrderMark, type VenueSettingsText } from "../venue/file.js";
import { assetToVenue, instrumentToVenue, underlyingToVenue } from "../venue/serialize.js";
import { decodeSnapshot, encodeSnapshot, restoreScan, type SnapshotHeader } from "../venue/snapshot.js";
import { balanceBeyondLimit, beyondCollateralValue, beyondNotional } from "../venue/reference.js";
import { indexFromSources, latestSourceTime } from "../venue/oracle.js";
import { copyParams } from "../venue/params.js";
import type { Catalog } from "./catalog.js";
import type { EngineParts } from "./parts.js";
import { initialScan, rebaseScan, rangeInBand } from "./scan-range.js";
import type { EngineOptions } from "./types.js";

/** Fills a new engine from a venue file's reference rows and accounts. */
function loadVenue(parts: EngineParts, file: Record<string, unknown>): void {
  loadReference(parts, file);
  const parsed = parseVenueAccounts(file.accounts, parts.catalog.accountLookup());
  parts.book.loadColumns(parsed.columns, parsed.fieldOf);
}

/** A venue file's reference rows, with the oracle clock started where the file leaves it. */
function loadReference(parts: EngineParts, file: Record<string, unknown>): void {
  const clock = clockOf(file, parts.catalog.clock);
  parts.catalog.load(file, clock);
  startAtLatestSource(parts, clock);
  loadPriceTimes(parts, file, clock);
}

/**
 * The time of each row's last price print (`priceTime`, as `toVenue()` writes it once a print
 * moved it past now), which a later print may not be older than; at or after now. A mark's or an
 * asset's has no upper bound of its own: printed ahead of the clock, it stays valid under any
 * maxClockSkew. An underlying's is a print that moved the oracle clock: at most maxClockSkew ahead
 * of the file's clock, as a source's time, and the clock starts at the latest of them.
 */
function loadPriceTimes({ catalog, prices }: EngineParts, file: Record<string, unknown>, clock: number): void {
  const rows = (member: string, apply: (row: Record<string, unknown>, time: number, field: string) => void) => {
    (file[member] as Record<string, unknown>[] | undefined ?? []).forEach((row, k) => {
      if (row.priceTime == null) return;
      const field = `${member}[${k}].priceTime`, time = parseTime(row.priceTime, field);
      if (time < catalog.settings.now) fail("OUT_OF_RANGE", field, "is before now");
      apply(row, time, field);
    });
  };
  let latest = clock;
  rows("underlyings", (row, time, field) => {
    if (time > clock + catalog.params.maxClockSkewMs) fail("OUT_OF_RANGE", field, "more than maxClockSkew ahead of the oracle clock");
    latest = Math.max(latest, time);
    const u = catalog.underlyings[catalog.underlyingIndex(row.id as string)];
    u.priceTime = time;
    // a dynamic scan starts from the last print, as one switched on by a proposal does
    if (u.scan !== undefined && u.scan.sampleTime < time) u.scan = { ...u.scan, sampleTime: time };
  });
  rows("assets", (row, time) => { catalog.assets[catalog.assetIndex(row.id as string)].priceTime = time; });
  rows("instruments", (row, time) => { catalog.instruments[catalog.instrumentIndex(row.id as string)].priceTime = time; });
  prices.advanceClock(latest);
}

/**
 * An engine from a venue file. Text takes the text path first (venue/accounts-text.ts: the
 * accounts read straight into columns); when that declines, or anything in the file is wrong,
 * the whole file goes the exact path (JSON.parse, then every row checked in file order), which
 * decides and names the error. `build` makes an engine with the file's settings and `fill`s it.
 */
export async function engineFromVenue<E>(venue: unknown, build: (settings: VenueSettingsText, fill: (parts: EngineParts) => void) => Promise<E>): Promise<E> {
  venue = withoutByteOrderMark(venue);
  const split = typeof venue === "string" ? splitVenueText(venue) : null;
  if (split !== null) {
    try {
      return await build(split.settings, (parts) => {
        checkVenueMembers(split.file);
        loadReference(parts, split.file);
        parts.book.loadColumns(scanAccounts(venue as string, split.accountsStart, split.accountsEnd, parts.catalog.accountLookup()));
      });
    } catch {
      // the exact path below gives the verdict
    }
  }
  const { file, settings } = parseVenueFile(venue);
  return build(settings, (parts) => loadVenue(parts, file));
}

/** A venue file's oracle clock: its `clock` (as `toVenue()` writes it once prints moved the clock past `now`), else `now`. */
function clockOf(file: Record<string, unknown>, now: number): number {
  if (file.clock == null) return now;
  const clock = parseTime(file.clock, "clock");
  if (clock < now) fail("OUT_OF_RANGE", "clock", "is before now: the oracle clock starts at now");
  return clock;
}

/**
 * A venue file's oracle sources may be ahead of its clock (prints taken after it): the oracle
 * clock starts at the latest of them, so each index is the one those prints made. A source more
 * than maxClockSkew ahead of the file's clock is refused, as a print would be.
 */
function startAtLatestSource({ catalog, prices }: EngineParts, clock: number): void {
  const clockName = clock === catalog.clock ? "now" : "the file's clock";
  const latest = catalog.underlyings.reduce((at, u, k) => Math.max(at, latestSourceTime(u.sources, clock, catalog.params.maxClockSkewMs, `underlyings[${k}].sources`, clockName)), clock);
  prices.advanceClock(latest);
}

/**
 * Accounts [from, to) as the venue file writes them (positions in canonical order): read from each
 * account's segment, so a page costs its own accounts only.
 */
export function venueAccountsOf({ views: v, catalog, book }: EngineParts, from: number, to: number): Record<string, unknown>[] {
  const posStart = v.i32(Col.AccountPositionStart), posCount = v.u8(Col.AccountPositionCount), mode = v.u8(Col.AccountMode);
  const colStart = v.i32(Col.AccountCollateralStart), colCount = v.u8(Col.AccountCollateralCount);
  const instrument = v.u16(Col.PositionInstrument), lots = v.i32(Col.PositionLots), entry = v.i64(Col.PositionEntry);
  const asset = v.u8(Col.CollateralAsset), amount = v.i64(Col.CollateralAmount);
  const entryWords = wordsOf(entry), amountWords = wordsOf(amount);
  const lotSizes = catalog.instruments.map((row) => Number(row.lotSize));
  const accounts: Record<string, unknown>[] = new Array(to - from);
  for (let a = from; a < to; a++) {
    const collateral = idRecord<string>();
    for (let c = colStart[a]; c < colStart[a] + colCount[a]; c++) setId(collateral, catalog.assets[asset[c]].id, formatI64(amount, amountWords, c, PRICE_SCALE));
    const positions = new Array(posCount[a]);
    for (let k = 0, p = posStart[a]; k < positions.length; k++, p++) {
      const i = instrument[p], qty = lots[p] * lotSizes[i];
      positions[k] = {
        instrument: catalog.instruments[i].id,
        // lots × lot size (both exact doubles) is exact below 2^53
        qty: Math.abs(qty) <= Number.MAX_SAFE_INTEGER ? formatUnits(qty, PRICE_SCALE) : formatDecimal(BigInt(lots[p]) * catalog.instruments[i].lotSize, PRICE_SCALE),
        entry: formatI64(entry, entryWords, p, PRICE_SCALE),
      };
    }
    const parent = book.parentOf(a);
    accounts[a - from] = {
      id: book.accountId(a), mode: MODE_NAMES[mode[a]],
      ...(parent === undefined ? {} : { parent: book.accountId(parent) }),
      collateral, positions,
    };
  }
  return accounts;
}

/** The venue file describing the current state (positions in canonical order). */
export function venueOf(parts: EngineParts): Record<string, unknown> {
  const { wasm, catalog, liquidator } = parts;
  // read segment by segment: the arenas stay as they are, so writing the venue needs no memory
  const accounts = venueAccountsOf(parts, 0, wasm.accountCount());
  const { now, settlement, paramOverrides } = catalog.settings;
  // the time of a row's last print, once one moved it past now: a later print may not be older
  const timed = (time: number) => (time > now ? { priceTime: formatTime(time) } : {});
  return {
    now: formatTime(now),
    // the oracle clock, once prints or settleExpired moved it past now
    ...(catalog.clock > now ? { clock: formatTime(catalog.clock) } : {}),
    settlement,
    params: copyParams(paramOverrides),
    assets: catalog.assets.map((a) => ({ ...assetToVenue(a), ...timed(a.priceTime) })),
    // a stale underlying keeps the index it had, which a load gives it back through `spot`
    underlyings: catalog.underlyings.map((u) => ({ ...underlyingToVenue(u.stale ? { ...u, spot: u.index } : u), ...timed(u.priceTime) })),
    instruments: catalog.instruments.map((i) => ({ ...instrumentToVenue(i), ...timed(i.priceTime) })),
    accounts,
    insuranceFund: formatDecimal(liquidator.fund, MONEY_SCALE),
  };
}

/** Bytes that reproduce the engine's state exactly (restore → snapshot gives the same bytes). */
export function snapshotOf(parts: EngineParts): Uint8Array {
  const { wasm, views: v, catalog, book, liquidator } = parts;
  const n = wasm.accountCount();
  const books = denseBooks(parts);
  const { now, settlement, paramOverrides } = catalog.settings;
  const header: SnapshotHeader = {
    now, clock: catalog.clock, settlement, params: paramOverrides,
    insuranceFund: liquidator.fund.toString(),
    underlyings: catalog.underlyings.map((u) => ({
      ...underlyingToVenue(u), index: u.index.toString(), stale: u.stale, priceTime: u.priceTime,
      ...(u.scan === undefined ? {} : { scan: { ...u.scan, sampleIndex: u.scan.sampleIndex.toString(), range: u.scan.range.toString() } }),
    })),
    assets: catalog.assets.map((a) => ({ ...assetToVenue(a), priceTime: a.priceTime })),
    instruments: catalog.instruments.map((i) => ({ ...instrumentToVenue(i), priceTime: i.priceTime })),
    accountIds: book.idList(),
    parents: book.parentPairs(),
  };
  return encodeSnapshot(header, [
    v.u8(Col.AccountMode).subarray(0, n),
    v.u8(Col.AccountPositionCount).subarray(0, n),
    v.u8(Col.AccountCollateralCount).subarray(0, n),
    ...books,
    v.i64(Col.InstrumentMaxLots).subarray(0, catalog.instruments.length),
    v.i64(Col.AssetMaxAmount).subarray(0, catalog.assets.length),
  ]);
}

/**
 * The position and collateral columns of every account in account order, without gaps. Arenas a
 * load or a compaction left dense are viewed as they are; others are gathered here segment by
 * segment (the rows compactArenas would lay out), so writing a snapshot needs no memory of the
 * module's and leaves its layout as it was.
 */
function denseBooks({ wasm, views: v }: EngineParts): [Uint16Array, Int32Array, BigInt64Array, Uint8Array, BigInt64Array] {
  if (!wasm.arenasDense()) {
    const n = wasm.accountCount(), held = v.u8(Col.AccountPositionCount).subarray(0, n), owned = v.u8(Col.AccountCollateralCount).subarray(0, n);
    return gatheredBooks(v, n, held.reduce((sum, k) => sum + k, 0), owned.reduce((sum, k) => sum + k, 0));
  }
  const positions = wasm.positionSlots(), collaterals = wasm.collateralSlots();
  return [
    v.u16(Col.PositionInstrument).subarray(0, positions), v.i32(Col.PositionLots).subarray(0, positions), v.i64(Col.PositionEntry).subarray(0, positions),
    v.u8(Col.CollateralAsset).subarray(0, collaterals), v.i64(Col.CollateralAmount).subarray(0, collaterals),
  ];
}

/**
 * The books' rows copied out of their segments in account order: what compactArenas would lay
 * out. Accounts whose segments follow one another are copied as one run, so a book a load left
 * dense but for a few moved segments costs a few copies, not one per account.
 */
function gatheredBooks(v: EngineParts["views"], n: number, rows: number, balances: number): [Uint16Array, Int32Array, BigInt64Array, Uint8Array, BigInt64Array] {
  const instruments = v.u16(Col.PositionInstrument), lots = v.i32(Col.PositionLots), entries = v.i64(Col.PositionEntry);
  const assets = v.u8(Col.CollateralAsset), amounts = v.i64(Col.CollateralAmount);
  const out: [Uint16Array, Int32Array, BigInt64Array, Uint8Array, BigInt64Array] = [
    new Uint16Array(rows), new Int32Array(rows), new BigInt64Array(rows), new Uint8Array(balances), new BigInt64Array(balances),
  ];
  gatherRuns(v.i32(Col.AccountPositionStart), v.u8(Col.AccountPositionCount), n, (from, to, at) => {
    out[0].set(instruments.subarray(from, to), at);
    out[1].set(lots.subarray(from, to), at);
    out[2].set(entries.subarray(from, to), at);
  });
  gatherRuns(v.i32(Col.AccountCollateralStart), v.u8(Col.AccountCollateralCount), n, (from, to, at) => {
    out[3].set(assets.subarray(from, to), at);
    out[4].set(amounts.subarray(from, to), at);
  });
  return out;
}

/** Calls copy(from, to, at) for each run of consecutive segments of accounts [0, n), `at` the run's place in the output. */
function gatherRuns(starts: Int32Array, counts: Uint8Array, n: number, copy: (from: number, to: number, at: number) => void): void {
  let from = 0, to = 0, at = 0;
  for (let a = 0; a < n; a++) {
    const start = starts[a], count = counts[a];
    if (count === 0) continue;
    if (start !== to) {
      if (to > from) copy(from, to, at);
      at += to - from;
      from = start;
      to = start;
    }
    to += count;
  }
  if (to > from) copy(from, to, at);
}

/**
 * A snapshot read back: the settings to build an engine with, and how to fill it. With
 * `proposal` (a what-if's parameters over a snapshot written under others) the dynamic scan
 * states are carried into the parameters in the header rather than required to match them, and
 * each underlying's sources are judged again under its oracle parameters.
 */
export function readSnapshot(bytes: Uint8Array, proposal = false): { options: EngineOptions; fill(parts: EngineParts): void } {
  const { header, sections } = decodeSnapshot(bytes);
  return {
    options: {
      now: formatTime(header.now), settlement: header.settlement, params: header.params,
      insuranceFund: formatDecimal(BigInt(header.insuranceFund), MONEY_SCALE),
    },
    fill(parts) {
      const { catalog, book, expiry } = parts;
      // judged at the snapshot's clock: an option expired by then is past the rules for live ones
      catalog.load({ underlyings: header.underlyings, assets: header.assets, instruments: header.instruments }, header.clock);
      const [mode, posCount, colCount, instrument, lots, entry, asset, amount, maxLots, maxAmount] = sections;
      const dynamic = catalog.params.dynamicScan, cap = dynamic?.cap;
      // each print moved the clock to its time at least: a source after the clock is no engine's
      catalog.underlyings.forEach((u, k) => u.sources.forEach((source, j) => {
        if (source.time > header.clock) fail("MALFORMED", `snapshot.underlyings[${k}].sources[${j}].time`, "is after the snapshot's oracle clock");
      }));
      header.underlyings.forEach((u, k) => {
        const field = `snapshot.underlyings[${k}].scan`;
        const { index, stale } = proposal
          ? rejudged(catalog, k, BigInt(u.index), u.stale, header.clock, maxLots as BigInt64Array, maxAmount as BigInt64Array)
          : asJudged(catalog, k, BigInt(u.index), u.stale, header.clock);
        let scan = restoreScan(u.scan, field, header.clock);
        if (proposal) {
          scan = dynamic === null ? undefined : scan === undefined ? initialScan(parts.wasm, dynamic, catalog.underlyings[k].vol, index, u.priceTime) : rebaseScan(parts.wasm, dynamic, scan);
        } else if (scan !== undefined && dynamic !== null && !rangeInBand(parts.wasm, dynamic, scan)) {
          fail("MALFORMED", `${field}.range`, "is outside the band [candidate, 1.25 × candidate] its variance sets");
        }
        if ((scan === undefined) !== (cap === undefined) || (scan !== undefined && scan.range > cap!)) fail("MALFORMED", field, "does not match the dynamicMargin parameters");
        catalog.underlyings[k] = { ...catalog.underlyings[k], index, stale, priceTime: u.priceTime, scan };
      });
      header.assets.forEach((a, k) => { catalog.assets[k].priceTime = a.priceTime; });
      header.instruments.forEach((i, k) => { catalog.instruments[k].priceTime = i.priceTime; });
      catalog.sync();
      const n = (mode as Uint8Array).length;
      const parent = new Int32Array(n).fill(-1);
      for (const [c, p] of header.parents) {
        if (c < 0 || c >= n || parent[c] !== -1) fail("MALFORMED", "snapshot.header.parents", `account ${c} is not one, or is listed twice`);
        if (p < 0 || p >= n || p === c) fail("MALFORMED", "snapshot.header.parents", `account ${c}'s parent ${p} is not another account`);
        parent[c] = p;
      }
      for (const [c, p] of header.parents) {
        if (parent[p] !== -1) fail("MALFORMED", "snapshot.header.parents", `account ${c}'s parent ${p} is a sub-account itself`);
      }
      for (const [column, length] of [[posCount, n], [colCount, n], [maxLots, catalog.instruments.length], [maxAmount, catalog.assets.length]] as const) {
        if ((column as Uint8Array).length !== length) fail("MALFORMED", "snapshot", "sections of different lengths");
      }
      book.loadColumns({
        count: n, ids: header.accountIds ?? undefined, mode: mode as Uint8Array, parent,
        positionOffsets: prefixSums(posCount as Uint8Array), positionInstrument: instrument as Uint16Array,
        positionLots: lots as Int32Array, positionEntry: entry as BigInt64Array,
        collateralOffsets: prefixSums(colCount as Uint8Array), collateralAsset: asset as Uint8Array,
        collateralAmount: amount as BigInt64Array,
      }, null, "snapshot");
      restoreHighWaterMarks(parts, maxLots as BigInt64Array, maxAmount as BigInt64Array);
      // the clock as it was: the indexes and staleness read above were judged at it
      expiry.clockMoved(catalog.clock, header.clock);
      catalog.clock = header.clock;
    },
  };
}

/**
 * What underlying k's sources make at `clock` (docs/methodology.md §11): the median of the fresh
 * ones while they make a quorum, else stale at `index`, the one it had; null without sources.
 */
function fromSources(catalog: Catalog, k: number, index: bigint, clock: number): { index: bigint; stale: boolean } | null {
  const row = catalog.underlyings[k];
  if (row.sources.length === 0) return null;
  const fresh = indexFromSources(row.sources, clock, catalog.params);
  return fresh === null ? { index, stale: true } : { index: fresh, stale: false };
}

/**
 * Underlying k's index and staleness as a snapshot gives them, held to what the engine that wrote
 * it kept: what its sources make at the snapshot's clock; without sources, its spot and never stale.
 */
function asJudged(catalog: Catalog, k: number, index: bigint, stale: boolean, clock: number): { index: bigint; stale: boolean } {
  const judged = fromSources(catalog, k, index, clock);
  const expected = judged ?? { index: catalog.underlyings[k].index, stale: false };
  if (expected.index !== index || expected.stale !== stale) {
    fail("MALFORMED", `snapshot.underlyings[${k}]`, judged === null
      ? "an underlying without sources is indexed at its spot and never stale"
      : "its index and staleness are not what its sources make at the snapshot's oracle clock");
  }
  return expected;
}

/**
 * Underlying k's index and staleness under the engine's parameters (a proposal's oracle
 * parameters), judged at `clock` as a venue file's load judges them (without sources, as it
 * was). Fails at `params` when a new index would take one of the snapshot's largest holdings past
 * its limit.
 */
function rejudged(catalog: Catalog, k: number, index: bigint, stale: boolean, clock: number, maxLots: BigInt64Array, maxAmount: BigInt64Array): { index: bigint; stale: boolean } {
  const judged = fromSources(catalog, k, index, clock);
  if (judged === null) return { index, stale };
  if (judged.stale) return judged;
  const row = catalog.underlyings[k], fresh = judged.index;
  const refuse = (what: string) => fail("OUT_OF_RANGE", "params", `under these parameters "${row.id}" is indexed at ${formatDecimal(fresh, PRICE_SCALE)}, where ${what}`);
  catalog.instruments.forEach((i, n) => {
    if (i.underlying === row.id && beyondNotional(maxLots[n], i, fresh)) refuse(`a position in "${i.id}" would exceed the notional limit`);
  });
  catalog.assets.forEach((a, n) => {
    if (a.underlying === row.id && beyondCollateralValue(maxAmount[n], fresh)) refuse(balanceBeyondLimit(a.id));
  });
  return judged;
}

/**
 * The largest holdings since the last bulk load, which price checks are held to: at least what
 * the books hold now, and within the limits at today's prices (as the engine that wrote them kept them).
 */
function restoreHighWaterMarks(parts: EngineParts, maxLots: BigInt64Array, maxAmount: BigInt64Array): void {
  const { views: v, catalog } = parts;
  const lots = v.i64(Col.InstrumentMaxLots), amounts = v.i64(Col.AssetMaxAmount);
  maxLots.forEach((mark, i) => {
    const row = catalog.instruments[i];
    if (mark < lots[i] || mark > MAX_LOTS || beyondNotional(mark, row, catalog.underlying(row.underlying).index)) fail("MALFORMED", `snapshot.instruments[${i}]`, "its largest holding does not fit its limits");
  });
  maxAmount.forEach((mark, a) => {
    if (mark < amounts[a] || mark > MAX_COLLATERAL_AMOUNT || beyondCollateralValue(mark, catalog.assetPrice(a))) fail("MALFORMED", `snapshot.assets[${a}]`, "its largest balance does not fit its limits");
  });
  lots.set(maxLots);
  amounts.set(maxAmount);
  // an instrument closed before the snapshot keeps its mark, so price checks must still find it
  parts.wasm.listMarkedInstruments();
}

function prefixSums(counts: Uint8Array): Uint32Array {
  const out = new Uint32Array(counts.length + 1);
  for (let k = 0; k < counts.length; k++) out[k + 1] = out[k] + counts[k];
  return out;
}
