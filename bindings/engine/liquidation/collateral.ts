// Collateral and loan liquidation (docs/methodology.md §10): once a liquidated account holds no
// positions, its loans are repaid. Loans of other assets are bought back first, then other
// balances are sold until the settlement balance is no longer negative — in both steps the
// largest haircut first (then asset order) — at the asset's price × (1 ± the discount). The
// fund receives the discount; the account's side of each amount rounds against the account.
// Their cash is returned, with the cash the entry's position trades left unwritten, for the pass
// to write once (pass.ts), so only the settlement balance the entry leaves is held to its limit:
// a fill or a buy-back may pass it on the way to the sales that bring it back.
import { ceilDiv, floorDiv, MONEY_TO_AMOUNT } from "../../core/decimal.js";
import { ONE, QTY_PRICE_TO_MONEY } from "../../core/constants.generated.js";
import type { Allowance } from "./allowance.js";
import type { CollateralTrade } from "./entry.js";
import type { Balance, Ledger } from "./ledger.js";

export class CollateralSeller {
  constructor(private readonly ledger: Ledger, private readonly allowance: Allowance) {}

  /** The account's balances other than the settlement asset, largest haircut first, then asset order. */
  private others(a: number): Balance[] {
    const assets = this.ledger.catalog.assets;
    return this.ledger.balances(a)
      .filter((b) => b.asset !== this.ledger.settlement)
      .sort((x, y) => (assets[x.asset].haircut !== assets[y.asset].haircut ? (assets[x.asset].haircut > assets[y.asset].haircut ? -1 : 1) : x.asset - y.asset));
  }

  /**
   * Repays the account's loans as far as the allowances let, `pending` money being owed to its
   * settlement balance and not yet written. Returns the trades, whether an allowance stopped one,
   * and the cash still to write: `pending` with the trades' cash.
   */
  repay(a: number, pending: bigint): { trades: CollateralTrade[]; cutShort: boolean; cash: bigint } {
    const trades: CollateralTrade[] = [];
    let cutShort = false, cash = pending;
    const trade = (asset: number, amount: bigint) => {
      const price = this.ledger.catalog.assetPrice(asset);
      const allowed = this.allowance.amount(price, amount < 0n ? -amount : amount);
      if (allowed === 0n) {
        cutShort = true;
        return;
      }
      if (allowed < (amount < 0n ? -amount : amount)) cutShort = true;
      const done = this.execute(a, asset, amount < 0n ? -allowed : allowed, price);
      cash += done.cash;
      trades.push(done.trade);
    };
    for (const loan of this.others(a).filter((b) => b.amount < 0n)) trade(loan.asset, -loan.amount);
    for (const held of this.others(a).filter((b) => b.amount > 0n)) {
      const short = this.shortfall(a, cash);
      if (short === 0n) break;
      const price = this.salePrice(this.ledger.catalog.assetPrice(held.asset));
      // proceeds ⌊q × P / 1e10⌋ cover the shortfall S once q × P ≥ S × 1e10
      const needed = price === 0n ? held.amount : ceilDiv(short * QTY_PRICE_TO_MONEY, price);
      trade(held.asset, -(needed < held.amount ? needed : held.amount));
    }
    return { trades, cutShort, cash };
  }

  /** Money the settlement balance lacks to reach zero once `pending` money lands (0 when it is not negative). */
  private shortfall(a: number, pending: bigint): bigint {
    const cash = this.ledger.balance(a, this.ledger.settlement) + pending * MONEY_TO_AMOUNT;
    return cash < 0n ? ceilDiv(-cash, MONEY_TO_AMOUNT) : 0n;
  }

  private salePrice(price: bigint): bigint {
    return floorDiv(price * (ONE - this.ledger.catalog.params.collateralLiquidationDiscount), ONE);
  }

  /**
   * One trade of `amount` units (signed: positive buys) at the asset's price × (1 ± discount):
   * a sale credits ⌊q × P⌋, a purchase costs ⌈q × P⌉ (the cash returned, not yet written); the
   * fund's discount is ⌊q × |P − price|⌋.
   */
  private execute(a: number, asset: number, amount: bigint, index: bigint): { trade: CollateralTrade; cash: bigint } {
    const discountRate = this.ledger.catalog.params.collateralLiquidationDiscount;
    const size = amount < 0n ? -amount : amount;
    const price = amount < 0n ? this.salePrice(index) : ceilDiv(index * (ONE + discountRate), ONE);
    const cash = amount < 0n ? floorDiv(size * price, QTY_PRICE_TO_MONEY) : -ceilDiv(size * price, QTY_PRICE_TO_MONEY);
    const gap = price > index ? price - index : index - price;
    const discount = floorDiv(size * gap, QTY_PRICE_TO_MONEY);
    const notional = ceilDiv(size * index, QTY_PRICE_TO_MONEY);
    this.ledger.setBalance(a, asset, this.ledger.balance(a, asset) + amount);
    this.allowance.use(null, notional);
    return { trade: { asset, amount, price, notional, discount }, cash };
  }
}
