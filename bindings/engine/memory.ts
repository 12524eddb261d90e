// Growth within the module's memory. Before an edit that can allocate, the bytes it could need
// are worked out from the columns' capacities and the module's own growth rules — the edit's
// columns, plus what the next read then allocates because of it (the exposure index rebuilt for
// more accounts, new instruments prepared) — and blocks of that size are tried and freed
// (assembly/store/headroom.ts). A block memory cannot grow to hold traps before anything changed;
// the edit is then refused with OUT_OF_RANGE, the state as it was.
import { fail } from "../core/errors.js";
import { MAX_COLLATERAL_PER_ACCOUNT, MAX_POSITIONS_PER_ACCOUNT, MAX_TIERS, MODE_PORTFOLIO } from "../core/constants.generated.js";
import { Col, type ColumnViews } from "../module/views.js";
import { COLUMN_SHIFTS } from "../module/layout.generated.js";
import { COLLATERAL_BYTES, POSITION_BYTES, rowBytes, type WasmExports } from "../module/wasm.js";
import type { AccountColumns } from "../venue/account-columns.js";
import type { Refresh } from "./refresh.js";

/** Probed blocks stay well under the allocator's largest block (1 GiB). */
const CHUNK = 256 * 2 ** 20;
/** Room for the small managed objects an edit allocates besides its columns. */
const SLACK = 64 * 1024;
const ACCOUNT_TABLE = [
  Col.AccountPositionStart, Col.AccountPositionCount, Col.AccountPositionCapacity, Col.AccountCollateralStart, Col.AccountCollateralCount,
  Col.AccountCollateralCapacity, Col.AccountMode, Col.AccountStatus, Col.AccountEquity, Col.AccountMaintenanceMargin,
  Col.AccountCacheStart, Col.AccountCacheCapacity,
];
/**
 * Bytes the liquidation queue takes an entry (assembly/risk/queue.ts): its account, equity and MM
 * columns, the sort's spare copy of each, and its u64 key and spare key, all reserved together to
 * the same capacity.
 */
const QUEUE_ENTRY_BYTES = 2 * rowBytes([Col.QueueAccounts, Col.QueueEquity, Col.QueueMaintenanceMargin]) + 2 * 8;
const CACHE_WORD_BYTES = 2 ** COLUMN_SHIFTS[Col.CacheWords];

/** An account's segment of one arena (assembly/store/books.ts): where its count and room are kept, how it grows. */
interface Segment {
  count: Col;
  capacity: Col;
  /** The most rows an account holds, and the capacity a full segment of `count` rows moves to. */
  limit: number;
  grown(w: WasmExports, count: number): number;
  columns: Col[];
  slots(w: WasmExports): number;
  compactionDue(w: WasmExports): boolean;
}
const POSITIONS: Segment = {
  count: Col.AccountPositionCount, capacity: Col.AccountPositionCapacity, limit: MAX_POSITIONS_PER_ACCOUNT,
  grown: (w, count) => w.positionSegmentCapacity(count),
  columns: [Col.PositionInstrument, Col.PositionLots, Col.PositionEntry],
  slots: (w) => w.positionSlots(), compactionDue: (w) => w.positionsNeedCompacting(),
};
const COLLATERALS: Segment = {
  count: Col.AccountCollateralCount, capacity: Col.AccountCollateralCapacity, limit: MAX_COLLATERAL_PER_ACCOUNT,
  grown: (w, count) => w.collateralSegmentCapacity(count),
  columns: [Col.CollateralAsset, Col.CollateralAmount],
  slots: (w) => w.collateralSlots(), compactionDue: (w) => w.collateralsNeedCompacting(),
};
/**
 * Reference data's bytes per row, module-wide: an instrument's reference columns, per-lot
 * constants, net lots, its kernel record's header and the copy a tick keeps, its preparation
 * epoch and holder lists; an underlying's columns, portfolio scratch and dirty flags; an asset's
 * columns, constants and records; a tier. Grids, risk arrays (twice: the column and the kernel
 * record) and correlations are added per scenario and per underlying pair.
 */
const INSTRUMENT_BYTES = 520, UNDERLYING_BYTES = 64, ASSET_BYTES = 112, TIER_BYTES = 24;

export class MemoryGuard {
  /** While a new engine is built, what it cannot hold is its caller's maximumMemory, not a field of its input. */
  private building = true;

  constructor(private readonly wasm: WasmExports, private readonly views: ColumnViews, private readonly refresh: Refresh) {}

  /** The engine is built: from now on an edit that does not fit is refused at its own field. */
  built(): void {
    this.building = false;
  }

  /** Bytes a column would allocate to hold `count` elements: 0 when they fit. */
  private grown(id: Col, count: number, bytesPerElement = 1 << COLUMN_SHIFTS[id]): number {
    const capacity = this.wasm.columnCapacity(id);
    return count <= capacity ? 0 : this.wasm.grownCapacity(capacity, count) * bytesPerElement;
  }

  /** The exposure index the next read rebuilds for `accounts` accounts, when it no longer fits them. */
  private reads(accounts: number, underlyings: number): number {
    return this.wasm.exposureFits(accounts) ? 0 : this.wasm.exposureStrideFor(accounts) * underlyings * 4;
  }

  private compaction(): number {
    const w = this.wasm;
    return (w.positionSlots() - w.positionHoles()) * POSITION_BYTES + (w.collateralSlots() - w.collateralHoles()) * COLLATERAL_BYTES;
  }

  /**
   * Bytes the next read could allocate to give the edited account, and every account added or
   * edited since the last read, a larger slot in the tick cache (assembly/store/cache.ts), each
   * moved to the arena's end: at most two words a price group, and an account has at most one
   * group an underlying or a row of its book. When the holes those moves leave could pass half
   * of the arena, a move first compacts it into a new arena of the slots' own words; the old one
   * is then freed, larger than what the new one grows to (its holes were more than half of it).
   */
  slot(underlyings: number): number {
    const w = this.wasm, words = Math.max(2 * Math.min(underlyings, MAX_POSITIONS_PER_ACCOUNT + MAX_COLLATERAL_PER_ACCOUNT), 1);
    const moved = (this.refresh.waitingAccounts() + 1) * words, used = w.cacheWordsUsed();
    const appended = this.grown(Col.CacheWords, used + moved);
    if (!w.cacheCompactionPossible(moved)) return appended;
    return appended + (used - w.cacheHoleWords()) * CACHE_WORD_BYTES;
  }

  /** Bytes the liquidation queue allocates to hold `entries` accounts: 0 when it has room. */
  queue(entries: number): number {
    return this.grown(Col.QueueAccounts, entries, QUEUE_ENTRY_BYTES);
  }

  /** Bytes an edit could allocate that ends with `accounts` accounts, inserting a position and/or a balance into an account (−1: none). */
  growth(accounts: number, underlyings: number, positionAccount = -1, collateralAccount = -1): number {
    let bytes = this.reads(accounts, underlyings) + this.slot(underlyings);
    for (const id of ACCOUNT_TABLE) bytes += this.grown(id, accounts);
    if (positionAccount >= 0) bytes += this.insert(positionAccount, POSITIONS);
    if (collateralAccount >= 0) bytes += this.insert(collateralAccount, COLLATERALS);
    return bytes;
  }

  /** Bytes `compact()` allocates: the books' rows and the tick cache's words copied into new arenas, each when it has holes or rows out of order. */
  layoutCompaction(): number {
    const w = this.wasm;
    return (w.arenasDense() ? 0 : this.compaction()) + (w.cacheNeedsCompacting() ? (w.cacheWordsUsed() - w.cacheHoleWords()) * CACHE_WORD_BYTES : 0);
  }

  /**
   * Bytes a pre-trade check's trial position could allocate in account a's book: none when the book
   * has room; a full book is copied past the arena's end with room for one more row
   * (assembly/risk/order-trial.ts), never moved, so no compaction either.
   */
  trialInsert(a: number): number {
    const count = this.views.u8(POSITIONS.count)[a];
    if (count !== this.views.u8(POSITIONS.capacity)[a]) return 0;
    return this.segmentRows(POSITIONS, count + 1);
  }

  /**
   * Bytes inserting a row into account a's segment could allocate: the segment moved to the
   * arena's end, twice as large, when it is full (after a compaction, when one is due).
   */
  private insert(a: number, segment: Segment): number {
    const w = this.wasm, count = this.views.u8(segment.count)[a];
    if (count !== this.views.u8(segment.capacity)[a] || count >= segment.limit) return 0;
    return (segment.compactionDue(w) ? this.compaction() : 0) + this.segmentRows(segment, segment.grown(w, count));
  }

  /** Bytes the segment's columns could allocate to hold `rows` more rows past the arena's end. */
  private segmentRows(segment: Segment, rows: number): number {
    const needed = segment.slots(this.wasm) + rows;
    return segment.columns.reduce((sum, id) => sum + this.grown(id, needed), 0);
  }

  /**
   * Bytes a bulk load allocates: staging (adopted as the arenas), the account table, and what the
   * first read then lays out for it — the exposure index and the tick cache's slots (8 bytes a
   * word: one for a standard account, two a price group for a portfolio one).
   */
  load(columns: AccountColumns, underlyings: number, grouped: (asset: number) => boolean): number {
    const accounts = columns.count, positions = columns.positionOffsets[accounts], collaterals = columns.collateralOffsets[accounts];
    const table = rowBytes(ACCOUNT_TABLE);
    return accounts * (9 + table) + 8 + positions * POSITION_BYTES + collaterals * COLLATERAL_BYTES
      + this.wasm.exposureStrideFor(accounts) * underlyings * 4 + 8 * cacheWords(columns, underlyings, grouped);
  }

  /**
   * Bytes adding `extra` reference rows of each kind (and MAX_TIERS tiers each) could allocate, and the
   * next read's preparation of them: every reference column grown by half again (the most one
   * growth step takes) and the exposure index rebuilt whole. With `extra` 0, what a new engine
   * needs for the rows it was built with.
   */
  reference(counts: { underlyings: number; assets: number; instruments: number; tiers: number; scenarios: number; accounts: number }, extra: 0 | 1): number {
    const u = counts.underlyings + extra, i = counts.instruments + extra, s = counts.scenarios;
    const rows = i * (INSTRUMENT_BYTES + 16 * s) + u * (UNDERLYING_BYTES + 16 * s + 16 * u) + (counts.assets + extra) * ASSET_BYTES + (counts.tiers + MAX_TIERS * extra) * TIER_BYTES;
    return 1.5 * rows + this.wasm.exposureStrideFor(counts.accounts) * u * 4;
  }

  /** Whether `bytes` more could be allocated now. */
  fits(bytes: number): boolean {
    try {
      for (let left = bytes + SLACK; left > 0; left -= CHUNK) this.wasm.probeBlock(Math.min(left, CHUNK));
      return true;
    } catch (error) {
      if (error instanceof WebAssembly.RuntimeError) return false;
      throw error;
    } finally {
      this.wasm.releaseProbes();
    }
  }

  /** Refuses the edit, naming `field`, unless `bytes` more could be allocated now. */
  ensure(bytes: number, field: string): void {
    if (bytes > 0 && !this.fits(bytes)) {
      fail("OUT_OF_RANGE", this.building ? "maximumMemory" : field, `needs about ${Math.ceil(bytes / 2 ** 20)} MiB more wasm memory than the engine's maximumMemory allows`);
    }
  }
}

/**
 * Words of the tick cache a bulk load's accounts take at most (cache.ts's wordsOf): a portfolio
 * account has a group per underlying its positions and `grouped` balances (priced by an
 * underlying) name, so at most one a row.
 */
function cacheWords({ count, mode, positionOffsets, collateralOffsets, collateralAsset }: AccountColumns, underlyings: number, grouped: (asset: number) => boolean): number {
  let words = 0;
  for (let a = 0; a < count; a++) {
    if (mode[a] !== MODE_PORTFOLIO) {
      words += 1;
      continue;
    }
    let rows = positionOffsets[a + 1] - positionOffsets[a];
    for (let c = collateralOffsets[a]; c < collateralOffsets[a + 1]; c++) if (grouped(collateralAsset[c])) rows++;
    words += 2 * Math.min(rows, underlyings);
  }
  return words;
}

/**
 * Runs the building of a new engine; memory running out on the way (a trap in the allocator) is
 * refused as OUT_OF_RANGE at `maximumMemory` — the half-built engine is dropped, so nothing is left
 * in a broken state.
 */
export async function building<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof WebAssembly.RuntimeError) fail("OUT_OF_RANGE", "maximumMemory", "the engine needs more wasm memory than maximumMemory allows");
    throw error;
  }
}
