// Closing a liquidated account's positions (docs/methodology.md §10). The module sizes, fills and
// charges them in one call (assembly/risk/liquidation-trades.ts) from the allowances the pass
// has left; this part hands it those allowances, reads the trades back and records them against
// the caps and depths. A fill at the mark credits cash by exactly the drop of the position's
// equity term, so it moves no equity; ADL fills use `move` for that, with what the opponent pays
// in the same write. The module leaves the cash of an entry's fills unwritten: the entry lands it
// once, with its collateral trades' (pass.ts).
import {
  ONE, TRADES_HEALTHY, TRADE_AMOUNT_IMPACT, TRADE_AMOUNT_NOTIONAL, TRADE_AMOUNT_PRICE,
  TRADE_AMOUNT_WIDTH, TRADE_INPUT_DEPTH, TRADE_INPUT_FILLED, TRADE_INPUT_SLIPPAGE, TRADE_INPUT_WIDTH,
} from "../../core/constants.generated.js";
import { Col, type ColumnViews } from "../../module/views.js";
import type { WasmExports } from "../../module/wasm.js";
import type { Allowance } from "./allowance.js";
import type { InstrumentOrder } from "./entry.js";
import type { Ledger } from "./ledger.js";

/**
 * An entry's position trades: the orders, whether the account was bankrupt, an allowance cut them
 * short, the fee it paid, and the money its settlement balance is owed for them (the fills less
 * the fee), not yet written.
 */
export interface PositionTrades { orders: InstrumentOrder[]; bankruptcy: boolean; cutShort: boolean; feePaid: bigint; cash: bigint }

export class PositionCloser {
  constructor(
    private readonly wasm: WasmExports,
    private readonly views: ColumnViews,
    private readonly ledger: Ledger,
    private readonly allowance: Allowance,
  ) {}

  /**
   * Account a's position trades and fee, within the allowances left; null when it is not
   * liquidatable. The fee is taken from the trades' cash, which the caller writes; the fund's
   * share is the caller's.
   */
  trade(a: number): PositionTrades | null {
    const { catalog } = this.ledger, v = this.views;
    const start = v.i32(Col.AccountPositionStart)[a], count = v.u8(Col.AccountPositionCount)[a], held = v.u16(Col.PositionInstrument);
    const inputs = v.i64(Col.TradeInputs);
    for (let k = 0; k < count; k++) {
      const i = held[start + k], liquidity = catalog.instruments[i].liquidity, at = k * TRADE_INPUT_WIDTH;
      inputs[at + TRADE_INPUT_DEPTH] = liquidity === null ? 0n : liquidity.notional;
      inputs[at + TRADE_INPUT_SLIPPAGE] = liquidity === null ? 0n : liquidity.slippage;
      inputs[at + TRADE_INPUT_FILLED] = this.allowance.filledOn(i);
    }
    this.allowance.startAccount();
    const caps = this.allowance.caps(), params = catalog.params;
    const outcome = this.wasm.liquidationTrades(a, ONE + params.liquidationBuffer, params.liquidationFee, caps.set, caps.pass, caps.account);
    if (outcome === TRADES_HEALTHY) return null;
    const traded = v.i32(Col.TradeOrders), amounts = v.i64(Col.TradeAmounts);
    const orders: InstrumentOrder[] = [];
    for (let k = 0, n = this.wasm.tradeCount(); k < n; k++) {
      const at = k * TRADE_AMOUNT_WIDTH;
      const order = {
        instrument: traded[2 * k], lots: traded[2 * k + 1], price: amounts[at + TRADE_AMOUNT_PRICE],
        notional: amounts[at + TRADE_AMOUNT_NOTIONAL], impact: amounts[at + TRADE_AMOUNT_IMPACT],
      };
      this.allowance.use(order.instrument, order.notional);
      orders.push(order);
    }
    return { orders, bankruptcy: this.wasm.tradesBankrupt(), cutShort: this.wasm.tradesCutShort(), feePaid: this.wasm.tradesFeePaid(), cash: this.wasm.tradesCash() };
  }

  /**
   * Changes a position by `lots` at the mark and moves `extra` money (signed) with it: cash moves
   * by exactly the drop of its equity term plus `extra`, in one write, so only the balance the
   * whole change leaves is held to its limit.
   */
  move(a: number, instrument: number, lots: number, extra: bigint): void {
    const held = this.ledger.held(a, instrument)!;
    const [before] = this.ledger.evaluate(a);
    this.ledger.setLots(a, instrument, held.lots + lots, held.entry);
    const [after] = this.ledger.evaluate(a);
    this.ledger.addCash(a, before - after + extra);
  }
}
