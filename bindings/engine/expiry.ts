// Expiry (docs/methodology.md §13): once the venue's clock reaches a future's or option's expiry it
// no longer trades, and the module values it at its underlying's index (an option at its payoff)
// until it is settled. Settling closes each position into its holder's settlement balance by
// exactly the position's equity term, so every account's equity, and Σ equity, stay the same to
// the µ-unit.
import { floorDiv, formatDecimal, MONEY_SCALE, MONEY_TO_AMOUNT, PRICE_SCALE } from "../core/decimal.js";
import {
  KIND_CALL, KIND_PERP, MAX_COLLATERAL_AMOUNT, MAX_COLLATERAL_PER_ACCOUNT, QTY_PRICE_TO_MONEY,
} from "../core/constants.generated.js";
import { Col, type ColumnViews } from "../module/views.js";
import type { WasmExports } from "../module/wasm.js";
import { isExpiredAt, type InstrumentRow } from "../venue/reference.js";
import type { AccountBook } from "./accounts.js";
import type { Catalog } from "./catalog.js";
import type { MemoryGuard } from "./memory.js";
import type { Refresh } from "./refresh.js";
import type { ExpirySettlement } from "./types.js";

/** What one expired position pays into the settlement balance (money, 1e6): its equity term at the index. */
function settlementValue(row: InstrumentRow, lots: number, entry: bigint, index: bigint): bigint {
  const qty = BigInt(lots) * row.lotSize;
  if (row.kind < KIND_CALL) return floorDiv(qty * (index - entry), QTY_PRICE_TO_MONEY);
  const payoff = row.kind === KIND_CALL ? index - row.strike : row.strike - index;
  return floorDiv(qty * (payoff > 0n ? payoff : 0n), QTY_PRICE_TO_MONEY);
}

interface Closing { account: number; instrument: number; lots: number; entry: bigint; value: bigint }

export class Expiry {
  /**
   * Expired instruments with no position left, by the expiry they were settled at: nothing more
   * to settle until a bulk load or a new definition (a cache, so never in snapshots).
   */
  private settled = new Map<number, number>();
  private loadsSeen = 0;
  /** The dated instruments' distinct expiries, ascending, as of a catalog revision: a print that crosses none costs no scan. */
  private schedule = { revision: -1, times: new Float64Array(0) };

  constructor(
    private readonly wasm: WasmExports,
    private readonly views: ColumnViews,
    private readonly catalog: Catalog,
    private readonly book: AccountBook,
    private readonly refresh: Refresh,
    private readonly memory: MemoryGuard,
  ) {
    wasm.setClock(BigInt(catalog.clock));
  }

  isExpired(i: number): boolean {
    return isExpiredAt(this.catalog.instruments[i], this.catalog.clock);
  }

  /** The clock moved from `from` to `to`: what expired in between is re-valued at the index. */
  clockMoved(from: number, to: number): void {
    this.wasm.setClock(BigInt(to));
    if (!this.expiresWithin(from, to)) return;
    this.catalog.instruments.forEach((row, i) => {
      if (row.kind === KIND_PERP || row.expiry <= from || row.expiry > to) return;
      // valued at the index from now on: prepared again, and its holders moved as by a mark change
      this.wasm.instrumentChanged(i);
      this.refresh.underlying(this.catalog.underlyingOf(i));
    });
  }

  /** True when some future or option expires in (from, to]. */
  private expiresWithin(from: number, to: number): boolean {
    const catalog = this.catalog;
    if (this.schedule.revision !== catalog.instrumentRevision) {
      const dated = catalog.instruments.filter((row) => row.kind !== KIND_PERP).map((row) => row.expiry);
      this.schedule = { revision: catalog.instrumentRevision, times: new Float64Array([...new Set(dated)]).sort() };
    }
    const times = this.schedule.times;
    // bisection for the first expiry after `from`
    let low = 0, high = times.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (times[middle] <= from) low = middle + 1;
      else high = middle;
    }
    return low < times.length && times[low] <= to;
  }

  /**
   * Settles every position in an expired instrument at its underlying's index. A position stays
   * open, and its instrument is listed in `deferred`, while the underlying is stale (no quorum of fresh sources), or
   * when its holder's settlement balance would pass its limit (or there is no room for one).
   * Only instruments with positions are reported, so the cache of settled ones never shows.
   */
  settle(): ExpirySettlement {
    const catalog = this.catalog;
    if (this.loadsSeen !== this.book.loads) {
      this.settled = new Map();
      this.loadsSeen = this.book.loads;
    }
    const due = new Set<number>();
    catalog.instruments.forEach((row, i) => {
      if (this.isExpired(i) && this.settled.get(i) !== row.expiry) due.add(i);
    });
    const { closed, deferred } = due.size === 0 ? { closed: [], deferred: new Set<number>() } : this.closings(due);
    for (const i of due) if (!deferred.has(i)) this.settled.set(i, catalog.instruments[i].expiry);
    const settledNow = [...new Set(closed.map((c) => c.instrument))].sort((x, y) => x - y);
    return {
      instruments: settledNow.map((i) => {
        const row = catalog.instruments[i];
        return { id: row.id, index: formatDecimal(catalog.underlying(row.underlying).index, PRICE_SCALE) };
      }),
      positions: closed.map((c) => {
        const row = catalog.instruments[c.instrument];
        return { account: this.book.accountId(c.account), instrument: row.id, qty: formatDecimal(BigInt(c.lots) * row.lotSize, PRICE_SCALE), amount: formatDecimal(c.value, MONEY_SCALE) };
      }),
      deferred: [...deferred].sort((x, y) => x - y).map((i) => catalog.instruments[i].id),
    };
  }

  /** Closes every position in `due`, account by account; a position on a stale underlying, or of an account that cannot be credited, stays open and defers its instrument. */
  private closings(due: Set<number>): { closed: Closing[]; deferred: Set<number> } {
    const deferred = new Set<number>();
    const settlement = this.catalog.assetIndex(this.catalog.settings.settlement);
    // every closing is found before any is applied: an edit can grow memory and move the views
    const credits: { account: number; closings: Closing[]; cash: bigint; after: bigint; full: boolean }[] = [];
    const v = this.views, n = this.book.count();
    const start = v.i32(Col.AccountPositionStart), count = v.u8(Col.AccountPositionCount), held = v.u8(Col.AccountCollateralCount);
    const instrument = v.u16(Col.PositionInstrument), lots = v.i32(Col.PositionLots), entry = v.i64(Col.PositionEntry);
    for (let a = 0; a < n; a++) {
      const closings: Closing[] = [];
      for (let p = start[a]; p < start[a] + count[a]; p++) {
        const i = instrument[p];
        if (!due.has(i)) continue;
        const row = this.catalog.instruments[i];
        if (this.catalog.underlying(row.underlying).stale) {
          deferred.add(i);
          continue;
        }
        closings.push({ account: a, instrument: i, lots: lots[p], entry: entry[p], value: settlementValue(row, lots[p], entry[p], this.catalog.underlying(row.underlying).index) });
      }
      if (closings.length === 0) continue;
      const cash = this.book.balance(a, settlement);
      credits.push({ account: a, closings, cash, after: cash + closings.reduce((sum, c) => sum + c.value, 0n) * MONEY_TO_AMOUNT, full: held[a] >= MAX_COLLATERAL_PER_ACCOUNT });
    }
    // probing memory may grow it and move the views: decided only once they are no longer read
    const done: Closing[] = [];
    for (const { account, closings, cash, after, full } of credits) {
      // a first settlement balance needs a free slot and the memory to insert it
      const room = cash !== 0n || after === 0n || (!full && this.memory.fits(this.memory.growth(this.book.count(), this.catalog.underlyings.length, -1, account)));
      if (!room || after > MAX_COLLATERAL_AMOUNT || after < -MAX_COLLATERAL_AMOUNT) {
        for (const c of closings) deferred.add(c.instrument);
        continue;
      }
      for (const c of closings) this.wasm.setPosition(account, c.instrument, 0, c.entry);
      this.wasm.setCollateral(account, settlement, after);
      this.refresh.account(account);
      done.push(...closings);
    }
    return { closed: done, deferred };
  }
}
