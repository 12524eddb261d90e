// One liquidation pass (docs/methodology.md §10) over the queue the module orders. First every
// entry in order: a partial liquidation (or a bankrupt account's close-out) within the caps and
// depth left, its fee to the fund, then — once the account holds no positions — its loans repaid
// from its collateral. An entry that would break a limit is put back and skipped; the pass goes
// on. Then, with every fee of the pass in the fund, each deficit left, in queue order: the fund
// pays what it can (up to its per-pass cap), auto-deleveraging takes the rest, and what nobody
// can cover is written off as bad debt, so each deficit is settled in the pass that finds it.
// A deficit's cash — the entry's trades', the payout, the ADL payments, the write-off — lands in
// one write when it is settled, bringing the balance to zero: a close-out whose loss alone would
// take the balance past its limit is settled like any other. A bankrupt close-out that a cap or
// depth cuts short keeps positions open, so its cash is written at once: the part of its loss the
// balance cannot hold is settled in phase two as a deficit of its own, so every pass goes on.
// Money moves only between accounts and the fund, except the haircut released when collateral
// becomes cash and the bad debt written off: Σ equity + fund changes by exactly those two, which
// the pass reports.
import { MAX_FUND } from "../../core/constants.generated.js";
import { fail, MarginError } from "../../core/errors.js";
import { Col, type ColumnViews } from "../../module/views.js";
import type { WasmExports } from "../../module/wasm.js";
import type { AccountBook } from "../accounts.js";
import type { Catalog } from "../catalog.js";
import type { Results } from "../results.js";
import { Deleverager } from "./adl.js";
import { Allowance } from "./allowance.js";
import { CollateralSeller } from "./collateral.js";
import { emptyEntry, type PassResult, type QueueEntry } from "./entry.js";
import { Ledger } from "./ledger.js";
import { PositionCloser } from "./positions.js";
import { rankingKey } from "./ranking.js";

export type { PassResult, QueueEntry } from "./entry.js";

/** A deficit phase two settles, `owed`, known when phase one leaves it; `cash` of its entry not yet written. */
interface Deficit { entry: QueueEntry; cash: bigint; owed: bigint }

export class Liquidator {
  private readonly ledger: Ledger;

  constructor(
    private readonly wasm: WasmExports,
    private readonly views: ColumnViews,
    private readonly catalog: Catalog,
    book: AccountBook,
    private readonly results: Results,
    /** The insurance fund, raw money. */
    public fund: bigint,
  ) {
    this.ledger = new Ledger(wasm, views, catalog, book);
  }

  /** What a pass would do now, then every account and the fund put back as they were. */
  dryRun(limit = Infinity): PassResult {
    return this.journaled(limit, false);
  }

  /** One pass over the queue, taking up at most `limit` entries (deferred ones not counted). */
  pass(limit = Infinity): PassResult {
    return this.journaled(limit, true);
  }

  private journaled(limit: number, keep: boolean): PassResult {
    const fund = this.fund;
    this.ledger.begin();
    let done = false;
    try {
      const result = new Run(this.wasm, this.views, this.catalog, this.ledger, this).run(this.order(), limit);
      done = true;
      return result;
    } finally {
      if (done && keep) {
        this.ledger.keep();
      } else {
        this.ledger.undo();
        this.fund = fund;
      }
    }
  }

  /** The queue in liquidation order (the module's exact order; stored results must be current). */
  order(): number[] {
    const n = this.results.buildQueue();
    return Array.from(this.views.i32(Col.QueueAccounts).subarray(0, n));
  }
}

/** The state of one pass. */
class Run {
  private readonly allowance: Allowance;
  private readonly closer: PositionCloser;
  private readonly seller: CollateralSeller;
  private readonly deleverager: Deleverager;
  private readonly result: PassResult;
  /**
   * Deficits to settle, in queue order, with the entry's cash not yet written: an entry left flat,
   * or a bankrupt close-out cut short with the loss its balance could not hold.
   */
  private readonly deficits: Deficit[] = [];
  /** Σ of those deficits: phase two pays them out of the fund as far as it and its cap go. */
  private owedSoFar = 0n;
  /** Fund payouts left under maxInsuranceLossPerPass (null: no cap). */
  private payoutsLeft: bigint | null;

  constructor(
    wasm: WasmExports,
    private readonly views: ColumnViews,
    private readonly catalog: Catalog,
    private readonly ledger: Ledger,
    private readonly owner: { fund: bigint },
  ) {
    this.allowance = new Allowance(catalog);
    this.closer = new PositionCloser(wasm, views, ledger, this.allowance);
    this.seller = new CollateralSeller(ledger, this.allowance);
    this.deleverager = new Deleverager(views, ledger, this.closer);
    this.payoutsLeft = catalog.params.liquidationCaps.maxInsuranceLossPerPass;
    this.result = {
      entries: [], skipped: [], feesPaid: 0n, impactPaid: 0n, discountsPaid: 0n, fundPaid: 0n, socializedLoss: 0n, badDebt: 0n,
      haircutReleased: 0n, liquidatedNotional: 0n, fundBefore: owner.fund, fundAfter: 0n,
    };
  }

  /**
   * The queue's entries in order until `limit` of them are taken up. A deferred entry, and one
   * skipped for a limit (put back as it was), is reported and not counted: it leaves its account
   * as it was, and counting it would let a stale feed, or one account no pass can liquidate, hold
   * every paged pass behind it.
   */
  run(queue: number[], limit: number): PassResult {
    const equities = this.views.i64(Col.AccountEquity), margins = this.views.i64(Col.AccountMaintenanceMargin);
    // as the queue stood: trades and ADL move later entries' accounts before they are reached
    const listed = queue.map((a) => [a, equities[a], margins[a]] as const);
    let taken = 0;
    for (const [rank, [a, equity, mm]] of listed.entries()) {
      if (taken >= limit) break;
      const entry = emptyEntry(a, rank + 1, equity, mm, this.exposedToStale(a));
      this.result.entries.push(entry);
      if (entry.deferred) continue;
      const deficit = this.liquidate(entry);
      if (deficit !== null) {
        this.deficits.push(deficit);
        this.owedSoFar += deficit.owed;
      }
      if (!entry.skipped) taken++;
    }
    for (const deficit of this.deficits) this.settle(deficit);
    this.result.fundAfter = this.owner.fund;
    return this.result;
  }

  /** True when the account holds a position or a balance priced by a stale underlying (no quorum of fresh sources). */
  private exposedToStale(a: number): boolean {
    const c = this.catalog;
    if (!c.underlyings.some((u) => u.stale)) return false;
    if (this.ledger.positions(a).some((h) => c.underlyings[c.underlyingOf(h.instrument)].stale)) return true;
    return this.ledger.balances(a).some((b) => {
      const u = c.assets[b.asset].underlying;
      return u !== null && c.underlying(u).stale;
    });
  }

  /** Phase one for an entry: its trades, in a level of its own; the deficit it leaves to settle, else null. */
  private liquidate(entry: QueueEntry): Deficit | null {
    const a = entry.account;
    // with the pass's cap used up, an account with anything to trade waits (a deficit can still be settled)
    if (this.allowance.passExhausted() && (this.ledger.positionCount(a) > 0 || this.ledger.holdsOthers(a))) {
      entry.cutShort = true;
      entry.bankruptcy = entry.equity < 0n;
      return null;
    }
    const savedAllowance = this.allowance.save(), fund = this.owner.fund;
    this.ledger.begin();
    let deficit: Deficit | null;
    try {
      deficit = this.trade(entry);
      // fees, impact and discounts add to the fund, and phase two pays the deficits found so far out
      // of it: past its limit once they are paid, the entry would leave a state no snapshot could hold
      if (this.fundAfterPayouts(deficit?.owed ?? 0n) > MAX_FUND) fail("OUT_OF_RANGE", "insuranceFund", "the liquidation's fees would take the insurance fund beyond its limit (docs/limits.md)");
      this.ledger.commit(a);
      this.ledger.keep();
    } catch (error) {
      if (!(error instanceof MarginError)) throw error;
      this.ledger.undo();
      this.allowance.restore(savedAllowance);
      this.owner.fund = fund;
      Object.assign(entry, emptyEntry(a, entry.rank, entry.equity, entry.maintenanceMargin, false), { skipped: true });
      this.result.skipped.push({ account: a, code: error.code, message: error.message });
      return null;
    }
    const r = this.result;
    r.feesPaid += entry.feePaid;
    r.impactPaid += entry.impactPaid;
    r.discountsPaid += entry.discountPaid;
    r.haircutReleased += entry.haircutReleased;
    const notional = entry.orders.reduce((s, o) => s + o.notional, 0n) + entry.trades.reduce((s, t) => s + t.notional, 0n);
    r.liquidatedNotional += notional;
    return deficit;
  }

  /**
   * The fund once phase two has paid the deficits found so far and `owed`, as far as its per-pass
   * cap goes (no less than it will hold: a payout also stops at what the fund has, leaving 0).
   */
  private fundAfterPayouts(owed: bigint): bigint {
    const owing = this.owedSoFar + owed, cap = this.payoutsLeft;
    return this.owner.fund - (cap !== null && cap < owing ? cap : owing);
  }

  /** An entry's trades: the deficit they leave to settle, with the cash still to write, else null. */
  private trade(entry: QueueEntry): Deficit | null {
    const a = entry.account;
    this.ledger.touch(a);
    const traded = this.closer.trade(a);
    if (traded === null) return null;
    entry.bankruptcy = traded.bankruptcy;
    entry.cutShort = traded.cutShort;
    entry.orders = traded.orders;
    entry.impactPaid = traded.orders.reduce((sum, o) => sum + o.impact, 0n);
    entry.feePaid = traded.feePaid;
    this.owner.fund += entry.feePaid + entry.impactPaid;
    // the fills' cash lands once, with the collateral trades' when there are any: only the
    // balance the whole entry leaves is held to the limit
    if (this.ledger.positionCount(a) > 0) return this.writeHeld(entry, traded.cash);
    const [equity, margin] = this.ledger.evaluate(a), before = equity + traded.cash;
    if (before >= margin && before >= 0n) {
      this.ledger.addCash(a, traded.cash);
      return null;
    }
    const repaid = this.seller.repay(a, traded.cash);
    entry.trades = repaid.trades;
    entry.cutShort ||= repaid.cutShort;
    entry.discountPaid = repaid.trades.reduce((s, t) => s + t.discount, 0n);
    this.owner.fund += entry.discountPaid;
    // the settlement balance is valued ⌊amount / 100⌋, so whole µ-units of cash move equity by
    // exactly their amount: the equity the cash leaves is known before it is written
    const after = this.ledger.evaluate(a)[0] + repaid.cash;
    entry.haircutReleased = after - before + entry.discountPaid;
    // a deficit's cash is written with its settlement (settle); nothing a pass does moves a flat
    // account's equity again before then, so the deficit is known now
    if (after < 0n && !this.ledger.holdsOthers(a)) return { entry, cash: repaid.cash, owed: -after };
    // collateral a cap or depth left unsold: held, as an open book is
    return this.writeHeld(entry, repaid.cash);
  }

  /**
   * Writes the cash of an entry that leaves positions or other assets held. A bankrupt account's
   * loss past its balance's limit — the cash below `cashFloor` — is its deficit as far as
   * realized: the balance takes the floor now, and the rest is settled in phase two, so a
   * close-out that caps or depth spread over passes goes on in every one, collateral sales
   * included. Covering more than the account's whole deficit would pay it (more than 10^10 units
   * of value left): that entry is held to the limit. So is one holding an asset whose haircut
   * passes the liquidation discount: sold, it would bring more than equity counts, so its
   * deficit at the marks may be none at the prices the pass sells at.
   */
  private writeHeld(entry: QueueEntry, cash: bigint): Deficit | null {
    const a = entry.account, floor = this.ledger.cashFloor(a);
    if (!entry.bankruptcy || cash >= floor || !this.countedAtMostSaleValue(a) || -(this.ledger.evaluate(a)[0] + cash) < floor - cash) {
      this.ledger.addCash(a, cash);
      return null;
    }
    this.ledger.addCash(a, floor);
    return { entry, cash: cash - floor, owed: floor - cash };
  }

  /**
   * Whether every asset account a holds besides the settlement asset counts in equity for at least
   * what the pass would trade it for: its haircut at most the liquidation discount, so a sale
   * brings no more than it counts and a buy-back costs no less.
   */
  private countedAtMostSaleValue(a: number): boolean {
    const discount = this.catalog.params.collateralLiquidationDiscount;
    return this.ledger.balances(a).every((b) => b.asset === this.ledger.settlement || this.catalog.assets[b.asset].haircut <= discount);
  }

  /**
   * Phase two for a deficit, `cash` of its entry not yet written: the fund pays what it has, at
   * most what is left of its per-pass cap; auto-deleveraging takes the rest, split over the
   * instruments the account closed in this pass by their notional; what ADL cannot take is
   * written off. Either way the deficit is settled in the pass that finds it, and the entry's
   * cash, the payout, the ADL payments and the write-off land in one write.
   */
  private settle({ entry, cash, owed: deficit }: Deficit): void {
    const a = entry.account;
    this.ledger.touch(a);
    const fund = this.owner.fund;
    let pay = deficit < fund ? deficit : fund;
    if (this.payoutsLeft !== null && pay > this.payoutsLeft) pay = this.payoutsLeft;
    this.owner.fund -= pay;
    if (this.payoutsLeft !== null) this.payoutsLeft -= pay;
    entry.deficit = deficit;
    entry.fundPaid = pay;
    this.result.fundPaid += pay;
    const beyondFund = deficit - pay;
    let taken = 0n;
    if (beyondFund > 0n) {
      const closed = entry.orders.filter((o) => o.notional > 0n);
      const total = closed.reduce((s, o) => s + o.notional, 0n);
      let unassigned = beyondFund;
      if (closed.length > 0 && !this.deleverager.ranked) this.rankOpponents();
      closed.forEach((order, k) => {
        const share = k === closed.length - 1 ? unassigned : (beyondFund * order.notional) / total;
        unassigned -= share;
        if (share === 0n) return;
        const fills = this.deleverager.take(a, order, share, this.result.skipped);
        entry.adl.push(...fills);
        taken += fills.reduce((s, f) => s + f.amount, 0n);
      });
    }
    entry.uncovered = beyondFund - taken;
    this.result.socializedLoss += taken;
    this.result.badDebt += entry.uncovered;
    // cash + deficit: the balance ends at zero (or the sub-µ fraction it held), or at the floor an open book's took, within every limit
    this.ledger.addCash(a, cash + deficit);
    this.ledger.commit(a);
  }

  /** Ranks opponents for every instrument and side that deficits of this pass closed, in one scan. */
  private rankOpponents(): void {
    const wanted = new Set<number>();
    for (const { entry } of this.deficits) {
      for (const o of entry.orders) wanted.add(rankingKey(o.instrument, o.lots));
    }
    this.deleverager.rank(wanted);
  }
}
