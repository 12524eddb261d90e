// Prints on assets priced on their own (no underlying; docs/methodology.md §9). Such a balance
// enters only its account's equity, in either mode: it joins no price group, so no margin moves.
// Each account holding a printed asset therefore moves by its balances' change in value — old
// and new taken from the asset's record at the price its results were counted at and at the
// new one — its status follows, and the equity total moves by the sum: one pass over the
// balances, where a recompute would walk every position.
import { Column, i32At, setI32At, i64At, setI64At, u8At, setU8At } from "../store/column";
import { assetCount, assetHaircut } from "../store/reference";
import {
  accountCount, accountCollateralStart, accountCollateralCount, accountEquity, accountMaintenanceMargin, accountStatus,
  collateralAsset, collateralAmount,
} from "../store/accounts";
import { assetRecords, prepareAsset, writeAssetRecord, ASSET_RECORD_WORDS } from "./prepare";
import { previousAssetRecords } from "./freshness";
import { collateralValue } from "./terms";
import { Total, statusCounts, statusOf } from "./evaluate";
import { addToTotal, countedInitialMargin } from "./account-refresh";

/** u8 per asset: 1 when its own price moved since the last refresh. */
const assetMoved = new Column(0);
const movedList = new Column(2);
let movedCount = 0;

/**
 * Asset `asset`'s own price moved; the stored results count its balances at `countedPrice` (1e8),
 * whose record is kept until the next refresh applies the move.
 */
export function markAssetMoved(asset: i32, countedPrice: i64): void {
  assetMoved.reserve(assetCount);
  movedList.reserve(assetCount);
  previousAssetRecords.reserve(assetCount * ASSET_RECORD_WORDS);
  if (u8At(assetMoved.ptr, asset)) return;
  setU8At(assetMoved.ptr, asset, 1);
  setI32At(movedList.ptr, movedCount++, asset);
  writeAssetRecord(previousAssetRecords.ptr + ((<usize>asset * <usize>ASSET_RECORD_WORDS) << 3), countedPrice, i64At(assetHaircut.ptr, asset));
}

/**
 * Prepares the marked assets at their new prices and moves every account holding one, but the
 * `editedCount` accounts listed ascending at `edited` (walked whole afterwards), by the change.
 */
export function applyAssetMoves(edited: usize, editedCount: i32): void {
  if (movedCount == 0) return;
  for (let k = 0; k < movedCount; k++) prepareAsset(i32At(movedList.ptr, k));
  const starts = accountCollateralStart.ptr, counts = accountCollateralCount.ptr, assets = collateralAsset.ptr, amounts = collateralAmount.ptr;
  const moved = assetMoved.ptr, current = assetRecords.ptr, previous = previousAssetRecords.ptr;
  let nextEdited = 0;
  for (let a = 0; a < accountCount; a++) {
    const cs = i32At(starts, a), ce = cs + u8At(counts, a);
    let change: i64 = 0;
    for (let c = cs; c < ce; c++) {
      const asset = u8At(assets, c);
      if (u8At(moved, asset) == 0) continue;
      const amount = i64At(amounts, c);
      change += balanceValue(current, asset, amount) - balanceValue(previous, asset, amount);
    }
    if (change == 0) continue;
    while (nextEdited < editedCount && i32At(edited, nextEdited) < a) nextEdited++;
    if (nextEdited < editedCount && i32At(edited, nextEdited) == a) continue;
    const equity = i64At(accountEquity.ptr, a) + change, status = u8At(accountStatus.ptr, a);
    const newStatus = statusOf(equity, countedInitialMargin(a), i64At(accountMaintenanceMargin.ptr, a));
    setI64At(accountEquity.ptr, a, equity);
    setU8At(accountStatus.ptr, a, newStatus);
    addToTotal(Total.Equity, change);
    unchecked(statusCounts[status]--);
    unchecked(statusCounts[newStatus]++);
  }
  clearAssetMoves();
}

/** A balance's value by the asset records at `records`: one copy of the valuation for both records (a print touches few balances). */
function balanceValue(records: usize, asset: i32, amount: i64): i64 {
  return collateralValue(records, asset, amount);
}

/** Forgets the marks (applied, or superseded by a full recompute). */
export function clearAssetMoves(): void {
  for (let k = 0; k < movedCount; k++) setU8At(assetMoved.ptr, i32At(movedList.ptr, k), 0);
  movedCount = 0;
}
