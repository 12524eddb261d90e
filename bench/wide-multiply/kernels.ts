// ⌊a × b / d⌋ through our 64×64→128 routine and through as-bignum's u128, over the same inputs.
import { u128 } from "as-bignum/assembly";
import { mulDiv, Rounding } from "../../assembly/fixed/wide";

let inputs: usize = 0;

/**
 * n triples (a, b, d) of the engine's magnitudes: products up to 1e27 (90 bits), divisors 1e9
 * or 1e10, so every quotient fits i64 as the engine's limits guarantee.
 */
export function fill(n: i32, seed: u64): void {
  inputs = heap.alloc(<usize>n * 24);
  let x = seed;
  for (let i = 0; i < n; i++) {
    x ^= x << 13; x ^= x >> 7; x ^= x << 17; // xorshift64
    const a = <i64>(x % 100_000_000_000_000_000) + 1;
    x ^= x << 13; x ^= x >> 7; x ^= x << 17;
    const b = <i64>(x % 10_000_000_000) + 1;
    const d: i64 = (x & 1) != 0 ? 10_000_000_000 : 1_000_000_000;
    store<i64>(inputs + <usize>i * 24, a);
    store<i64>(inputs + <usize>i * 24 + 8, b);
    store<i64>(inputs + <usize>i * 24 + 16, d);
  }
}

export function ours(n: i32): i64 {
  let sum: i64 = 0;
  for (let i = 0; i < n; i++) {
    const p = inputs + <usize>i * 24;
    sum += mulDiv(load<i64>(p), load<i64>(p, 8), <u64>load<i64>(p, 16), Rounding.Floor);
  }
  return sum;
}

export function bignum(n: i32): i64 {
  let sum: i64 = 0;
  for (let i = 0; i < n; i++) {
    const p = inputs + <usize>i * 24;
    const q = u128.fromU64(<u64>load<i64>(p)) * u128.fromU64(<u64>load<i64>(p, 8)) / u128.fromU64(<u64>load<i64>(p, 16));
    sum += <i64>q.lo;
  }
  return sum;
}

/** Index of the first input where the two disagree, or -1. */
export function firstDisagreement(n: i32): i32 {
  for (let i = 0; i < n; i++) {
    const p = inputs + <usize>i * 24;
    const a = load<i64>(p), b = load<i64>(p, 8), d = load<i64>(p, 16);
    const big = u128.fromU64(<u64>a) * u128.fromU64(<u64>b) / u128.fromU64(<u64>d);
    if (big.hi != 0 || <i64>big.lo != mulDiv(a, b, <u64>d, Rounding.Floor)) return i;
  }
  return -1;
}
