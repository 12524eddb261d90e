// The figures of a crash replay, added up from each liquidation pass it ran (docs/api.md, demo):
// events and the distinct accounts behind them, the fund's start and end and every flow in and
// out of it, ADL and bad debt, and whether every pass conserved money.
import { formatDecimal, MONEY_SCALE, parseDecimal } from "../core/decimal.js";
import type { LiquidationReport } from "../engine.js";

/** The summary `margin-core demo --json` prints: exactly these keys, money as decimal strings. */
export interface CrashSummary {
  accounts: number;
  /** Queue entries that traded or settled a deficit. */
  liquidationEvents: number;
  distinctAccountsLiquidated: number;
  /** Distinct accounts closed out (traded or settled) with negative equity. */
  distinctAccountsBankrupt: number;
  fundStart: string;
  fundEnd: string;
  /** Liquidation fees, price impact and collateral discounts paid to the fund. */
  feesToFund: string;
  insurancePaid: string;
  /** Deficits neither the fund nor ADL covered, written off. */
  badDebt: string;
  socializedLoss: string;
  adlFills: number;
  /** ADL fills that took more than the opponent's equity (the rule allows none). */
  adlFillsBeyondEquity: number;
  /** Collateral trades: sales, and loans of other assets bought back. */
  collateralSales: number;
  /**
   * After the last pass: queue entries a further pass would do nothing for with no rule to say why
   * (not deferred by a stale price, skipped by a limit, nor held back by a cap).
   */
  liquidatableWithoutOrdersAtEnd: number;
  /** Skip records over all passes (an account skipped in three passes counts three). */
  skipped: number;
  /** Every pass moved Σ equity + fund by exactly the haircut it released and the bad debt it wrote off. */
  conserved: boolean;
}

const money = (text: string) => parseDecimal(text, MONEY_SCALE, "report");

/** One pass in numbers, for a report's per-tick rows. */
export interface PassFigures {
  events: number; bankrupt: number; skipped: number; adlFills: number; collateralSales: number;
  liquidatedNotional: bigint; largestAccountNotional: bigint; feesToFund: bigint; insurancePaid: bigint; socializedLoss: bigint; badDebt: bigint;
}

export class LiquidationTally {
  private events = 0;
  private readonly liquidated = new Set<string>();
  private readonly bankrupt = new Set<string>();
  private fees = 0n;
  private paid = 0n;
  private bad = 0n;
  private socialized = 0n;
  private fills = 0;
  private beyondEquity = 0;
  private sales = 0;
  private skips = 0;
  private conserved = true;

  constructor(private readonly accounts: number, private readonly fundStart: bigint) {}

  /** Adds a pass; `moved` is how much Σ equity + fund changed across it. Returns the pass's own figures. */
  add(pass: LiquidationReport, moved: bigint): PassFigures {
    const figures: PassFigures = {
      events: 0, bankrupt: 0, skipped: pass.skipped.length, adlFills: 0, collateralSales: 0,
      liquidatedNotional: money(pass.liquidatedNotional), largestAccountNotional: 0n,
      feesToFund: money(pass.feesPaid) + money(pass.priceImpact) + money(pass.collateralDiscounts),
      insurancePaid: money(pass.insurancePaid), socializedLoss: money(pass.socializedLoss), badDebt: money(pass.badDebt),
    };
    for (const q of pass.queue) {
      const acted = q.orders.length > 0 || q.deficit !== "0";
      if (acted) {
        figures.events++;
        this.liquidated.add(q.id);
      }
      if (q.bankruptcy && acted) {
        figures.bankrupt++;
        this.bankrupt.add(q.id);
      }
      const notional = money(q.notional);
      if (notional > figures.largestAccountNotional) figures.largestAccountNotional = notional;
      for (const order of q.orders) if ("asset" in order) figures.collateralSales++;
      for (const fill of q.adl) {
        figures.adlFills++;
        if (money(fill.amount) > money(fill.equityBefore)) this.beyondEquity++;
      }
    }
    this.events += figures.events;
    this.fees += figures.feesToFund;
    this.paid += figures.insurancePaid;
    this.bad += figures.badDebt;
    this.socialized += figures.socializedLoss;
    this.fills += figures.adlFills;
    this.sales += figures.collateralSales;
    this.skips += figures.skipped;
    if (moved !== money(pass.haircutReleased) + figures.badDebt) this.conserved = false;
    return figures;
  }

  /** The summary, given the fund now and a dry-run pass after the last one. */
  summary(fundEnd: bigint, after: LiquidationReport): CrashSummary {
    const text = (x: bigint) => formatDecimal(x, MONEY_SCALE);
    return {
      accounts: this.accounts,
      liquidationEvents: this.events,
      distinctAccountsLiquidated: this.liquidated.size,
      distinctAccountsBankrupt: this.bankrupt.size,
      fundStart: text(this.fundStart),
      fundEnd: text(fundEnd),
      feesToFund: text(this.fees),
      insurancePaid: text(this.paid),
      badDebt: text(this.bad),
      socializedLoss: text(this.socialized),
      adlFills: this.fills,
      adlFillsBeyondEquity: this.beyondEquity,
      collateralSales: this.sales,
      liquidatableWithoutOrdersAtEnd: after.queue.filter((q) => !q.deferred && !q.skipped && !q.cutShort && q.orders.length === 0 && q.deficit === "0").length,
      skipped: this.skips,
      conserved: this.conserved,
    };
  }
}
