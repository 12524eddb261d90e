// Edits to one account's book: a position or balance set in place, inserted in sort order or
// removed. A segment that outgrows its capacity moves to the arena's end; the hole it leaves is
// reclaimed by `compactArenas`, so bulk loads stay dense and upserts stay O(book).
import { Column, i32At, setI32At, u8At, setU8At, u16At, setU16At, i64At, setI64At } from "./column";
import { instrumentUnderlying, instrumentMaxLots, assetMaxAmount, assetUnderlying } from "./reference";
import { MAX_POSITIONS_PER_ACCOUNT, MAX_COLLATERAL_PER_ACCOUNT } from "../limits";
import {
  accountCount, setArenaState,
  accountPositionStart, accountPositionCount, accountPositionCapacity,
  accountCollateralStart, accountCollateralCount, accountCollateralCapacity,
  positionSlots, positionHoles, positionInstrument, positionLots, positionEntry, extendPositionArena,
  collateralSlots, collateralHoles, collateralAsset, collateralAmount, extendCollateralArena,
} from "./accounts";
import { markExposed } from "./exposure";
import { addHolder, removeHolder, markLotsMoved } from "./holders";

/** A position's place in a book: by underlying, then instrument. */
// @ts-ignore: decorator
@inline export function positionKey(instrument: i32): i32 {
  return (i32At(instrumentUnderlying.ptr, instrument) << 16) | instrument;
}

/** Index of the account's position on `instrument` in the position arena, or −1 when it holds none. */
export function positionIndex(account: i32, instrument: i32): i32 {
  const start = i32At(accountPositionStart.ptr, account), end = start + u8At(accountPositionCount.ptr, account);
  for (let p = start; p < end; p++) if (u16At(positionInstrument.ptr, p) == instrument) return p;
  return -1;
}

/**
 * Sets an account's holding of an instrument to `lots` (0 removes it) at `entry`.
 * Returns 0, or 1 when the account would exceed MAX_POSITIONS_PER_ACCOUNT.
 */
export function setPosition(account: i32, instrument: i32, lots: i32, entry: i64): i32 {
  markLotsMoved();
  let start = i32At(accountPositionStart.ptr, account);
  let count = u8At(accountPositionCount.ptr, account);
  const key = positionKey(instrument);
  let at = 0;
  while (at < count && positionKey(u16At(positionInstrument.ptr, start + at)) < key) at++;
  const found = at < count && u16At(positionInstrument.ptr, start + at) == instrument;

  if (found && lots == 0) {
    for (let k = at; k < count - 1; k++) copyPosition(start + k + 1, start + k);
    setU8At(accountPositionCount.ptr, account, count - 1);
    removeHolder(instrument);
    return 0;
  }
  if (found) {
    setI32At(positionLots.ptr, start + at, lots);
    setI64At(positionEntry.ptr, start + at, entry);
    trackLots(instrument, lots);
    return 0;
  }
  if (lots == 0) return 0;
  if (count == MAX_POSITIONS_PER_ACCOUNT) return 1;
  if (count == u8At(accountPositionCapacity.ptr, account)) start = growPositionSegment(account, start, count);
  for (let k = count; k > at; k--) copyPosition(start + k - 1, start + k);
  setU16At(positionInstrument.ptr, start + at, instrument);
  setI32At(positionLots.ptr, start + at, lots);
  setI64At(positionEntry.ptr, start + at, entry);
  setU8At(accountPositionCount.ptr, account, count + 1);
  trackLots(instrument, lots);
  addHolder(instrument);
  markExposed(account, i32At(instrumentUnderlying.ptr, instrument));
  return 0;
}

/**
 * Sets an account's balance of an asset (0 removes it).
 * Returns 0, or 1 when the account would exceed MAX_COLLATERAL_PER_ACCOUNT.
 */
export function setCollateral(account: i32, asset: i32, amount: i64): i32 {
  let start = i32At(accountCollateralStart.ptr, account);
  let count = u8At(accountCollateralCount.ptr, account);
  let at = 0;
  while (at < count && u8At(collateralAsset.ptr, start + at) < asset) at++;
  const found = at < count && u8At(collateralAsset.ptr, start + at) == asset;

  if (found && amount == 0) {
    for (let k = at; k < count - 1; k++) copyCollateral(start + k + 1, start + k);
    setU8At(accountCollateralCount.ptr, account, count - 1);
    return 0;
  }
  if (found) {
    setI64At(collateralAmount.ptr, start + at, amount);
    trackAmount(asset, amount);
    return 0;
  }
  if (amount == 0) return 0;
  if (count == MAX_COLLATERAL_PER_ACCOUNT) return 1;
  if (count == u8At(accountCollateralCapacity.ptr, account)) start = growCollateralSegment(account, start, count);
  for (let k = count; k > at; k--) copyCollateral(start + k - 1, start + k);
  setU8At(collateralAsset.ptr, start + at, asset);
  setI64At(collateralAmount.ptr, start + at, amount);
  setU8At(accountCollateralCount.ptr, account, count + 1);
  trackAmount(asset, amount);
  markExposed(account, i32At(assetUnderlying.ptr, asset));
  return 0;
}

export function trackLots(instrument: i32, lots: i32): void {
  const size = <i64>abs(lots);
  if (size > i64At(instrumentMaxLots.ptr, instrument)) setI64At(instrumentMaxLots.ptr, instrument, size);
}

export function trackAmount(asset: i32, amount: i64): void {
  const size = abs(amount);
  if (size > i64At(assetMaxAmount.ptr, asset)) setI64At(assetMaxAmount.ptr, asset, size);
}

function copyPosition(from: i32, to: i32): void {
  setU16At(positionInstrument.ptr, to, u16At(positionInstrument.ptr, from));
  setI32At(positionLots.ptr, to, i32At(positionLots.ptr, from));
  setI64At(positionEntry.ptr, to, i64At(positionEntry.ptr, from));
}

function copyCollateral(from: i32, to: i32): void {
  setU8At(collateralAsset.ptr, to, u8At(collateralAsset.ptr, from));
  setI64At(collateralAmount.ptr, to, i64At(collateralAmount.ptr, from));
}

/** The capacity a full segment of `count` rows moves to: twice its count, at least `floor`, at most `limit`. */
// @ts-ignore: decorator
@inline function segmentCapacity(count: i32, floor: i32, limit: i32): i32 {
  return min(max(count << 1, floor), limit);
}

/** The capacity a full segment of `count` positions moves to (at least 4). */
export function positionSegmentCapacity(count: i32): i32 {
  return segmentCapacity(count, 4, MAX_POSITIONS_PER_ACCOUNT);
}

/** The capacity a full segment of `count` balances moves to (at least 2). */
export function collateralSegmentCapacity(count: i32): i32 {
  return segmentCapacity(count, 2, MAX_COLLATERAL_PER_ACCOUNT);
}

/** True when the next segment move first rewrites both arenas (compactArenas). */
export function positionsNeedCompacting(): bool {
  return positionHoles > 1024 && positionHoles > positionSlots >> 2;
}

export function collateralsNeedCompacting(): bool {
  return collateralHoles > 1024 && collateralHoles > collateralSlots >> 2;
}

function growPositionSegment(account: i32, start: i32, count: i32): i32 {
  if (positionsNeedCompacting()) {
    compactArenas();
    start = i32At(accountPositionStart.ptr, account);
  }
  const capacity = positionSegmentCapacity(count);
  const moved = positionSlots;
  positionInstrument.reserve(moved + capacity);
  positionLots.reserve(moved + capacity);
  positionEntry.reserve(moved + capacity);
  for (let k = 0; k < count; k++) copyPosition(start + k, moved + k);
  extendPositionArena(capacity, u8At(accountPositionCapacity.ptr, account));
  setI32At(accountPositionStart.ptr, account, moved);
  setU8At(accountPositionCapacity.ptr, account, capacity);
  return moved;
}

function growCollateralSegment(account: i32, start: i32, count: i32): i32 {
  if (collateralsNeedCompacting()) {
    compactArenas();
    start = i32At(accountCollateralStart.ptr, account);
  }
  const capacity = collateralSegmentCapacity(count);
  const moved = collateralSlots;
  collateralAsset.reserve(moved + capacity);
  collateralAmount.reserve(moved + capacity);
  for (let k = 0; k < count; k++) copyCollateral(start + k, moved + k);
  extendCollateralArena(capacity, u8At(accountCollateralCapacity.ptr, account));
  setI32At(accountCollateralStart.ptr, account, moved);
  setU8At(accountCollateralCapacity.ptr, account, capacity);
  return moved;
}

/**
 * Points a full book at a copy of itself just past the position arena's end, with room for one
 * more row, so that a pre-trade trial can insert a position without moving the book (which would
 * leave a hole and put the book out of account order until a compaction). The arena's high-water
 * mark does not move: the copy is scratch, overwritten by the next segment move.
 * Put back with `restoreSegment`.
 */
export function lendScratchSegment(account: i32): void {
  const start = i32At(accountPositionStart.ptr, account), count = u8At(accountPositionCount.ptr, account);
  const scratch = positionSlots;
  positionInstrument.reserve(scratch + count + 1);
  positionLots.reserve(scratch + count + 1);
  positionEntry.reserve(scratch + count + 1);
  for (let k = 0; k < count; k++) copyPosition(start + k, scratch + k);
  setI32At(accountPositionStart.ptr, account, scratch);
  setU8At(accountPositionCapacity.ptr, account, count + 1);
}

/** Points the account's book back at its own segment (after `lendScratchSegment`, the book as it was lent). */
export function restoreSegment(account: i32, start: i32, capacity: i32): void {
  setI32At(accountPositionStart.ptr, account, start);
  setU8At(accountPositionCapacity.ptr, account, capacity);
}

/**
 * True when both arenas already hold every account's rows in account order with no gap (as a bulk
 * load or a compaction leaves them): compacting would change nothing.
 */
export function arenasDense(): bool {
  let positions = 0, collaterals = 0;
  for (let a = 0; a < accountCount; a++) {
    const pn = u8At(accountPositionCount.ptr, a), cn = u8At(accountCollateralCount.ptr, a);
    if (pn > 0 && i32At(accountPositionStart.ptr, a) != positions) return false;
    if (cn > 0 && i32At(accountCollateralStart.ptr, a) != collaterals) return false;
    positions += pn;
    collaterals += cn;
  }
  return positions == positionSlots && collaterals == collateralSlots;
}

/** Rewrites both arenas densely in account order (capacity = count). */
export function compactArenas(): void {
  let positions = 0, collaterals = 0;
  for (let a = 0; a < accountCount; a++) {
    positions += u8At(accountPositionCount.ptr, a);
    collaterals += u8At(accountCollateralCount.ptr, a);
  }
  const instrumentColumn = new Column(1), lotsColumn = new Column(2), entryColumn = new Column(3);
  instrumentColumn.resetTo(positions); lotsColumn.resetTo(positions); entryColumn.resetTo(positions);
  const assetColumn = new Column(0), amountColumn = new Column(3);
  assetColumn.resetTo(collaterals); amountColumn.resetTo(collaterals);
  let p = 0, c = 0;
  for (let a = 0; a < accountCount; a++) {
    const ps = i32At(accountPositionStart.ptr, a), pn = u8At(accountPositionCount.ptr, a);
    for (let k = 0; k < pn; k++) {
      setU16At(instrumentColumn.ptr, p + k, u16At(positionInstrument.ptr, ps + k));
      setI32At(lotsColumn.ptr, p + k, i32At(positionLots.ptr, ps + k));
      setI64At(entryColumn.ptr, p + k, i64At(positionEntry.ptr, ps + k));
    }
    setI32At(accountPositionStart.ptr, a, p);
    setU8At(accountPositionCapacity.ptr, a, pn);
    p += pn;
    const cs = i32At(accountCollateralStart.ptr, a), cn = u8At(accountCollateralCount.ptr, a);
    for (let k = 0; k < cn; k++) {
      setU8At(assetColumn.ptr, c + k, u8At(collateralAsset.ptr, cs + k));
      setI64At(amountColumn.ptr, c + k, i64At(collateralAmount.ptr, cs + k));
    }
    setI32At(accountCollateralStart.ptr, a, c);
    setU8At(accountCollateralCapacity.ptr, a, cn);
    c += cn;
  }
  positionInstrument.adopt(instrumentColumn);
  positionLots.adopt(lotsColumn);
  positionEntry.adopt(entryColumn);
  collateralAsset.adopt(assetColumn);
  collateralAmount.adopt(amountColumn);
  setArenaState(positions, collaterals);
}
