// Exact floor division of products wider than 64 bits, without 128-bit arithmetic, for the
// rare hot-loop cases whose dividend does not fit i64 (see divide.ts for the common ones).
//
// The quotient of X / d is estimated in f64, then corrected with the exact remainder computed in
// wrapping i64 arithmetic: X mod 2^64 is exact even when X itself needs 128 bits, and the true
// remainder X − q̂·d is small enough (|q̂ − q| · d ≪ 2^63) to be represented. Valid while
// |X| < 2^100 and 10^6 ≤ d ≤ 10^12, which the limits in docs/limits.md guarantee.

/** ⌊X / d⌋ given X's low 64 bits and an f64 estimate of X. */
// @ts-ignore: decorator
@inline function correctFloor(low: i64, estimate: f64, d: i64, inverse: f64): i64 {
  let q = <i64>Math.floor(estimate * inverse);
  const r = low - q * d;
  const k = <i64>Math.floor(<f64>r * inverse);
  q += k;
  const rest = r - k * d;
  if (rest < 0) q--;
  else if (rest >= d) q++;
  return q;
}

/** ⌊(a·b + s) / d⌋ exactly. */
// @ts-ignore: decorator
@inline export function floorMulAddDiv(a: i64, b: i64, s: i64, d: i64, inverse: f64): i64 {
  return correctFloor(a * b + s, <f64>a * <f64>b + <f64>s, d, inverse);
}

/** ⌊a·b·c / d⌋ exactly. */
// @ts-ignore: decorator
@inline export function floorMul3Div(a: i64, b: i64, c: i64, d: i64, inverse: f64): i64 {
  return correctFloor(a * b * c, <f64>a * <f64>b * <f64>c, d, inverse);
}

