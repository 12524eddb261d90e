// The incremental path (docs/methodology.md §9): after ticks on some underlyings, their held
// instruments are re-prepared and only the accounts the exposure index names are touched, each
// once for all the ticked underlyings (tick.ts); after prints on assets priced on their own, the
// accounts holding them move by their balances' change (asset-prices.ts). A full recompute gives
// the same columns and totals.
import { Column, i32At, setI32At, u8At, setU8At } from "../store/column";
import { underlyingCount } from "../store/reference";
import { exposureValid, rebuildExposure } from "../store/exposure";
import { prepareUnderlying } from "./freshness";
import { recomputeAll } from "./evaluate";
import { tickUnderlyings } from "./tick";
import { applyAssetMoves, clearAssetMoves } from "./asset-prices";

export { refreshAccount, setAccountMode, addAccount, countedInitialMargin, countedInitialMarginNumber } from "./account-refresh";
export { markAssetMoved } from "./asset-prices";

/** u8 per underlying: 1 when one of its prices moved since the last refresh. */
const underlyingDirty = new Column(0);
/** The dirty underlyings, in the order marked. */
const dirtyList = new Column(2);
let dirtyCount = 0;

export function markUnderlyingDirty(u: i32): void {
  underlyingDirty.reserve(underlyingCount);
  dirtyList.reserve(underlyingCount);
  if (u8At(underlyingDirty.ptr, u)) return;
  setU8At(underlyingDirty.ptr, u, 1);
  setI32At(dirtyList.ptr, dirtyCount++, u);
}

/**
 * Accounts whose book changed since their results were counted, ascending: a tick leaves them
 * alone (its differences assume the book the cached results were computed from), and the caller
 * walks each whole after it with `refreshAccount`.
 */
const editedList = new Column(2);
let editedCount = 0;

export function markEdited(account: i32): void {
  editedList.reserve(editedCount + 1);
  setI32At(editedList.ptr, editedCount++, account);
}

/**
 * Applies the prints marked since the last refresh — assets priced on their own first, so that an
 * account the tick walks whole is walked at their new prices — and returns how many accounts the
 * ticks touched.
 */
export function refreshUnderlyings(): i32 {
  applyAssetMoves(editedList.ptr, editedCount);
  let visited = 0;
  if (dirtyCount > 0) {
    if (!exposureValid()) rebuildExposure();
    for (let k = 0; k < dirtyCount; k++) prepareUnderlying(i32At(dirtyList.ptr, k));
    visited = tickUnderlyings(dirtyList.ptr, dirtyCount, editedList.ptr, editedCount);
    clearDirty();
  }
  editedCount = 0;
  return visited;
}

function clearDirty(): void {
  if (dirtyCount == 0) return;
  memory.fill(underlyingDirty.ptr, 0, <usize>underlyingCount);
  dirtyCount = 0;
}

/** Recomputes every account, dropping the pending marks (a full recompute supersedes them). */
export function recompute(): void {
  clearDirty();
  clearAssetMoves();
  editedCount = 0;
  recomputeAll();
}
