// ⌈√(Σ_b Σ_c ρ_bc · L_b · L_c / F)⌉ exactly (SIMM-style aggregation, docs/methodology.md §5).
// The double sum needs up to ~160 bits, so it accumulates as a signed 192-bit value in three
// 64-bit limbs (two's complement); the root is an f64 estimate corrected until it is the least
// m with m² · F ≥ Q. A sum that is not positive (a matrix that is not positive semi-definite)
// aggregates to 0.

import { umul64, productHigh } from "./wide";

let q0: u64 = 0, q1: u64 = 0, q2: u64 = 0;
// The 192-bit value built by `product192`.
let p0: u64 = 0, p1: u64 = 0, p2: u64 = 0;

/** p = a · b · c for unsigned a, b (< 2^64) and c (< 2^63). */
function product192(a: u64, b: u64, c: u64): void {
  const low = umul64(a, b), high = productHigh;
  p0 = umul64(low, c);
  const carry0 = productHigh;
  const mid = umul64(high, c), top = productHigh;
  p1 = mid + carry0;
  p2 = top + (p1 < mid ? 1 : 0);
}

export function correlatedReset(): void { q0 = 0; q1 = 0; q2 = 0; }

/** Q += ρ · a · b for bucket losses a, b ≥ 0 and a correlation ρ at scale 1e9. */
export function correlatedAdd(rho: i64, a: i64, b: i64): void {
  product192(<u64>a, <u64>b, <u64>abs(rho));
  if (rho >= 0) {
    const s0 = q0 + p0, c0: u64 = s0 < q0 ? 1 : 0;
    const t1 = q1 + p1, c1a: u64 = t1 < q1 ? 1 : 0;
    const s1 = t1 + c0, c1b: u64 = s1 < t1 ? 1 : 0;
    q0 = s0; q1 = s1; q2 = q2 + p2 + c1a + c1b;
  } else {
    const s0 = q0 - p0, b0: u64 = q0 < p0 ? 1 : 0;
    const t1 = q1 - p1, b1a: u64 = q1 < p1 ? 1 : 0;
    const s1 = t1 - b0, b1b: u64 = t1 < b0 ? 1 : 0;
    q0 = s0; q1 = s1; q2 = q2 - p2 - b1a - b1b;
  }
}

/** m² · F ≥ Q, for Q > 0. */
function squareCovers(m: i64, fraction: i64): bool {
  product192(<u64>m, <u64>m, <u64>fraction);
  if (p2 != q2) return p2 > q2;
  if (p1 != q1) return p1 > q1;
  return p0 >= q0;
}

/** The least m ≥ 0 with m² · F ≥ Q (0 when Q ≤ 0). */
export function correlatedRoot(fraction: i64): i64 {
  if (<i64>q2 < 0 || (q2 | q1 | q0) == 0) return 0;
  const estimate = (<f64>q2 * 3.402823669209385e38 + <f64>q1 * 1.8446744073709552e19 + <f64>q0) / <f64>fraction;
  let m = <i64>Math.ceil(Math.sqrt(estimate));
  while (m > 0 && squareCovers(m - 1, fraction)) m--;
  while (!squareCovers(m, fraction)) m++;
  return m;
}
