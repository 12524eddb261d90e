// Where a partial liquidation's slack can stop being concave in the lots closed (docs/methodology.md
// §10), so that sizing searches piece by piece: a standard account's linear position whose
// maintenance rate falls at a tier bound (its MM is concave across that bound, not convex), and a
// portfolio account whose correlated MM may not be convex in the position's bucket loss (a
// negative correlation, or a matrix that is not positive semi-definite, over its other buckets).
import { Column, i32At, i64At, setI64At, u8At } from "../store/column";
import { InstrumentKind, instrumentKind, instrumentTierStart, instrumentTierCount, tierUpTo, tierMmf, underlyingCount } from "../store/reference";
import { accountMode, AccountMode } from "../store/accounts";
import { MAX_TIERS } from "../limits";
import { FRACTION_SCALE } from "../fixed/scales";
import { correlated, correlation } from "./scenarios";
import { evaluateBuckets } from "./evaluate";
import { getBucketCount, bucketUnderlying, bucketLoss } from "./portfolio";

/** The tier bounds (money) above which the last `fallingBounds` call's instrument charges a lower maintenance rate. */
export const fallingBound = new Column(3);
fallingBound.reserve(MAX_TIERS);

/**
 * For a position of instrument i held by account a: the bounds, ascending, above which its
 * maintenance rate falls (into `fallingBound`), when a is a standard account and i linear;
 * returns their count (0 otherwise, and for rates that never fall).
 */
export function fallingBounds(a: i32, i: i32): i32 {
  if (u8At(accountMode.ptr, a) != AccountMode.Standard || u8At(instrumentKind.ptr, i) >= InstrumentKind.Call) return 0;
  const first = i32At(instrumentTierStart.ptr, i), last = first + i32At(instrumentTierCount.ptr, i) - 1;
  let count = 0;
  for (let k = first; k < last; k++) {
    if (i64At(tierMmf.ptr, k + 1) < i64At(tierMmf.ptr, k)) setI64At(fallingBound.ptr, count++, i64At(tierUpTo.ptr, k));
  }
  return count;
}

/** Relative error allowed the doubles of the test below: a closer call tries every count. */
const BEND_MARGIN: f64 = 1e-12;

/**
 * Whether portfolio account a's MM, under correlation, may fail to be convex in its bucket's loss
 * L on underlying u, the other buckets' losses L_c as the book stands: MM is
 * √((L + α)² + γ − α²) with α = Σ_c ρ_uc L_c and γ = Σ_c Σ_d ρ_cd L_c L_d over the other buckets,
 * convex and rising in L ≥ 0 when α ≥ 0 and γ ≥ α². Judged in doubles with a margin, so that
 * a doubt answers true.
 */
export function correlationMayBend(a: i32, u: i32): bool {
  if (!correlated || u8At(accountMode.ptr, a) != AccountMode.Portfolio) return false;
  evaluateBuckets(a);
  const count = getBucketCount(), n = <usize>underlyingCount;
  let alpha = 0.0, gamma = 0.0, size = 0.0;
  for (let c = 0; c < count; c++) {
    const v = <usize>i32At(bucketUnderlying.ptr, c);
    if (v == <usize>u) continue;
    const loss = <f64>i64At(bucketLoss.ptr, <i32>v), row = correlation.ptr + ((v * n) << 3);
    alpha += <f64>load<i64>(correlation.ptr + ((<usize>u * n + v) << 3)) * loss;
    for (let d = 0; d < count; d++) {
      const w = <usize>i32At(bucketUnderlying.ptr, d);
      if (w == <usize>u) continue;
      const term = <f64>load<i64>(row + (w << 3)) * loss * <f64>i64At(bucketLoss.ptr, <i32>w);
      gamma += term;
      size += abs(term);
    }
  }
  // ρ at 10^9: α and γ both carry that scale once
  alpha /= <f64>FRACTION_SCALE;
  gamma /= <f64>FRACTION_SCALE;
  size /= <f64>FRACTION_SCALE;
  return size > 0 && !(alpha >= 0 && gamma - alpha * alpha > BEND_MARGIN * (size + alpha * alpha));
}
