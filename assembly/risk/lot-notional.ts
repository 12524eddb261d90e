// A count of lots at an instrument's guarded mark (docs/methodology.md §10): its notional and the
// fee on it, rounded up as money owed, and the most lots whose notional fits an allowance — in
// 128-bit products, exact within docs/limits.md.
import { i64At } from "../store/column";
import { instrumentLotSize, instrumentMarkUsed } from "../store/reference";
import { wideSetProduct, wideMultiplyWide, wideHighWord, wideLowWord, wideDivideFloorWithRemainder, lastRemainder } from "../fixed/wide";
import { QTY_PRICE_TO_MONEY, QTY_PRICE_FRACTION_TO_MONEY } from "../fixed/scales";

/** The most lots k ≤ wanted of instrument i whose notional at its mark is within `left` (money, ≥ 0): k × lotSize × mark ≤ left × 10^10. */
export function lotsWithin(i: i32, wanted: i32, left: i64): i32 {
  const lotSize = i64At(instrumentLotSize.ptr, i), mark = i64At(instrumentMarkUsed.ptr, i);
  if (mark == 0) return wanted;
  // every product below 2^127 within docs/limits.md
  wideSetProduct(left, QTY_PRICE_TO_MONEY);
  const roomHigh = wideHighWord(), roomLow = wideLowWord();
  if (lotsFit(i, wanted, roomHigh, roomLow)) return wanted;
  // fewer than wanted fit: start from the f64 quotient (off by at most one) and step to the exact one
  let k = <i32>min<f64>(Math.floor((<f64>left * <f64>QTY_PRICE_TO_MONEY) / (<f64>lotSize * <f64>mark)), <f64>(wanted - 1));
  while (k > 0 && !lotsFit(i, k, roomHigh, roomLow)) k--;
  while (k + 1 < wanted && lotsFit(i, k + 1, roomHigh, roomLow)) k++;
  return k;
}

/** Whether k lots of instrument i at its mark, k × lotSize × mark, are at most the 128-bit (high, low). */
function lotsFit(i: i32, k: i32, high: u64, low: u64): bool {
  lotsAtMark(i, <i64>k);
  const h = wideHighWord();
  return h < high || (h == high && wideLowWord() <= low);
}

/** ⌈lots × lotSize × mark / 10^10⌉: the notional of `lots` (a magnitude) at the guarded mark. */
export function notionalOf(i: i32, lots: i64): i64 {
  lotsAtMark(i, lots);
  return wideCeil(<u64>QTY_PRICE_TO_MONEY);
}

/** ⌈lots × lotSize × mark × feeRate / 10^19⌉: the fee on `lots` (a magnitude), rounded up as a fee owed. */
export function feeOf(i: i32, lots: i64, feeRate: i64): i64 {
  lotsAtMark(i, lots);
  wideMultiplyWide(0, <u64>feeRate);
  return wideCeil(QTY_PRICE_FRACTION_TO_MONEY);
}

/** wide = lots × lotSize × mark of instrument i (below 2^88 for a position within docs/limits.md). */
function lotsAtMark(i: i32, lots: i64): void {
  wideSetProduct(lots, i64At(instrumentLotSize.ptr, i));
  wideMultiplyWide(0, <u64>i64At(instrumentMarkUsed.ptr, i));
}

/** ⌈wide / d⌉ for the non-negative 128-bit register, its quotient below 2^63 within docs/limits.md. */
export function wideCeil(d: u64): i64 {
  const whole = wideDivideFloorWithRemainder(d);
  return <i64>whole + i64(lastRemainder() != 0);
}
