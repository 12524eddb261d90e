// MarginEngine: the public facade. Each method delegates to one part in engine/ (parts.ts wires
// them); reference data is validated with exact bigint arithmetic, accounts live in the module.
import { formatDecimal, MONEY_SCALE } from "./core/decimal.js";
import { optionalCount, optionsOf } from "./core/json.js";
import { checkTimestamp, formatTime } from "./core/time.js";
import { MAX_MEMORY_BYTES, RUNTIME_OPTION_KEYS, checkedSize, instantiate, memoryNeeded, moduleStats, runtimeOf, type RuntimeOptions } from "./module/wasm.js";
import type { AccountColumns, StagedFieldName } from "./venue/account-columns.js";
import type { Scenario } from "./venue/grid.js";
import { assertCorrelationIds } from "./venue/params.js";
import { building } from "./engine/memory.js";
import { ENGINE_OPTION_KEYS, assembleParts, type EngineParts } from "./engine/parts.js";
import { pageOf } from "./engine/page.js";
import { engineFromVenue, readSnapshot, snapshotOf, venueAccountsOf, venueOf } from "./engine/persistence.js";
import { compareVenues, proposedSnapshot, sameBytes } from "./engine/what-if.js";
import type { Bucket } from "./engine/present.js";
import type {
  AccountRisk, AccountsOptions, AccountStatus, EngineOptions, ExpirySettlement, LiquidationReport, OracleSource, OrderCheck, OrderRequest, OrderSide,
  RawAccountRisk, RawGreeks, RawOrderCheck, RiskColumns, ScenarioGrid, VenueRisk, WhatIfReport,
} from "./engine/types.js";

export type * from "./engine/types.js";

/** The risk engine of one venue. An example that shows a value (`// …`) shows it for examples/venue.json as loaded. */
export class MarginEngine {
  private constructor(private readonly parts: EngineParts) {}

  /**
   * A new engine: the module instantiated, its parts built, `fill` run, then room checked for its
   * first preparation. `field` is the runtime options' path in the caller's arguments,
   * `settingsField` the prefix of the venue settings' paths (`options.` when create is given them).
   */
  private static async build(runtime: RuntimeOptions, field: string, options: EngineOptions, fill: (parts: EngineParts) => void, settingsField = ""): Promise<MarginEngine> {
    return building(async () => {
      const { simd, initialMemory, maximumMemory } = runtimeOf(runtime, field);
      const parts = assembleParts(await instantiate(simd, initialMemory, maximumMemory, field), options, settingsField);
      fill(parts);
      // room for its own rows' first preparation: an engine refusing new rows still rebuilds from its snapshot
      parts.catalog.ensureRoom("maximumMemory", 0);
      parts.memory.built();
      return new MarginEngine(parts);
    });
  }

  /** An empty engine holding only the settlement asset. @example const engine = await MarginEngine.create({ now: "2026-11-24T00:00:00Z" }); */
  static async create(options?: EngineOptions | null): Promise<MarginEngine> {
    const given = optionsOf(options, "options", ENGINE_OPTION_KEYS);
    return MarginEngine.build(given, "options", given, ({ catalog }) => {
      // an empty venue has no underlyings for a correlation to name
      assertCorrelationIds(catalog.settings.paramOverrides, catalog.params, new Map(), "options.params");
      catalog.upsertAsset({ id: catalog.settings.settlement, price: "1", haircut: "0" });
    }, "options.");
  }

  /**
   * Wasm memory (bytes) for one bulk load of this size and its recomputes, to pass as `initialMemory`.
   * @example MarginEngine.fromVenue(text, { initialMemory: MarginEngine.memoryEstimate({ accounts: 1e7, positions: 8.5e7, collaterals: 1.3e7 }) })
   */
  static memoryEstimate(size: { accounts: number; positions: number; collaterals: number }): number {
    return Math.min(MAX_MEMORY_BYTES, memoryNeeded(checkedSize(size)));
  }

  /** Loads a venue file (object or JSON text), rejecting it whole on the first bad field. @example await MarginEngine.fromVenue(readFileSync("venue.json", "utf8")) */
  static async fromVenue(venue: unknown, runtime?: RuntimeOptions | null): Promise<MarginEngine> {
    const given = optionsOf(runtime, "runtime", RUNTIME_OPTION_KEYS);
    return engineFromVenue(venue, (settings, fill) => MarginEngine.build(given, "runtime", { ...given, ...settings }, fill));
  }

  /** An engine from snapshot bytes; it behaves as the one that wrote them. @example const copy = await MarginEngine.restore(engine.snapshot()); */
  static async restore(bytes: Uint8Array, runtime?: RuntimeOptions | null): Promise<MarginEngine> {
    return MarginEngine.fromSnapshot(readSnapshot(bytes), runtime);
  }

  private static async fromSnapshot(snapshot: ReturnType<typeof readSnapshot>, runtime: RuntimeOptions | null | undefined): Promise<MarginEngine> {
    const given = optionsOf(runtime, "runtime", RUNTIME_OPTION_KEYS);
    return MarginEngine.build(given, "runtime", { ...given, ...snapshot.options }, (parts) => snapshot.fill(parts));
  }

  /** Adds or replaces an underlying. @example engine.upsertUnderlying({ id: "BTC", spot: "65000", vol: "0.55" }) */
  upsertUnderlying(value: unknown): void {
    this.parts.prices.upsertUnderlying(value);
  }

  /** Adds or replaces a collateral asset. @example engine.upsertAsset({ id: "BTC", price: "65000", haircut: "0.05", underlying: "BTC" }) */
  upsertAsset(value: unknown): void {
    this.parts.catalog.upsertAsset(value);
  }

  /** Adds or replaces an instrument. @example engine.upsertInstrument({ id: "BTC-PERP", kind: "perp", underlying: "BTC", lotSize: "0.001", mark: "65000", tiers }) */
  upsertInstrument(value: unknown): void {
    this.parts.catalog.upsertInstrument(value);
  }

  /** Index of an instrument in definition order (the `positionInstrument` of loadColumns). @example engine.instrumentIndex("BTC-PERP") // 0 */
  instrumentIndex(id: string): number {
    return this.parts.catalog.instrumentIndex(id);
  }

  /** Index of an asset in definition order (the `collateralAsset` of loadColumns). @example engine.assetIndex("USD") // 0 */
  assetIndex(id: string): number {
    return this.parts.catalog.assetIndex(id);
  }

  /**
   * Sets a price: one of an underlying's oracle sources (`source` given), the index of an
   * underlying without sources, an instrument's mark, or an asset's own price. Older timestamps,
   * and ones more than `maxClockSkew` ahead of the oracle clock, are rejected.
   * @example engine.setPrice("BTC", "63000", Date.now(), "feedA")
   */
  setPrice(id: string, price: string, timestampMs: number, source?: string | null): void {
    this.parts.prices.plan(id, price, timestampMs, source)();
  }

  /** Validates a price exactly as setPrice would, changing nothing. @example engine.checkPrice("BTC", "63000", Date.now()) */
  checkPrice(id: string, price: string, timestampMs: number, source?: string | null): void {
    this.parts.prices.plan(id, price, timestampMs, source);
  }

  /** An underlying's index (raw, scale 1e8): the median of its fresh sources while they make a quorum, or its last one. @example engine.underlyingIndex("BTC") // 6500250000000n */
  underlyingIndex(id: string): bigint {
    return this.parts.catalog.underlyings[this.parts.catalog.underlyingIndex(id)].index;
  }

  /**
   * Moves the venue's clock to `nowMs` (never back: the trusted time, not bound by maxClockSkew),
   * then settles every future and option expired by then into its holders' settlement balances at
   * the index; each account's equity is unchanged to the µ-unit.
   * @example engine.settleExpired(Date.now()).positions
   */
  settleExpired(nowMs: number): ExpirySettlement {
    this.parts.prices.moveClock(checkTimestamp(nowMs, "now"), "now");
    return this.parts.expiry.settle();
  }

  /** The oracle clock (ms): the latest underlying price time or settleExpired time accepted. @example engine.clock() */
  clock(): number {
    return this.parts.catalog.clock;
  }

  /** An underlying's oracle sources, each with its last price and time and whether it counts towards the index at the oracle clock. @example engine.oracleSources("BTC").filter((s) => !s.counted) */
  oracleSources(id: string): OracleSource[] {
    return this.parts.prices.sources(id);
  }

  /** Underlyings without a quorum of fresh oracle sources at the current clock (more than half of them, agreeing). @example engine.staleUnderlyings() // [] */
  staleUnderlyings(): string[] {
    return this.parts.prices.staleUnderlyings();
  }

  /** Replaces every account with typed-array columns, validated whole before any is applied. @example engine.loadColumns(generateVenue({ accounts: 1000, seed: 1 }).columns) */
  loadColumns(columns: AccountColumns, fieldOf?: ((column: StagedFieldName, row: number) => string) | null): void {
    this.parts.book.loadColumns(columns, fieldOf);
  }

  /** Creates an account, or changes the fields given (left out: kept; `parent: null` detaches). @example engine.upsertAccount({ id: "carol", mode: "portfolio" }) */
  upsertAccount(value: unknown): void {
    this.parts.book.upsertAccount(value);
  }

  /** Sets a position (qty in base units, whole lots; "0" closes it). @example engine.setPosition("bob", "BTC-PERP", "0.3", "64000") */
  setPosition(accountId: string, instrumentId: string, qty: string, entry: string): void {
    this.parts.book.setPosition(accountId, instrumentId, qty, entry);
  }

  /** Sets a balance (asset units; negative is a loan; "0" removes it). @example engine.setCollateral("bob", "USD", "12000") */
  setCollateral(accountId: string, assetId: string, amount: string): void {
    this.parts.book.setCollateral(accountId, assetId, amount);
  }

  /** Lays books, tick-cache slots and the exposure index out in account order again, as a load leaves them: trading moves books out of order and slows ticks; results are unchanged. @example engine.compact() */
  compact(): void {
    this.parts.book.compact();
  }

  /** Full recompute of every account and the venue totals. @example engine.recompute() */
  recompute(): void {
    this.parts.refresh.recompute();
  }

  /** Raw fixed-point risk of one account, evaluated now. @example engine.accountRaw("bob").maintenanceMargin // 130020000n */
  accountRaw(id: string): RawAccountRisk {
    return this.parts.present.accountRaw(id);
  }

  /** One account's risk, with its liquidation price per underlying it holds. @example engine.account("bob").status // "healthy" */
  account(id: string): AccountRisk {
    return this.parts.present.account(id);
  }

  /** Every account's risk (or a page of them), in account order; liquidation prices when asked for. @example engine.accounts({ offset: 1000, limit: 500 }) */
  accounts(options?: AccountsOptions | null): AccountRisk[] {
    return this.parts.present.accounts(optionsOf(options, "options", ["liquidationPrices", "offset", "limit"]));
  }

  /** Venue totals, status counts and net greeks. @example engine.totals().maintenanceMargin */
  totals(): VenueRisk {
    return this.parts.present.totals();
  }

  /** Exact Σ equity, Σ MM and status counts, brought up to date incrementally. @example engine.runningTotals().equity */
  runningTotals(): { equity: bigint; maintenanceMargin: bigint; statusCounts: Record<AccountStatus, number> } {
    return this.parts.results.running();
  }

  /** Every account's equity, MM and status (raw, copied out), with totals: the bulk read path. @example engine.riskColumns().status */
  riskColumns(): RiskColumns {
    return this.parts.results.columns();
  }

  /** Account indexes in liquidation order with raw equity and MM: the per-tick queue refresh. @example engine.queueOrder().accounts */
  queueOrder(): { accounts: Int32Array; equity: BigInt64Array; maintenanceMargin: BigInt64Array } {
    return this.parts.results.queueOrder();
  }

  /** The scenario grid in force for an underlying, or the base grid: moves and covers raw at 1e9. @example engine.scenarioGrid("BTC")[0] */
  scenarioGrid(underlyingId?: string | null): Scenario[] {
    return this.parts.catalog.scenarioGrid(underlyingId ?? undefined);
  }

  /** The price scan range charged for an underlying (fraction, raw 1e9). @example engine.scanRange("BTC") // 160000000n */
  scanRange(underlyingId: string): bigint {
    return this.parts.catalog.scanRange(underlyingId);
  }

  /** A portfolio account's scenario grid per bucket and the scenario that binds. @example engine.scenarios("alice").buckets[0].binding */
  scenarios(accountId: string): ScenarioGrid {
    return this.parts.present.scenarios(accountId);
  }

  /** A portfolio account's buckets: margin (raw money) and binding scenario (−1: none or the minimum). @example engine.accountBuckets("alice") */
  accountBuckets(id: string): Bucket[] {
    return this.parts.present.buckets(id);
  }

  /** An instrument's risk array: P&L of one lot per scenario, raw money. @example engine.riskArray("BTC-20261225-70000-C") */
  riskArray(instrumentId: string): bigint[] {
    return this.parts.instruments.riskArray(instrumentId);
  }

  /** The module's per-lot greeks (delta and gamma at 1e9, vega and theta at 1e6). @example engine.lotGreeks("BTC-PERP").delta */
  lotGreeks(instrumentId: string): RawGreeks {
    return this.parts.instruments.lotGreeks(instrumentId);
  }

  /** The module's rounded Black-76 value per base unit of an option (raw, 1e8). @example engine.optionModelValue("BTC-20261225-70000-C") */
  optionModelValue(instrumentId: string): bigint {
    return this.parts.instruments.modelValue(instrumentId);
  }

  /** Pre-trade check: IM and equity after the order fills; never changes state. @example engine.checkOrder({ account: "bob", instrument: "BTC-PERP", qty: "0.1", price: "65000" }) */
  checkOrder(order: OrderRequest): OrderCheck {
    return this.parts.orders.check(order);
  }

  /** checkOrder for a hot path: indexes, signed whole lots, price raw at 1e8. @example engine.checkOrderRaw(3, 0, 100, 6_500_000_000_000n) */
  checkOrderRaw(a: number, i: number, lots: number, price: bigint): RawOrderCheck {
    return this.parts.orders.checkRaw(a, i, lots, price);
  }

  /**
   * The largest quantity of `side` at `price` that checkOrder accepts now (base units, whole lots;
   * "0" when none does), found in O(log lots) trial evaluations. Nothing changes.
   * @example engine.maxOrder("bob", "BTC-PERP", "buy", "65000") // "0.032"
   */
  maxOrder(account: string, instrument: string, side: OrderSide, price: string): string {
    return this.parts.maxOrder.find(account, instrument, side, price);
  }

  /** The queue as one pass would process it now, with orders, fees and the bankruptcy waterfall; nothing changes. @example engine.liquidationQueue({ limit: 10 }) */
  liquidationQueue(options?: { limit?: number | null } | null): LiquidationReport {
    return this.parts.liquidations.preview(options);
  }

  /** Applies one liquidation pass and reports what it did. @example engine.liquidate().socializedLoss */
  liquidate(options?: { limit?: number | null } | null): LiquidationReport {
    return this.parts.liquidations.apply(options);
  }

  /**
   * The same venue under proposed parameters (keys replace the venue's `params` overrides; null
   * restores a default), as a separate engine; this one is never changed.
   * @example const proposed = await engine.withParams({ optMm: "0.09" }); proposed.liquidate();
   */
  async withParams(params: unknown, runtime?: RuntimeOptions | null): Promise<MarginEngine> {
    return MarginEngine.fromSnapshot(readSnapshot(proposedSnapshot(this.snapshot(), params), true), runtime);
  }

  /**
   * Governance what-if: status transitions, Δ totals and the accounts pushed into restricted or
   * worse (top `top` by Δ MM, default 20) under proposed parameters; this engine is never changed.
   * @example (await engine.whatIf({ maxMarkDeviation: "0.02" })).transitions
   */
  async whatIf(params: unknown, options?: { top?: number | null } | null): Promise<WhatIfReport> {
    const top = optionalCount(optionsOf(options, "options", ["top"]).top, "options.top", 20);
    const asked = this.snapshot();
    const proposed = await MarginEngine.fromSnapshot(readSnapshot(proposedSnapshot(asked, params), true), null);
    // an edit made while the proposal loaded is no effect of the proposal: compare with the venue as asked
    const current = sameBytes(asked, this.snapshot()) ? this : await MarginEngine.restore(asked);
    return compareVenues(current.parts, proposed.parts, top);
  }

  /** The insurance fund balance. @example engine.fund() // "1000000" */
  fund(): string {
    return formatDecimal(this.parts.liquidator.fund, MONEY_SCALE);
  }

  /** Raw insurance fund balance (money units). @example engine.fundRaw() // 1000000000000n */
  fundRaw(): bigint {
    return this.parts.liquidator.fund;
  }

  /** Memory and size figures (live column bytes, the whole linear memory, the module) and the exact-path bucket count. @example engine.stats().liveBytes */
  stats(): ReturnType<typeof moduleStats> & { simd: boolean; positions: number; collaterals: number } {
    const { accounts, ...sizes } = moduleStats(this.parts.wasm, this.parts.wasmBytes);
    return { simd: this.parts.simd, accounts, ...this.parts.book.rows(), ...sizes };
  }

  /** The venue file describing the current state. @example JSON.stringify(engine.toVenue()) */
  toVenue(): Record<string, unknown> {
    return venueOf(this.parts);
  }

  /**
   * Accounts `offset` (default 0) to `offset + limit` (default all) as toVenue() writes them, so a
   * large venue file can be written a page at a time. @example engine.venueAccounts({ offset: 1000, limit: 1000 })
   */
  venueAccounts(options?: { offset?: number | null; limit?: number | null } | null): Record<string, unknown>[] {
    const { from, to } = pageOf(optionsOf(options, "options", ["offset", "limit"]), this.parts.book.count());
    return venueAccountsOf(this.parts, from, to);
  }

  /** What JSON.stringify writes of an engine: a summary, never its internals (the state is toVenue() or snapshot()). */
  toJSON(): { engine: "margin-core"; accounts: number; now: string; clock: string } {
    return { engine: "margin-core", accounts: this.parts.book.count(), now: formatTime(this.parts.catalog.settings.now), clock: formatTime(this.parts.catalog.clock) };
  }

  /** Bytes that reproduce the state exactly (restore → snapshot gives the same bytes). @example writeFileSync("state.bin", engine.snapshot()) */
  snapshot(): Uint8Array {
    return snapshotOf(this.parts);
  }
}

// bundling renames the class (minified in the browser builds) where a debugger and constructor.name would show it
Object.defineProperty(MarginEngine, "name", { value: "MarginEngine" });
