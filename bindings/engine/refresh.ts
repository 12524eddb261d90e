// What the stored per-account results (equity, MM, status, totals) have not yet absorbed, and
// bringing them up to date: a full recompute when reference data or parameters changed or a bulk
// load replaced the accounts; otherwise the ticked underlyings' groups of the accounts exposed to
// them, then the accounts added or edited since (docs/methodology.md §9). The only writer of the pending state.
import type { WasmExports } from "../module/wasm.js";

export class Refresh {
  private all = true;
  private readonly underlyings = new Set<number>();
  private readonly accounts = new Set<number>();

  constructor(private readonly wasm: WasmExports) {}

  /** Reference data, parameters or the account set changed: the next read recomputes everything. */
  everything(): void {
    this.all = true;
  }

  /** Prices of underlying `u` moved. */
  underlying(u: number): void {
    this.underlyings.add(u);
  }

  /** Account `a` was added (counted as empty until walked), or its book or mode changed. */
  account(a: number): void {
    this.accounts.add(a);
  }

  /** Accounts the next read may give a new or larger cache slot: those added or edited since the last. */
  waitingAccounts(): number {
    return this.accounts.size;
  }

  /** Full recompute of every account and the venue totals. */
  recompute(): void {
    this.wasm.recompute();
    this.all = false;
    this.underlyings.clear();
    this.accounts.clear();
  }

  /**
   * Brings equity, IM, MM, status and their totals up to date, incrementally where it can. Ticks
   * go first: every cached result was computed at the prices before them, which the tick's
   * differences assume; an edited account, whose cached results belong to its old book, is
   * skipped by the tick and then walked whole, at the new prices.
   */
  refresh(): void {
    if (this.all) return this.recompute();
    const edited = this.accounts.size > 0 ? [...this.accounts].sort((x, y) => x - y) : [];
    if (this.underlyings.size > 0) {
      for (const u of this.underlyings) this.wasm.markUnderlyingDirty(u);
      // an edited account's cached results belong to its old book: the tick leaves it to the walk below
      for (const a of edited) this.wasm.markEdited(a);
      this.wasm.refreshUnderlyings();
      this.underlyings.clear();
    }
    for (const a of edited) this.wasm.refreshAccount(a);
    this.accounts.clear();
  }

  /** Brings an instrument's prepared figures (risk array, greeks, model value) up to date as well. */
  instrument(i: number): void {
    this.refresh();
    this.wasm.ensurePrepared(i);
  }
}
