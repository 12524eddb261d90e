// The span16 bucket close (docs/methodology.md §5) with moves in ± pairs. A bucket's E-term
// ⌊E × m / F⌋ is needed for 0, ±P₁, ±P₂, ±P₃ and ±X only, and ⌊−E·m/F⌋ = −⌊E·m/F⌋ − [E·m mod F ≠ 0],
// so four divisions give all sixteen terms. Rows 0–13 are uncovered: their worst loss is minus
// the least (E-term + risk sum), a min over f64 pairs that is exact because every value is an
// integer below 2^53 (f64Exact); rows 14 and 15 are covered and closed in i64.
import { FRACTION_SCALE } from "../fixed/scales";
import { floorDiv } from "../fixed/divide";
import { coveredLoss } from "./portfolio";
import { EXTREME_UP_AT, EXTREME_DOWN_AT } from "./scenarios";

/** ⌊E·m/F⌋ for E = high·F + low (0 ≤ low < F) and 0 ≤ m ≤ F. */
// @ts-ignore: decorator
@inline function termUp(high: i64, low: i64, m: i64): i64 {
  return high * m + low * m / FRACTION_SCALE;
}

/** ⌊−E·m/F⌋ from the same split and termUp's value. */
// @ts-ignore: decorator
@inline function termDown(up: i64, high: i64, low: i64, m: i64): i64 {
  return -up - i64(low * m != (up - high * m) * FRACTION_SCALE);
}

/** The bucket's worst scenario loss (at least 0) from its sums in eight f64x2 locals (rows 2k, 2k + 1 in rk). */
// @ts-ignore: decorator
@inline export function pairedCloseSimd(
  r0: v128, r1: v128, r2: v128, r3: v128, r4: v128, r5: v128, r6: v128, r7: v128,
  exposure: i64, moves: usize, cover14: i64, cover15: i64,
): i64 {
  const high = floorDiv(exposure, FRACTION_SCALE), low = exposure - high * FRACTION_SCALE;
  let m = load<i64>(moves, 16);
  const up1 = termUp(high, low, m), down1 = termDown(up1, high, low, m);
  m = load<i64>(moves, 48);
  const up2 = termUp(high, low, m), down2 = termDown(up2, high, low, m);
  m = load<i64>(moves, 80);
  const up3 = termUp(high, low, m), down3 = termDown(up3, high, low, m);
  m = load<i64>(moves, EXTREME_UP_AT);
  const upX = termUp(high, low, m), downX = termDown(upX, high, low, m);
  let least = f64x2.pmin(r0, f64x2.add(r1, f64x2.splat(<f64>up1)));
  least = f64x2.pmin(least, f64x2.add(r2, f64x2.splat(<f64>down1)));
  least = f64x2.pmin(least, f64x2.add(r3, f64x2.splat(<f64>up2)));
  least = f64x2.pmin(least, f64x2.add(r4, f64x2.splat(<f64>down2)));
  least = f64x2.pmin(least, f64x2.add(r5, f64x2.splat(<f64>up3)));
  least = f64x2.pmin(least, f64x2.add(r6, f64x2.splat(<f64>down3)));
  const regular = -<i64>min(f64x2.extract_lane(least, 0), f64x2.extract_lane(least, 1));
  const extremeUp = coveredLoss(upX + <i64>f64x2.extract_lane(r7, 0), cover14);
  const extremeDown = coveredLoss(downX + <i64>f64x2.extract_lane(r7, 1), cover15);
  return max(max(regular, extremeUp), max(extremeDown, 0));
}

/** The same close from sixteen f64 sums in memory (the scalar build). */
// @ts-ignore: decorator
@inline export function pairedCloseRow(row: usize, exposure: i64, moves: usize, cover14: i64, cover15: i64): i64 {
  const high = floorDiv(exposure, FRACTION_SCALE), low = exposure - high * FRACTION_SCALE;
  let least = min(load<f64>(row), load<f64>(row, 8));
  for (let k: usize = 1; k < 7; k += 2) {
    const m = load<i64>(moves + (k << 4));
    const up = termUp(high, low, m), down = <f64>termDown(up, high, low, m);
    const rowUp = row + (k << 4), rowDown = rowUp + 16;
    least = min(least, min(load<f64>(rowUp) + <f64>up, load<f64>(rowUp, 8) + <f64>up));
    least = min(least, min(load<f64>(rowDown) + down, load<f64>(rowDown, 8) + down));
  }
  const m = load<i64>(moves, EXTREME_UP_AT);
  const upX = termUp(high, low, m), downX = termDown(upX, high, low, m);
  const extremeUp = coveredLoss(upX + <i64>load<f64>(row, EXTREME_UP_AT), cover14);
  const extremeDown = coveredLoss(downX + <i64>load<f64>(row, EXTREME_DOWN_AT), cover15);
  return max(max(-<i64>least, extremeUp), max(extremeDown, 0));
}
