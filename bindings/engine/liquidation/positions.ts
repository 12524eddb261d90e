// Closing a liquidated account's positions (docs/methodology.md §10): which lots a partial
// liquidation closes, within the caps and depth left, and the fills themselves. A fill at the
// mark credits cash by exactly the drop of the position's equity term, so it moves no equity;
// the price impact against an instrument's depth is paid to the fund.
import { ceilDiv } from "../../core/decimal.js";
import { ONE, QTY_PRICE_FRACTION_TO_MONEY, TRADES_BALANCE_LIMIT, TRADES_HEALTHY } from "../../core/constants.generated.js";
import { Col, type ColumnViews } from "../../module/views.js";
import type { WasmExports } from "../../module/wasm.js";
import type { Held } from "../accounts.js";
import type { Allowance } from "./allowance.js";
import type { InstrumentOrder } from "./entry.js";
import type { Ledger } from "./ledger.js";

/** A trade the sizing settled on: signed lots, its fee at the mark and its quote against the depth. */
interface Planned { instrument: number; lots: number; fee: bigint; impact: bigint; notional: bigint }

export class PositionCloser {
  constructor(
    private readonly wasm: WasmExports,
    private readonly views: ColumnViews,
    private readonly ledger: Ledger,
    private readonly allowance: Allowance,
  ) {}

  /**
   * An entry's position trades and fee in one module call (assembly/risk/liquidation-trades.ts),
   * by the rule `size`, `closeOut` and `fill` apply, for an account no allowance can limit; null
   * when the account is not liquidatable. Its fee is taken from its cash; the fund's share is the caller's.
   */
  tradeAll(a: number): { orders: InstrumentOrder[]; bankruptcy: boolean; feePaid: bigint } | null {
    const { params } = this.ledger.catalog, settlement = this.ledger.settlement;
    const outcome = this.wasm.liquidationTrades(a, settlement, ONE + params.liquidationBuffer, params.liquidationFee);
    if (outcome === TRADES_HEALTHY) return null;
    if (outcome === TRADES_BALANCE_LIMIT) this.ledger.balanceLimit(a, settlement);
    const v = this.views, instruments = v.i32(Col.TradeInstrument), lots = v.i32(Col.TradeLots);
    const notionals = v.i64(Col.TradeNotional), fees = v.i64(Col.TradeFee);
    const orders: InstrumentOrder[] = [];
    for (let k = 0, n = this.wasm.tradeCount(); k < n; k++) {
      const i = instruments[k];
      orders.push({ instrument: i, lots: lots[k], price: this.allowance.mark(i), notional: notionals[k], fee: fees[k], impact: 0n });
    }
    return { orders, bankruptcy: this.wasm.tradesBankrupt(), feePaid: this.wasm.tradesFeePaid() };
  }

  /** lotSize × mark × fee rate: the liquidation fee on one lot at the guarded mark, before its rounding. */
  private feePerLot(instrument: number): bigint {
    return this.ledger.catalog.instruments[instrument].lotSize * this.allowance.mark(instrument) * this.ledger.catalog.params.liquidationFee;
  }

  /** The fee on `lots` (rounded up: a fee owed). */
  private feeOf(perLot: bigint, lots: number): bigint {
    return ceilDiv(BigInt(Math.abs(lots)) * perLot, QTY_PRICE_FRACTION_TO_MONEY);
  }

  /** Positions in sizing order: largest standalone (standard-method) MM first, then instrument index. */
  sizingOrder(a: number): Held[] {
    const held = this.ledger.positions(a).map((h) => ({ h, mm: this.wasm.standaloneMaintenance(h.instrument, BigInt(h.lots)) }));
    held.sort((x, y) => (x.mm !== y.mm ? (x.mm > y.mm ? -1 : 1) : x.h.instrument - y.h.instrument));
    return held.map((x) => x.h);
  }

  /**
   * Trades restoring equity − impact − fee ≥ ⌈MM × (1 + buffer)⌉ (the fee charged up to what
   * equity is left): positions in sizing order are closed as far as the allowances let while that
   * is not enough, then the next is reduced by the fewest whole lots found by bisection. `cutShort`
   * tells that an allowance kept some position from closing.
   */
  size(a: number, equity: bigint): { orders: Planned[]; cutShort: boolean } {
    const buffer = ONE + this.ledger.catalog.params.liquidationBuffer;
    // (instrument, lots left) for every position the plan trades so far, the last one on trial
    const replaced: number[] = [];
    const orders: Planned[] = [];
    let fees = 0n, impacts = 0n, planned = 0n, cutShort = false;
    const restored = (fee: bigint, impact: bigint) => {
      const mm = this.ledger.maintenanceWith(a, replaced);
      const left = equity - impacts - impact;
      const owed = fees + fee;
      return left - (owed < left ? owed : left > 0n ? left : 0n) >= ceilDiv(mm * buffer, ONE);
    };
    for (const h of this.sizingOrder(a)) {
      const side = Math.sign(h.lots), size = Math.abs(h.lots);
      const allowed = this.allowance.lots(h.instrument, size, planned);
      if (allowed < size) cutShort = true;
      if (allowed === 0) continue;
      const perLot = this.feePerLot(h.instrument);
      const plan = (k: number): Planned => {
        const quote = this.allowance.quote(h.instrument, -side * k);
        return { instrument: h.instrument, lots: -side * k, fee: this.feeOf(perLot, k), impact: quote.impact, notional: quote.notional };
      };
      const at = replaced.length;
      replaced.push(h.instrument, side * (size - allowed));
      const whole = plan(allowed);
      if (!restored(whole.fee, whole.impact)) {
        orders.push(whole);
        fees += whole.fee;
        impacts += whole.impact;
        planned += whole.notional;
        continue;
      }
      let low = 1, high = allowed;
      while (low < high) {
        const mid = Math.floor((low + high) / 2);
        replaced[at + 1] = side * (size - mid);
        if (restored(this.feeOf(perLot, mid), this.allowance.impact(h.instrument, -side * mid))) high = mid;
        else low = mid + 1;
      }
      orders.push(plan(low));
      return { orders, cutShort: false };
    }
    return { orders, cutShort };
  }

  /** Every position as far as the allowances let (a close-out); `cutShort` when some lots stay open. */
  closeOut(a: number): { orders: Planned[]; cutShort: boolean } {
    const orders: Planned[] = [];
    let planned = 0n, cutShort = false;
    for (const h of this.sizingOrder(a)) {
      const size = Math.abs(h.lots);
      const allowed = this.allowance.lots(h.instrument, size, planned);
      if (allowed < size) cutShort = true;
      if (allowed === 0) continue;
      const change = -Math.sign(h.lots) * allowed;
      const quote = this.allowance.quote(h.instrument, change);
      orders.push({ instrument: h.instrument, lots: change, fee: 0n, impact: quote.impact, notional: quote.notional });
      planned += quote.notional;
    }
    return { orders, cutShort };
  }

  /**
   * Fills a trade: the position changes by `lots`, the account's cash by the drop of the position's
   * equity term less the price impact, which the fund receives. Returns the order and the impact.
   */
  fill(a: number, instrument: number, lots: number): InstrumentOrder {
    const quote = this.allowance.quote(instrument, lots);
    this.move(a, instrument, lots);
    this.ledger.addCash(a, -quote.impact);
    this.allowance.use(instrument, quote.notional);
    return { instrument, lots, price: quote.price, notional: quote.notional, fee: 0n, impact: quote.impact };
  }

  /** Changes a position by `lots` at the mark: cash moves by exactly the drop of its equity term. */
  move(a: number, instrument: number, lots: number): void {
    const held = this.ledger.held(a, instrument)!;
    const [before] = this.ledger.evaluate(a);
    this.ledger.setLots(a, instrument, held.lots + lots, held.entry);
    const [after] = this.ledger.evaluate(a);
    this.ledger.addCash(a, before - after);
  }
}
