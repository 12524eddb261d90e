// What the stored per-account results (equity, MM, status, totals) have not yet absorbed, and
// bringing them up to date: a full recompute when reference data or parameters changed or a bulk
// load replaced the accounts; otherwise the ticked underlyings' groups of the accounts exposed to
// them and the balances of assets printed on their own, then the accounts added or edited since
// (docs/methodology.md §9). The only writer of the pending state.
import type { WasmExports } from "../module/wasm.js";

export class Refresh {
  private all = true;
  private readonly underlyings = new Set<number>();
  /** Assets priced on their own whose price moved → the price the stored results count. */
  private readonly assets = new Map<number, bigint>();
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

  /** The own price of asset `a` moved from `counted` (a later move keeps the first price: the one counted). */
  assetPrice(a: number, counted: bigint): void {
    if (!this.assets.has(a)) this.assets.set(a, counted);
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
    this.assets.clear();
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
    if (this.underlyings.size > 0 || this.assets.size > 0) {
      for (const u of this.underlyings) this.wasm.markUnderlyingDirty(u);
      for (const [a, counted] of this.assets) this.wasm.markAssetMoved(a, counted);
      // an edited account's cached results belong to its old book: the prints leave it to the walk below
      for (const a of edited) this.wasm.markEdited(a);
      this.wasm.refreshUnderlyings();
      this.underlyings.clear();
      this.assets.clear();
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
