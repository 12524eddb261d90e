// Liquidation passes as the API runs and reports them (docs/methodology.md §10): on current
// results, with account, instrument and asset ids, quantities in base units, prices and money as
// exact decimal strings.
import { MONEY_SCALE, PRICE_SCALE } from "../core/decimal.js";
import { optionalCount, optionsOf } from "../core/json.js";
import { formatRaw } from "../core/units.js";
import type { AccountBook } from "./accounts.js";
import type { Catalog } from "./catalog.js";
import type { Liquidator, PassResult, QueueEntry } from "./liquidation/pass.js";
import type { Refresh } from "./refresh.js";
import type { CollateralOrder, LiquidationOrder, LiquidationReport } from "./types.js";

export class Liquidations {
  constructor(
    private readonly catalog: Catalog,
    private readonly book: AccountBook,
    private readonly refresh: Refresh,
    private readonly liquidator: Liquidator,
  ) {}

  /** What one pass would do now; nothing changes. */
  preview(options: unknown): LiquidationReport {
    const limit = limitOf(options);
    this.refresh.refresh();
    return describePass(this.liquidator.dryRun(limit), this.catalog, this.book);
  }

  /** Applies one pass. */
  apply(options: unknown): LiquidationReport {
    const limit = limitOf(options);
    this.refresh.refresh();
    return describePass(this.liquidator.pass(limit), this.catalog, this.book);
  }
}

/** The `{ limit? }` options of a pass: the queue entries it takes (all when absent or null). */
function limitOf(options: unknown): number {
  return optionalCount(optionsOf(options, "options", ["limit"]).limit, "options.limit", Infinity);
}

function describePass(result: PassResult, catalog: Catalog, book: AccountBook): LiquidationReport {
  const money = (x: bigint) => formatRaw(x, MONEY_SCALE);
  const price = (x: bigint) => formatRaw(x, PRICE_SCALE);
  const qty = (i: number, lots: number) => formatRaw(BigInt(lots) * catalog.instruments[i].lotSize, PRICE_SCALE);
  /** An entry's trades as reported, instruments then collateral, and their notional. */
  const traded = (e: QueueEntry): [(LiquidationOrder | CollateralOrder)[], bigint] => {
    const orders: (LiquidationOrder | CollateralOrder)[] = [];
    let notional = 0n;
    for (const o of e.orders) {
      orders.push({ instrument: catalog.instruments[o.instrument].id, qty: qty(o.instrument, o.lots), price: price(o.price) });
      notional += o.notional;
    }
    for (const t of e.trades) {
      orders.push({ asset: catalog.assets[t.asset].id, qty: formatRaw(t.amount, PRICE_SCALE), price: price(t.price) });
      notional += t.notional;
    }
    return [orders, notional];
  };
  return {
    queue: result.entries.map((e) => {
      const [orders, notional] = traded(e);
      return {
        id: book.accountId(e.account),
        rank: e.rank,
        equity: money(e.equity),
        maintenanceMargin: money(e.maintenanceMargin),
        shortfall: money(e.maintenanceMargin - e.equity),
        health: e.maintenanceMargin === 0n ? null : Number(e.equity) / Number(e.maintenanceMargin),
        deferred: e.deferred,
        orders,
        notional: money(notional),
        fee: money(e.feePaid),
        priceImpact: money(e.impactPaid),
        collateralDiscount: money(e.discountPaid),
        bankruptcy: e.bankruptcy,
        cutShort: e.cutShort,
        skipped: e.skipped,
        deficit: money(e.deficit),
        insurancePaid: money(e.fundPaid),
        adl: e.adl.map((f) => ({
          account: book.accountId(f.account), instrument: catalog.instruments[f.instrument].id, qty: qty(f.instrument, f.lots),
          price: price(f.price), amount: money(f.amount), equityBefore: money(f.equityBefore), equityAfter: money(f.equityAfter),
        })),
        uncoveredDeficit: money(e.uncovered),
      };
    }),
    skipped: result.skipped.map((s) => ({ account: book.accountId(s.account), code: s.code, message: s.message })),
    fundBefore: money(result.fundBefore),
    insuranceFund: money(result.fundAfter),
    feesPaid: money(result.feesPaid),
    priceImpact: money(result.impactPaid),
    collateralDiscounts: money(result.discountsPaid),
    insurancePaid: money(result.fundPaid),
    socializedLoss: money(result.socializedLoss),
    badDebt: money(result.badDebt),
    haircutReleased: money(result.haircutReleased),
    liquidatedNotional: money(result.liquidatedNotional),
  };
}
