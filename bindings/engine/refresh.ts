// What the stored per-account results (equity, MM, status, totals) have not yet absorbed, and
// bringing them up to date: a full recompute when reference data, parameters or the account set
// changed; otherwise only the ticked underlyings' instruments and the accounts exposed to them,
// then the accounts edited since (docs/methodology.md §9). The only writer of the pending state.
import type { WasmExports } from "../module/wasm.js";

export class Refresh {
  private all = true;
  private readonly underlyings = new Set<number>();
  private readonly accounts = new Set<number>();
  /** IM is not stored per account, so after an incremental refresh its total needs a full pass. */
  private initialTotalBehind = true;

  constructor(private readonly wasm: WasmExports) {}

  /** Reference data, parameters or the account set changed: the next read recomputes everything. */
  everything(): void {
    this.all = true;
  }

  /** Prices of underlying `u` moved. */
  underlying(u: number): void {
    this.underlyings.add(u);
  }

  /** Account `a`'s book or mode changed. */
  account(a: number): void {
    this.accounts.add(a);
  }

  /** Accounts were re-evaluated one by one (a liquidation pass): the IM total is behind. */
  initialTotal(): void {
    this.initialTotalBehind = true;
  }

  /** Full recompute of every account and the venue totals. */
  recompute(): void {
    this.wasm.recompute();
    this.all = false;
    this.underlyings.clear();
    this.accounts.clear();
    this.initialTotalBehind = false;
  }

  /** Brings equity, MM, status and their totals up to date, incrementally where it can. */
  refresh(): void {
    if (this.all) return this.recompute();
    if (this.underlyings.size > 0) {
      for (const u of this.underlyings) this.wasm.markUnderlyingDirty(u);
      this.wasm.refreshUnderlyings();
      this.underlyings.clear();
      this.initialTotalBehind = true;
    }
    if (this.accounts.size > 0) {
      for (const a of this.accounts) this.wasm.refreshAccount(a);
      this.accounts.clear();
      this.initialTotalBehind = true;
    }
  }

  /** As refresh, and the IM total as well (a full pass when it fell behind). */
  refreshWithInitialTotal(): void {
    this.refresh();
    if (this.initialTotalBehind) this.recompute();
  }
}
