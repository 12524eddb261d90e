// Where a partial liquidation's slack can stop being concave in the lots closed (docs/methodology.md
// §10), so that sizing searches piece by piece: a standard account's linear position whose
// maintenance rate falls at a tier bound (its MM is concave across that bound, not convex), and a
// portfolio account whose bucket on the position's underlying is negatively correlated with another
// bucket it holds (there a smaller bucket loss can raise the correlated MM).
import { Column, i32At, i64At, setI64At, u8At, u16At } from "../store/column";
import {
  InstrumentKind, instrumentKind, instrumentUnderlying, instrumentTierStart, instrumentTierCount,
  tierUpTo, tierMmf, assetUnderlying, underlyingCount,
} from "../store/reference";
import {
  accountMode, accountPositionStart, accountPositionCount, accountCollateralStart, accountCollateralCount,
  positionInstrument, collateralAsset,
} from "../store/accounts";
import { MAX_TIERS } from "../limits";
import { correlated, correlation } from "./scenarios";

/** The tier bounds (money) above which the last `fallingBounds` call's instrument charges a lower maintenance rate. */
export const fallingBound = new Column(3);
fallingBound.reserve(MAX_TIERS);

/**
 * For a position of instrument i held by account a: the bounds, ascending, above which its
 * maintenance rate falls (into `fallingBound`), when a is a standard account and i linear;
 * returns their count (0 otherwise, and for rates that never fall).
 */
export function fallingBounds(a: i32, i: i32): i32 {
  if (u8At(accountMode.ptr, a) != 0 || u8At(instrumentKind.ptr, i) >= InstrumentKind.Call) return 0;
  const first = i32At(instrumentTierStart.ptr, i), last = first + i32At(instrumentTierCount.ptr, i) - 1;
  let count = 0;
  for (let k = first; k < last; k++) {
    if (i64At(tierMmf.ptr, k + 1) < i64At(tierMmf.ptr, k)) setI64At(fallingBound.ptr, count++, i64At(tierUpTo.ptr, k));
  }
  return count;
}

/**
 * Whether portfolio account a's bucket on underlying u is negatively correlated with another
 * underlying a holds a position on or a balance priced by (the book as it stands, lots in place
 * of 0 included: the entry's own closes do not change which pieces it searches).
 */
export function negativelyCorrelated(a: i32, u: i32): bool {
  if (!correlated || u8At(accountMode.ptr, a) != 1) return false;
  const row = correlation.ptr + ((<usize>u * <usize>underlyingCount) << 3);
  const ps = i32At(accountPositionStart.ptr, a), pe = ps + u8At(accountPositionCount.ptr, a);
  for (let p = ps; p < pe; p++) {
    const v = i32At(instrumentUnderlying.ptr, u16At(positionInstrument.ptr, p));
    if (v != u && i64At(row, v) < 0) return true;
  }
  const cs = i32At(accountCollateralStart.ptr, a), ce = cs + u8At(accountCollateralCount.ptr, a);
  for (let c = cs; c < ce; c++) {
    const v = i32At(assetUnderlying.ptr, u8At(collateralAsset.ptr, c));
    if (v >= 0 && v != u && i64At(row, v) < 0) return true;
  }
  return false;
}
