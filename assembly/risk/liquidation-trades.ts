// A queued account's trades when no cap and no instrument depth applies (docs/methodology.md
// §10), in one call: positions in sizing order (largest standalone MM first, then instrument
// index); with equity below zero every position is closed, otherwise positions are closed whole
// while equity less the fee owed stays below ⌈MM × (1 + buffer)⌉ and the next is reduced by the
// fewest whole lots that restore it, found by bisection over exact evaluations. Each fill at the
// guarded mark moves cash by exactly the drop of the account's equity, and the fee, charged up
// to the equity left, comes out of cash. The facade keeps the journal, the fund and everything
// after; it takes its own path when a cap or a depth could bind.
import { Column, i32At, setI32At, i64At, setI64At, u8At, u16At } from "../store/column";
import {
  accountPositionStart, accountPositionCount, accountCollateralStart, accountCollateralCount,
  accountEquity, accountMaintenanceMargin, positionInstrument, positionLots, positionEntry,
  collateralAsset, collateralAmount,
} from "../store/accounts";
import { instrumentLotSize, instrumentMarkUsed } from "../store/reference";
import { setPosition, setCollateral } from "../store/books";
import { mulDiv, Rounding, wideSetProduct, wideMultiplyWide, wideDivideFloorWithRemainder, lastRemainder } from "../fixed/wide";
import { PRICE_SCALE, MONEY_SCALE, QTY_PRICE_TO_MONEY, QTY_PRICE_FRACTION_TO_MONEY } from "../fixed/scales";
import { ONE, MAX_COLLATERAL_AMOUNT } from "../limits";
import { evaluateAccount } from "./evaluate";
import { standaloneMaintenance } from "./position-charges";

/** What `liquidationTrades` did; generated into the facade's TRADES_* constants. */
export const enum TradesOutcome { Traded = 0, Healthy = 1, BalanceLimit = 2 }

/** The trades of the last call, in order: instrument, signed lots traded, notional and fee (money). */
export const tradeInstrument = new Column(2);
export const tradeLots = new Column(2);
export const tradeNotional = new Column(3);
export const tradeFee = new Column(3);
let tradeCount: i32 = 0;
let bankrupt = false;
let feePaid: i64 = 0;

export function getTradeCount(): i32 { return tradeCount; }
export function getTradesBankrupt(): bool { return bankrupt; }
export function getTradesFeePaid(): i64 { return feePaid; }

/** The account's positions in sizing order: instrument, lots, standalone MM (scratch). */
const orderInstrument = new Column(2);
const orderLots = new Column(2);
const orderMargin = new Column(3);

const MONEY_TO_AMOUNT: i64 = PRICE_SCALE / MONEY_SCALE;
/** A cash move beyond this cannot land within ±MAX_COLLATERAL_AMOUNT from any balance within it (and cannot overflow). */
const MAX_CASH_MOVE: i64 = (2 * MAX_COLLATERAL_AMOUNT) / MONEY_TO_AMOUNT;

/**
 * Account a's trades (see above), its settlement balance being asset `settlement`; buffer is
 * 1 + liquidationBuffer and feeRate the liquidation fee, both at fraction scale. BalanceLimit:
 * a cash move would take the settlement balance past its limit, and the book is left part-way
 * for the facade's journal to put back.
 */
export function liquidationTrades(a: i32, settlement: i32, buffer: i64, feeRate: i64): TradesOutcome {
  tradeCount = 0;
  feePaid = 0;
  evaluateAccount(a);
  const equity = i64At(accountEquity.ptr, a);
  if (equity >= i64At(accountMaintenanceMargin.ptr, a) && equity >= 0) return TradesOutcome.Healthy;
  bankrupt = equity < 0;
  const n = sortForSizing(a);
  tradeInstrument.reserve(n);
  tradeLots.reserve(n);
  tradeNotional.reserve(n);
  tradeFee.reserve(n);
  if (bankrupt) {
    for (let k = 0; k < n; k++) {
      const i = i32At(orderInstrument.ptr, k), lots = i32At(orderLots.ptr, k);
      addTrade(i, -lots, notionalOf(i, <i64>abs(lots)), 0);
    }
  } else {
    planPartial(a, n, equity, buffer, feeRate);
  }
  let fees: i64 = 0;
  for (let k = 0; k < tradeCount; k++) {
    if (!fill(a, i32At(tradeInstrument.ptr, k), i32At(tradeLots.ptr, k), settlement)) return TradesOutcome.BalanceLimit;
    fees += i64At(tradeFee.ptr, k);
  }
  evaluateAccount(a);
  const left = i64At(accountEquity.ptr, a);
  feePaid = fees < left ? fees : left > 0 ? left : 0;
  return addCash(a, settlement, -feePaid) ? TradesOutcome.Traded : TradesOutcome.BalanceLimit;
}

/** Positions in sizing order into the order columns (insertion sort: at most 64); returns their count. */
function sortForSizing(a: i32): i32 {
  const start = i32At(accountPositionStart.ptr, a), n = <i32>u8At(accountPositionCount.ptr, a);
  orderInstrument.reserve(n);
  orderLots.reserve(n);
  orderMargin.reserve(n);
  for (let k = 0; k < n; k++) {
    const i = <i32>u16At(positionInstrument.ptr, start + k), lots = i32At(positionLots.ptr, start + k);
    const margin = standaloneMaintenance(i, <i64>lots);
    let j = k;
    for (; j > 0; j--) {
      const m = i64At(orderMargin.ptr, j - 1);
      if (m > margin || (m == margin && i32At(orderInstrument.ptr, j - 1) < i)) break;
      setI32At(orderInstrument.ptr, j, i32At(orderInstrument.ptr, j - 1));
      setI32At(orderLots.ptr, j, i32At(orderLots.ptr, j - 1));
      setI64At(orderMargin.ptr, j, m);
    }
    setI32At(orderInstrument.ptr, j, i);
    setI32At(orderLots.ptr, j, lots);
    setI64At(orderMargin.ptr, j, margin);
  }
  return n;
}

/**
 * A partial liquidation's trades: each trial writes the lots left in place and evaluates the
 * account; the book is put back before any fill.
 */
function planPartial(a: i32, n: i32, equity: i64, buffer: i64, feeRate: i64): void {
  let fees: i64 = 0, tried = 0;
  for (; tried < n; tried++) {
    const i = i32At(orderInstrument.ptr, tried), lots = i32At(orderLots.ptr, tried);
    const side = lots > 0 ? 1 : -1, size = abs(lots), at = positionOf(a, i);
    setI32At(positionLots.ptr, at, 0);
    const wholeFee = feeOf(i, <i64>size, feeRate);
    if (!restored(a, equity, fees + wholeFee, buffer)) {
      addTrade(i, -lots, notionalOf(i, <i64>size), wholeFee);
      fees += wholeFee;
      continue;
    }
    let low = 1, high = size;
    while (low < high) {
      const mid = (low + high) >>> 1;
      setI32At(positionLots.ptr, at, side * (size - mid));
      if (restored(a, equity, fees + feeOf(i, <i64>mid, feeRate), buffer)) high = mid;
      else low = mid + 1;
    }
    addTrade(i, -side * low, notionalOf(i, <i64>low), feeOf(i, <i64>low, feeRate));
    tried++;
    break;
  }
  for (let k = 0; k < tried; k++) setI32At(positionLots.ptr, positionOf(a, i32At(orderInstrument.ptr, k)), i32At(orderLots.ptr, k));
}

/** Whether equity, less what is owed charged up to what it covers, reaches ⌈MM × buffer⌉ for the book as it stands. */
function restored(a: i32, equity: i64, owed: i64, buffer: i64): bool {
  evaluateAccount(a);
  const paid = owed < equity ? owed : equity > 0 ? equity : 0;
  return equity - paid >= mulDiv(i64At(accountMaintenanceMargin.ptr, a), buffer, <u64>ONE, Rounding.Ceil);
}

function addTrade(i: i32, lots: i32, notional: i64, fee: i64): void {
  setI32At(tradeInstrument.ptr, tradeCount, i);
  setI32At(tradeLots.ptr, tradeCount, lots);
  setI64At(tradeNotional.ptr, tradeCount, notional);
  setI64At(tradeFee.ptr, tradeCount, fee);
  tradeCount++;
}

/** Changes a position by `lots` at the mark: cash moves by exactly the drop of the account's equity. */
function fill(a: i32, i: i32, lots: i32, settlement: i32): bool {
  const at = positionOf(a, i);
  evaluateAccount(a);
  const before = i64At(accountEquity.ptr, a);
  setPosition(a, i, i32At(positionLots.ptr, at) + lots, i64At(positionEntry.ptr, at));
  evaluateAccount(a);
  return addCash(a, settlement, before - i64At(accountEquity.ptr, a));
}

/** Moves `money` into the settlement balance; false (nothing written) past the balance's limits. */
function addCash(a: i32, settlement: i32, money: i64): bool {
  if (money == 0) return true;
  if (money > MAX_CASH_MOVE || money < -MAX_CASH_MOVE) return false;
  const start = i32At(accountCollateralStart.ptr, a), end = start + <i32>u8At(accountCollateralCount.ptr, a);
  let balance: i64 = 0;
  for (let c = start; c < end; c++) if (<i32>u8At(collateralAsset.ptr, c) == settlement) balance = i64At(collateralAmount.ptr, c);
  const amount = balance + money * MONEY_TO_AMOUNT;
  if (amount > MAX_COLLATERAL_AMOUNT || amount < -MAX_COLLATERAL_AMOUNT) return false;
  return setCollateral(a, settlement, amount) == 0;
}

/** Index of account a's position on instrument i (it holds one). */
function positionOf(a: i32, i: i32): i32 {
  let p = i32At(accountPositionStart.ptr, a);
  while (<i32>u16At(positionInstrument.ptr, p) != i) p++;
  return p;
}

/** ⌈lots × lotSize × mark / 10^10⌉: the notional of `lots` (a magnitude) at the guarded mark. */
function notionalOf(i: i32, lots: i64): i64 {
  wideSetProduct(lots, i64At(instrumentLotSize.ptr, i));
  wideMultiplyWide(0, <u64>i64At(instrumentMarkUsed.ptr, i));
  const whole = wideDivideFloorWithRemainder(<u64>QTY_PRICE_TO_MONEY);
  return <i64>whole + i64(lastRemainder() != 0);
}

/** ⌈lots × lotSize × mark × feeRate / 10^19⌉: the fee on `lots` (a magnitude), rounded up as a fee owed. */
function feeOf(i: i32, lots: i64, feeRate: i64): i64 {
  wideSetProduct(lots, i64At(instrumentLotSize.ptr, i));
  wideMultiplyWide(0, <u64>i64At(instrumentMarkUsed.ptr, i));
  wideMultiplyWide(0, <u64>feeRate);
  const whole = wideDivideFloorWithRemainder(QTY_PRICE_FRACTION_TO_MONEY);
  return <i64>whole + i64(lastRemainder() != 0);
}
