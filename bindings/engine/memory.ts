// Growth within the module's memory. Before an edit that can allocate, the bytes it could need
// are worked out from the columns' capacities and the module's own growth rules — the edit's
// columns, plus what reads then allocate for the venue's size (a liquidation queue as long as the
// account table, a rebuilt exposure index), so a read never meets a full memory — and blocks of
// that size are tried and freed (assembly/store/headroom.ts). A block memory cannot grow to hold
// traps before anything changed; the edit is then refused with OUT_OF_RANGE, the state as it was.
import { fail } from "../core/errors.js";
import { MAX_COLLATERAL_PER_ACCOUNT, MAX_POSITIONS_PER_ACCOUNT } from "../core/constants.generated.js";
import { Col, type ColumnViews } from "../module/views.js";
import { COLUMN_SHIFTS } from "../module/layout.generated.js";
import type { WasmExports } from "../module/wasm.js";

/** Probed blocks stay well under the allocator's largest block (1 GiB). */
const CHUNK = 256 * 2 ** 20;
/** Room for the small managed objects an edit allocates besides its columns. */
const SLACK = 64 * 1024;
const ACCOUNT_TABLE = [
  Col.AccountPositionStart, Col.AccountPositionCount, Col.AccountPositionCapacity, Col.AccountCollateralStart, Col.AccountCollateralCount,
  Col.AccountCollateralCapacity, Col.AccountMode, Col.AccountStatus, Col.AccountEquity, Col.AccountMaintenanceMargin,
];
/** Bytes per queue member across the queue's columns and its sort scratch (assembly/risk/queue.ts). */
const QUEUE_BYTES = 56;
const POSITION_BYTES = 14, COLLATERAL_BYTES = 9;

export class MemoryGuard {
  constructor(private readonly wasm: WasmExports, private readonly views: ColumnViews) {}

  /** Bytes a column would allocate to hold `count` elements: 0 when they fit. */
  private grown(id: Col, count: number, bytesPerElement = 1 << COLUMN_SHIFTS[id]): number {
    const capacity = this.wasm.columnCapacity(id);
    return count <= capacity ? 0 : this.wasm.grownCapacity(capacity, count) * bytesPerElement;
  }

  /** What reads may allocate for a venue of `accounts` accounts. */
  private reads(accounts: number, underlyings: number): number {
    const exposure = this.wasm.exposureFits(accounts) ? 0 : this.wasm.exposureStrideFor(accounts) * underlyings * 4;
    return this.grown(Col.QueueAccounts, accounts, QUEUE_BYTES) + exposure;
  }

  private compaction(): number {
    const w = this.wasm;
    return (w.positionSlots() - w.positionHoles()) * POSITION_BYTES + (w.collateralSlots() - w.collateralHoles()) * COLLATERAL_BYTES;
  }

  /** Bytes an edit could allocate that ends with `accounts` accounts, inserting a position and/or a balance into an account (−1: none). */
  growth(accounts: number, underlyings: number, positionAccount = -1, collateralAccount = -1): number {
    const w = this.wasm, v = this.views;
    let bytes = this.reads(accounts, underlyings);
    for (const id of ACCOUNT_TABLE) bytes += this.grown(id, accounts);
    if (positionAccount >= 0) {
      const count = v.u8(Col.AccountPositionCount)[positionAccount];
      if (count === v.u8(Col.AccountPositionCapacity)[positionAccount] && count < MAX_POSITIONS_PER_ACCOUNT) {
        const needed = w.positionSlots() + w.segmentCapacity(count, 4, MAX_POSITIONS_PER_ACCOUNT);
        bytes += (w.positionsNeedCompacting() ? this.compaction() : 0)
          + this.grown(Col.PositionInstrument, needed) + this.grown(Col.PositionLots, needed) + this.grown(Col.PositionEntry, needed);
      }
    }
    if (collateralAccount >= 0) {
      const count = v.u8(Col.AccountCollateralCount)[collateralAccount];
      if (count === v.u8(Col.AccountCollateralCapacity)[collateralAccount] && count < MAX_COLLATERAL_PER_ACCOUNT) {
        const needed = w.collateralSlots() + w.segmentCapacity(count, 2, MAX_COLLATERAL_PER_ACCOUNT);
        bytes += (w.collateralsNeedCompacting() ? this.compaction() : 0) + this.grown(Col.CollateralAsset, needed) + this.grown(Col.CollateralAmount, needed);
      }
    }
    return bytes;
  }

  /** Bytes a bulk load of this size allocates: staging (adopted as the arenas), the account table, reads. */
  load(accounts: number, positions: number, collaterals: number, underlyings: number): number {
    const table = ACCOUNT_TABLE.reduce((sum, id) => sum + (1 << COLUMN_SHIFTS[id]), 0);
    return accounts * (9 + table + QUEUE_BYTES) + 8 + positions * POSITION_BYTES + collaterals * COLLATERAL_BYTES
      + this.wasm.exposureStrideFor(accounts) * underlyings * 4;
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
      fail("OUT_OF_RANGE", field, `needs about ${Math.ceil(bytes / 2 ** 20)} MiB more wasm memory than the engine's maximumMemory allows`);
    }
  }
}
