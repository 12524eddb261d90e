// The stored results read back raw: one account evaluated now, the per-account columns, the
// exact 128-bit venue totals, status counts and the liquidation queue order. Each read first
// brings the results up to date.
import { Col, type ColumnViews } from "../module/views.js";
import type { WasmExports } from "../module/wasm.js";
import type { Refresh } from "./refresh.js";
import { STATUS_BANKRUPT, STATUS_LIQUIDATABLE, STATUS_NAMES } from "../core/constants.generated.js";
import type { MemoryGuard } from "./memory.js";
import type { AccountStatus, RawAccountRisk, RiskColumns } from "./types.js";

/** Exact venue sums, raw money. */
export interface RawTotals { equity: bigint; initialMargin: bigint; maintenanceMargin: bigint }

export class Results {
  constructor(
    private readonly wasm: WasmExports,
    private readonly views: ColumnViews,
    private readonly refresh: Refresh,
    private readonly memory: MemoryGuard,
  ) {}

  /**
   * Lays the liquidation queue out in the module (stored results must be current) and returns its
   * length. It is not reserved ahead (it grows with the accounts queued): an engine whose memory
   * cannot hold it refuses at maximumMemory, nothing changed, where the module would trap.
   */
  buildQueue(): number {
    this.memory.ensure(this.memory.queue(this.wasm.statusCount(STATUS_LIQUIDATABLE) + this.wasm.statusCount(STATUS_BANKRUPT)), "maximumMemory");
    return this.wasm.buildQueue();
  }

  /** Evaluates account `a` now (stored results must be current) and returns its raw risk. */
  evaluate(a: number): RawAccountRisk {
    this.wasm.evaluateAccount(a);
    return {
      equity: this.views.i64(Col.AccountEquity)[a],
      initialMargin: this.wasm.lastInitialMargin(),
      maintenanceMargin: this.views.i64(Col.AccountMaintenanceMargin)[a],
      status: STATUS_NAMES[this.views.u8(Col.AccountStatus)[a]],
    };
  }

  /** How many accounts are in each status. */
  statusCounts(): Record<AccountStatus, number> {
    return Object.fromEntries(STATUS_NAMES.map((s, k) => [s, this.wasm.statusCount(k)])) as Record<AccountStatus, number>;
  }

  /** Σ equity and Σ MM and the status counts, brought up to date incrementally (no copies). */
  running(): { equity: bigint; maintenanceMargin: bigint; statusCounts: Record<AccountStatus, number> } {
    this.refresh.refresh();
    return { equity: this.equityTotal(), maintenanceMargin: this.maintenanceTotal(), statusCounts: this.statusCounts() };
  }

  /** All three totals, brought up to date incrementally. */
  totals(): RawTotals {
    this.refresh.refresh();
    const wasm = this.wasm;
    return { equity: this.equityTotal(), initialMargin: fromWords(wasm.totalInitialMarginHigh(), wasm.totalInitialMarginLow()), maintenanceMargin: this.maintenanceTotal() };
  }

  private equityTotal(): bigint {
    return fromWords(this.wasm.totalEquityHigh(), this.wasm.totalEquityLow());
  }

  private maintenanceTotal(): bigint {
    return fromWords(this.wasm.totalMaintenanceMarginHigh(), this.wasm.totalMaintenanceMarginLow());
  }

  /** Every account's equity, MM and status in account order (copied out), with totals and counts. */
  columns(): RiskColumns {
    this.refresh.refresh();
    const n = this.wasm.accountCount();
    return {
      equity: this.views.i64(Col.AccountEquity).slice(0, n),
      maintenanceMargin: this.views.i64(Col.AccountMaintenanceMargin).slice(0, n),
      status: this.views.u8(Col.AccountStatus).slice(0, n),
      equityTotal: this.equityTotal(),
      maintenanceMarginTotal: this.maintenanceTotal(),
      statusCounts: this.statusCounts(),
    };
  }

  /** Liquidatable and bankrupt accounts in exact health order, with their raw equity and MM. */
  queueOrder(): { accounts: Int32Array; equity: BigInt64Array; maintenanceMargin: BigInt64Array } {
    this.refresh.refresh();
    const length = this.buildQueue();
    return {
      accounts: this.views.i32(Col.QueueAccounts).slice(0, length),
      equity: this.views.i64(Col.QueueEquity).slice(0, length),
      maintenanceMargin: this.views.i64(Col.QueueMaintenanceMargin).slice(0, length),
    };
  }
}

/** A 128-bit venue total from its two words (the low one unsigned), raw money units. */
function fromWords(high: bigint, low: bigint): bigint {
  return (high << 64n) + low;
}
