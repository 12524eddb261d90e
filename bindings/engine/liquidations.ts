// Liquidation passes as the API runs and reports them (docs/methodology.md §10): on current
// results, with account and instrument ids, quantities in base units, prices and money as exact
// decimal strings.
import { formatDecimal, MONEY_SCALE, PRICE_SCALE } from "../core/decimal.js";
import { fail } from "../core/errors.js";
import { Col, type ColumnViews } from "../module/views.js";
import type { AccountBook } from "./accounts.js";
import type { Catalog } from "./catalog.js";
import type { Liquidator, PassResult } from "./liquidation.js";
import type { Refresh } from "./refresh.js";
import type { LiquidationReport } from "./types.js";

export class Liquidations {
  constructor(
    private readonly views: ColumnViews,
    private readonly catalog: Catalog,
    private readonly book: AccountBook,
    private readonly refresh: Refresh,
    private readonly liquidator: Liquidator,
  ) {}

  /** What one pass would do now; nothing changes. */
  preview(limit: number | undefined): LiquidationReport {
    this.refresh.refresh();
    return describePass(this.liquidator.dryRun(limitOf(limit)), this.catalog, this.book, this.views);
  }

  /** Applies one pass. */
  apply(limit: number | undefined): LiquidationReport {
    this.refresh.refresh();
    const result = this.liquidator.pass(limitOf(limit));
    return describePass(result, this.catalog, this.book, this.views);
  }
}

function limitOf(limit: number | undefined): number {
  if (limit === undefined) return Infinity;
  if (!Number.isInteger(limit) || limit < 0) fail("OUT_OF_RANGE", "limit", "must be a non-negative integer");
  return limit;
}

function describePass(result: PassResult, catalog: Catalog, book: AccountBook, views: ColumnViews): LiquidationReport {
  const money = (x: bigint) => formatDecimal(x, MONEY_SCALE);
  const qty = (i: number, lots: number) => formatDecimal(BigInt(lots) * catalog.instruments[i].lotSize, PRICE_SCALE);
  const marks = views.i64(Col.InstrumentMarkUsed);
  return {
    queue: result.entries.map((e) => ({
      id: book.accountId(e.account),
      rank: e.rank,
      equity: money(e.equity),
      maintenanceMargin: money(e.maintenanceMargin),
      shortfall: money(e.maintenanceMargin - e.equity),
      health: e.maintenanceMargin === 0n ? null : Number(e.equity) / Number(e.maintenanceMargin),
      deferred: e.deferred,
      orders: e.orders.map((o) => ({ instrument: catalog.instruments[o.instrument].id, qty: qty(o.instrument, o.lots), price: formatDecimal(marks[o.instrument], PRICE_SCALE) })),
      fee: money(e.feePaid),
      bankruptcy: e.bankruptcy,
      insurancePaid: money(e.fundPaid),
      adl: e.adl.map((f) => ({
        account: book.accountId(f.account), instrument: catalog.instruments[f.instrument].id, qty: qty(f.instrument, f.lots),
        price: formatDecimal(f.price, PRICE_SCALE), amount: money(f.amount),
      })),
      uncoveredDeficit: money(e.uncovered),
    })),
    insuranceFund: money(result.fundAfter),
    feesPaid: money(result.feesPaid),
    insurancePaid: money(result.fundPaid),
    socializedLoss: money(result.socializedLoss),
  };
}
