// Portfolio margin of a bucket (docs/methodology.md §5): the folded linear exposure E times each
// scenario move plus Σ lots × risk arrays; the worst covered loss, at least the short-option
// minimum. The group code (group.ts) sums Σ lots × risk in f64 when that is exact (see
// `F64_EXACT`); here are the closes of a general grid, the exact i64 path, the short-option
// minimum, IM, the per-account scratch and the detail read by scenarios() and accountBuckets().
import { Column, i32At, i64At, setI32At, setI64At, u8At, u16At } from "../store/column";
import { isOption, instrumentKind, underlyingCount } from "../store/reference";
import { positionInstrument, positionLots } from "../store/accounts";
import { GROUP_BYTES } from "../store/cache";
import { floorDiv, ceilDiv } from "../fixed/divide";
import { FRACTION_SCALE } from "../fixed/scales";
import { riskArray, shortMinMoney, shortMinRestHigh, shortMinRestLow } from "./prepare";
import { perLotCharge } from "./terms";
import { scenarioCount, sizeGrid, movesOf, scenarioCover, imWhole, imPart, correlation } from "./scenarios";
import { correlatedReset, correlatedAdd, correlatedRoot } from "../fixed/correlated-sum";

/**
 * Sums of integer products stay exact in f64 while every partial sum is below 2^53. The walk
 * keeps Σ |lots| × max_s |risk| per bucket (rounded, so it checks against 2^52 to leave room
 * for that rounding) and |E| below 2^52, so each scenario's E-term plus risk sum is below 2^53.
 */
export const F64_EXACT: f64 = 4503599627370496.0; // 2^52
const F64_EXACT_I64: i64 = 4503599627370496;

// Per-account scratch, reused: the price groups of the account being walked, in ascending
// underlying order (underlying, L, E), which the walk copies into the account's cache slot.
export const groupUnderlying = new Column(2);
export const groupWords = new Column(3);
// Per underlying: collateral grouped by the underlying pricing it (value, and a u8 "listed" flag).
export const groupBalance = new Column(3);
export const groupListed = new Column(0);
/** i32: the account's collateral underlyings in ascending order. */
export const groupOrder = new Column(2);
/** Scenario rows: f64 sums for the memory-row walk, i64 for the exact path and detail. */
export const rowF64 = new Column(3);
export const rowI64 = new Column(3);

// Detail of the last account evaluated with `detail` on (read by scenarios() and accountBuckets()).
let bucketCount: i32 = 0;
export function getBucketCount(): i32 { return bucketCount; }
export const bucketUnderlying = new Column(2); // i32, bucketCount entries
export const bucketLoss = new Column(3);       // i64 per underlying: the bucket's margin
export const bucketBinding = new Column(2);    // i32 per underlying: the scenario that binds, or -1
const detailExposure = new Column(3);          // i64 per underlying
const detailMinimum = new Column(3);           // i64 per underlying
const detailPnl = new Column(3);               // i64, underlying × scenario: Σ lots × risk

/** Buckets the f64 guard sent to exact i64 arithmetic since the start (a diagnostic: stats().exactBuckets). */
let exactBuckets: i32 = 0;
export function exactBucketCount(): i32 { return exactBuckets; }

/** True when the f64 sums and the E-term stay exact (see F64_EXACT); counts the buckets where they do not. */
// @ts-ignore: decorator
@inline export function f64Exact(bound: f64, exposure: i64): bool {
  const exact = bound < F64_EXACT && exposure < F64_EXACT_I64 && exposure > -F64_EXACT_I64;
  if (!exact) exactBuckets++;
  return exact;
}

/** The grid's size and the underlying count its moves are kept for; sizes the portfolio scratch too. */
export function setScenarioCount(count: i32, underlyings: i32): void {
  sizeGrid(count, underlyings);
  groupBalance.reserve(underlyings);
  groupListed.reserve(underlyings);
  groupOrder.reserve(underlyings);
  bucketUnderlying.reserve(underlyings);
  bucketLoss.reserve(underlyings);
  bucketBinding.reserve(underlyings);
  detailExposure.reserve(underlyings);
  detailMinimum.reserve(underlyings);
  detailPnl.reserve(underlyings * count);
  // a book has at most 64 positions and 16 balances, so at most 80 groups
  groupUnderlying.reserve(80);
  groupWords.reserve(160);
  rowF64.reserve(count + 2);
  rowI64.reserve(count);
}

/** ⌊x × f / F⌋ for x = high·F + low (0 ≤ low < F) and |f| ≤ F: neither product can overflow. */
// @ts-ignore: decorator
@inline function mulFractionSplit(high: i64, low: i64, f: i64): i64 {
  return high * f + floorDiv(low * f, FRACTION_SCALE);
}

/** A covered loss ⌈−result × cover / F⌉ = −⌊result × cover / F⌋, through the split of result. */
// @ts-ignore: decorator
@inline export function coveredLoss(result: i64, cover: i64): i64 {
  const high = floorDiv(result, FRACTION_SCALE);
  return -mulFractionSplit(high, result - high * FRACTION_SCALE, cover);
}

/** IM = ⌈MM × imMultiplier / F⌉ for MM ≥ 0, split as imWhole · F + imPart: no 128-bit division. */
// @ts-ignore: decorator
@inline export function initialFromMaintenance(mm: i64): i64 {
  const high = mm / FRACTION_SCALE;
  return mm * imWhole + high * imPart + ceilDiv((mm - high * FRACTION_SCALE) * imPart, FRACTION_SCALE);
}

/**
 * The worst loss (at least 0) over the grid of underlying u of a bucket whose scenario sums are
 * in the i64 `row`: the general close, for any grid.
 */
// @ts-ignore: decorator
@inline export function closeRow(row: usize, u: i32, exposure: i64): i64 {
  const high = floorDiv(exposure, FRACTION_SCALE), low = exposure - high * FRACTION_SCALE;
  const moves = movesOf(u), covers = scenarioCover.ptr, count = scenarioCount;
  let worst: i64 = 0;
  for (let s = 0; s < count; s++) {
    const at = <usize>s << 3;
    const result = mulFractionSplit(high, low, load<i64>(moves + at)) + load<i64>(row + at);
    const cover = load<i64>(covers + at);
    worst = max(worst, cover == FRACTION_SCALE ? -result : coveredLoss(result, cover));
  }
  return worst;
}

/** closeRow, called from the cold paths. */
export function closeRowCold(row: usize, u: i32, exposure: i64): i64 {
  return closeRow(row, u, exposure);
}

/** row[s] += lots × risk[s] in i64, two lanes at a time where SIMD is compiled in. */
// @ts-ignore: decorator
@inline function accumulateExact(row: usize, risk: usize, lots: i64, count: i32): void {
  let s = 0;
  if (ASC_FEATURE_SIMD) {
    const factor = i64x2.splat(lots);
    for (; s + 2 <= count; s += 2) {
      const at = <usize>s << 3;
      v128.store(row + at, i64x2.add(v128.load(row + at), i64x2.mul(factor, v128.load(risk + at))));
    }
  }
  for (; s < count; s++) {
    const at = <usize>s << 3;
    store<i64>(row + at, load<i64>(row + at) + lots * load<i64>(risk + at));
  }
}

/**
 * The exact path: the bucket of positions [start, end) re-accumulated in i64 into rowI64 and
 * closed there. Taken when the f64 guard fails (lots and risk values large enough that a sum
 * could pass 2^53, or |E| ≥ 2^52).
 */
export function exactBucket(start: i32, end: i32, u: i32, exposure: i64): i64 {
  const count = scenarioCount, row = rowI64.ptr, risks = riskArray.ptr;
  for (let s = 0; s < count; s++) store<i64>(row + (<usize>s << 3), 0);
  for (let p = start; p < end; p++) {
    const i = u16At(positionInstrument.ptr, p);
    if (!isOption(u8At(instrumentKind.ptr, i))) continue;
    accumulateExact(row, risks + ((<usize>i * <usize>count) << 3), <i64>i32At(positionLots.ptr, p), count);
  }
  return closeRow(row, u, exposure);
}

/** Σ ⌈|q| × S × shortOptionMin / 1e19⌉ over the short options among positions [start, end): the bucket's floor. */
export function shortMinimum(start: i32, end: i32): i64 {
  let minimum: i64 = 0;
  for (let p = start; p < end; p++) {
    const i = u16At(positionInstrument.ptr, p), lots = <i64>i32At(positionLots.ptr, p);
    if (!isOption(u8At(instrumentKind.ptr, i)) || lots >= 0) continue;
    minimum += perLotCharge(-lots, i64At(shortMinMoney.ptr, i), i64At(shortMinRestHigh.ptr, i), i64At(shortMinRestLow.ptr, i));
  }
  return minimum;
}

/** The f64 sums in rowF64 (exact integers) copied into rowI64. */
export function rowToExact(): void {
  const count = scenarioCount, from = rowF64.ptr, to = rowI64.ptr;
  for (let s = 0; s < count; s++) store<i64>(to + (<usize>s << 3), <i64>load<f64>(from + (<usize>s << 3)));
}

/** Starts the detail of a new account. */
export function resetDetail(): void { bucketCount = 0; }

/**
 * Records a bucket of the account evaluated with detail on: its loss, its P&L row (from rowI64)
 * and the scenario that binds — the first whose loss is the bucket's margin, none when the
 * short-option minimum or nothing binds (margin 0).
 */
export function recordBucket(u: i32, exposure: i64, minimum: i64, loss: i64): void {
  const count = scenarioCount, row = rowI64.ptr, detail = detailPnl.ptr + ((<usize>u * <usize>count) << 3);
  memory.copy(detail, row, <usize>count << 3);
  setI32At(bucketUnderlying.ptr, bucketCount++, u);
  setI64At(bucketLoss.ptr, u, loss);
  setI64At(detailExposure.ptr, u, exposure);
  setI64At(detailMinimum.ptr, u, minimum);
  let binding = -1;
  for (let s = 0; s < count && loss > 0; s++) {
    if (scenarioLoss(u, s) != loss) continue;
    binding = s;
    break;
  }
  setI32At(bucketBinding.ptr, u, binding);
}

/** A recorded bucket's P&L in scenario s: the folded exposure's move plus its options' risk arrays. */
export function scenarioPnl(u: i32, s: i32): i64 {
  const e = i64At(detailExposure.ptr, u), high = floorDiv(e, FRACTION_SCALE);
  const at = <usize>s << 3;
  return mulFractionSplit(high, e - high * FRACTION_SCALE, load<i64>(movesOf(u) + at)) + load<i64>(detailPnl.ptr + ((<usize>u * <usize>scenarioCount) << 3) + at);
}

function scenarioLoss(u: i32, s: i32): i64 {
  const result = scenarioPnl(u, s), cover = i64At(scenarioCover.ptr, s);
  return cover == FRACTION_SCALE ? -result : coveredLoss(result, cover);
}

/** A recorded bucket's short-option minimum. */
export function bucketMinimum(u: i32): i64 { return i64At(detailMinimum.ptr, u); }

/** √(Σ_b Σ_c ρ_bc L_b L_c), rounded up, over `groups` (underlying, loss) pairs: underlyings in `under`, losses a cache slot's group apart from `losses`. */
export function correlatedMaintenance(groups: i32, under: usize, losses: usize): i64 {
  correlatedReset();
  const n = underlyingCount;
  for (let b = 0; b < groups; b++) {
    const u = load<i32>(under + (<usize>b << 2)), lu = load<i64>(losses + <usize>b * GROUP_BYTES);
    if (lu == 0) continue;
    for (let c = 0; c < groups; c++) {
      const v = load<i32>(under + (<usize>c << 2));
      correlatedAdd(i64At(correlation.ptr, u * n + v), lu, load<i64>(losses + <usize>c * GROUP_BYTES));
    }
  }
  return correlatedRoot(FRACTION_SCALE);
}
