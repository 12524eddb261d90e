// MarginEngine: the typed facade over the module. Reference data is validated here with exact
// bigint arithmetic and mirrored into the module's columns; accounts live only in the module.
import type { AccountColumns, StagedFieldName } from "./account-columns.js";
import { Col, ColumnViews } from "./columns.js";
import { ceilDiv, floorDiv, formatDecimal, formatTime, parseDecimal, parseTime, MONEY_SCALE, PRICE_SCALE } from "./decimal.js";
import { fail, MarginError } from "./errors.js";
import {
  MAX_ACCOUNTS, MAX_ASSETS, MAX_COLLATERAL_AMOUNT, MAX_COLLATERAL_VALUE, MAX_INSTRUMENTS,
  MAX_POSITION_NOTIONAL, MAX_UNDERLYINGS, MAX_FUND, MAX_POSITIONS_PER_ACCOUNT, MAX_COLLATERAL_PER_ACCOUNT, MAX_LOTS, MAX_PRICE, MAX_ROWS,
  QTY_PRICE_TO_MONEY, QTY_PRICE_FRACTION_TO_MONEY, KIND_CALL, KIND_PUT, KIND_PERP, STATUS_NAMES, STAGED_FIELDS,
  REJECTION_OUT_OF_RANGE, REJECTION_UNKNOWN_ID, REJECTION_DUPLICATE,
} from "./core/constants.generated.js";
import { indexFromSources, lastKnownIndex } from "./oracle.js";
import { Liquidator, type PassResult } from "./liquidation.js";
import { LiquidationPriceSearch } from "./liquidation-price.js";
import { parseParams, type Params } from "./params.js";
import { gridForRange, type Scenario } from "./grid.js";
import { advanceScan, initialScan, restoreScan, type ScanState } from "./scan-range.js";
import {
  asObject, asArray, asId, indexIds, parseAsset, parseInstrument, parsePrice, parseUnderlying,
  type AssetRow, type InstrumentRow, type UnderlyingRow,
} from "./reference.js";
import { lotsOf, parseMode, parseVenueAccounts } from "./venue-accounts.js";
import { instantiate, simdSupported, wasmSize, MAX_MEMORY_BYTES, type WasmExports } from "./wasm.js";
import { decodeSnapshot, encodeSnapshot, type SnapshotHeader } from "./snapshot.js";

export type AccountStatus = (typeof STATUS_NAMES)[number];
const MODE_NAMES = ["standard", "portfolio"] as const;
const DEFAULT_NOW = "2026-11-24T00:00:00Z";

/** Greeks of one underlying: delta and gamma in base units, vega and theta in money (methodology §5). */
export interface Greeks { delta: string; gamma: string; vega: string; theta: string }
/** Per-lot greeks as raw fixed point: delta and gamma at scale 1e9, vega and theta at 1e6. */
export interface RawGreeks { delta: bigint; gamma: bigint; vega: bigint; theta: bigint }
const GREEK_COLUMNS = [Col.LotDelta, Col.LotGamma, Col.LotVega, Col.LotTheta] as const;
const GREEK_SCALES = [9, 9, MONEY_SCALE, MONEY_SCALE] as const;

export interface ScenarioGrid {
  account: string;
  buckets: {
    underlying: string;
    scenarios: { move: string; vol: "down" | "none" | "up"; cover: string; pnl: string }[];
    shortOptionMinimum: string;
    margin: string;
    /** Index of the scenario whose covered loss is the margin; null when the minimum (or nothing) binds. */
    binding: number | null;
  }[];
}
const VOL_NAMES = ["down", "none", "up"] as const;

export interface AccountRisk {
  id: string;
  mode: "standard" | "portfolio";
  parent: string | null;
  subAccounts: string[];
  equity: string;
  initialMargin: string;
  maintenanceMargin: string;
  /** MM / equity for display; null when equity ≤ 0. */
  marginRatio: number | null;
  status: AccountStatus;
  /** Per underlying the account holds positions on. */
  greeks: Record<string, Greeks>;
  /** Per underlying held: the nearest index price at which the account is liquidatable (null: none within ±99 %). */
  liquidationPrice?: Record<string, string | null>;
}

export interface VenueRisk {
  accounts: number;
  equity: string;
  initialMargin: string;
  maintenanceMargin: string;
  statusCounts: Record<AccountStatus, number>;
  /** Net greeks of all accounts, per underlying with open positions. */
  greeks: Record<string, Greeks>;
}

/** How the module runs: `simd: false` forces the scalar build (default: SIMD where the host has it). */
export interface RuntimeOptions {
  simd?: boolean;
  /** Wasm memory to start with, in bytes (at most 4 GiB): sized for a large venue, it is never grown. */
  initialMemory?: number;
}

export interface EngineOptions extends RuntimeOptions {
  now?: string;
  settlement?: string;
  params?: Record<string, unknown>;
  insuranceFund?: string;
}

export interface LiquidationOrder { instrument: string; qty: string; price: string }
export interface AdlOrder { account: string; instrument: string; qty: string; price: string; amount: string }
export interface Liquidation {
  id: string;
  rank: number;
  equity: string;
  maintenanceMargin: string;
  shortfall: string;
  /** equity / MM for display; null stands for −∞ (negative equity with no MM). */
  health: number | null;
  /** An underlying the account is exposed to has no fresh price: no orders until it has. */
  deferred: boolean;
  orders: LiquidationOrder[];
  /** Liquidation fee paid to the insurance fund. */
  fee: string;
  bankruptcy: boolean;
  /** What the insurance fund paid towards the deficit. */
  insurancePaid: string;
  adl: AdlOrder[];
  /** Deficit nothing could cover (no fund left and no opposing position). */
  uncoveredDeficit: string;
}
export interface LiquidationReport {
  queue: Liquidation[];
  insuranceFund: string;
  feesPaid: string;
  insurancePaid: string;
  socializedLoss: string;
}

export interface OrderRequest { account: string; instrument: string; qty: string; price: string }
export type OrderRejection = "INSUFFICIENT_MARGIN" | "STALE_PRICE" | "ACCOUNT_BANKRUPT" | "OVER_TIER_LIMIT";
export interface OrderCheck {
  accepted: boolean;
  reason: OrderRejection | null;
  initialMarginBefore: string;
  initialMarginAfter: string;
  equityAfter: string;
}
/** The notional and collateral-value limits (money) at the scale of the quantity × price products checked against them. */
const MAX_NOTIONAL_QTY_PRICE = MAX_POSITION_NOTIONAL * QTY_PRICE_TO_MONEY;
const MAX_COLLATERAL_VALUE_QTY_PRICE = MAX_COLLATERAL_VALUE * QTY_PRICE_TO_MONEY;
/** checkOrderRaw's answer: money raw at 1e6. */
export interface RawOrderCheck {
  accepted: boolean;
  reason: OrderRejection | null;
  initialMarginBefore: bigint;
  initialMarginAfter: bigint;
  equityAfter: bigint;
}

/** Stored per-account results; status codes index STATUS_NAMES (0 healthy … 3 bankrupt). */
export interface RiskColumns {
  equity: BigInt64Array;
  maintenanceMargin: BigInt64Array;
  status: Uint8Array;
  equityTotal: bigint;
  maintenanceMarginTotal: bigint;
  statusCounts: Record<AccountStatus, number>;
}

export interface RawAccountRisk { equity: bigint; initialMargin: bigint; maintenanceMargin: bigint; status: AccountStatus }

function limitOf(limit: number | undefined): number {
  if (limit === undefined) return Infinity;
  if (!Number.isInteger(limit) || limit < 0) fail("OUT_OF_RANGE", "limit", "must be a non-negative integer");
  return limit;
}

export class MarginEngine {
  private readonly views: ColumnViews;
  private now: number;
  private settlement: string;
  private params: Params;
  private paramOverrides: Record<string, unknown>;
  private insuranceFund: bigint;
  private underlyings: UnderlyingRow[] = [];
  private underlyingIds = new Map<string, number>();
  private assets: AssetRow[] = [];
  private assetIds = new Map<string, number>();
  private instruments: InstrumentRow[] = [];
  private instrumentIds = new Map<string, number>();
  /** null: account i is `acc-${i}` (bulk loads without ids). */
  private accountIds: string[] | null = [];
  private accountIndexCache: Map<string, number> | null = null;
  private parents = new Map<number, number>();
  // What the stored per-account results (equity, MM, status, totals) have not yet absorbed:
  // everything, or ticks on some underlyings and edits to some accounts (the incremental path).
  private pendingAll = true;
  private readonly pendingUnderlyings = new Set<number>();
  private readonly pendingAccounts = new Set<number>();
  /** IM is not stored per account, so after an incremental refresh its total needs a full pass. */
  private initialTotalStale = true;
  /** The oracle clock: the latest price time accepted (staleness is judged against it). */
  private clock: number;
  private readonly liquidator: Liquidator;
  private readonly priceSearch: LiquidationPriceSearch;

  private readonly simd: boolean;
  /** Grids built for each scan range met (dynamic margin moves few ranges, and rarely). */
  private readonly gridsByRange = new Map<bigint, Scenario[]>();

  private constructor(private readonly wasm: WasmExports, options: EngineOptions) {
    this.simd = useSimd(options);
    this.views = new ColumnViews(wasm);
    this.now = parseTime(options.now ?? DEFAULT_NOW, "now");
    this.clock = this.now;
    this.priceSearch = new LiquidationPriceSearch(wasm, this.views, () => this.instruments);
    this.liquidator = new Liquidator({
      wasm, views: this.views,
      params: () => this.params,
      instruments: () => this.instruments,
      instrumentUnderlying: (i) => this.underlyingIds.get(this.instruments[i].underlying)!,
      settlementAsset: () => this.assetIds.get(this.settlement)!,
      accountId: (a) => this.accountId(a),
      exposedToStale: (a) => this.exposedToStale(a),
      fund: () => this.insuranceFund,
      setFund: (value) => {
        this.insuranceFund = value;
      },
    });
    this.settlement = asId(options.settlement ?? "USD", "settlement");
    this.paramOverrides = { ...asObject(options.params ?? {}, "params") };
    this.params = parseParams(this.paramOverrides);
    this.insuranceFund = parseFund(options.insuranceFund ?? "0");
    this.syncParameters();
  }

  /** An empty engine holding only the settlement asset. */
  static async create(options: EngineOptions = {}): Promise<MarginEngine> {
    const engine = new MarginEngine(await instantiate(useSimd(options), initialMemoryOf(options)), options);
    engine.upsertAsset({ id: engine.settlement, price: "1", haircut: "0" });
    return engine;
  }

  /**
   * Wasm memory (bytes) for one bulk load of this size and its recomputes, to pass as
   * `initialMemory`: positions 14 bytes, collateral rows 9, accounts 48 (their columns, the
   * staged offsets, queue and exposure index), 16 MiB for reference data and scratch, 5 % slack.
   */
  static memoryEstimate(size: { accounts: number; positions: number; collaterals: number }): number {
    return Math.min(MAX_MEMORY_BYTES, memoryNeeded(size));
  }

  /** Loads a venue file (object or JSON text), rejecting it whole on the first bad field. */
  static async fromVenue(venue: unknown, runtime: RuntimeOptions = {}): Promise<MarginEngine> {
    if (typeof venue === "string") {
      try {
        venue = JSON.parse(venue);
      } catch (error) {
        fail("MALFORMED", "$", `not valid JSON: ${(error as Error).message}`);
      }
    }
    const file = asObject(venue, "$");
    const engine = new MarginEngine(await instantiate(useSimd(runtime), initialMemoryOf(runtime)), {
      ...runtime, now: file.now as string, settlement: file.settlement as string,
      params: file.params as Record<string, unknown>, insuranceFund: file.insuranceFund as string,
    });
    engine.loadReference(file);
    const parsed = parseVenueAccounts(file.accounts, {
      instrumentIndex: engine.instrumentIds,
      instrumentLotSize: (i) => engine.instruments[i].lotSize,
      assetIndex: engine.assetIds,
    });
    engine.loadColumns(parsed.columns, parsed.fieldOf);
    return engine;
  }

  private loadReference(file: Record<string, unknown>): void {
    const underlyings = asArray(file.underlyings ?? [], "underlyings").map((u, k) => this.withIndex(parseUnderlying(u, `underlyings[${k}]`, this.now)));
    const underlyingIds = indexIds(underlyings, "underlyings");
    const assetRows = asArray(file.assets ?? [], "assets");
    const assets = assetRows.map((a, k) => parseAsset(a, `assets[${k}]`, this.settlement, this.now));
    if (!assets.some((a) => a.id === this.settlement)) assets.unshift({ id: this.settlement, price: 100_000_000n, haircut: 0n, underlying: null, priceTime: this.now });
    const offset = assets.length - assetRows.length;
    const assetIds = indexIds(assets, "assets");
    assets.forEach((a, k) => {
      if (a.underlying !== null && !underlyingIds.has(a.underlying)) fail("UNKNOWN_ID", `assets[${k - offset}].underlying`, `no underlying "${a.underlying}"`);
    });
    const instruments = asArray(file.instruments ?? [], "instruments").map((i, k) => parseInstrument(i, `instruments[${k}]`, this.now, true));
    const instrumentIds = indexIds(instruments, "instruments");
    instruments.forEach((i, k) => {
      if (!underlyingIds.has(i.underlying)) fail("UNKNOWN_ID", `instruments[${k}].underlying`, `no underlying "${i.underlying}"`);
    });
    checkCount(underlyings.length, MAX_UNDERLYINGS, "underlyings");
    // the matrix holds both orders of every pair, so each id named anywhere is one of its keys
    for (const id of this.params.correlation?.keys() ?? []) {
      if (!underlyingIds.has(id)) fail("UNKNOWN_ID", `params.correlation.${id}`, `no underlying "${id}"`);
    }
    checkCount(assets.length, MAX_ASSETS, "assets");
    checkCount(instruments.length, MAX_INSTRUMENTS, "instruments");
    this.underlyings = underlyings;
    this.underlyingIds = underlyingIds;
    this.assets = assets;
    this.assetIds = assetIds;
    this.instruments = instruments;
    this.instrumentIds = instrumentIds;
    this.syncReference();
  }

  private withIndex(row: Omit<UnderlyingRow, "index" | "stale">): UnderlyingRow {
    const fromSources = row.sources.length > 0 ? indexFromSources(row.sources, this.now, this.params) : null;
    // With no fresh source the underlying is stale: it keeps its spot, or the sources' last prices.
    const index = fromSources ?? row.spot ?? lastKnownIndex(row.sources);
    return { ...row, index, stale: row.sources.length > 0 && fromSources === null };
  }

  // ---- reference data ----------------------------------------------------------------------

  upsertUnderlying(value: unknown): void {
    const row = this.withIndex(parseUnderlying(value, "underlying", this.now));
    const existing = this.underlyingIds.get(row.id);
    if (existing === undefined) {
      checkCount(this.underlyings.length + 1, MAX_UNDERLYINGS, "underlyings");
    } else {
      this.assertUnderlyingPriceFits(existing, row.index, "underlying.spot");
      // the variance estimate is the index's history, which a new definition does not erase
      row.scan = this.withSample(this.underlyings[existing].scan, row.index, this.clock);
    }
    this.replaceRow(this.underlyings, this.underlyingIds, row);
    this.syncReference();
  }

  upsertAsset(value: unknown): void {
    const row = parseAsset(value, "asset", this.settlement, this.now);
    if (row.underlying !== null && !this.underlyingIds.has(row.underlying)) fail("UNKNOWN_ID", "asset.underlying", `no underlying "${row.underlying}"`);
    const existing = this.assetIds.get(row.id);
    if (existing === undefined) {
      checkCount(this.assets.length + 1, MAX_ASSETS, "assets");
    } else {
      const price = row.underlying === null ? row.price : this.underlyings[this.underlyingIds.get(row.underlying)!].index;
      this.assertAssetPriceFits(existing, price, "asset.price");
    }
    this.replaceRow(this.assets, this.assetIds, row);
    this.syncReference();
  }

  upsertInstrument(value: unknown): void {
    const row = parseInstrument(value, "instrument", this.now, true);
    const u = this.underlyingIds.get(row.underlying);
    if (u === undefined) fail("UNKNOWN_ID", "instrument.underlying", `no underlying "${row.underlying}"`);
    const existing = this.instrumentIds.get(row.id);
    if (existing === undefined) {
      checkCount(this.instruments.length + 1, MAX_INSTRUMENTS, "instruments");
    } else {
      const before = this.instruments[existing];
      const held = this.views.i64(Col.InstrumentMaxLots)[existing];
      if (held > 0n && (before.lotSize !== row.lotSize || before.kind !== row.kind || before.underlying !== row.underlying)) {
        fail("OUT_OF_RANGE", "instrument.lotSize", "kind, underlying and lot size cannot change while positions are open");
      }
      const bound = [row.mark, row.strike, this.underlyings[u].index].reduce(maxBig);
      if (held * row.lotSize * bound > MAX_NOTIONAL_QTY_PRICE) fail("OUT_OF_RANGE", "instrument.mark", "an open position would exceed the notional limit");
    }
    this.replaceRow(this.instruments, this.instrumentIds, row);
    this.syncReference();
  }

  private replaceRow<T extends { id: string }>(rows: T[], ids: Map<string, number>, row: T): void {
    const at = ids.get(row.id);
    if (at === undefined) {
      ids.set(row.id, rows.length);
      rows.push(row);
    } else {
      rows[at] = row;
    }
  }

  /** Index of an instrument in definition order (the `positionInstrument` of loadColumns). */
  instrumentIndex(id: string): number {
    const i = this.instrumentIds.get(id);
    if (i === undefined) fail("UNKNOWN_ID", "instrument", `no instrument "${id}"`);
    return i;
  }

  /** Index of an asset in definition order (the `collateralAsset` of loadColumns). */
  assetIndex(id: string): number {
    const a = this.assetIds.get(id);
    if (a === undefined) fail("UNKNOWN_ID", "asset", `no asset "${id}"`);
    return a;
  }

  /**
   * Sets a price: an underlying's index (or one of its oracle sources when `source` is given),
   * an instrument's mark, or an asset's own price. Older timestamps are rejected.
   */
  setPrice(id: string, price: string, timestampMs: number, source?: string): void {
    this.planPrice(id, price, timestampMs, source)();
  }

  /** Validates a price exactly as setPrice would, changing nothing (sharded venues check every shard first). */
  checkPrice(id: string, price: string, timestampMs: number, source?: string): void {
    this.planPrice(id, price, timestampMs, source);
  }

  /** Every check of a price update, then the update itself as a function that cannot fail. */
  private planPrice(id: string, price: string, timestampMs: number, source?: string): () => void {
    const raw = parsePrice(price, "price");
    if (!Number.isFinite(timestampMs)) fail("INVALID_NUMBER", "timestamp", `${timestampMs} is not a finite time`);
    const u = this.underlyingIds.get(id);
    if (u !== undefined) {
      const row = this.underlyings[u];
      let next: UnderlyingRow;
      if (source !== undefined) {
        const s = row.sources.findIndex((x) => x.id === source);
        if (s < 0) fail("UNKNOWN_ID", "source", `underlying "${id}" has no source "${source}"`);
        if (timestampMs < row.sources[s].time) fail("OUT_OF_RANGE", "timestamp", "older than the price held");
        const sources = row.sources.map((x, k) => (k === s ? { ...x, price: raw, time: timestampMs } : x));
        const time = Math.max(this.clock, timestampMs);
        const index = indexFromSources(sources, time, this.params);
        if (index !== null) this.assertUnderlyingPriceFits(u, index, "price");
        next = {
          ...row, sources, index: index ?? row.index, stale: index === null, priceTime: Math.max(row.priceTime, timestampMs),
          scan: this.withSample(row.scan, index, time),
        };
      } else {
        if (timestampMs < row.priceTime) fail("OUT_OF_RANGE", "timestamp", "older than the price held");
        this.assertUnderlyingPriceFits(u, raw, "price");
        next = { ...row, spot: raw, index: raw, priceTime: timestampMs, scan: this.withSample(row.scan, raw, timestampMs) };
      }
      return () => {
        this.underlyings[u] = next;
        this.advanceClock(timestampMs);
        this.syncReference(u);
      };
    }
    const i = this.instrumentIds.get(id);
    if (i !== undefined) {
      const row = this.instruments[i];
      if (timestampMs < row.priceTime) fail("OUT_OF_RANGE", "timestamp", "older than the price held");
      const bound = [raw, row.strike, this.underlyings[this.underlyingIds.get(row.underlying)!].index].reduce(maxBig);
      if (this.views.i64(Col.InstrumentMaxLots)[i] * row.lotSize * bound > MAX_NOTIONAL_QTY_PRICE) {
        fail("OUT_OF_RANGE", "price", "an open position would exceed the notional limit");
      }
      return () => {
        this.instruments[i] = { ...row, mark: raw, priceTime: timestampMs };
        this.syncReference(this.underlyingIds.get(row.underlying)!);
      };
    }
    const a = this.assetIds.get(id);
    if (a === undefined) fail("UNKNOWN_ID", "id", `no underlying, instrument or asset "${id}"`);
    const row = this.assets[a];
    if (row.underlying !== null) fail("MALFORMED", "id", `asset "${id}" is priced by underlying "${row.underlying}"`);
    if (row.id === this.settlement) fail("OUT_OF_RANGE", "price", "the settlement asset is priced 1");
    if (timestampMs < row.priceTime) fail("OUT_OF_RANGE", "timestamp", "older than the price held");
    this.assertAssetPriceFits(a, raw, "price");
    return () => {
      this.assets[a] = { ...row, price: raw, priceTime: timestampMs };
      this.syncReference();
    };
  }

  /**
   * Moves the oracle clock to `timestampMs` (never back): sources older than maxPriceAge drop
   * out of their medians, and an underlying left with no fresh source turns stale, keeping its
   * last index (methodology §7). Underlyings whose index or staleness changed are re-priced.
   */
  private advanceClock(timestampMs: number): void {
    if (timestampMs <= this.clock) return;
    this.clock = timestampMs;
    this.underlyings.forEach((row, u) => {
      if (row.sources.length === 0) return;
      const index = indexFromSources(row.sources, this.clock, this.params);
      const next = { index: index ?? row.index, stale: index === null };
      if (next.index === row.index && next.stale === row.stale) return;
      this.underlyings[u] = { ...row, ...next, scan: this.withSample(row.scan, index, this.clock) };
      this.pendingUnderlyings.add(u);
    });
  }

  /** An accepted index price fed to a dynamic scan range; none kept (dynamic margin off) or no index (stale): as it was. */
  private withSample(scan: ScanState | undefined, index: bigint | null, time: number): ScanState | undefined {
    return scan === undefined || index === null ? scan : advanceScan(this.wasm, this.params.dynamicScan!, scan, index, time);
  }

  /** An underlying's index (raw, scale 1e8): the median of its fresh sources, or its last one. */
  underlyingIndex(id: string): bigint {
    return this.underlyings[this.underlyingIndexOf(id)].index;
  }

  /** Underlyings with no fresh oracle source at the current clock. */
  staleUnderlyings(): string[] {
    return this.underlyings.filter((u) => u.stale).map((u) => u.id);
  }

  private assertUnderlyingPriceFits(u: number, index: bigint, field: string): void {
    const id = this.underlyings[u].id;
    const maxLots = this.views.i64(Col.InstrumentMaxLots);
    this.instruments.forEach((row, i) => {
      if (row.underlying !== id) return;
      const bound = [row.mark, row.strike, index].reduce(maxBig);
      if (maxLots[i] * row.lotSize * bound > MAX_NOTIONAL_QTY_PRICE) fail("OUT_OF_RANGE", field, `an open position in "${row.id}" would exceed the notional limit`);
    });
    this.assets.forEach((row, a) => {
      if (row.underlying === id) this.assertAssetPriceFits(a, index, field);
    });
  }

  private assertAssetPriceFits(a: number, price: bigint, field: string): void {
    if (this.views.i64(Col.AssetMaxAmount)[a] * price > MAX_COLLATERAL_VALUE_QTY_PRICE) fail("OUT_OF_RANGE", field, "a balance would exceed the collateral value limit");
  }

  private syncParameters(): void {
    const p = this.params;
    this.wasm.setParameters(BigInt(this.now), p.maxMarkDeviation, p.optIm, p.optImMin, p.optMm);
    this.wasm.setPortfolioParameters(p.volUp, p.volDown, p.volTermShort, p.volTermLong, p.shockCollateral, p.imMultiplier, p.shortOptionMin);
    this.wasm.setScenarioCount(p.grid.length, this.underlyings.length);
    p.grid.forEach((s, k) => {
      this.views.i32(Col.ScenarioVol)[k] = s.vol;
      this.views.i64(Col.ScenarioCover)[k] = s.cover;
    });
    this.pendingAll = true;
  }

  /**
   * Mirrors every reference row into the module (hundreds of rows: cheap, and simple to keep
   * right). `moved` names the one underlying whose prices changed, when that is all that did.
   */
  private syncReference(moved?: number): void {
    const tiers = this.instruments.reduce((n, i) => n + i.tiers.length, 0);
    this.wasm.setReferenceCounts(this.underlyings.length, this.assets.length, this.instruments.length, tiers);
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
    this.instruments.forEach((i, k) => {
      v.u8(Col.InstrumentKind)[k] = i.kind;
      v.i32(Col.InstrumentUnderlying)[k] = this.underlyingIds.get(i.underlying)!;
      v.i64(Col.InstrumentLotSize)[k] = i.lotSize;
      v.i64(Col.InstrumentMark)[k] = i.mark;
      v.i64(Col.InstrumentStrike)[k] = i.strike;
      v.i64(Col.InstrumentExpiry)[k] = BigInt(i.expiry);
      v.i64(Col.InstrumentIv)[k] = i.iv;
      v.i32(Col.InstrumentTierStart)[k] = t;
      v.i32(Col.InstrumentTierCount)[k] = i.tiers.length;
      for (const tier of i.tiers) {
        v.i64(Col.TierUpTo)[t] = tier.upTo;
        v.i64(Col.TierImf)[t] = tier.imf;
        v.i64(Col.TierMmf)[t] = tier.mmf;
        t++;
      }
    });
    const correlation = this.params.correlation;
    this.wasm.setCorrelated(correlation !== null, this.underlyings.length);
    if (correlation !== null) {
      const n = this.underlyings.length;
      this.underlyings.forEach((a, i) => this.underlyings.forEach((b, j) => {
        v.i64(Col.Correlation)[i * n + j] = i === j ? 1_000_000_000n : correlation.get(a.id)?.get(b.id) ?? 0n;
      }));
    }
    if (moved !== undefined) {
      this.pendingUnderlyings.add(moved);
    } else {
      this.wasm.invalidateExposure();
      this.pendingAll = true;
    }
  }

  // ---- accounts ----------------------------------------------------------------------------

  /**
   * Replaces every account with the given columns. The whole batch is validated before any of
   * it is applied; a rejection names the column and row (or the venue field, via `fieldOf`).
   */
  loadColumns(columns: AccountColumns, fieldOf: (column: StagedFieldName, row: number) => string = (c, r) => `columns.${c}[${r}]`): void {
    const n = columns.count;
    if (!Number.isInteger(n) || n < 0 || n > MAX_ACCOUNTS) fail("OUT_OF_RANGE", "columns.count", `must be an integer in [0, ${MAX_ACCOUNTS}]`);
    expectLength(columns.mode, n, "columns.mode");
    expectLength(columns.parent, n, "columns.parent");
    expectLength(columns.positionOffsets, n + 1, "columns.positionOffsets");
    expectLength(columns.collateralOffsets, n + 1, "columns.collateralOffsets");
    const positions = columns.positionOffsets[n], collaterals = columns.collateralOffsets[n];
    if (positions > MAX_ROWS) fail("OUT_OF_RANGE", "columns.positionOffsets", `more than ${MAX_ROWS} positions in one load`);
    if (collaterals > MAX_ROWS) fail("OUT_OF_RANGE", "columns.collateralOffsets", `more than ${MAX_ROWS} collateral balances in one load`);
    const needed = memoryNeeded({ accounts: n, positions, collaterals });
    if (needed > MAX_MEMORY_BYTES) fail("OUT_OF_RANGE", "columns.count", `needs about ${(needed / 2 ** 30).toFixed(1)} GiB of wasm memory; wasm32 addresses 4 GiB`);
    expectLength(columns.positionInstrument, positions, "columns.positionInstrument");
    expectLength(columns.positionLots, positions, "columns.positionLots");
    expectLength(columns.positionEntry, positions, "columns.positionEntry");
    expectLength(columns.collateralAsset, collaterals, "columns.collateralAsset");
    expectLength(columns.collateralAmount, collaterals, "columns.collateralAmount");
    if (columns.ids !== undefined) {
      if (columns.ids.length !== n) fail("MALFORMED", "columns.ids", `expected ${n} ids`);
      const seen = new Set<string>();
      columns.ids.forEach((id, a) => {
        asId(id, `columns.ids[${a}]`);
        if (seen.has(id)) fail("DUPLICATE_ID", `columns.ids[${a}]`, `account "${id}" appears twice`);
        seen.add(id);
      });
    }
    for (let a = 0; a < n; a++) {
      const p = columns.parent[a];
      if (p === -1) continue;
      if (p < 0 || p >= n || p === a) fail("MALFORMED", `columns.parent[${a}]`, "parent must be another account's index");
      if (columns.parent[p] !== -1) fail("MALFORMED", `columns.parent[${a}]`, "a sub-account cannot have sub-accounts");
    }

    this.wasm.stageLoad(n, positions, collaterals);
    const v = this.views;
    v.u8(Col.StagedMode).set(columns.mode);
    v.i32(Col.StagedPositionOffsets).set(columns.positionOffsets);
    v.u16(Col.StagedPositionInstrument).set(columns.positionInstrument);
    v.i32(Col.StagedPositionLots).set(columns.positionLots);
    v.i64(Col.StagedPositionEntry).set(columns.positionEntry);
    v.i32(Col.StagedCollateralOffsets).set(columns.collateralOffsets);
    v.u8(Col.StagedCollateralAsset).set(columns.collateralAsset);
    v.i64(Col.StagedCollateralAmount).set(columns.collateralAmount);
    const rejection = this.wasm.validateStaged();
    if (rejection !== 0) {
      const field = fieldOf(STAGED_FIELDS[this.wasm.rejectedField()], this.wasm.rejectedRow());
      this.wasm.discardStaged();
      throw stagedError(rejection, field);
    }
    this.wasm.commitStaged();
    this.accountIds = columns.ids ? [...columns.ids] : null;
    this.accountIndexCache = null;
    this.parents = new Map();
    for (let a = 0; a < n; a++) if (columns.parent[a] >= 0) this.parents.set(a, columns.parent[a]);
    this.pendingAll = true;
  }

  /** Creates an account, or changes its mode and parent. */
  upsertAccount(value: unknown): void {
    const row = asObject(value, "account");
    const id = asId(row.id, "account.id");
    const mode = parseMode(row.mode, "account.mode");
    let parent = -1;
    if (row.parent !== undefined && row.parent !== null) {
      parent = this.indexOfAccount(asId(row.parent, "account.parent"), "account.parent");
      if (this.parents.has(parent)) fail("MALFORMED", "account.parent", "a sub-account cannot have sub-accounts");
    }
    let a = this.findAccount(id);
    if (a !== undefined && parent === a) fail("MALFORMED", "account.parent", "an account cannot be its own parent");
    if (a !== undefined && parent >= 0 && [...this.parents.values()].includes(a)) fail("MALFORMED", "account.parent", "an account with sub-accounts cannot become one");
    if (a === undefined) {
      if (this.wasm.accountCount() >= MAX_ACCOUNTS) fail("OUT_OF_RANGE", "account", `more than ${MAX_ACCOUNTS} accounts`);
      this.materializeIds().push(id);
      a = this.wasm.addAccounts(1, mode);
      this.accountIndexCache?.set(id, a);
      this.pendingAll = true;
    } else {
      this.wasm.setAccountMode(a, mode);
      this.pendingAccounts.add(a);
    }
    if (parent >= 0) this.parents.set(a, parent);
    else this.parents.delete(a);
  }

  /** Sets an account's position in an instrument (qty in base units, whole lots; "0" closes it). */
  setPosition(accountId: string, instrumentId: string, qty: string, entry: string): void {
    const a = this.indexOfAccount(accountId, "account");
    const i = this.instrumentIndex(instrumentId);
    const row = this.instruments[i];
    const lots = lotsOf(qty, row.lotSize, "qty");
    const entryRaw = parsePrice(entry, "entry");
    const index = this.underlyings[this.underlyingIds.get(row.underlying)!].index;
    const bound = [row.mark, row.strike, index, entryRaw].reduce(maxBig);
    if (BigInt(Math.abs(lots)) * row.lotSize * bound > MAX_NOTIONAL_QTY_PRICE) fail("OUT_OF_RANGE", "qty", "the position would exceed the notional limit");
    if (this.wasm.setPosition(a, i, lots, entryRaw) !== 0) fail("OUT_OF_RANGE", "qty", `an account holds at most ${MAX_POSITIONS_PER_ACCOUNT} positions`);
    this.pendingAccounts.add(a);
  }

  /** Sets an account's balance of an asset (asset units; negative is a loan; "0" removes it). */
  setCollateral(accountId: string, assetId: string, amount: string): void {
    const a = this.indexOfAccount(accountId, "account");
    const k = this.assetIndex(assetId);
    const raw = parseDecimal(amount, 8, "amount");
    const magnitude = raw < 0n ? -raw : raw;
    if (magnitude > MAX_COLLATERAL_AMOUNT || magnitude * this.assetPrice(k) > MAX_COLLATERAL_VALUE_QTY_PRICE) fail("OUT_OF_RANGE", "amount", "outside the collateral limits");
    if (this.wasm.setCollateral(a, k, raw) !== 0) fail("OUT_OF_RANGE", "amount", `an account holds at most ${MAX_COLLATERAL_PER_ACCOUNT} assets`);
    this.pendingAccounts.add(a);
  }

  private assetPrice(k: number): bigint {
    const row = this.assets[k];
    return row.underlying === null ? row.price : this.underlyings[this.underlyingIds.get(row.underlying)!].index;
  }

  private accountId(a: number): string {
    return this.accountIds === null ? `acc-${a}` : this.accountIds[a];
  }

  private materializeIds(): string[] {
    if (this.accountIds === null) this.accountIds = Array.from({ length: this.wasm.accountCount() }, (_, a) => `acc-${a}`);
    return this.accountIds;
  }

  private findAccount(id: string): number | undefined {
    if (this.accountIds === null) {
      const match = /^acc-(0|[1-9]\d*)$/.exec(id);
      const a = match ? Number(match[1]) : -1;
      return a >= 0 && a < this.wasm.accountCount() ? a : undefined;
    }
    if (this.accountIndexCache === null) this.accountIndexCache = new Map(this.accountIds.map((id, a) => [id, a]));
    return this.accountIndexCache.get(id);
  }

  private indexOfAccount(id: string, field: string): number {
    const a = this.findAccount(id);
    if (a === undefined) fail("UNKNOWN_ID", field, `no account "${id}"`);
    return a;
  }

  // ---- results -----------------------------------------------------------------------------

  /** Full recompute of every account and the venue totals. */
  recompute(): void {
    this.wasm.recompute();
    this.pendingAll = false;
    this.pendingUnderlyings.clear();
    this.pendingAccounts.clear();
    this.initialTotalStale = false;
  }

  /**
   * Brings the stored results up to date: a full recompute when reference data, parameters or
   * the account set changed; otherwise only the ticked underlyings' instruments and the accounts
   * exposed to them, then the accounts edited since (docs/architecture.md, incremental path).
   */
  private refresh(): void {
    if (this.pendingAll) return this.recompute();
    if (this.pendingUnderlyings.size > 0) {
      for (const u of this.pendingUnderlyings) this.wasm.markUnderlyingDirty(u);
      this.wasm.refreshUnderlyings();
      this.pendingUnderlyings.clear();
      this.initialTotalStale = true;
    }
    if (this.pendingAccounts.size > 0) {
      for (const a of this.pendingAccounts) this.wasm.refreshAccount(a);
      this.pendingAccounts.clear();
      this.initialTotalStale = true;
    }
  }

  /** Raw fixed-point risk of one account, evaluated now. */
  accountRaw(id: string): RawAccountRisk {
    this.refresh();
    return this.evaluate(this.indexOfAccount(id, "account"));
  }

  private evaluate(a: number): RawAccountRisk {
    this.wasm.evaluateAccount(a);
    return {
      equity: this.views.i64(Col.AccountEquity)[a],
      initialMargin: this.wasm.lastInitialMargin(),
      maintenanceMargin: this.views.i64(Col.AccountMaintenanceMargin)[a],
      status: STATUS_NAMES[this.views.u8(Col.AccountStatus)[a]],
    };
  }

  /** One account's risk, with its liquidation price per underlying it holds (methodology §8). */
  account(id: string): AccountRisk {
    const raw = this.accountRaw(id);
    const a = this.indexOfAccount(id, "account");
    return { ...this.describe(a, raw), liquidationPrice: this.liquidationPrices(a) };
  }

  /** Per underlying the account holds positions on: the nearest liquidation price, or null within ±99 %. */
  private liquidationPrices(a: number): Record<string, string | null> {
    const held = new Set(this.liquidator.positions(a).map((h) => this.underlyingIds.get(this.instruments[h.instrument].underlying)!));
    const out: Record<string, string | null> = {};
    for (const u of [...held].sort((x, y) => x - y)) {
      const price = this.priceSearch.find(a, u);
      out[this.underlyings[u].id] = price === null ? null : formatDecimal(price, PRICE_SCALE);
    }
    return out;
  }

  private describe(a: number, raw: RawAccountRisk, children?: number[]): AccountRisk {
    const parent = this.parents.get(a);
    const subAccounts = children ?? [...this.parents].filter(([, p]) => p === a).map(([c]) => c);
    return {
      id: this.accountId(a),
      mode: MODE_NAMES[this.views.u8(Col.AccountMode)[a]],
      parent: parent === undefined ? null : this.accountId(parent),
      subAccounts: subAccounts.map((c) => this.accountId(c)),
      equity: formatDecimal(raw.equity, MONEY_SCALE),
      initialMargin: formatDecimal(raw.initialMargin, MONEY_SCALE),
      maintenanceMargin: formatDecimal(raw.maintenanceMargin, MONEY_SCALE),
      marginRatio: raw.equity > 0n ? Number(raw.maintenanceMargin) / Number(raw.equity) : null,
      status: raw.status,
      greeks: this.accountGreeks(a),
    };
  }

  /** Σ lots × per-lot greeks per underlying, as exact bigints, over `lotsOf(instrument)`. */
  private sumGreeks(entries: Iterable<[number, bigint]>): Record<string, Greeks> {
    const columns = GREEK_COLUMNS.map((c) => this.views.i64(c));
    const sums = new Map<string, bigint[]>();
    for (const [i, lots] of entries) {
      if (lots === 0n) continue;
      const underlying = this.instruments[i].underlying;
      const sum = sums.get(underlying) ?? [0n, 0n, 0n, 0n];
      columns.forEach((column, k) => { sum[k] += lots * column[i]; });
      sums.set(underlying, sum);
    }
    const out: Record<string, Greeks> = {};
    for (const u of this.underlyings) {
      const sum = sums.get(u.id);
      if (sum) {
        const [delta, gamma, vega, theta] = sum.map((x, k) => formatDecimal(x, GREEK_SCALES[k]));
        out[u.id] = { delta, gamma, vega, theta };
      }
    }
    return out;
  }

  private *positionsOf(a: number): Iterable<[number, bigint]> {
    const start = this.views.i32(Col.AccountPositionStart)[a], count = this.views.u8(Col.AccountPositionCount)[a];
    const instruments = this.views.u16(Col.PositionInstrument), lots = this.views.i32(Col.PositionLots);
    for (let p = start; p < start + count; p++) yield [instruments[p], BigInt(lots[p])];
  }

  private accountGreeks(a: number): Record<string, Greeks> {
    return this.sumGreeks(this.positionsOf(a));
  }

  /**
   * The scenario grid in force for an underlying (its moves follow its dynamic scan range when
   * `dynamicMargin` is on), or the venue's base grid: moves and covers raw at 1e9, vol shift −1, 0 or +1.
   */
  scenarioGrid(underlyingId?: string): { move: bigint; vol: number; cover: bigint }[] {
    const grid = underlyingId === undefined ? this.params.grid : this.gridOf(this.underlyingIndexOf(underlyingId));
    return grid.map((s) => ({ ...s }));
  }

  /** The price scan range charged for an underlying (fraction, 1e9 raw): its dynamic range, or priceScan. */
  scanRange(underlyingId: string): bigint {
    return this.underlyings[this.underlyingIndexOf(underlyingId)].scan?.range ?? this.params.gridParams.priceScan;
  }

  private gridOf(u: number): Scenario[] {
    const p = this.params;
    const range = this.underlyings[u].scan?.range ?? p.gridParams.priceScan;
    let grid = this.gridsByRange.get(range);
    if (grid === undefined) {
      grid = gridForRange(p.grid, p.gridSpec, p.gridParams, range);
      this.gridsByRange.set(range, grid);
    }
    return grid;
  }

  private underlyingIndexOf(id: string): number {
    const u = this.underlyingIds.get(id);
    if (u === undefined) fail("UNKNOWN_ID", "underlying", `no underlying "${id}"`);
    return u;
  }

  /** An instrument's risk array: P&L of one lot per scenario, raw money (zeros for linear instruments). */
  riskArray(instrumentId: string): bigint[] {
    const i = this.instrumentIndex(instrumentId);
    this.refresh();
    const n = this.params.grid.length;
    return Array.from(this.views.i64(Col.RiskArray).subarray(i * n, i * n + n));
  }

  /**
   * The scenario grid of a portfolio account, per bucket: each scenario's move, vol shift, cover
   * and P&L, the short-option minimum, the bucket's margin and the scenario that binds (null when
   * the minimum or nothing binds). Standard accounts have no buckets.
   */
  scenarios(accountId: string): ScenarioGrid {
    const buckets = this.accountBuckets(accountId);
    const index = (id: string) => this.underlyingIds.get(id)!;
    return {
      account: accountId,
      buckets: buckets.map((b) => ({
        underlying: b.underlying,
        scenarios: this.gridOf(index(b.underlying)).map((s, k) => ({
          move: formatDecimal(s.move, 9),
          vol: VOL_NAMES[s.vol + 1],
          cover: formatDecimal(s.cover, 9),
          pnl: formatDecimal(this.wasm.scenarioPnl(index(b.underlying), k), MONEY_SCALE),
        })),
        shortOptionMinimum: formatDecimal(this.wasm.bucketMinimum(index(b.underlying)), MONEY_SCALE),
        margin: formatDecimal(b.loss, MONEY_SCALE),
        binding: b.binding < 0 ? null : b.binding,
      })),
    };
  }

  /** A portfolio account's buckets: per underlying, its margin (raw money) and the binding scenario (−1: none, or the short-option minimum). */
  accountBuckets(id: string): { underlying: string; loss: bigint; binding: number }[] {
    const a = this.indexOfAccount(id, "account");
    this.refresh();
    this.wasm.evaluateAccount(a);
    if (this.views.u8(Col.AccountMode)[a] !== 1) return [];
    return Array.from(this.views.i32(Col.BucketUnderlying).subarray(0, this.wasm.bucketCount()), (u) => ({
      underlying: this.underlyings[u].id,
      loss: this.views.i64(Col.BucketLoss)[u],
      binding: this.views.i32(Col.BucketBinding)[u],
    }));
  }

  /** The module's per-lot greeks of an instrument (raw; delta and gamma at 1e9, vega and theta at 1e6). */
  lotGreeks(instrumentId: string): RawGreeks {
    const i = this.instrumentIndex(instrumentId);
    this.refresh();
    const [delta, gamma, vega, theta] = GREEK_COLUMNS.map((c) => this.views.i64(c)[i]);
    return { delta, gamma, vega, theta };
  }

  /** Every account's risk, in account order. */
  /** Every account's risk; liquidation prices (a search per account and underlying) when asked for. */
  accounts(options: { liquidationPrices?: boolean } = {}): AccountRisk[] {
    this.refresh();
    const children = new Map<number, number[]>();
    for (const [c, p] of this.parents) children.set(p, [...(children.get(p) ?? []), c]);
    const out: AccountRisk[] = [];
    for (let a = 0; a < this.wasm.accountCount(); a++) {
      const risk = this.describe(a, this.evaluate(a), children.get(a) ?? []);
      out.push(options.liquidationPrices ? { ...risk, liquidationPrice: this.liquidationPrices(a) } : risk);
    }
    return out;
  }

  /** Exact Σ equity and Σ MM and the status counts, brought up to date incrementally (no copies). */
  runningTotals(): { equity: bigint; maintenanceMargin: bigint; statusCounts: Record<AccountStatus, number> } {
    this.refresh();
    return {
      equity: this.equityTotal(),
      maintenanceMargin: this.maintenanceMarginTotal(),
      statusCounts: Object.fromEntries(STATUS_NAMES.map((s, k) => [s, this.wasm.statusCount(k)])) as Record<AccountStatus, number>,
    };
  }

  /** The venue totals, raw money units: the module keeps each as two 64-bit words of an exact 128-bit sum. */
  private equityTotal(): bigint {
    return fromWords(this.wasm.totalEquityHigh(), this.wasm.totalEquityLow());
  }
  private initialMarginTotal(): bigint {
    return fromWords(this.wasm.totalInitialMarginHigh(), this.wasm.totalInitialMarginLow());
  }
  private maintenanceMarginTotal(): bigint {
    return fromWords(this.wasm.totalMaintenanceMarginHigh(), this.wasm.totalMaintenanceMarginLow());
  }

  /** Raw insurance fund balance (money units). */
  fundRaw(): bigint {
    return this.insuranceFund;
  }

  /**
   * Every account's equity, MM and status in account order (the bulk read path: raw money
   * units, copied out), with their exact totals and the status counts, brought up to date
   * incrementally after ticks.
   */
  riskColumns(): RiskColumns {
    this.refresh();
    const n = this.wasm.accountCount();
    return {
      equity: this.views.i64(Col.AccountEquity).slice(0, n),
      maintenanceMargin: this.views.i64(Col.AccountMaintenanceMargin).slice(0, n),
      status: this.views.u8(Col.AccountStatus).slice(0, n),
      equityTotal: this.equityTotal(),
      maintenanceMarginTotal: this.maintenanceMarginTotal(),
      statusCounts: Object.fromEntries(STATUS_NAMES.map((s, k) => [s, this.wasm.statusCount(k)])) as Record<AccountStatus, number>,
    };
  }

  /**
   * The liquidation queue as one pass would process it now, with each entry's orders, fees and
   * bankruptcy waterfall, computed on the live books and put back: nothing changes.
   */
  liquidationQueue(options: { limit?: number } = {}): LiquidationReport {
    this.refresh();
    return this.describePass(this.liquidator.dryRun(limitOf(options.limit)));
  }

  /**
   * Account indexes in liquidation order (liquidatable and bankrupt accounts, exact health
   * order) with their raw equity and MM, brought up to date incrementally: the queue refresh a
   * venue runs on every tick.
   */
  queueOrder(): { accounts: Int32Array; equity: BigInt64Array; maintenanceMargin: BigInt64Array } {
    this.refresh();
    const length = this.wasm.buildQueue();
    return {
      accounts: this.views.i32(Col.QueueAccounts).slice(0, length),
      equity: this.views.i64(Col.QueueEquity).slice(0, length),
      maintenanceMargin: this.views.i64(Col.QueueMaintenanceMargin).slice(0, length),
    };
  }

  /** Applies one liquidation pass (methodology §6) and reports what it did. */
  liquidate(options: { limit?: number } = {}): LiquidationReport {
    this.refresh();
    const result = this.liquidator.pass(limitOf(options.limit));
    if (result.touched.length > 0) this.initialTotalStale = true;
    return this.describePass(result);
  }

  /**
   * Pre-trade check (methodology §8): the account's IM and equity after the order fills at
   * `price`, paying the taker fee. Accepted when equity after ≥ IM after, or when the order
   * reduces risk (IM after ≤ before) and the account is not bankrupt; a risk-adding order on an
   * underlying without a fresh price is refused (STALE_PRICE). Never changes state.
   */
  checkOrder(order: OrderRequest): OrderCheck {
    const request = asObject(order, "order");
    const a = this.indexOfAccount(asId(request.account, "order.account"), "order.account");
    const i = this.instrumentIndex(asId(request.instrument, "order.instrument"));
    const check = this.checkOrderRaw(a, i, lotsOf(request.qty, this.instruments[i].lotSize, "order.qty"), parsePrice(request.price, "order.price"));
    return {
      accepted: check.accepted,
      reason: check.reason,
      initialMarginBefore: formatDecimal(check.initialMarginBefore, MONEY_SCALE),
      initialMarginAfter: formatDecimal(check.initialMarginAfter, MONEY_SCALE),
      equityAfter: formatDecimal(check.equityAfter, MONEY_SCALE),
    };
  }

  /**
   * checkOrder for a matching engine's hot path: account and instrument by index, signed whole
   * lots, the price raw at 1e8; no strings either way. Never changes state.
   */
  checkOrderRaw(a: number, i: number, lots: number, price: bigint): RawOrderCheck {
    if (!Number.isInteger(a) || a < 0 || a >= this.wasm.accountCount()) fail("UNKNOWN_ID", "order.account", `no account index ${a}`);
    if (!Number.isInteger(i) || i < 0 || i >= this.instruments.length) fail("UNKNOWN_ID", "order.instrument", `no instrument index ${i}`);
    if (!Number.isSafeInteger(lots) || Math.abs(lots) > Number(MAX_LOTS)) fail("OUT_OF_RANGE", "order.qty", `more than ${MAX_LOTS} lots`);
    if (typeof price !== "bigint" || price <= 0n || price > MAX_PRICE) fail("OUT_OF_RANGE", "order.price", "outside (0, the price limit]");
    const row = this.instruments[i];
    this.refresh();
    const held = this.wasm.heldPosition(a, i);
    const heldLots = this.wasm.trialHeldLots();
    const entry = held ? this.wasm.trialHeldEntry() : price;
    const after = heldLots + lots;
    const underlying = this.underlyings[this.underlyingIds.get(row.underlying)!];
    const bound = maxBig(maxBig(row.mark, row.strike), maxBig(underlying.index, price));
    if (Math.abs(after) > Number(MAX_LOTS) || BigInt(Math.abs(after)) * row.lotSize * bound > MAX_NOTIONAL_QTY_PRICE) {
      fail("OUT_OF_RANGE", "order.qty", "the position would exceed the notional limit");
    }
    if (!held && this.views.u8(Col.AccountPositionCount)[a] >= MAX_POSITIONS_PER_ACCOUNT) {
      fail("OUT_OF_RANGE", "order.qty", `an account holds at most ${MAX_POSITIONS_PER_ACCOUNT} positions`);
    }
    // cash moved by the fill: a linear fill realizes (entry − price) on the lots at the held
    // entry; an option fill pays or receives its premium; the fee is owed (rounded up)
    const notional = BigInt(lots) * row.lotSize;
    const fill = row.kind < KIND_CALL ? notional * (entry - price) : -notional * price;
    const fee = this.params.takerFee === 0n ? 0n : ceilDiv((notional < 0n ? -notional : notional) * price * this.params.takerFee, QTY_PRICE_FRACTION_TO_MONEY);
    const cash = floorDiv(fill, QTY_PRICE_TO_MONEY) - fee;

    this.wasm.trialOrder(a, i, after, entry);
    const imBefore = this.wasm.trialInitialMarginBefore(), imAfter = this.wasm.trialInitialMarginAfter();
    const equityAfter = this.wasm.trialEquityAfter() + cash;
    const statusBefore = this.wasm.trialStatusBefore();

    const reduces = imAfter <= imBefore;
    let reason: OrderRejection | null = null;
    if (!reduces && underlying.stale) reason = "STALE_PRICE";
    else if (!reduces && row.kind < KIND_CALL && Math.abs(after) > Math.abs(heldLots) && this.beyondLastTier(i, after)) reason = "OVER_TIER_LIMIT";
    else if (equityAfter < imAfter && !reduces) reason = "INSUFFICIENT_MARGIN";
    else if (equityAfter < imAfter && STATUS_NAMES[statusBefore] === "bankrupt") reason = "ACCOUNT_BANKRUPT";
    return { accepted: reason === null, reason, initialMarginBefore: imBefore, initialMarginAfter: imAfter, equityAfter };
  }

  /** True when `lots` of a linear instrument at its guarded mark pass its last tier bound. */
  private beyondLastTier(i: number, lots: number): boolean {
    const tiers = this.instruments[i].tiers;
    if (tiers.length === 0) return false;
    const notional = BigInt(Math.abs(lots)) * this.instruments[i].lotSize * this.views.i64(Col.InstrumentMarkUsed)[i];
    return notional > tiers[tiers.length - 1].upTo * QTY_PRICE_TO_MONEY;
  }

  /** The insurance fund balance. */
  fund(): string {
    return formatDecimal(this.insuranceFund, MONEY_SCALE);
  }

  private exposedToStale(a: number): boolean {
    if (!this.underlyings.some((u) => u.stale)) return false;
    return this.liquidator.positions(a).some((h) => this.underlyings[this.underlyingIds.get(this.instruments[h.instrument].underlying)!].stale);
  }

  private describePass(result: PassResult): LiquidationReport {
    const money = (x: bigint) => formatDecimal(x, MONEY_SCALE);
    const qty = (i: number, lots: number) => formatDecimal(BigInt(lots) * this.instruments[i].lotSize, PRICE_SCALE);
    const marks = this.views.i64(Col.InstrumentMarkUsed);
    return {
      queue: result.entries.map((e) => ({
        id: this.accountId(e.account),
        rank: e.rank,
        equity: money(e.equity),
        maintenanceMargin: money(e.maintenanceMargin),
        shortfall: money(e.maintenanceMargin - e.equity),
        health: e.maintenanceMargin === 0n ? null : Number(e.equity) / Number(e.maintenanceMargin),
        deferred: e.deferred,
        orders: e.orders.map((o) => ({ instrument: this.instruments[o.instrument].id, qty: qty(o.instrument, o.lots), price: formatDecimal(marks[o.instrument], PRICE_SCALE) })),
        fee: money(e.feePaid),
        bankruptcy: e.bankruptcy,
        insurancePaid: money(e.fundPaid),
        adl: e.adl.map((f) => ({
          account: this.accountId(f.account), instrument: this.instruments[f.instrument].id, qty: qty(f.instrument, f.lots),
          price: formatDecimal(f.price, PRICE_SCALE), amount: money(f.amount),
        })),
        uncoveredDeficit: money(e.uncovered),
      })),
      insuranceFund: money(result.fundAfter),
      feesPaid: money(result.feesPaid),
      insurancePaid: money(result.fundPaid),
      socializedLoss: money(result.socializedLoss),
    };
  }

  private ensureTotals(): void {
    this.refresh();
    if (this.initialTotalStale) this.recompute();
  }

  totals(): VenueRisk {
    this.ensureTotals();
    return {
      accounts: this.wasm.accountCount(),
      equity: formatDecimal(this.equityTotal(), MONEY_SCALE),
      initialMargin: formatDecimal(this.initialMarginTotal(), MONEY_SCALE),
      maintenanceMargin: formatDecimal(this.maintenanceMarginTotal(), MONEY_SCALE),
      statusCounts: Object.fromEntries(STATUS_NAMES.map((s, k) => [s, this.wasm.statusCount(k)])) as Record<AccountStatus, number>,
      greeks: this.venueGreeks(),
    };
  }

  private venueGreeks(): Record<string, Greeks> {
    this.wasm.sumNetLots();
    const net = this.views.i64(Col.InstrumentNetLots);
    return this.sumGreeks(this.instruments.map((_, i): [number, bigint] => [i, net[i]]));
  }

  /** The module's rounded Black-76 value per base unit of an option (raw, scale 1e8). */
  optionModelValue(instrumentId: string): bigint {
    const i = this.instrumentIndex(instrumentId);
    if (this.instruments[i].kind < KIND_CALL) fail("MALFORMED", "instrument", `"${instrumentId}" is not an option`);
    this.refresh();
    return this.views.i64(Col.InstrumentModelValue)[i];
  }

  /**
   * Memory and size figures for benchmarks and capacity planning: `liveBytes` is what the
   * columns hold, `memoryBytes` the module's whole linear memory (the allocator grows it in
   * large steps, so it runs ahead of the live state).
   */
  stats(): { simd: boolean; accounts: number; positions: number; collaterals: number; liveBytes: number; memoryBytes: number; wasmBytes: number } {
    return {
      simd: this.simd,
      accounts: this.wasm.accountCount(),
      positions: this.wasm.positionSlots(),
      collaterals: this.wasm.collateralSlots(),
      liveBytes: this.wasm.liveBytes(),
      memoryBytes: this.wasm.memoryBytes(),
      wasmBytes: wasmSize,
    };
  }

  // ---- venue file and snapshots ------------------------------------------------------------

  /** The venue file describing the current state (positions in canonical order). */
  toVenue(): Record<string, unknown> {
    this.wasm.compactArenas();
    const v = this.views;
    const n = this.wasm.accountCount();
    const posCount = v.u8(Col.AccountPositionCount), colCount = v.u8(Col.AccountCollateralCount);
    const instrument = v.u16(Col.PositionInstrument), lots = v.i32(Col.PositionLots), entry = v.i64(Col.PositionEntry);
    const asset = v.u8(Col.CollateralAsset), amount = v.i64(Col.CollateralAmount);
    const accounts: Record<string, unknown>[] = [];
    let p = 0, c = 0;
    for (let a = 0; a < n; a++) {
      const collateral: Record<string, string> = {};
      for (let k = 0; k < colCount[a]; k++, c++) collateral[this.assets[asset[c]].id] = formatDecimal(amount[c], PRICE_SCALE);
      const positions = [];
      for (let k = 0; k < posCount[a]; k++, p++) {
        const row = this.instruments[instrument[p]];
        positions.push({ instrument: row.id, qty: formatDecimal(BigInt(lots[p]) * row.lotSize, PRICE_SCALE), entry: formatDecimal(entry[p], PRICE_SCALE) });
      }
      const parent = this.parents.get(a);
      accounts.push({
        id: this.accountId(a), mode: MODE_NAMES[v.u8(Col.AccountMode)[a]],
        ...(parent === undefined ? {} : { parent: this.accountId(parent) }),
        collateral, positions,
      });
    }
    return {
      now: formatTime(this.now),
      settlement: this.settlement,
      params: this.paramOverrides,
      assets: this.assets.map(assetToVenue),
      underlyings: this.underlyings.map(underlyingToVenue),
      instruments: this.instruments.map(instrumentToVenue),
      accounts,
      insuranceFund: formatDecimal(this.insuranceFund, MONEY_SCALE),
    };
  }

  /** Bytes that reproduce the engine's state exactly (restore → snapshot gives the same bytes). */
  snapshot(): Uint8Array {
    this.wasm.compactArenas();
    const v = this.views;
    const n = this.wasm.accountCount(), positions = this.wasm.positionSlots(), collaterals = this.wasm.collateralSlots();
    const header: SnapshotHeader = {
      now: this.now, settlement: this.settlement, params: this.paramOverrides,
      insuranceFund: this.insuranceFund.toString(),
      underlyings: this.underlyings.map((u) => ({
        ...underlyingToVenue(u), index: u.index.toString(), stale: u.stale, priceTime: u.priceTime,
        ...(u.scan === undefined ? {} : { scan: { ...u.scan, sampleIndex: u.scan.sampleIndex.toString(), range: u.scan.range.toString() } }),
      })),
      assets: this.assets.map((a) => ({ ...assetToVenue(a), priceTime: a.priceTime })),
      instruments: this.instruments.map((i) => ({ ...instrumentToVenue(i), priceTime: i.priceTime })),
      accountIds: this.accountIds,
      parents: [...this.parents].sort((x, y) => x[0] - y[0]),
    };
    return encodeSnapshot(header, [
      v.u8(Col.AccountMode).subarray(0, n),
      v.u8(Col.AccountPositionCount).subarray(0, n),
      v.u8(Col.AccountCollateralCount).subarray(0, n),
      v.u16(Col.PositionInstrument).subarray(0, positions),
      v.i32(Col.PositionLots).subarray(0, positions),
      v.i64(Col.PositionEntry).subarray(0, positions),
      v.u8(Col.CollateralAsset).subarray(0, collaterals),
      v.i64(Col.CollateralAmount).subarray(0, collaterals),
    ]);
  }

  static async restore(bytes: Uint8Array, runtime: RuntimeOptions = {}): Promise<MarginEngine> {
    const { header, sections } = decodeSnapshot(bytes);
    const engine = new MarginEngine(await instantiate(useSimd(runtime), initialMemoryOf(runtime)), {
      ...runtime, now: formatTime(header.now), settlement: header.settlement, params: header.params,
      insuranceFund: formatDecimal(BigInt(header.insuranceFund), MONEY_SCALE),
    });
    engine.loadReference({ underlyings: header.underlyings, assets: header.assets, instruments: header.instruments });
    header.underlyings.forEach((u, k) => {
      engine.underlyings[k] = { ...engine.underlyings[k], index: BigInt(u.index), stale: u.stale, priceTime: u.priceTime, scan: restoreScan(u.scan, `snapshot.underlyings[${k}].scan`) };
    });
    header.assets.forEach((a, k) => { engine.assets[k].priceTime = a.priceTime; });
    header.instruments.forEach((i, k) => { engine.instruments[k].priceTime = i.priceTime; });
    engine.syncReference();
    const [mode, posCount, colCount, instrument, lots, entry, asset, amount] = sections;
    const n = (mode as Uint8Array).length;
    const parent = new Int32Array(n).fill(-1);
    for (const [c, p] of header.parents) parent[c] = p;
    engine.loadColumns({
      count: n, ids: header.accountIds ?? undefined, mode: mode as Uint8Array, parent,
      positionOffsets: prefixSums(posCount as Uint8Array), positionInstrument: instrument as Uint16Array,
      positionLots: lots as Int32Array, positionEntry: entry as BigInt64Array,
      collateralOffsets: prefixSums(colCount as Uint8Array), collateralAsset: asset as Uint8Array,
      collateralAmount: amount as BigInt64Array,
    }, (c, r) => `snapshot.${c}[${r}]`);
    return engine;
  }
}

/** The bytes memoryEstimate describes, before it is capped at what wasm32 can address. */
function memoryNeeded(size: { accounts: number; positions: number; collaterals: number }): number {
  return Math.ceil((size.positions * 14 + size.collaterals * 9 + size.accounts * 48 + 16 * 2 ** 20) * 1.05);
}

function initialMemoryOf(options: RuntimeOptions): number {
  const bytes = options.initialMemory ?? 0;
  if (!Number.isSafeInteger(bytes) || bytes < 0 || bytes > MAX_MEMORY_BYTES) fail("OUT_OF_RANGE", "initialMemory", `bytes in [0, ${MAX_MEMORY_BYTES}]`);
  return bytes;
}

function useSimd(options: RuntimeOptions): boolean {
  if (options.simd === true && !simdSupported) fail("OUT_OF_RANGE", "simd", "this host cannot run the SIMD build");
  return options.simd ?? simdSupported;
}

function prefixSums(counts: Uint8Array): Uint32Array {
  const out = new Uint32Array(counts.length + 1);
  for (let k = 0; k < counts.length; k++) out[k + 1] = out[k] + counts[k];
  return out;
}

function maxBig(a: bigint, b: bigint): bigint {
  return a > b ? a : b;
}

/** A signed 128-bit value from its high word and its low word (read as unsigned). */
function fromWords(high: bigint, low: bigint): bigint {
  return (high << 64n) + BigInt.asUintN(64, low);
}

function parseFund(value: unknown): bigint {
  const raw = parseDecimal(value, MONEY_SCALE, "insuranceFund");
  if (raw < 0n || raw > MAX_FUND) fail("OUT_OF_RANGE", "insuranceFund", "outside [0, 1000000000000]");
  return raw;
}

function checkCount(count: number, limit: number, field: string): void {
  if (count > limit) fail("OUT_OF_RANGE", field, `more than ${limit} rows`);
}

function expectLength(array: ArrayLike<unknown> | undefined, length: number, field: string): void {
  if (array === undefined || array.length !== length) fail("MALFORMED", field, `expected ${length} elements`);
}

function stagedError(rejection: number, field: string): MarginError {
  switch (rejection) {
    case REJECTION_OUT_OF_RANGE: return new MarginError("OUT_OF_RANGE", field, "outside the documented limits (docs/limits.md)");
    case REJECTION_UNKNOWN_ID: return new MarginError("UNKNOWN_ID", field, "refers to no such row");
    case REJECTION_DUPLICATE: return new MarginError("DUPLICATE_ID", field, "appears twice in one account");
    default: return new MarginError("MALFORMED", field, "offsets are not a valid CSR layout");
  }
}

function assetToVenue(a: AssetRow) {
  return {
    id: a.id, price: formatDecimal(a.price, PRICE_SCALE), haircut: formatDecimal(a.haircut, 9),
    ...(a.underlying === null ? {} : { underlying: a.underlying }),
  };
}

function underlyingToVenue(u: UnderlyingRow) {
  return {
    id: u.id,
    ...(u.spot === null ? {} : { spot: formatDecimal(u.spot, PRICE_SCALE) }),
    vol: formatDecimal(u.vol, 9), rate: formatDecimal(u.rate, 9),
    ...(u.sources.length === 0 ? {} : {
      sources: u.sources.map((s) => ({ id: s.id, price: formatDecimal(s.price, PRICE_SCALE), time: formatTime(s.time) })),
    }),
  };
}

function instrumentToVenue(i: InstrumentRow) {
  const common = { id: i.id, underlying: i.underlying, lotSize: formatDecimal(i.lotSize, PRICE_SCALE), mark: formatDecimal(i.mark, PRICE_SCALE) };
  const tiers = i.tiers.map((t) => ({ upTo: formatDecimal(t.upTo, MONEY_SCALE), imf: formatDecimal(t.imf, 9), mmf: formatDecimal(t.mmf, 9) }));
  if (i.kind === KIND_PERP) return { ...common, kind: "perp", tiers };
  if (i.kind < KIND_CALL) return { ...common, kind: "future", expiry: formatTime(i.expiry), tiers };
  return {
    ...common, kind: "option", right: i.kind === KIND_PUT ? "put" : "call", strike: formatDecimal(i.strike, PRICE_SCALE),
    expiry: formatTime(i.expiry), ...(i.iv === 0n ? {} : { iv: formatDecimal(i.iv, 9) }),
  };
}
