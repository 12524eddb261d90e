// Accounts: their ids and parents (kept here; books live in the module), bulk loads through the
// module's staging columns, and single-account edits. Each change marks what it invalidates.
import { parseWithinLimits, PRICE_SCALE } from "../core/decimal.js";
import { fail, MarginError } from "../core/errors.js";
import { asId, asObject, onlyKeys } from "../core/json.js";
import {
  MAX_ACCOUNTS, MAX_COLLATERAL_AMOUNT, MAX_COLLATERAL_PER_ACCOUNT, MAX_POSITIONS_PER_ACCOUNT,
  REJECTION_DUPLICATE, REJECTION_OUT_OF_RANGE, REJECTION_UNKNOWN_ID, STAGED_FIELDS,
} from "../core/constants.generated.js";
import { Col, type ColumnViews } from "../module/views.js";
import { MAX_MEMORY_BYTES, memoryNeeded, type WasmExports } from "../module/wasm.js";
import { checkAccountColumns, defaultAccountId, type AccountColumns, type StagedFieldName } from "../venue/account-columns.js";
import { lotsOf, parseMode } from "../venue/accounts.js";
import { beyondCollateralValue, beyondNotional, isExpiredAt, parseFillPrice } from "../venue/reference.js";
import { formatTime } from "../core/time.js";
import type { Catalog } from "./catalog.js";
import type { MemoryGuard } from "./memory.js";
import type { Refresh } from "./refresh.js";

/** One position of an account's book: instrument index, signed whole lots, entry price (1e8). */
export interface Held { instrument: number; lots: number; entry: bigint }

export class AccountBook {
  /** null: account i is `acc-${i}` (bulk loads without ids). */
  private ids: string[] | null = [];
  private indexCache: Map<string, number> | null = null;
  /** Sub-account → parent. */
  private parents = new Map<number, number>();
  /** Bulk loads so far: a load replaces every book. */
  loads = 0;

  constructor(
    private readonly wasm: WasmExports,
    private readonly views: ColumnViews,
    private readonly catalog: Catalog,
    private readonly refresh: Refresh,
    private readonly memory: MemoryGuard,
  ) {}

  count(): number {
    return this.wasm.accountCount();
  }

  /** Positions and balances held, over every account (the arenas' slots also count room and holes). */
  rows(): { positions: number; collaterals: number } {
    const positionCounts = this.views.u8(Col.AccountPositionCount), collateralCounts = this.views.u8(Col.AccountCollateralCount);
    let positions = 0, collaterals = 0;
    for (let a = 0, n = this.count(); a < n; a++) {
      positions += positionCounts[a];
      collaterals += collateralCounts[a];
    }
    return { positions, collaterals };
  }

  /**
   * Replaces every account with the given columns. The whole batch is validated before any of
   * it is applied; a rejection names the column and row under `root` (or the venue field, via `fieldOf`).
   */
  loadColumns(given: AccountColumns, fieldOf?: ((column: StagedFieldName, row: number) => string) | null, root = "columns"): void {
    // checked before the batch: only a batch with a bad row would call it
    if (fieldOf != null && typeof fieldOf !== "function") fail("MALFORMED", "fieldOf", `expected a function naming a column's row, got ${typeof fieldOf}`);
    const nameOf = fieldOf ?? ((c: StagedFieldName, r: number) => `${root}.${c}[${r}]`);
    const columns = checkShape(given, root);
    const n = columns.count;
    const positions = columns.positionOffsets[n], collaterals = columns.collateralOffsets[n];
    this.memory.ensure(this.memory.load(columns, this.catalog.underlyings.length, (k) => this.catalog.assets[k]?.underlying != null), `${root}.count`);
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
      const column = STAGED_FIELDS[this.wasm.rejectedField()], row = this.wasm.rejectedRow();
      // discarded first: the caller's fieldOf may throw
      this.wasm.discardStaged();
      const field = nameOf(column, row);
      throw stagedError(rejection, column, field, heldZero(columns, column, row));
    }
    this.wasm.commitStaged();
    this.loads++;
    this.ids = columns.ids ?? null;
    this.indexCache = null;
    this.parents = new Map();
    for (let a = 0; a < n; a++) if (columns.parent[a] >= 0) this.parents.set(a, columns.parent[a]);
    this.refresh.everything();
  }

  /**
   * Creates an account (mode standard and no parent unless given), or changes an existing one:
   * a field left out keeps its value, `parent: null` detaches a sub-account.
   */
  upsertAccount(value: unknown): void {
    const row = onlyKeys(asObject(value, "account"), "account", ["id", "mode", "parent"], "; positions and balances are set with setPosition and setCollateral");
    const id = asId(row.id, "account.id");
    let a = this.find(id);
    const mode = row.mode === undefined && a !== undefined ? this.views.u8(Col.AccountMode)[a] : parseMode(row.mode, "account.mode");
    let parent = row.parent === undefined && a !== undefined ? this.parents.get(a) ?? -1 : -1;
    if (row.parent !== undefined && row.parent !== null) {
      // checked by id first: a new account is not there yet to be found as its own parent
      if (row.parent === id) fail("MALFORMED", "account.parent", "an account cannot be its own parent");
      parent = this.indexOf(asId(row.parent, "account.parent"), "account.parent");
      if (this.parents.has(parent)) fail("MALFORMED", "account.parent", "a sub-account cannot have sub-accounts");
    }
    if (a !== undefined && parent === a) fail("MALFORMED", "account.parent", "an account cannot be its own parent");
    if (a !== undefined && parent >= 0 && [...this.parents.values()].includes(a)) fail("MALFORMED", "account.parent", "an account with sub-accounts cannot become one");
    if (a === undefined) {
      if (this.count() >= MAX_ACCOUNTS) fail("OUT_OF_RANGE", "account", `more than ${MAX_ACCOUNTS} accounts`);
      this.memory.ensure(this.memory.growth(this.count() + 1, this.catalog.underlyings.length), "account");
      this.materializeIds().push(id);
      a = this.wasm.addAccount(mode);
      this.indexCache?.set(id, a);
      this.refresh.account(a);
    } else {
      // a new mode gives up the account's cache slot: the next read takes a new one
      if (mode !== this.views.u8(Col.AccountMode)[a]) this.memory.ensure(this.memory.slot(this.catalog.underlyings.length), "account");
      this.wasm.setAccountMode(a, mode);
      this.refresh.account(a);
    }
    if (parent >= 0) this.parents.set(a, parent);
    else this.parents.delete(a);
  }

  /** Sets an account's position in an instrument (qty in base units, whole lots; "0" closes it). */
  setPosition(accountId: string, instrumentId: string, qty: string, entry: string): void {
    const a = this.indexOf(accountId, "account");
    const i = this.catalog.instrumentIndex(instrumentId);
    const row = this.catalog.instruments[i];
    const lots = lotsOf(qty, row.lotSize, "qty");
    const entryRaw = parseFillPrice(row.kind, entry, "entry");
    const held = this.held(a, i)?.lots ?? 0;
    // shrinking keeps the side: a long turned short (or a short long) is a new position, not a smaller one
    const shrinks = lots === 0 || (Math.sign(lots) === Math.sign(held) && Math.abs(lots) <= Math.abs(held));
    if (!shrinks && isExpiredAt(row, this.catalog.clock)) {
      fail("EXPIRED", "qty", `"${instrumentId}" expired at ${formatTime(row.expiry)}: it no longer trades, a position in it can only shrink until it is settled`);
    }
    if (beyondNotional(BigInt(Math.abs(lots)), row, this.catalog.underlying(row.underlying).index, entryRaw)) {
      fail("OUT_OF_RANGE", "qty", "the position would exceed the notional limit");
    }
    if (held === 0 && lots !== 0) this.memory.ensure(this.memory.growth(this.count(), this.catalog.underlyings.length, a), "qty");
    if (this.wasm.setPosition(a, i, lots, entryRaw) !== 0) fail("OUT_OF_RANGE", "qty", `an account holds at most ${MAX_POSITIONS_PER_ACCOUNT} positions`);
    this.refresh.account(a);
  }

  /** Sets an account's balance of an asset (asset units; negative is a loan; "0" removes it). */
  setCollateral(accountId: string, assetId: string, amount: string): void {
    const a = this.indexOf(accountId, "account");
    const k = this.catalog.assetIndex(assetId);
    const raw = parseWithinLimits(amount, PRICE_SCALE, "amount");
    const magnitude = raw < 0n ? -raw : raw;
    if (magnitude > MAX_COLLATERAL_AMOUNT || beyondCollateralValue(magnitude, this.catalog.assetPrice(k))) fail("OUT_OF_RANGE", "amount", "outside the collateral limits");
    if (raw !== 0n && this.balance(a, k) === 0n) this.memory.ensure(this.memory.growth(this.count(), this.catalog.underlyings.length, -1, a), "amount");
    if (this.wasm.setCollateral(a, k, raw) !== 0) fail("OUT_OF_RANGE", "amount", `an account holds at most ${MAX_COLLATERAL_PER_ACCOUNT} assets`);
    this.refresh.account(a);
  }

  /** Lays the books, the tick cache and the exposure index out in account order again; results are unchanged. */
  compact(): void {
    this.memory.ensure(this.memory.layoutCompaction(), "maximumMemory");
    this.wasm.compactLayout();
  }

  /** Account `a`'s balance of asset `k` (raw amount, 0 when it holds none). */
  balance(a: number, k: number): bigint {
    const v = this.views;
    const start = v.i32(Col.AccountCollateralStart)[a], count = v.u8(Col.AccountCollateralCount)[a];
    const assets = v.u8(Col.CollateralAsset), amounts = v.i64(Col.CollateralAmount);
    for (let c = start; c < start + count; c++) if (assets[c] === k) return amounts[c];
    return 0n;
  }

  accountId(a: number): string {
    return this.ids === null ? defaultAccountId(a) : this.ids[a];
  }

  /** Every account's id, or null when they are all `acc-${i}`. */
  idList(): string[] | null {
    return this.ids;
  }

  /** Sub-account → parent pairs, in account order. */
  parentPairs(): [number, number][] {
    return [...this.parents].sort((x, y) => x[0] - y[0]);
  }

  parentOf(a: number): number | undefined {
    return this.parents.get(a);
  }

  /** Parent → its sub-accounts in account order, for describing every account in one pass. */
  children(): Map<number, number[]> {
    const out = new Map<number, number[]>();
    for (const [c, p] of this.parentPairs()) out.set(p, [...(out.get(p) ?? []), c]);
    return out;
  }

  /** An account's sub-accounts, in account order (whatever order they were attached in). */
  subAccountsOf(a: number): number[] {
    return this.parentPairs().filter(([, p]) => p === a).map(([c]) => c);
  }

  private materializeIds(): string[] {
    if (this.ids === null) this.ids = Array.from({ length: this.count() }, (_, a) => defaultAccountId(a));
    return this.ids;
  }

  find(id: string): number | undefined {
    if (this.ids === null) {
      const match = /^acc-(0|[1-9]\d*)$/.exec(id);
      const a = match ? Number(match[1]) : -1;
      return a >= 0 && a < this.count() ? a : undefined;
    }
    if (this.indexCache === null) this.indexCache = new Map(this.ids.map((id, a) => [id, a]));
    return this.indexCache.get(id);
  }

  indexOf(id: string, field: string): number {
    const a = this.find(asId(id, field));
    if (a === undefined) fail("UNKNOWN_ID", field, `no account "${id}"`);
    return a;
  }

  /** Account `a`'s lots and entry on instrument `i`, or null when it holds none. */
  held(a: number, i: number): { lots: number; entry: bigint } | null {
    const p = this.wasm.positionIndex(a, i);
    return p < 0 ? null : { lots: this.views.i32(Col.PositionLots)[p], entry: this.views.i64(Col.PositionEntry)[p] };
  }

  /** Account `a`'s positions, in book order (by underlying, then instrument). */
  positions(a: number): Held[] {
    const v = this.views;
    const start = v.i32(Col.AccountPositionStart)[a], count = v.u8(Col.AccountPositionCount)[a];
    const instruments = v.u16(Col.PositionInstrument), lots = v.i32(Col.PositionLots), entries = v.i64(Col.PositionEntry);
    const out: Held[] = [];
    for (let p = start; p < start + count; p++) out.push({ instrument: instruments[p], lots: lots[p], entry: entries[p] });
    return out;
  }
}

/** The layout checks (venue/account-columns.ts), then whether the module's memory can hold the load. */
function checkShape(value: unknown, root: string): AccountColumns {
  return checkAccountColumns(value, (size) => {
    const needed = memoryNeeded(size);
    if (needed > MAX_MEMORY_BYTES) fail("OUT_OF_RANGE", `${root}.count`, `needs about ${(needed / 2 ** 30).toFixed(1)} GiB of wasm memory; wasm32 addresses 4 GiB`);
  }, root);
}

/** Whether row `row` of a holding column (lots or a balance) is 0: no holding, a row to leave out. */
function heldZero(columns: AccountColumns, column: StagedFieldName, row: number): boolean {
  if (column === "positionLots") return columns.positionLots[row] === 0;
  return column === "collateralAmount" && columns.collateralAmount[row] === 0n;
}

function stagedError(rejection: number, column: StagedFieldName, field: string, zero: boolean): MarginError {
  switch (rejection) {
    case REJECTION_OUT_OF_RANGE: return new MarginError("OUT_OF_RANGE", field, zero ? "0 holds nothing: leave the row out" : "outside the documented limits (docs/limits.md)");
    case REJECTION_UNKNOWN_ID: return new MarginError("UNKNOWN_ID", field, "refers to no such row");
    case REJECTION_DUPLICATE: return new MarginError("DUPLICATE_ID", field, "appears twice in one account");
    default: return new MarginError("MALFORMED", field, column === "mode" ? "expected 0 (standard) or 1 (portfolio)" : "offsets are not a valid CSR layout");
  }
}
