// Dynamic scan range (docs/methodology.md §5): an EWMA of daily log-return variance per underlying and
// the range it implies. f64 inside the module so every host computes the same bits; the facade
// keeps the state and applies the anti-procyclicality band exactly.
import { FRACTION_SCALE, DAY_MS } from "../fixed/scales";

/**
 * The variance after one more index sample, per day. A step of `days` days weighs the old
 * variance by λ^days (RiskMetrics decay in continuous time) and the new squared log return,
 * spread over the step, by the rest; a step of no time leaves the variance as it was.
 */
export function ewmaDailyVariance(variance: f64, previousIndex: i64, index: i64, elapsedMs: f64, lambda: f64): f64 {
  if (elapsedMs <= 0.0) return variance;
  const days = elapsedMs / <f64>DAY_MS;
  const logReturn = Math.log(<f64>index / <f64>previousIndex);
  const keep = Math.pow(lambda, days);
  return keep * variance + (1.0 - keep) * logReturn * logReturn / days;
}

/**
 * The candidate scan range (fraction at 1e9, rounded up): sigmas × √variance × √mporDays,
 * at least `floor` and at most `cap`.
 */
export function scanCandidate(variance: f64, sigmas: f64, mporDays: f64, floor: i64, cap: i64): i64 {
  const range = Math.ceil(sigmas * Math.sqrt(variance) * Math.sqrt(mporDays) * <f64>FRACTION_SCALE);
  if (!(range < <f64>cap)) return cap;
  const raw = <i64>range;
  return raw < floor ? floor : raw;
}
