// A queued account's position trades (docs/methodology.md §10), in one call: positions in sizing
// order (largest standalone MM first, then instrument index), each as far as the allowances let
// — the pass's and the account's notional caps, the instrument's depth. With equity below zero
// every position is closed that far; otherwise positions are closed while no close of them
// restores E − I − Φ ≥ ⌈MM' × (1 + buffer)⌉, and the first some close of which would is reduced
// by the fewest whole lots that do, found by bisection over exact evaluations (piece by piece
// where sizing-pieces.ts finds the slack may not be concave). Each
// fill moves cash by exactly the drop of the account's equity at the guarded mark, less the
// price impact against the depth; the fee, charged up to the equity left, comes out of cash.
// That cash is not written here: the facade lands it with whatever the entry's collateral
// trades add, in one write, so only the balance the whole entry leaves is held to its limit.
// The facade supplies the allowances left, and keeps the journal, the fund and what follows.
import { Column, i32At, setI32At, i64At, setI64At, u8At, u16At } from "../store/column";
import {
  accountPositionStart, accountPositionCount, accountEquity, accountMaintenanceMargin,
  positionInstrument, positionLots, positionEntry,
} from "../store/accounts";
import { instrumentLotSize, instrumentMarkUsed, instrumentUnderlying } from "../store/reference";
import { positionIndex, setPosition } from "../store/books";
import { umul64, productHigh, wideSetProduct, wideMultiplyWide, wideDivideFloorWithRemainder, lastRemainder } from "../fixed/wide";
import { QTY_PRICE_TO_MONEY } from "../fixed/scales";
import { ONE, MAX_POSITIONS_PER_ACCOUNT } from "../limits";
import { evaluateAccount } from "./evaluate";
import { standaloneMaintenance } from "./position-charges";
import { fallingBounds, fallingBound, correlationMayBend } from "./sizing-pieces";
import { lotsWithin, notionalOf, feeOf, wideCeil } from "./lot-notional";

/** What `liquidationTrades` did; generated into the facade's TRADES_* constants. */
export const enum TradesOutcome { Traded = 0, Healthy = 1 }

/** Which notional caps the facade passes (`liquidationTrades`'s `caps`); generated into CAP_*. */
export const enum Cap { Pass = 0, Account = 1, PassUntouched = 2 }

/**
 * Per position of the account, in book order, written by the facade before the call, three i64s:
 * the instrument's depth N (money; 0: none), its slippage (fraction) and the notional filled on
 * it so far in this pass.
 */
export const tradeInputs = new Column(3);
/** Generated into the facade's TRADE_INPUT_* constants (Width: the i64s a position takes). */
export const enum TradeInput { Depth = 0, Slippage = 1, Filled = 2, Width = 3 }

/** The trades of the last call, in order: instrument and signed lots (i32s), then price, notional, fee and price impact (i64s). */
export const tradeOrders = new Column(2);
export const tradeAmounts = new Column(3);
/** Generated into the facade's TRADE_AMOUNT_* constants (Width: the i64s a trade takes). */
export const enum TradeAmount { Price = 0, Notional = 1, Fee = 2, Impact = 3, Width = 4 }
let tradeCount: i32 = 0;
let bankrupt = false;
let cutShort = false;
let feePaid: i64 = 0;
let cash: i64 = 0;

export function getTradeCount(): i32 { return tradeCount; }
export function getTradesBankrupt(): bool { return bankrupt; }
export function getTradesCutShort(): bool { return cutShort; }
export function getTradesFeePaid(): i64 { return feePaid; }
/** Money the last call's trades owe the settlement balance (the fills less the fee), not yet written. */
export function getTradesCash(): i64 { return cash; }

/** The account's positions in book order (instrument, lots, standalone MM) and their sizing order (scratch). */
const orderInstrument = new Column(2);
const orderLots = new Column(2);
const orderMargin = new Column(3);
const sizingRank = new Column(2);
// every column here holds rows for the positions of one account: sized once for the most an account may hold
tradeInputs.reserve(TradeInput.Width * MAX_POSITIONS_PER_ACCOUNT);
tradeOrders.reserve(2 * MAX_POSITIONS_PER_ACCOUNT);
tradeAmounts.reserve(TradeAmount.Width * MAX_POSITIONS_PER_ACCOUNT);
orderInstrument.reserve(MAX_POSITIONS_PER_ACCOUNT);
orderLots.reserve(MAX_POSITIONS_PER_ACCOUNT);
orderMargin.reserve(MAX_POSITIONS_PER_ACCOUNT);
sizingRank.reserve(MAX_POSITIONS_PER_ACCOUNT);

/** Input field f of the position at `order`. */
// @ts-ignore: decorator
@inline function input(order: i32, f: TradeInput): i64 {
  return i64At(tradeInputs.ptr, order * TradeInput.Width + f);
}

/** Amount field f of trade k. */
// @ts-ignore: decorator
@inline function amount(k: i32, f: TradeAmount): i64 {
  return i64At(tradeAmounts.ptr, k * TradeAmount.Width + f);
}

/**
 * Account a's trades (see above), their cash left in `getTradesCash`; buffer is
 * 1 + liquidationBuffer and feeRate the liquidation fee (fraction scale); `caps` has bit Cap.Pass
 * when the pass may still trade `passLeft`, bit Cap.PassUntouched when the pass has made no trade
 * yet (of any notional), and bit Cap.Account when the account may trade
 * `accountCap` (money). The fills' cash sums inside i64: a fill moves it by at most a position's
 * equity term and impact (below 4 × 10^10 units within docs/limits.md), 64 of them by less than
 * 2.6 × 10^18 µ-units, and an account's equity is below 4.5 × 10^18.
 */
export function liquidationTrades(a: i32, buffer: i64, feeRate: i64, caps: i32, passLeft: i64, accountCap: i64): TradesOutcome {
  tradeCount = 0;
  feePaid = 0;
  cash = 0;
  cutShort = false;
  evaluateAccount(a);
  const equity = i64At(accountEquity.ptr, a);
  if (equity >= i64At(accountMaintenanceMargin.ptr, a) && equity >= 0) return TradesOutcome.Healthy;
  bankrupt = equity < 0;
  // the notional the pass and the account may still trade (−1: no cap)
  const passRoom: i64 = caps & (1 << Cap.Pass) ? passLeft : -1, accountRoom: i64 = caps & (1 << Cap.Account) ? accountCap : -1;
  const n = sortForSizing(a);
  plan(a, n, equity, buffer, feeRate, passRoom, accountRoom, (caps & (1 << Cap.PassUntouched)) != 0);
  let fees: i64 = 0;
  for (let k = 0; k < tradeCount; k++) {
    cash += fill(a, k);
    fees += amount(k, TradeAmount.Fee);
  }
  evaluateAccount(a);
  // the settlement asset counts at price 1 without haircut, so the unwritten cash adds to equity as it is
  const left = i64At(accountEquity.ptr, a) + cash;
  feePaid = fees < left ? fees : left > 0 ? left : 0;
  cash -= feePaid;
  return TradesOutcome.Traded;
}

/** The account's positions into the order columns, ranked in sizing order (insertion sort: at most 64); returns their count. */
function sortForSizing(a: i32): i32 {
  const start = i32At(accountPositionStart.ptr, a), n = <i32>u8At(accountPositionCount.ptr, a);
  for (let k = 0; k < n; k++) {
    const i = <i32>u16At(positionInstrument.ptr, start + k), lots = i32At(positionLots.ptr, start + k);
    const margin = standaloneMaintenance(i, <i64>lots);
    setI32At(orderInstrument.ptr, k, i);
    setI32At(orderLots.ptr, k, lots);
    setI64At(orderMargin.ptr, k, margin);
    let j = k;
    for (; j > 0; j--) {
      const before = i32At(sizingRank.ptr, j - 1), m = i64At(orderMargin.ptr, before);
      if (m > margin || (m == margin && i32At(orderInstrument.ptr, before) < i)) break;
      setI32At(sizingRank.ptr, j, before);
    }
    setI32At(sizingRank.ptr, j, k);
  }
  return n;
}

/**
 * The trades, into the trade columns: a close-out, or a partial liquidation whose trials write
 * the lots left in place and evaluate the account; the book is put back before any fill.
 * Positions are named by `order`, their index in the book (and in the order and input columns).
 */
function plan(a: i32, n: i32, equity: i64, buffer: i64, feeRate: i64, passRoom: i64, accountRoom: i64, passUntouched: bool): void {
  const start = i32At(accountPositionStart.ptr, a);
  let fees: i64 = 0, impacts: i64 = 0, planned: i64 = 0;
  for (let rank = 0; rank < n; rank++) {
    const order = i32At(sizingRank.ptr, rank), i = i32At(orderInstrument.ptr, order), lots = i32At(orderLots.ptr, order);
    const side = lots > 0 ? 1 : -1, size = abs(lots);
    // the account's own cap is untouched until this entry's first trade, the pass's until any trade
    // of the pass: a trade of zero notional (an option marked 0) counts
    const allowed = lotsAllowed(
      order, size, passRoom < 0 ? -1 : max<i64>(passRoom - planned, 0), accountRoom < 0 ? -1 : max<i64>(accountRoom - planned, 0),
      passUntouched && tradeCount == 0, tradeCount == 0,
    );
    if (allowed < size) cutShort = true;
    if (allowed == 0) continue;
    if (bankrupt) {
      planned += addTrade(order, -side * allowed, 0);
      continue;
    }
    trialAccount = a;
    trialOrder = order;
    trialAt = start + order;
    trialSide = side;
    trialSize = size;
    trialLeft = equity - impacts;
    trialOwed = fees;
    trialFeeRate = feeRate;
    trialBuffer = buffer;
    const fewest = fewestRestoring(a, i, allowed);
    if (fewest == 0) {
      const wholeFee = feeOf(i, <i64>allowed, feeRate);
      setI32At(positionLots.ptr, trialAt, side * (size - allowed));
      planned += addTrade(order, -side * allowed, wholeFee);
      fees += wholeFee;
      impacts += amount(tradeCount - 1, TradeAmount.Impact);
      continue;
    }
    addTrade(order, -side * fewest, feeOf(i, <i64>fewest, feeRate));
    cutShort = false;
    break;
  }
  // trials wrote lots in place; nothing has moved yet
  for (let k = 0; k < n; k++) setI32At(positionLots.ptr, start + k, i32At(orderLots.ptr, k));
}

/** Most lots tried one by one, where the slack need not be concave at all. */
const SCAN_LOTS: i32 = 4_096;

/**
 * The fewest of [1, allowed] lots of instrument i whose close restores account a (the trial set
 * up), or 0. The slack is concave in the lots closed (price impact and fee convex, MM' convex) but
 * where sizing-pieces.ts finds otherwise: a falling maintenance rate splits [1, allowed] at the
 * lots where the position left crosses that tier bound, into pieces each concave; a correlated MM
 * that may not be convex in the position's bucket has every count tried in turn, up to SCAN_LOTS.
 */
function fewestRestoring(a: i32, i: i32, allowed: i32): i32 {
  if (allowed <= SCAN_LOTS && correlationMayBend(a, i32At(instrumentUnderlying.ptr, i))) {
    for (let k = 1; k <= allowed; k++) {
      trialSlack(k);
      if (slackHigh >= 0) return k;
    }
    return 0;
  }
  let low = 1;
  // a higher bound holds more of the position, so it is crossed after fewer lots closed
  for (let b = fallingBounds(a, i) - 1; b >= 0; b--) {
    // closing k lots leaves size − k, within the bound when size − k ≤ the most lots it holds
    const high = trialSize - lotsWithin(i, trialSize, i64At(fallingBound.ptr, b)) - 1;
    if (high < low) continue;
    if (high >= allowed) break;
    const fewest = fewestInConcave(low, high);
    if (fewest > 0) return fewest;
    low = high + 1;
  }
  return fewestInConcave(low, allowed);
}

/**
 * The fewest lots of [low, high] whose close restores, the slack concave there, or 0: when
 * closing `high` does not restore, a smaller close can only at the slack's peak inside.
 */
function fewestInConcave(low: i32, high: i32): i32 {
  trialSlack(high);
  if (slackHigh < 0) {
    high = high > low ? restoringPeak(low, high) : 0;
    if (high == 0) return 0;
  }
  while (low < high) {
    const mid = (low + high) >>> 1;
    trialSlack(mid);
    if (slackHigh >= 0) high = mid;
    else low = mid + 1;
  }
  return low;
}

/**
 * The most lots (≤ wanted) of the position at `order` whose notional fits what the pass's and the
 * account's caps leave (`passLeft`, `accountLeft`; −1: none) and the instrument's depth left:
 * ⌈k × lotSize × mark / 10^10⌉ ≤ left. None fitting, one lot still goes when every allowance it
 * passes is untouched in this pass (`passUntouched`, `accountUntouched`; nothing filled for the
 * depth): a cap or depth smaller than one lot would otherwise hold the position, and a bankrupt
 * account's deficit, back in every pass.
 */
function lotsAllowed(order: i32, wanted: i32, passLeft: i64, accountLeft: i64, passUntouched: bool, accountUntouched: bool): i32 {
  let left = passLeft < 0 ? accountLeft : accountLeft < 0 ? passLeft : min(passLeft, accountLeft), depthLeft: i64 = -1;
  const depth = input(order, TradeInput.Depth), filled = input(order, TradeInput.Filled);
  if (depth > 0) {
    depthLeft = max<i64>(depth - filled, 0);
    left = left < 0 ? depthLeft : min(left, depthLeft);
  }
  if (left < 0) return wanted;
  if (left == 0) return 0;
  const i = i32At(orderInstrument.ptr, order), k = lotsWithin(i, wanted, left);
  if (k > 0) return k;
  const lot = notionalOf(i, 1);
  const depthAllows = depthLeft < 0 || depthLeft >= lot || filled == 0;
  const passAllows = passLeft < 0 || passLeft >= lot || passUntouched;
  const accountAllows = accountLeft < 0 || accountLeft >= lot || accountUntouched;
  return depthAllows && passAllows && accountAllows ? 1 : 0;
}

/** The price of the last `impactOf` quote. */
let quotedPrice: i64 = 0;

/**
 * The price impact of selling or buying `lots` of the position at `order`, its notional making
 * the instrument's filled notional f: g = ⌈mark × s × f / (N × 10^9)⌉ moves the price against
 * the account, and the impact is ⌈lots × lotSize × g / 10^10⌉. The trade's price is left in
 * `quotedPrice`.
 */
function impactOf(order: i32, lots: i32, notional: i64): i64 {
  const i = i32At(orderInstrument.ptr, order), mark = i64At(instrumentMarkUsed.ptr, i);
  const depth = input(order, TradeInput.Depth), slippage = input(order, TradeInput.Slippage);
  quotedPrice = mark;
  if (depth <= 0 || slippage == 0) return 0;
  // a lot let through past an untouched depth (lotsAllowed) fills at the price of the whole depth
  const filled = min(input(order, TradeInput.Filled) + notional, depth);
  // mark × s = a1 × 10^9 + a0; a1 × f = q1 × N + r1; then mark × s × f / (N × 10^9) = q1 + (r1 × 10^9 + a0 × f) / (N × 10^9),
  // the last fraction below 2 since r1 < N and f ≤ N
  wideSetProduct(mark, slippage);
  const a1 = wideDivideFloorWithRemainder(<u64>ONE), a0 = lastRemainder();
  wideSetProduct(<i64>a1, filled);
  let gap = <i64>wideDivideFloorWithRemainder(<u64>depth);
  const r1 = lastRemainder();
  let low = umul64(r1, <u64>ONE), high = productHigh;
  const low2 = umul64(a0, <u64>filled);
  high += productHigh;
  low += low2;
  if (low < low2) high++;
  const scaleLow = umul64(<u64>depth, <u64>ONE), scaleHigh = productHigh;
  if (high > scaleHigh || (high == scaleHigh && low >= scaleLow)) {
    gap++;
    high -= scaleHigh + u64(low < scaleLow);
    low -= scaleLow;
  }
  if ((high | low) != 0) gap++;
  quotedPrice = i32At(orderLots.ptr, order) > 0 ? mark - gap : mark + gap;
  wideSetProduct(<i64>lots, i64At(instrumentLotSize.ptr, i));
  wideMultiplyWide(0, <u64>gap);
  return wideCeil(<u64>QTY_PRICE_TO_MONEY);
}

/** The last slack: (E − I − Φ) × 10^9 − MM × buffer, signed 128-bit. */
let slackHigh: i64 = 0;
let slackLow: u64 = 0;

/**
 * The position a partial liquidation is sizing, set before its trials: the account, the
 * position's `order` and book row `at`, its `size` lots on `side`; the equity left after the
 * impacts and the fees owed by the entry's trades so far; the fee rate and 1 + buffer.
 */
let trialAccount: i32 = 0;
let trialOrder: i32 = 0;
let trialAt: i32 = 0;
let trialSide: i32 = 0;
let trialSize: i32 = 0;
let trialLeft: i64 = 0;
let trialOwed: i64 = 0;
let trialFeeRate: i64 = 0;
let trialBuffer: i64 = 0;

/**
 * The slack with `lots` of the position being sized closed, those lots written in place, into
 * (slackHigh, slackLow): the equity left less the close's impact, the fees owed plus its fee,
 * counted in full (concave in the lots closed, as a fee counted only up to the equity left would
 * not be). For an integer x, x ≥ ⌈y / 10^9⌉ ⇔ x × 10^9 − y ≥ 0: the account is restored, its
 * fees paid, when the slack is ≥ 0. Formed in 128 bits, since MM × buffer may pass 2^63 × 10^9
 * within docs/limits.md.
 */
function trialSlack(lots: i32): void {
  const i = i32At(orderInstrument.ptr, trialOrder);
  setI32At(positionLots.ptr, trialAt, trialSide * (trialSize - lots));
  const kept = trialLeft - impactOf(trialOrder, lots, notionalOf(i, <i64>lots)) - trialOwed - feeOf(i, <i64>lots, trialFeeRate);
  evaluateAccount(trialAccount);
  let keptLow = umul64(<u64>abs(kept), <u64>ONE), keptHigh = <i64>productHigh;
  if (kept < 0) {
    keptLow = ~keptLow + 1;
    keptHigh = ~keptHigh + i64(keptLow == 0);
  }
  const neededLow = umul64(<u64>i64At(accountMaintenanceMargin.ptr, trialAccount), <u64>trialBuffer), neededHigh = <i64>productHigh;
  slackLow = keptLow - neededLow;
  slackHigh = keptHigh - neededHigh - i64(keptLow < neededLow);
}

/** Whether the slack (h1, l1) is at least (h2, l2), as signed 128-bit values. */
// @ts-ignore: decorator
@inline function atLeast(h1: i64, l1: u64, h2: i64, l2: u64): bool {
  return h1 > h2 || (h1 == h2 && l1 >= l2);
}

/**
 * The close of `high` lots not restoring (its slack the last taken): the lots at the slack's peak
 * where the slack falls over the last lot (that of high − 1 lots at least that of high) and
 * restores there, found by bisecting on its slope over [low, high − 1] (the fewest lots k whose
 * slack is at least that of k + 1); else 0.
 */
function restoringPeak(low: i32, high: i32): i32 {
  const wholeHigh = slackHigh, wholeLow = slackLow;
  trialSlack(high - 1);
  if (!atLeast(slackHigh, slackLow, wholeHigh, wholeLow)) return 0;
  high--;
  while (low < high) {
    const mid = (low + high) >>> 1;
    trialSlack(mid);
    const midHigh = slackHigh, midLow = slackLow;
    trialSlack(mid + 1);
    if (atLeast(midHigh, midLow, slackHigh, slackLow)) high = mid;
    else low = mid + 1;
  }
  trialSlack(low);
  return slackHigh >= 0 ? low : 0;
}

/** Records the trade of `lots` (signed) on the position at `order`, quoted against its depth; returns its notional. */
function addTrade(order: i32, lots: i32, fee: i64): i64 {
  const i = i32At(orderInstrument.ptr, order), notional = notionalOf(i, <i64>abs(lots));
  const impact = impactOf(order, abs(lots), notional);
  setI32At(tradeOrders.ptr, 2 * tradeCount, i);
  setI32At(tradeOrders.ptr, 2 * tradeCount + 1, lots);
  const at = tradeCount * TradeAmount.Width;
  setI64At(tradeAmounts.ptr, at + TradeAmount.Price, quotedPrice);
  setI64At(tradeAmounts.ptr, at + TradeAmount.Notional, notional);
  setI64At(tradeAmounts.ptr, at + TradeAmount.Fee, fee);
  setI64At(tradeAmounts.ptr, at + TradeAmount.Impact, impact);
  tradeCount++;
  return notional;
}

/** Fills trade k; returns its cash: exactly the drop of the account's equity less the price impact. */
function fill(a: i32, k: i32): i64 {
  const i = i32At(tradeOrders.ptr, 2 * k), at = positionIndex(a, i);
  evaluateAccount(a);
  const before = i64At(accountEquity.ptr, a);
  setPosition(a, i, i32At(positionLots.ptr, at) + i32At(tradeOrders.ptr, 2 * k + 1), i64At(positionEntry.ptr, at));
  evaluateAccount(a);
  return before - i64At(accountEquity.ptr, a) - amount(k, TradeAmount.Impact);
}
