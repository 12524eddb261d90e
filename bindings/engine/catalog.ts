// The venue's reference data: underlyings (with their index, staleness and dynamic scan range),
// assets and instruments, validated with exact bigint arithmetic, indexed by id, and mirrored
// into the module's columns. Also the venue settings every part reads: valuation time,
// settlement asset, parameters, and the oracle clock.
import { PRICE_ONE } from "../core/decimal.js";
import { fail } from "../core/errors.js";
import { asArray, asId, asRecord, checkCount } from "../core/json.js";
import { MAX_ASSETS, MAX_INSTRUMENTS, MAX_UNDERLYINGS, ONE } from "../core/constants.generated.js";
import type { WasmExports } from "../module/wasm.js";
import { Col, type ColumnViews } from "../module/views.js";
import { gridForRange, type Scenario } from "../venue/grid.js";
import { indexFromSources, lastKnownIndex, latestSourceTime } from "../venue/oracle.js";
import { assertCorrelationIds, type Params } from "../venue/params.js";
import type { Lookup } from "../venue/accounts.js";
import {
  assertRateHorizon, balanceBeyondLimit, beyondCollateralValue, beyondNotional, indexIds, isExpiredAt, parseAsset, parseInstrument, parseUnderlying,
  positionBeyondLimit, replaceRow, upsertPriceTime, type AssetRow, type InstrumentRow, type UnderlyingSpec,
} from "../venue/reference.js";
import type { ScanState } from "../venue/snapshot.js";
import type { MemoryGuard } from "./memory.js";
import type { Refresh } from "./refresh.js";
import { advanceScan, initialScan } from "./scan-range.js";

/** An underlying as the engine holds it: its definition, its current index and whether it is stale. */
export interface UnderlyingRow extends UnderlyingSpec {
  index: bigint;
  stale: boolean;
  /** The dynamic scan range's state, when `dynamicMargin` is on. */
  scan?: ScanState;
}

export interface VenueSettings {
  /** Valuation time, ms since the epoch. */
  now: number;
  settlement: string;
  params: Params;
  /** The `params` object as given, written back by toVenue() and snapshots. */
  paramOverrides: Record<string, unknown>;
}

export class Catalog {
  underlyings: UnderlyingRow[] = [];
  assets: AssetRow[] = [];
  instruments: InstrumentRow[] = [];
  /** Counts changes to `instruments` (a load or an upsert), so what is derived from them knows when to rebuild. */
  instrumentRevision = 0;
  private underlyingIds = new Map<string, number>();
  private assetIds = new Map<string, number>();
  private instrumentIds = new Map<string, number>();
  /** The oracle clock: the latest price time accepted (staleness is judged against it). */
  clock: number;
  /** Rows of the module's tier table in use (upserts append where a row's tiers outgrow their place). */
  private tierRows = 0;
  private tierHoles = 0;
  /** Grids built for each scan range met (dynamic margin moves few ranges, and rarely). */
  private readonly gridsByRange = new Map<bigint, Scenario[]>();

  constructor(
    private readonly wasm: WasmExports,
    private readonly views: ColumnViews,
    private readonly refresh: Refresh,
    private readonly memory: MemoryGuard,
    readonly settings: VenueSettings,
  ) {
    this.clock = settings.now;
    this.syncParameters();
  }

  get params(): Params {
    return this.settings.params;
  }

  /**
   * Replaces all reference data with the rows of a venue file (or a snapshot header). Indexes are
   * judged at the clock the load starts at: `startClock` (now when absent) or the latest source
   * time, whichever is later, as the engine that wrote the file judged them.
   */
  load(file: Record<string, unknown>, startClock = this.clock): void {
    const { now, settlement } = this.settings;
    const specs = asArray(file.underlyings ?? [], "underlyings").map((u, k) => parseUnderlying(u, `underlyings[${k}]`, now));
    const judgedAt = specs.reduce((at, spec) => spec.sources.reduce((t, source) => Math.max(t, source.time), at), startClock);
    const underlyings = specs.map((spec) => this.withIndex(spec, judgedAt));
    const underlyingIds = indexIds(underlyings, "underlyings");
    const assetRows = asArray(file.assets ?? [], "assets");
    const assets = assetRows.map((a, k) => parseAsset(a, `assets[${k}]`, settlement, now));
    if (!assets.some((a) => a.id === settlement)) assets.unshift({ id: settlement, price: PRICE_ONE, haircut: 0n, underlying: null, priceTime: now });
    const offset = assets.length - assetRows.length;
    const assetIds = indexIds(assets, "assets");
    assets.forEach((a, k) => {
      if (a.underlying !== null && !underlyingIds.has(a.underlying)) fail("UNKNOWN_ID", `assets[${k - offset}].underlying`, `no underlying "${a.underlying}"`);
    });
    const instruments = asArray(file.instruments ?? [], "instruments").map((i, k) => parseInstrument(i, `instruments[${k}]`, now, "now"));
    const instrumentIds = indexIds(instruments, "instruments");
    instruments.forEach((i, k) => {
      const u = underlyingIds.get(i.underlying);
      if (u === undefined) fail("UNKNOWN_ID", `instruments[${k}].underlying`, `no underlying "${i.underlying}"`);
      if (!isExpiredAt(i, judgedAt)) assertRateHorizon(i, underlyings[u].rate, now, `instruments[${k}].expiry`);
    });
    checkCount(underlyings.length, MAX_UNDERLYINGS, "underlyings");
    assertCorrelationIds(this.settings.paramOverrides, this.params, underlyingIds);
    checkCount(assets.length, MAX_ASSETS, "assets");
    checkCount(instruments.length, MAX_INSTRUMENTS, "instruments");
    this.underlyings = underlyings;
    this.underlyingIds = underlyingIds;
    this.assets = assets;
    this.assetIds = assetIds;
    this.instruments = instruments;
    this.instrumentRevision++;
    this.instrumentIds = instrumentIds;
    this.sync();
  }

  private withIndex(spec: UnderlyingSpec, at = this.clock): UnderlyingRow {
    // judged at the oracle clock: a source that was fresh at load may have gone stale since
    const fromSources = spec.sources.length > 0 ? indexFromSources(spec.sources, at, this.params) : null;
    // Without a quorum of fresh sources the underlying is stale: it keeps its spot, or the sources' last prices.
    const index = fromSources ?? spec.spot ?? lastKnownIndex(spec.sources);
    return { ...spec, index, stale: spec.sources.length > 0 && fromSources === null };
  }

  /**
   * Fails at `field` when memory cannot hold `extra` more reference rows of each kind (one for an
   * upsert; none for a new engine's own rows) and what the next read prepares for them; nothing
   * has changed by then.
   */
  ensureRoom(field: string, extra: 0 | 1 = 1): void {
    const memory = this.memory;
    memory.ensure(memory.reference({
      underlyings: this.underlyings.length, assets: this.assets.length, instruments: this.instruments.length,
      tiers: this.instruments.reduce((n, i) => n + i.tiers.length, 0), scenarios: this.params.grid.length,
      accounts: this.wasm.accountCount(),
    }, extra), field);
  }

  /**
   * An underlying's row checked for an upsert, nothing changed: its sources' times as prints'
   * would be (none more than maxClockSkew ahead of the oracle clock), and its index judged at the
   * clock the latest of them moves it to (returned as `clock`).
   */
  planUnderlying(value: unknown): { row: UnderlyingRow; clock: number; existing: number | undefined } {
    const given = asRecord(value, "underlying"), spec = parseUnderlying(given, "underlying", this.clock);
    this.ensureRoom("underlying");
    const existing = this.underlyingIds.get(spec.id);
    // its print time moves the clock as its sources' times do
    spec.priceTime = this.givenPriceTime(given.priceTime, "underlying", existing === undefined ? undefined : this.underlyings[existing].priceTime);
    const clock = Math.max(spec.priceTime, latestSourceTime(spec.sources, this.clock, this.params.maxClockSkewMs, "underlying.sources", `the oracle clock ${this.clock}`));
    const row = this.withIndex(spec, clock);
    // stale without a spot, a replaced underlying keeps its index, as a print leaving it stale does
    if (existing !== undefined && row.stale && spec.spot === null) row.index = this.underlyings[existing].index;
    if (existing === undefined) checkCount(this.underlyings.length + 1, MAX_UNDERLYINGS, "underlyings", "underlying");
    // the index is the spot with no sources, or without a quorum; else the sources make it
    else this.assertUnderlyingPriceFits(existing, row.index, spec.spot !== null && (row.sources.length === 0 || row.stale) ? "underlying.spot" : "underlying.sources");
    for (const i of this.instruments) {
      if (i.underlying === row.id && !isExpiredAt(i, clock)) assertRateHorizon(i, row.rate, this.settings.now, "underlying.rate", `instrument "${i.id}"`);
    }
    return { row, clock, existing };
  }

  /** A row's `priceTime` in an upsert of a `kind` row (venue/reference.ts), `held` that of the row it replaces. */
  private givenPriceTime(given: unknown, kind: string, held: number | undefined): number {
    return upsertPriceTime(given, `${kind}.priceTime`, { now: this.settings.now, clock: this.clock, skewMs: this.params.maxClockSkewMs, held });
  }

  /** Applies a row `planUnderlying` checked. */
  applyUnderlying({ row, clock, existing }: { row: UnderlyingRow; clock: number; existing: number | undefined }): void {
    // the variance estimate is the index's history, which a new definition does not erase (nor a stale index sample)
    if (existing !== undefined) row.scan = this.withSample(this.underlyings[existing].scan, row.stale ? null : row.index, clock);
    replaceRow(this.underlyings, this.underlyingIds, row);
    this.sync();
  }

  upsertAsset(value: unknown): void {
    const given = asRecord(value, "asset"), row = parseAsset(given, "asset", this.settings.settlement, this.clock);
    this.ensureRoom("asset");
    if (row.underlying !== null && !this.underlyingIds.has(row.underlying)) fail("UNKNOWN_ID", "asset.underlying", `no underlying "${row.underlying}"`);
    const existing = this.assetIds.get(row.id);
    row.priceTime = this.givenPriceTime(given.priceTime, "asset", existing === undefined ? undefined : this.assets[existing].priceTime);
    if (existing === undefined) {
      checkCount(this.assets.length + 1, MAX_ASSETS, "assets", "asset");
    } else {
      // priced by an underlying, the row's price is not used: the underlying sets the value
      const [price, field] = row.underlying === null ? [row.price, "asset.price"] : [this.underlying(row.underlying).index, "asset.underlying"];
      this.assertAssetPriceFits(existing, price, field);
    }
    replaceRow(this.assets, this.assetIds, row);
    this.sync();
  }

  upsertInstrument(value: unknown): void {
    const given = asRecord(value, "instrument"), row = parseInstrument(given, "instrument", this.clock, "the oracle clock");
    this.ensureRoom("instrument");
    const held = this.instrumentIds.get(row.id);
    row.priceTime = this.givenPriceTime(given.priceTime, "instrument", held === undefined ? undefined : this.instruments[held].priceTime);
    const u = this.underlyingIds.get(row.underlying);
    if (u === undefined) fail("UNKNOWN_ID", "instrument.underlying", `no underlying "${row.underlying}"`);
    assertRateHorizon(row, this.underlyings[u].rate, this.settings.now, "instrument.expiry");
    const existing = this.instrumentIds.get(row.id);
    if (existing === undefined) {
      checkCount(this.instruments.length + 1, MAX_INSTRUMENTS, "instruments", "instrument");
    } else {
      const before = this.instruments[existing];
      // its positions are settled at the old expiry: a new one would let them trade again
      if (isExpiredAt(before, this.clock)) fail("EXPIRED", "instrument.expiry", `"${row.id}" expired at the oracle clock: an expired contract keeps its expiry (define a new instrument)`);
      const held = this.maxLotsHeld(existing);
      const changed = held > 0n ? (["kind", "underlying", "lotSize"] as const).find((key) => before[key] !== row[key]) : undefined;
      if (changed !== undefined) fail("OUT_OF_RANGE", `instrument.${changed}`, "cannot change once the instrument has been held (since the last bulk load)");
      const index = this.underlyings[u].index, strikeFits = !beyondNotional(held, { ...row, strike: before.strike }, index);
      if (beyondNotional(held, row, index)) fail("OUT_OF_RANGE", strikeFits ? "instrument.strike" : "instrument.mark", "an open position would exceed the notional limit");
    }
    replaceRow(this.instruments, this.instrumentIds, row);
    this.instrumentRevision++;
    this.syncInstrument(this.instrumentIds.get(row.id)!);
  }

  /** Position of an instrument in definition order (the `positionInstrument` of loadColumns). */
  instrumentIndex(id: string, field = "instrument"): number {
    const i = this.instrumentIds.get(asId(id, field));
    if (i === undefined) fail("UNKNOWN_ID", field, `no instrument "${id}"`);
    return i;
  }

  /** Position of an asset in definition order (the `collateralAsset` of loadColumns). */
  assetIndex(id: string): number {
    const a = this.assetIds.get(asId(id, "asset"));
    if (a === undefined) fail("UNKNOWN_ID", "asset", `no asset "${id}"`);
    return a;
  }

  /** Position of an underlying in definition order. */
  underlyingIndex(id: string): number {
    const u = this.underlyingIds.get(asId(id, "underlying"));
    if (u === undefined) fail("UNKNOWN_ID", "underlying", `no underlying "${id}"`);
    return u;
  }

  /** An underlying's row by id (the id must be known). */
  underlying(id: string): UnderlyingRow {
    return this.underlyings[this.underlyingIds.get(id)!];
  }

  /** Position of the underlying instrument `i` is written on. */
  underlyingOf(i: number): number {
    return this.underlyingIds.get(this.instruments[i].underlying)!;
  }

  /** The ids a venue file's accounts are resolved against. */
  accountLookup(): Lookup {
    return {
      instrumentIndex: this.instrumentIds, instrumentLotSize: (i) => this.instruments[i].lotSize,
      instrumentKind: (i) => this.instruments[i].kind, assetIndex: this.assetIds,
    };
  }

  /** The scenario grid in force for an underlying, or the venue's base grid (copies). */
  scenarioGrid(underlyingId?: string): Scenario[] {
    const grid = underlyingId === undefined ? this.params.grid : this.gridOf(this.underlyingIndex(underlyingId));
    return grid.map((s) => ({ ...s }));
  }

  /** The price scan range charged for an underlying (fraction, 1e9 raw): its dynamic range, or priceScan. */
  scanRange(underlyingId: string): bigint {
    return this.underlyings[this.underlyingIndex(underlyingId)].scan?.range ?? this.params.gridParams.priceScan;
  }

  /** Looks an id up among underlyings, instruments and assets, in that order. */
  find(id: string): { underlying: number } | { instrument: number } | { asset: number } | undefined {
    const u = this.underlyingIds.get(id);
    if (u !== undefined) return { underlying: u };
    const i = this.instrumentIds.get(id);
    if (i !== undefined) return { instrument: i };
    const a = this.assetIds.get(id);
    return a === undefined ? undefined : { asset: a };
  }

  /** An asset's price now: its own, or its underlying's index. */
  assetPrice(a: number): bigint {
    const row = this.assets[a];
    return row.underlying === null ? row.price : this.underlying(row.underlying).index;
  }

  /** The largest |lots| any account has held in instrument `i` (the module's high-water mark). */
  maxLotsHeld(i: number): bigint {
    return this.views.i64(Col.InstrumentMaxLots)[i];
  }

  /**
   * Fails when a new index for underlying `u` would take an open position or balance past its
   * limit. Only the instruments someone holds are looked at, by the module, so a price costs the
   * same on a venue of ten thousand instruments as on one of a hundred.
   */
  assertUnderlyingPriceFits(u: number, index: bigint, field: string): void {
    const id = this.underlyings[u].id;
    const i = this.wasm.heldBeyondNotional(u, index);
    if (i >= 0) fail("OUT_OF_RANGE", field, positionBeyondLimit(this.instruments[i].id));
    this.assets.forEach((row, a) => {
      if (row.underlying === id) this.assertAssetPriceFits(a, index, field);
    });
  }

  assertAssetPriceFits(a: number, price: bigint, field: string): void {
    if (beyondCollateralValue(this.views.i64(Col.AssetMaxAmount)[a], price)) fail("OUT_OF_RANGE", field, balanceBeyondLimit(this.assets[a].id));
  }

  /** An accepted index price fed to a dynamic scan range; none kept (dynamic margin off) or no index (stale): as it was. */
  withSample(scan: ScanState | undefined, index: bigint | null, time: number): ScanState | undefined {
    return scan === undefined || index === null ? scan : advanceScan(this.wasm, this.params.dynamicScan!, scan, index, time);
  }

  /** The scenario grid in force for underlying `u`: the base grid at its dynamic scan range. */
  gridOf(u: number): Scenario[] {
    const p = this.params;
    const range = this.underlyings[u].scan?.range ?? p.gridParams.priceScan;
    let grid = this.gridsByRange.get(range);
    if (grid === undefined) {
      grid = gridForRange(p.grid, p.gridSpec, p.gridParams, range);
      this.gridsByRange.set(range, grid);
    }
    return grid;
  }

  private syncParameters(): void {
    const p = this.params;
    this.wasm.setParameters(BigInt(this.settings.now), p.maxMarkDeviation, p.optIm, p.optImMin, p.optMm);
    this.wasm.setPortfolioParameters(p.volUp, p.volDown, p.volTermShort, p.volTermLong, p.shockCollateral, p.imMultiplier, p.shortOptionMin);
    this.wasm.setScenarioCount(p.grid.length, this.underlyings.length);
    p.grid.forEach((s, k) => {
      this.views.i32(Col.ScenarioVol)[k] = s.vol;
      this.views.i64(Col.ScenarioCover)[k] = s.cover;
    });
    this.refresh.everything();
  }

  /**
   * Mirrors every reference row into the module (on a load and on changes of underlyings or
   * assets): every prepared constant and the exposure index are then out of date.
   */
  sync(): void {
    this.tierRows = this.instruments.reduce((n, i) => n + i.tiers.length, 0);
    this.tierHoles = 0;
    this.wasm.setReferenceCounts(this.underlyings.length, this.assets.length, this.instruments.length, this.tierRows);
    const v = this.views;
    const scenarios = this.params.grid.length, dynamic = this.params.dynamicScan;
    this.wasm.setScenarioCount(scenarios, this.underlyings.length);
    this.underlyings.forEach((u, k) => {
      v.i64(Col.UnderlyingIndex)[k] = u.index;
      v.i64(Col.UnderlyingVol)[k] = u.vol;
      v.i64(Col.UnderlyingRate)[k] = u.rate;
      if (dynamic !== null && u.scan === undefined) u.scan = initialScan(this.wasm, dynamic, u.vol, u.index, u.priceTime);
      v.i64(Col.ScenarioMove).set(this.gridOf(k).map((s) => s.move), k * scenarios);
    });
    this.assets.forEach((a, k) => {
      v.i64(Col.AssetPrice)[k] = a.price;
      v.i64(Col.AssetHaircut)[k] = a.haircut;
      v.i32(Col.AssetUnderlying)[k] = a.underlying === null ? -1 : this.underlyingIds.get(a.underlying)!;
    });
    let t = 0;
    this.instruments.forEach((_, k) => {
      this.writeInstrument(k, t);
      t += this.instruments[k].tiers.length;
    });
    const correlation = this.params.correlation;
    this.wasm.setCorrelated(correlation !== null, this.underlyings.length);
    if (correlation !== null) {
      const n = this.underlyings.length, rho = v.i64(Col.Correlation);
      this.underlyings.forEach((a, i) => {
        const row = correlation.get(a.id);
        this.underlyings.forEach((b, j) => {
          rho[i * n + j] = i === j ? ONE : row?.get(b.id) ?? 0n;
        });
      });
    }
    this.wasm.invalidatePrepared();
    this.wasm.invalidateExposure();
    this.refresh.everything();
  }

  /** Underlying u's index moved (and with it, under dynamic margin, its scenario moves): O(1), nothing is re-prepared yet. */
  syncIndex(u: number): void {
    const row = this.underlyings[u], v = this.views;
    v.i64(Col.UnderlyingIndex)[u] = row.index;
    if (this.params.dynamicScan !== null) {
      const scenarios = this.params.grid.length;
      v.i64(Col.ScenarioMove).set(this.gridOf(u).map((s) => s.move), u * scenarios);
    }
    this.wasm.pricesMoved(u);
    this.refresh.underlying(u);
  }

  /** Instrument i's mark moved. */
  syncMark(i: number): void {
    this.views.i64(Col.InstrumentMark)[i] = this.instruments[i].mark;
    this.wasm.instrumentChanged(i);
    this.refresh.underlying(this.underlyingOf(i));
  }

  /** Asset a's own price moved from `previous`: the accounts holding it move by their balances' change. */
  syncAssetPrice(a: number, previous: bigint): void {
    this.views.i64(Col.AssetPrice)[a] = this.assets[a].price;
    this.refresh.assetPrice(a, previous);
  }

  /**
   * Writes instrument i's row alone (an upsert). Its tiers go back in place when they fit, else
   * after the others; the accounts of its underlying are re-evaluated only if it may be held.
   */
  private syncInstrument(i: number): void {
    const v = this.views, row = this.instruments[i];
    const isNew = i >= this.wasm.instrumentCount();
    const before = isNew ? 0 : v.i32(Col.InstrumentTierCount)[i];
    let start = this.tierRows;
    if (!isNew && row.tiers.length <= before) {
      start = v.i32(Col.InstrumentTierStart)[i];
      this.tierHoles += before - row.tiers.length;
    } else {
      this.tierRows += row.tiers.length;
      this.tierHoles += before;
    }
    // rows left behind are reclaimed by laying every row out again once they are many and half the table
    if (this.tierHoles > 1024 && this.tierHoles > this.tierRows >> 1) return this.sync();
    this.wasm.setReferenceCounts(this.underlyings.length, this.assets.length, this.instruments.length, this.tierRows);
    this.writeInstrument(i, start);
    this.wasm.instrumentRewritten(i);
    if (!isNew && this.maxLotsHeld(i) > 0n) this.refresh.underlying(this.underlyingOf(i));
  }

  /** Instrument k's columns, its tiers from row `tierStart` of the tier table. */
  private writeInstrument(k: number, tierStart: number): void {
    const v = this.views, i = this.instruments[k];
    v.u8(Col.InstrumentKind)[k] = i.kind;
    v.i32(Col.InstrumentUnderlying)[k] = this.underlyingIds.get(i.underlying)!;
    v.i64(Col.InstrumentLotSize)[k] = i.lotSize;
    v.i64(Col.InstrumentMark)[k] = i.mark;
    v.i64(Col.InstrumentStrike)[k] = i.strike;
    v.i64(Col.InstrumentExpiry)[k] = BigInt(i.expiry);
    v.i64(Col.InstrumentIv)[k] = i.iv;
    v.i32(Col.InstrumentTierStart)[k] = tierStart;
    v.i32(Col.InstrumentTierCount)[k] = i.tiers.length;
    i.tiers.forEach((tier, n) => {
      v.i64(Col.TierUpTo)[tierStart + n] = tier.upTo;
      v.i64(Col.TierImf)[tierStart + n] = tier.imf;
      v.i64(Col.TierMmf)[tierStart + n] = tier.mmf;
    });
  }
}
