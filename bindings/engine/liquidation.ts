// One liquidation pass (docs/methodology.md §10) over the queue the module orders: partial liquidation
// by whole lots, close-out of bankrupt accounts, the insurance fund, then auto-deleveraging.
// Money moves only as fees (account → fund), fund payouts (fund → account) and ADL transfers
// (opponent → bankrupt account); closing lots at the mark credits cash by exactly the change of
// the position's equity term, so equity moves only by those transfers and the pass conserves
// Σ equity + fund to the µ-unit.
import { ceilDiv, MONEY_TO_AMOUNT } from "../core/decimal.js";
import { fail } from "../core/errors.js";
import { MAX_COLLATERAL_AMOUNT, ONE, QTY_PRICE_FRACTION_TO_MONEY, QTY_PRICE_TO_MONEY } from "../core/constants.generated.js";
import { Col, type ColumnViews } from "../module/views.js";
import type { WasmExports } from "../module/wasm.js";
import type { AccountBook, Held } from "./accounts.js";
import type { Catalog } from "./catalog.js";

export interface PlannedOrder { instrument: number; lots: number; fee: bigint }
export interface AdlFill { account: number; instrument: number; lots: number; amount: bigint; price: bigint }

export interface QueueEntry {
  account: number;
  rank: number;
  equity: bigint;
  maintenanceMargin: bigint;
  deferred: boolean;
  bankruptcy: boolean;
  orders: PlannedOrder[];
  feePaid: bigint;
  fundPaid: bigint;
  adl: AdlFill[];
  /** Deficit left after the fund and every opposing position (normally 0). */
  uncovered: bigint;
}

export interface PassResult {
  entries: QueueEntry[];
  feesPaid: bigint;
  fundPaid: bigint;
  socializedLoss: bigint;
  /** The insurance fund when the pass ended. */
  fundAfter: bigint;
  /** Accounts whose positions or cash changed, for undoing a dry run. */
  touched: number[];
}

interface Ranked { account: number; lots: number; score: number }

/** An account's book before a pass changed it, and its results as the venue totals count them now. */
interface JournalEntry { positions: Held[]; cash: bigint; counted: [bigint, bigint, number] }

export class Liquidator {
  /** Books as they were before a dry run first changed them (null outside dry runs). */
  private journal: Map<number, JournalEntry> | null = null;
  /** ADL rankings per instrument and side, computed at first need within a pass. */
  private readonly rankings = new Map<string, Ranked[]>();

  constructor(
    private readonly wasm: WasmExports,
    private readonly views: ColumnViews,
    private readonly catalog: Catalog,
    private readonly book: AccountBook,
    /** The insurance fund, raw money. */
    public fund: bigint,
  ) {}

  /** What a pass would do now, then every account and the fund put back as they were. */
  dryRun(limit = Infinity): PassResult {
    return this.journaled(() => this.run(limit), false);
  }

  /**
   * One pass: every queue entry in order (up to `limit`), sized and applied. Deferred entries
   * (an exposed underlying has no fresh price) get no orders. A pass that would break a limit
   * is undone whole and rejected.
   */
  pass(limit = Infinity): PassResult {
    return this.journaled(() => this.run(limit), true);
  }

  /** Runs `work` recording each account's book before its first change; undoes it unless kept. */
  private journaled(work: () => PassResult, keep: boolean): PassResult {
    const journal = new Map<number, JournalEntry>();
    const fund = this.fund;
    this.journal = journal;
    let done = false;
    try {
      const result = work();
      done = true;
      return result;
    } finally {
      this.journal = null;
      if (!done || !keep) this.undo(journal, fund);
    }
  }

  private undo(journal: Map<number, JournalEntry>, fund: bigint): void {
    for (const [a, before] of [...journal].reverse()) {
      for (const h of this.book.positions(a)) this.wasm.setPosition(a, h.instrument, 0, h.entry);
      for (const h of before.positions) this.wasm.setPosition(a, h.instrument, h.lots, h.entry);
      this.wasm.setCollateral(a, this.settlementAsset(), before.cash);
      this.commit(a, before.counted);
    }
    this.fund = fund;
  }

  /** The queue in liquidation order (the module's exact order; stored results must be current). */
  order(): number[] {
    const n = this.wasm.buildQueue();
    return Array.from(this.views.i32(Col.QueueAccounts).subarray(0, n));
  }

  private settlementAsset(): number {
    return this.catalog.assetIndex(this.catalog.settings.settlement);
  }

  /** True when the account holds a position on an underlying with no fresh price. */
  private exposedToStale(a: number): boolean {
    const underlyings = this.catalog.underlyings;
    if (!underlyings.some((u) => u.stale)) return false;
    return this.book.positions(a).some((h) => underlyings[this.catalog.underlyingOf(h.instrument)].stale);
  }

  private cash(a: number): bigint {
    const v = this.views, asset = this.settlementAsset();
    const start = v.i32(Col.AccountCollateralStart)[a], count = v.u8(Col.AccountCollateralCount)[a];
    for (let c = start; c < start + count; c++) if (v.u8(Col.CollateralAsset)[c] === asset) return v.i64(Col.CollateralAmount)[c];
    return 0n;
  }

  private addCash(a: number, money: bigint): void {
    if (money === 0n) return;
    const next = this.cash(a) + money * MONEY_TO_AMOUNT;
    if (next > MAX_COLLATERAL_AMOUNT || next < -MAX_COLLATERAL_AMOUNT || this.wasm.setCollateral(a, this.settlementAsset(), next) !== 0) {
      fail("OUT_OF_RANGE", `accounts.${this.book.accountId(a)}.collateral`, "the liquidation would take the settlement balance beyond its limit (docs/limits.md)");
    }
  }

  /** The account's stored results (equity, MM, status), as the venue totals count them. */
  private stored(a: number): [bigint, bigint, number] {
    const v = this.views;
    const results: [bigint, bigint, number] = [v.i64(Col.AccountEquity)[a], v.i64(Col.AccountMaintenanceMargin)[a], v.u8(Col.AccountStatus)[a]];
    if (this.journal !== null && !this.journal.has(a)) this.journal.set(a, { positions: this.book.positions(a), cash: this.cash(a), counted: results });
    return results;
  }

  /** Puts back the results the totals count, then lets the module re-evaluate and move the totals. */
  private commit(a: number, [equity, mm, status]: [bigint, bigint, number]): void {
    const v = this.views;
    v.i64(Col.AccountEquity)[a] = equity;
    v.i64(Col.AccountMaintenanceMargin)[a] = mm;
    v.u8(Col.AccountStatus)[a] = status;
    this.wasm.refreshAccount(a);
    const entry = this.journal?.get(a);
    if (entry !== undefined) entry.counted = [v.i64(Col.AccountEquity)[a], v.i64(Col.AccountMaintenanceMargin)[a], v.u8(Col.AccountStatus)[a]];
  }

  /** Evaluates the account as its book stands now: [equity, MM]. */
  private evaluate(a: number): [bigint, bigint] {
    this.wasm.evaluateAccount(a);
    return [this.views.i64(Col.AccountEquity)[a], this.views.i64(Col.AccountMaintenanceMargin)[a]];
  }

  /** Evaluates the account with some positions' lots replaced (written in place, then restored). */
  private evaluateWith(a: number, lots: Map<number, number>): [bigint, bigint] {
    const v = this.views;
    const start = v.i32(Col.AccountPositionStart)[a], count = v.u8(Col.AccountPositionCount)[a];
    const saved: [number, number][] = [];
    for (let p = start; p < start + count; p++) {
      const next = lots.get(v.u16(Col.PositionInstrument)[p]);
      if (next === undefined) continue;
      saved.push([p, v.i32(Col.PositionLots)[p]]);
      v.i32(Col.PositionLots)[p] = next;
    }
    const result = this.evaluate(a);
    for (const [p, before] of saved) v.i32(Col.PositionLots)[p] = before;
    this.wasm.evaluateAccount(a);
    return result;
  }

  /** The liquidation fee on `lots` of an instrument at its guarded mark, rounded up (a fee owed). */
  fee(instrument: number, lots: number): bigint {
    const mark = this.views.i64(Col.InstrumentMarkUsed)[instrument];
    const size = BigInt(Math.abs(lots));
    return ceilDiv(size * this.catalog.instruments[instrument].lotSize * mark * this.catalog.params.liquidationFee, QTY_PRICE_FRACTION_TO_MONEY);
  }

  /** Positions in sizing order: largest standalone (standard-method) MM first, then instrument index. */
  sizingOrder(a: number): Held[] {
    const held = this.book.positions(a).map((h) => ({ h, mm: this.wasm.standaloneMaintenance(h.instrument, BigInt(h.lots)) }));
    held.sort((x, y) => (x.mm !== y.mm ? (x.mm > y.mm ? -1 : 1) : x.h.instrument - y.h.instrument));
    return held.map((x) => x.h);
  }

  /**
   * Orders restoring equity − fee ≥ MM × (1 + buffer): positions in sizing order are closed
   * whole while that is not enough, then the next is reduced by the fewest whole lots found by
   * bisection. An account that cannot be restored is closed flat.
   */
  size(a: number, equity: bigint): PlannedOrder[] {
    const buffer = ONE + this.catalog.params.liquidationBuffer;
    const payable = equity > 0n ? equity : 0n;
    const lots = new Map<number, number>();
    const orders: PlannedOrder[] = [];
    let fees = 0n;
    const restored = (extraFee: bigint) => {
      const [, mm] = this.evaluateWith(a, lots);
      const fee = fees + extraFee;
      return equity - (fee < payable ? fee : payable) >= ceilDiv(mm * buffer, ONE);
    };
    for (const h of this.sizingOrder(a)) {
      const side = Math.sign(h.lots), size = Math.abs(h.lots);
      lots.set(h.instrument, 0);
      if (!restored(this.fee(h.instrument, size))) {
        orders.push({ instrument: h.instrument, lots: -h.lots, fee: this.fee(h.instrument, size) });
        fees += this.fee(h.instrument, size);
        continue;
      }
      let low = 1, high = size;
      while (low < high) {
        const mid = Math.floor((low + high) / 2);
        lots.set(h.instrument, side * (size - mid));
        if (restored(this.fee(h.instrument, mid))) high = mid;
        else low = mid + 1;
      }
      orders.push({ instrument: h.instrument, lots: -side * low, fee: this.fee(h.instrument, low) });
      break;
    }
    return orders;
  }

  /** Reduces a position at the mark; the cash credited is exactly the drop of its equity term. */
  private closeLots(a: number, instrument: number, change: number): void {
    const held = this.book.positions(a).find((h) => h.instrument === instrument)!;
    const [before] = this.evaluate(a);
    this.wasm.setPosition(a, instrument, held.lots + change, held.entry);
    const [after] = this.evaluate(a);
    this.addCash(a, before - after);
  }

  /** ADL ranking of the accounts holding `instrument` against `side`: PnL% × leverage, highest first. */
  private rank(instrument: number, side: number, exclude: number): Ranked[] {
    const v = this.views, wasm = this.wasm;
    const row = this.catalog.instruments[instrument];
    const mark = Number(v.i64(Col.InstrumentMarkUsed)[instrument]), lotSize = Number(row.lotSize);
    const starts = v.i32(Col.AccountPositionStart), counts = v.u8(Col.AccountPositionCount);
    const instruments = v.u16(Col.PositionInstrument), lotsColumn = v.i32(Col.PositionLots), entries = v.i64(Col.PositionEntry);
    const equities = v.i64(Col.AccountEquity);
    const ranked: Ranked[] = [];
    for (let a = 0; a < wasm.accountCount(); a++) {
      if (a === exclude) continue;
      for (let p = starts[a], end = starts[a] + counts[a]; p < end; p++) {
        if (instruments[p] !== instrument) continue;
        const lots = lotsColumn[p];
        if (Math.sign(lots) !== -side) break;
        // The score orders, it is not money: double precision from the exact integers, the
        // same operations in the same order everywhere, so every host ranks alike.
        const entry = Number(entries[p]), equity = Number(equities[a]);
        const pnl = lots * (mark - entry);
        if (!(pnl > 0) || !(equity > 0)) break;
        const notional = Math.abs(lots) * lotSize * mark / 1e10;
        const score = (pnl / (Math.abs(lots) * entry)) * (notional / equity);
        ranked.push({ account: a, lots, score });
        break;
      }
    }
    ranked.sort((x, y) => (x.score !== y.score ? y.score - x.score : x.account - y.account));
    return ranked;
  }

  /**
   * Closes a bankrupt account whole; the fund pays its deficit as far as it can, and the rest is
   * taken from ranked opposing positions, closed at the bankruptcy price: each instrument carries
   * a share of the remaining deficit in proportion to its notional, and each fill pays its lots'
   * part of that share.
   */
  private bankrupt(entry: QueueEntry, result: PassResult): void {
    const a = entry.account;
    const book = this.book.positions(a);
    const notionals = book.map((h) => BigInt(Math.abs(h.lots)) * this.catalog.instruments[h.instrument].lotSize * this.views.i64(Col.InstrumentMarkUsed)[h.instrument]);
    for (const h of book) {
      entry.orders.push({ instrument: h.instrument, lots: -h.lots, fee: 0n });
      this.closeLots(a, h.instrument, -h.lots);
    }
    const [equity] = this.evaluate(a);
    if (equity >= 0n) return;
    const fund = this.fund;
    entry.fundPaid = -equity < fund ? -equity : fund;
    this.addCash(a, entry.fundPaid);
    this.fund = fund - entry.fundPaid;
    result.fundPaid += entry.fundPaid;
    let remaining = -equity - entry.fundPaid;
    if (remaining === 0n) return;

    const totalNotional = notionals.reduce((s, n) => s + n, 0n);
    let unassigned = remaining;
    book.forEach((h, k) => {
      if (totalNotional === 0n) return;
      const share = k === book.length - 1 ? unassigned : (remaining * notionals[k]) / totalNotional;
      unassigned -= share;
      if (share === 0n) return;
      const size = Math.abs(h.lots);
      const mark = this.views.i64(Col.InstrumentMarkUsed)[h.instrument];
      const lotSize = this.catalog.instruments[h.instrument].lotSize;
      // the price at which closing the bankrupt position would have paid the share: a long
      // sells above the mark, a short buys below it
      const perUnit = (share * QTY_PRICE_TO_MONEY) / (BigInt(size) * lotSize);
      const price = h.lots > 0 ? mark + perUnit : mark - perUnit;
      let open = size, paid = 0n;
      const key = `${h.instrument}:${Math.sign(h.lots)}`;
      if (!this.rankings.has(key)) this.rankings.set(key, this.rank(h.instrument, Math.sign(h.lots), a));
      for (const opponent of this.rankings.get(key)!) {
        if (open === 0) break;
        if (opponent.account === a) continue;
        // the ranking is fixed at its first use in a pass; the lots are read as they are now
        const current = this.book.positions(opponent.account).find((x) => x.instrument === h.instrument)?.lots ?? 0;
        if (Math.sign(current) !== Math.sign(opponent.lots)) continue;
        opponent.lots = current;
        const lots = Math.min(open, Math.abs(current));
        open -= lots;
        const amount = open === 0 ? share - paid : ceilDiv(share * BigInt(lots), BigInt(size));
        paid += amount;
        const stored = this.stored(opponent.account);
        this.closeLots(opponent.account, h.instrument, -Math.sign(opponent.lots) * lots);
        this.addCash(opponent.account, -amount);
        this.addCash(a, amount);
        this.commit(opponent.account, stored);
        entry.adl.push({ account: opponent.account, instrument: h.instrument, lots: Math.sign(opponent.lots) * lots, amount, price });
        result.touched.push(opponent.account);
      }
      result.socializedLoss += paid;
      entry.uncovered += share - paid;
    });
  }

  private run(limit: number): PassResult {
    this.rankings.clear();
    const result: PassResult = { entries: [], feesPaid: 0n, fundPaid: 0n, socializedLoss: 0n, fundAfter: 0n, touched: [] };
    const queue = this.order();
    const equities = this.views.i64(Col.AccountEquity), margins = this.views.i64(Col.AccountMaintenanceMargin);
    const snapshot = queue.slice(0, Math.min(limit, queue.length)).map((a) => [a, equities[a], margins[a]] as const);
    snapshot.forEach(([a, equity, mm], rank) => {
      const entry: QueueEntry = {
        account: a, rank: rank + 1, equity, maintenanceMargin: mm, deferred: this.exposedToStale(a),
        bankruptcy: false, orders: [], feePaid: 0n, fundPaid: 0n, adl: [], uncovered: 0n,
      };
      result.entries.push(entry);
      if (entry.deferred) return;
      // an earlier entry's ADL may have changed this account since the queue was ordered
      const stored = this.stored(a);
      const [current, currentMm] = this.evaluate(a);
      if (current >= currentMm && current >= 0n) return;
      result.touched.push(a);
      if (current < 0n) {
        entry.bankruptcy = true;
        this.bankrupt(entry, result);
      } else {
        entry.orders = this.size(a, current);
        const fees = entry.orders.reduce((s, o) => s + o.fee, 0n);
        entry.feePaid = fees < current ? fees : current;
        for (const order of entry.orders) this.closeLots(a, order.instrument, order.lots);
        this.addCash(a, -entry.feePaid);
        this.fund += entry.feePaid;
        result.feesPaid += entry.feePaid;
      }
      this.commit(a, stored);
    });
    result.fundAfter = this.fund;
    return result;
  }
}
