// 128-bit intermediates for exact multiply-divide with one explicit rounding.
// Multi-word results travel through module globals, so nothing allocates.

/** High 64 bits of the last `umul64` product. */
export let productHigh: u64 = 0;
/** Remainder of the last `udiv128`. */
let divisionRemainder: u64 = 0;

/** Low 64 bits of a × b; the high half is left in `productHigh` (schoolbook on 32-bit limbs). */
// @ts-ignore: decorator
@inline export function umul64(a: u64, b: u64): u64 {
  const a0 = a & 0xFFFFFFFF, a1 = a >> 32;
  const b0 = b & 0xFFFFFFFF, b1 = b >> 32;
  const p00 = a0 * b0, p01 = a0 * b1, p10 = a1 * b0, p11 = a1 * b1;
  const middle = (p00 >> 32) + (p01 & 0xFFFFFFFF) + (p10 & 0xFFFFFFFF);
  productHigh = p11 + (p01 >> 32) + (p10 >> 32) + (middle >> 32);
  return (middle << 32) | (p00 & 0xFFFFFFFF);
}

/**
 * Quotient of the 128-bit (high, low) by d; requires high < d so the quotient fits 64 bits.
 * Leaves the remainder in `divisionRemainder`.
 * see: Hacker's Delight, 2nd ed., §9.4 "divlu" (normalised long division by 32-bit digits).
 */
function udiv128(high: u64, low: u64, d: u64): u64 {
  if (high >= d) { // the quotient would not fit: saturate (never reached inside the limits)
    divisionRemainder = 0;
    return u64.MAX_VALUE;
  }
  if (high == 0) {
    divisionRemainder = low % d;
    return low / d;
  }
  const shift = <u64>clz(d);
  d <<= shift;
  if (shift != 0) high = (high << shift) | (low >> (64 - shift));
  low <<= shift;
  const dHigh = d >> 32, dLow = d & 0xFFFFFFFF;
  const lowHigh = low >> 32, lowLow = low & 0xFFFFFFFF;

  let q1 = high / dHigh;
  let rest = high - q1 * dHigh;
  while (q1 > 0xFFFFFFFF || q1 * dLow > ((rest << 32) | lowHigh)) {
    q1--;
    rest += dHigh;
    if (rest > 0xFFFFFFFF) break;
  }
  const partial = (high << 32) + lowHigh - q1 * d;

  let q0 = partial / dHigh;
  rest = partial - q0 * dHigh;
  while (q0 > 0xFFFFFFFF || q0 * dLow > ((rest << 32) | lowLow)) {
    q0--;
    rest += dHigh;
    if (rest > 0xFFFFFFFF) break;
  }
  divisionRemainder = ((partial << 32) + lowLow - q0 * d) >> shift;
  return (q1 << 32) | q0;
}

export const enum Rounding { Floor = 0, Ceil = 1 }

/** Applies a rounding mode to an unsigned quotient/remainder of a result with the given sign. */
// @ts-ignore: decorator
@inline function applyRounding(q: u64, r: u64, negative: bool, mode: Rounding): i64 {
  // floor moves a negative inexact result down, ceil a positive one up: both grow the magnitude
  const magnitude = r != 0 && (mode == Rounding.Ceil) != negative ? q + 1 : q;
  return negative ? -(<i64>magnitude) : <i64>magnitude;
}

/** round(a × b / d) with d > 0, exact through a 128-bit product. */
export function mulDiv(a: i64, b: i64, d: u64, mode: Rounding): i64 {
  const negative = (a ^ b) < 0 && a != 0 && b != 0;
  const low = umul64(<u64>abs(a), <u64>abs(b));
  const q = udiv128(productHigh, low, d);
  return applyRounding(q, divisionRemainder, negative, mode);
}

/** round(a × b × c / d) with d > 0; the caller's limits keep |a × b × c| below 2^127. */
export function mul3Div(a: i64, b: i64, c: i64, d: u64, mode: Rounding): i64 {
  const negative = ((a ^ b ^ c) < 0) && a != 0 && b != 0 && c != 0;
  const uc = <u64>abs(c);
  const low = umul64(<u64>abs(a), <u64>abs(b));
  const high = productHigh;
  const low2 = umul64(low, uc);
  const high2 = productHigh + high * uc;
  const q = udiv128(high2, low2, d);
  return applyRounding(q, divisionRemainder, negative, mode);
}

/**
 * A signed 128-bit register for products of more than two factors. Callers' limits keep every
 * true value below 2^127 in magnitude, so products truncated to 128 bits are exact.
 */
let wideLow: u64 = 0;
let wideHigh: u64 = 0;

/** wide = a × b (signed). */
export function wideSetProduct(a: i64, b: i64): void {
  wideLow = umul64(<u64>abs(a), <u64>abs(b));
  wideHigh = productHigh;
  if ((a ^ b) < 0) wideNegate();
}

/** wide = wide × (high:low), an unsigned 128-bit factor (truncated to 128 bits). */
export function wideMultiplyWide(high: u64, low: u64): void {
  const negative = <i64>wideHigh < 0;
  if (negative) wideNegate();
  const cross = wideHigh * low + wideLow * high;
  wideLow = umul64(wideLow, low);
  wideHigh = productHigh + cross;
  if (negative) wideNegate();
}

/** wide = wide + a × b (signed). */
export function wideAddProduct(a: i64, b: i64): void {
  const low = wideLow, high = wideHigh;
  wideSetProduct(a, b);
  const sum = wideLow + low;
  wideHigh = wideHigh + high + (sum < low ? 1 : 0);
  wideLow = sum;
}

function wideNegate(): void {
  wideLow = ~wideLow + 1;
  wideHigh = ~wideHigh + (wideLow == 0 ? 1 : 0);
}

export function wideHighWord(): u64 { return wideHigh; }
export function wideLowWord(): u64 { return wideLow; }

/** ⌊wide / d⌋ for wide ≥ 0, leaving the remainder for `lastRemainder`. */
export function wideDivideFloorWithRemainder(d: u64): u64 {
  return udiv128(wideHigh, wideLow, d);
}

export function lastRemainder(): u64 { return divisionRemainder; }
