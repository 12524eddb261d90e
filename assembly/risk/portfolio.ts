// Portfolio margin of one account (docs/methodology.md §5): per underlying bucket, the folded
// linear exposure times each scenario move plus Σ lots × risk arrays; the worst covered loss,
// at least the short-option minimum; MM the sum over buckets, IM = MM × imMultiplier.
import { Column, i32At, i64At, setI32At, setI64At, u8At, u16At, setU8At } from "../store/column";
import { isOption, instrumentKind, instrumentUnderlying, instrumentLotSize, instrumentMarkUsed, underlyingCount, assetUnderlying } from "../store/reference";
import {
  accountPositionStart, accountPositionCount, accountCollateralStart, accountCollateralCount,
  positionInstrument, positionLots, positionEntry, collateralAsset, collateralAmount,
} from "../store/accounts";
import { floorDiv } from "../fixed/divide";
import { mulDiv, Rounding } from "../fixed/wide";
import { lotMarkMoney, lotMarkRest, riskArray, shortMinMoney, shortMinRestHigh, shortMinRestLow } from "./prepare";
import { scenarioCount, sizeGrid, movesOf, scenarioCover, shockCollateral, imMultiplier, correlated, correlation } from "./scenarios";
import { correlatedReset, correlatedAdd, correlatedRoot } from "../fixed/correlated-sum";
import { FRACTION_SCALE } from "../fixed/scales";
import { collateralValue, linearPnl, lotValue, perLotCharge } from "./terms";

export let portfolioInitialMargin: i64 = 0;
export let portfolioMaintenanceMargin: i64 = 0;
/** Buckets of the last account evaluated, in the order first met (read by scenarios()). */
let bucketCount: i32 = 0;
export function getBucketCount(): i32 { return bucketCount; }
export const bucketUnderlying = new Column(2); // i32, bucketCount entries
export const bucketLoss = new Column(3);       // i64 per underlying: the bucket's margin
export const bucketBinding = new Column(2);    // i32 per underlying: the scenario that binds, or -1

// Scratch per underlying, reused across accounts; only the buckets touched are read and reset.
const exposure = new Column(3); // i64 money
const minimum = new Column(3);  // i64 money
const pnl = new Column(3);      // i64 money, underlying × scenario
const inBucket = new Column(0); // u8

/** ⌊x × f / F⌋ for x = high·F + low (0 ≤ low < F) and |f| ≤ F: neither product can overflow. */
// @ts-ignore: decorator
@inline function mulFractionSplit(high: i64, low: i64, f: i64): i64 {
  return high * f + floorDiv(low * f, FRACTION_SCALE);
}

/** row[s] += lots × risk[s] for every scenario: two lanes at a time where SIMD is compiled in. */
// @ts-ignore: decorator
@inline function accumulateRiskArray(row: usize, risk: usize, lots: i64): void {
  let s = 0;
  if (ASC_FEATURE_SIMD) {
    const factor = i64x2.splat(lots);
    for (; s + 2 <= scenarioCount; s += 2) {
      const at = <usize>s << 3;
      v128.store(row + at, i64x2.add(v128.load(row + at), i64x2.mul(factor, v128.load(risk + at))));
    }
  }
  for (; s < scenarioCount; s++) {
    const at = <usize>s << 3;
    store<i64>(row + at, load<i64>(row + at) + lots * load<i64>(risk + at));
  }
}

function touch(u: i32): void {
  if (u8At(inBucket.ptr, u)) return;
  setU8At(inBucket.ptr, u, 1);
  setI32At(bucketUnderlying.ptr, bucketCount++, u);
  setI64At(exposure.ptr, u, 0);
  setI64At(minimum.ptr, u, 0);
  memory.fill(pnl.ptr + ((<usize>u * <usize>scenarioCount) << 3), 0, <usize>scenarioCount << 3);
}

/** A bucket's P&L in scenario s: the folded exposure's move plus its options' risk arrays. */
export function scenarioPnl(u: i32, s: i32): i64 {
  const e = i64At(exposure.ptr, u), high = floorDiv(e, FRACTION_SCALE);
  const row = pnl.ptr + ((<usize>u * <usize>scenarioCount) << 3);
  return mulFractionSplit(high, e - high * FRACTION_SCALE, i64At(movesOf(u), s)) + load<i64>(row + (<usize>s << 3));
}

/** The bucket's short-option minimum (valid until the next account is evaluated). */
export function bucketMinimum(u: i32): i64 { return i64At(minimum.ptr, u); }

/** The bucket's margin: the worst covered scenario loss, at least its short-option minimum. */
function closeBucket(u: i32): i64 {
  const e = i64At(exposure.ptr, u), high = floorDiv(e, FRACTION_SCALE), low = e - high * FRACTION_SCALE;
  const count = scenarioCount, covers = scenarioCover.ptr;
  const row = pnl.ptr + ((<usize>u * <usize>count) << 3), moves = movesOf(u);
  let worst: i64 = 0, binding = -1;
  for (let s = 0; s < count; s++) {
    const result = mulFractionSplit(high, low, i64At(moves, s)) + load<i64>(row + (<usize>s << 3));
    const cover = i64At(covers, s);
    let loss = -result;
    if (cover != FRACTION_SCALE) {
      // ⌈loss × cover / F⌉ = −⌊(−loss) × cover / F⌋, through the same split
      const lossHigh = floorDiv(result, FRACTION_SCALE);
      loss = -mulFractionSplit(lossHigh, result - lossHigh * FRACTION_SCALE, cover);
    }
    if (loss > worst) {
      worst = loss;
      binding = s;
    }
  }
  const floor = i64At(minimum.ptr, u);
  if (floor > worst) {
    worst = floor;
    binding = -1;
  }
  setI64At(bucketLoss.ptr, u, worst);
  setI32At(bucketBinding.ptr, u, binding);
  setU8At(inBucket.ptr, u, 0);
  return worst;
}

/** √(Σ_b Σ_c ρ_bc L_b L_c), rounded up, over the buckets just closed. */
function correlatedMaintenance(): i64 {
  correlatedReset();
  const n = underlyingCount;
  for (let b = 0; b < bucketCount; b++) {
    const u = i32At(bucketUnderlying.ptr, b), lu = i64At(bucketLoss.ptr, u);
    for (let c = 0; c < bucketCount; c++) {
      const v = i32At(bucketUnderlying.ptr, c);
      correlatedAdd(i64At(correlation.ptr, u * n + v), lu, i64At(bucketLoss.ptr, v));
    }
  }
  return correlatedRoot(FRACTION_SCALE);
}

/** The grid's size and the underlying count its moves are kept for; sizes the portfolio scratch too. */
export function setScenarioCount(count: i32, underlyings: i32): void {
  sizeGrid(count, underlyings);
  reservePortfolioScratch(underlyings, count);
}

/** Sizes the per-underlying scratch for the grid. */
function reservePortfolioScratch(underlyings: i32, scenarios: i32): void {
  exposure.reserve(underlyings);
  minimum.reserve(underlyings);
  inBucket.reserve(underlyings);
  bucketUnderlying.reserve(underlyings);
  bucketLoss.reserve(underlyings);
  bucketBinding.reserve(underlyings);
  pnl.reserve(underlyings * scenarios);
}

/** Evaluates a portfolio account: returns its equity and leaves IM and MM in the globals above. */
export function portfolioAccount(account: i32): i64 {
  bucketCount = 0;
  let equity: i64 = 0;

  const cs = i32At(accountCollateralStart.ptr, account), ce = cs + u8At(accountCollateralCount.ptr, account);
  for (let c = cs; c < ce; c++) {
    const asset = u8At(collateralAsset.ptr, c);
    const value = collateralValue(asset, i64At(collateralAmount.ptr, c));
    equity += value;
    const u = i32At(assetUnderlying.ptr, asset);
    if (shockCollateral && u >= 0) {
      touch(u);
      setI64At(exposure.ptr, u, i64At(exposure.ptr, u) + value);
    }
  }

  // Column addresses in locals: the stores into the bucket scratch would otherwise make every
  // position reload them from the column objects (as in the standard kernel).
  const instruments = positionInstrument.ptr, lotsColumn = positionLots.ptr, entries = positionEntry.ptr;
  const moneyColumn = lotMarkMoney.ptr, restColumn = lotMarkRest.ptr, underlyings = instrumentUnderlying.ptr;
  const kinds = instrumentKind.ptr, marks = instrumentMarkUsed.ptr, lotSizes = instrumentLotSize.ptr;
  const exposures = exposure.ptr, minimums = minimum.ptr, rows = pnl.ptr, risks = riskArray.ptr;
  const scenarios = <usize>scenarioCount;
  const ps = i32At(accountPositionStart.ptr, account), pe = ps + u8At(accountPositionCount.ptr, account);
  for (let p = ps; p < pe; p++) {
    const instrument = u16At(instruments, p);
    const lots = <i64>i32At(lotsColumn, p);
    const money = i64At(moneyColumn, instrument), rest = i64At(restColumn, instrument);
    const u = i32At(underlyings, instrument);
    touch(u);
    if (!isOption(u8At(kinds, instrument))) {
      equity += linearPnl(lots, i64At(lotSizes, instrument), i64At(marks, instrument), i64At(entries, p), money, rest);
      setI64At(exposures, u, i64At(exposures, u) + lotValue(lots, money, rest));
      continue;
    }
    equity += lotValue(lots, money, rest);
    accumulateRiskArray(rows + ((<usize>u * scenarios) << 3), risks + ((<usize>instrument * scenarios) << 3), lots);
    if (lots < 0) {
      const floor = perLotCharge(-lots, instrument, shortMinMoney.ptr, shortMinRestHigh.ptr, shortMinRestLow.ptr);
      setI64At(minimums, u, i64At(minimums, u) + floor);
    }
  }

  let maintenance: i64 = 0;
  for (let b = 0; b < bucketCount; b++) maintenance += closeBucket(i32At(bucketUnderlying.ptr, b));
  if (correlated && bucketCount > 1) maintenance = correlatedMaintenance();
  portfolioMaintenanceMargin = maintenance;
  portfolioInitialMargin = mulDiv(maintenance, imMultiplier, <u64>FRACTION_SCALE, Rounding.Ceil);
  return equity;
}
