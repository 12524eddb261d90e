// What one liquidation pass may still trade (docs/methodology.md §10): the notional caps per
// account and per pass, each instrument's liquidity, and the price a fill gets from that depth.
// A trade's notional is its size at the mark (an instrument) or at the asset's price (a balance),
// in money rounded up; a cap that is not set never binds.
import { ceilDiv, floorDiv } from "../../core/decimal.js";
import { ONE, QTY_PRICE_TO_MONEY } from "../../core/constants.generated.js";
import { Col, type ColumnViews } from "../../module/views.js";
import type { Catalog } from "../catalog.js";

/** A fill of an instrument quoted against the depth left: its price (1e8), notional and price impact (money). */
export interface Quote { price: bigint; notional: bigint; impact: bigint }

interface Saved { pass: bigint | null; account: bigint | null; changes: number }

const least = (a: bigint | null, b: bigint | null): bigint | null => (a === null ? b : b === null || a < b ? a : b);

export class Allowance {
  /** Notional the pass may still trade (null: no cap). */
  private pass: bigint | null;
  /** Notional the current account may still trade. */
  private account: bigint | null = null;
  /** Notional filled per instrument in this pass. */
  private readonly filled = new Map<number, bigint>();
  /** Each change to `filled`: the instrument and what it held before, for `restore`. */
  private readonly changes: [number, bigint][] = [];

  constructor(private readonly views: ColumnViews, private readonly catalog: Catalog) {
    this.pass = catalog.params.liquidationCaps.maxLiquidationNotionalPerPass;
  }

  /** A new account's trades start: its own cap applies afresh. */
  startAccount(): void {
    this.account = this.catalog.params.liquidationCaps.maxLiquidationNotionalPerAccount;
  }

  /** True when the pass's notional cap is used up: nothing more can be traded in it. */
  passExhausted(): boolean {
    return this.pass !== null && this.pass <= 0n;
  }

  /** True when nothing can limit account a's trades: no notional cap, and no depth on an instrument it holds. */
  unlimitedFor(a: number): boolean {
    if (this.pass !== null || this.catalog.params.liquidationCaps.maxLiquidationNotionalPerAccount !== null) return false;
    const v = this.views, start = v.i32(Col.AccountPositionStart)[a], end = start + v.u8(Col.AccountPositionCount)[a];
    const instruments = v.u16(Col.PositionInstrument);
    for (let p = start; p < end; p++) if (this.catalog.instruments[instruments[p]].liquidity !== null) return false;
    return true;
  }

  save(): Saved {
    return { pass: this.pass, account: this.account, changes: this.changes.length };
  }

  restore(saved: Saved): void {
    this.pass = saved.pass;
    this.account = saved.account;
    while (this.changes.length > saved.changes) {
      const [i, before] = this.changes.pop()!;
      this.filled.set(i, before);
    }
  }

  mark(i: number): bigint {
    return this.views.i64(Col.InstrumentMarkUsed)[i];
  }

  /** Notional of `lots` (a magnitude) of instrument `i` at its mark. */
  notional(i: number, lots: number): bigint {
    return ceilDiv(BigInt(lots) * this.catalog.instruments[i].lotSize * this.mark(i), QTY_PRICE_TO_MONEY);
  }

  /** Notional the account may still trade (on instrument `i`, when given), with `planned` of its own trades not yet made. */
  private left(i: number | null, planned: bigint): bigint | null {
    const caps = least(this.pass, this.account);
    let left = caps === null ? null : caps - planned;
    if (i !== null) {
      const liquidity = this.catalog.instruments[i].liquidity;
      if (liquidity !== null) left = least(left, liquidity.notional - (this.filled.get(i) ?? 0n));
    }
    return left === null ? null : left > 0n ? left : 0n;
  }

  /** The most lots (≤ wanted) of instrument `i` whose notional fits every allowance left. */
  lots(i: number, wanted: number, planned = 0n): number {
    const left = this.left(i, planned);
    if (left === null) return wanted;
    // nothing left stops every trade, even one of zero notional (a worthless option)
    if (left === 0n) return 0;
    const perLot = this.catalog.instruments[i].lotSize * this.mark(i);
    if (perLot === 0n) return wanted;
    // ⌈k × perLot / 1e10⌉ ≤ left  ⇔  k × perLot ≤ left × 1e10
    const fits = (left * QTY_PRICE_TO_MONEY) / perLot;
    return fits < BigInt(wanted) ? Number(fits) : wanted;
  }

  /** The most units (≤ wanted, 1e8) of an asset at `price` whose notional fits the caps left. */
  amount(price: bigint, wanted: bigint, planned = 0n): bigint {
    const left = this.left(null, planned);
    if (left === null) return wanted;
    if (left === 0n) return 0n;
    if (price === 0n) return wanted;
    const fits = (left * QTY_PRICE_TO_MONEY) / price;
    return fits < wanted ? fits : wanted;
  }

  /**
   * A fill of `change` lots (signed: positive buys) of instrument `i`. Against depth (N, s), with
   * f the notional filled in this pass including this fill, a sale fills at ⌊mark × (1 − s × f / N)⌋
   * and a purchase at ⌈mark × (1 + s × f / N)⌉; the impact is ⌈|q| × |mark − price|⌉, paid to the fund.
   */
  quote(i: number, change: number): Quote {
    const row = this.catalog.instruments[i];
    const mark = this.mark(i), size = BigInt(Math.abs(change));
    const notional = ceilDiv(size * row.lotSize * mark, QTY_PRICE_TO_MONEY);
    if (row.liquidity === null || row.liquidity.slippage === 0n) return { price: mark, notional, impact: 0n };
    const { notional: depth, slippage } = row.liquidity;
    const filled = (this.filled.get(i) ?? 0n) + notional;
    const scale = depth * ONE;
    const price = change < 0 ? floorDiv(mark * (scale - slippage * filled), scale) : ceilDiv(mark * (scale + slippage * filled), scale);
    const gap = price > mark ? price - mark : mark - price;
    return { price, notional, impact: ceilDiv(size * row.lotSize * gap, QTY_PRICE_TO_MONEY) };
  }

  /** The price impact alone of `quote(i, change)`: nothing is computed for an instrument without depth. */
  impact(i: number, change: number): bigint {
    const liquidity = this.catalog.instruments[i].liquidity;
    return liquidity === null || liquidity.slippage === 0n ? 0n : this.quote(i, change).impact;
  }

  /** Records a trade's notional against the caps (and instrument `i`'s depth, when given). */
  use(i: number | null, notional: bigint): void {
    if (this.pass !== null) this.pass -= notional;
    if (this.account !== null) this.account -= notional;
    if (i === null) return;
    const before = this.filled.get(i) ?? 0n;
    this.changes.push([i, before]);
    this.filled.set(i, before + notional);
  }
}
