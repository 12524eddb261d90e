// Bulk load: the facade copies typed arrays into staging columns, the module validates every
// row, and only then do the staged arrays replace the live ones. A rejected batch leaves the
// engine exactly as it was.
import { Column, i32At, u8At, u16At, setU16At, setI32At, i64At, setI64At, setU8At } from "./column";
import {
  instrumentCount, instrumentUnderlying, instrumentLotSize, instrumentMark, instrumentStrike,
  instrumentMaxLots, assetCount, assetMaxAmount, underlyingIndex, assetPrice, assetUnderlying, instrumentKind, isOption,
} from "./reference";
import {
  resetAccounts, setArenaState, accountMode, accountPositionStart, accountPositionCount, accountPositionCapacity,
  accountCollateralStart, accountCollateralCount, accountCollateralCapacity,
  positionInstrument, positionLots, positionEntry, collateralAsset, collateralAmount, AccountMode,
} from "./accounts";
import { trackLots, trackAmount, positionKey } from "./books";
import { invalidateExposure } from "./exposure";
import { recountHolders, listedInstruments, heldScratch } from "./holders";
import { invalidateCacheLayout } from "./cache";
import { mul3Div, mulDiv, Rounding } from "../fixed/wide";
import { QTY_PRICE_TO_MONEY } from "../fixed/scales";
import {
  MAX_LOTS, MAX_PRICE, MAX_POSITION_NOTIONAL, MAX_POSITIONS_PER_ACCOUNT,
  MAX_COLLATERAL_AMOUNT, MAX_COLLATERAL_VALUE, MAX_COLLATERAL_PER_ACCOUNT,
} from "../limits";

/** Which staged column a rejection points at (the facade's STAGED_FIELDS are generated from the names). */
export const enum StagedField {
  None = 0, Mode = 1, PositionOffsets = 2, PositionInstrument = 3, PositionLots = 4,
  PositionEntry = 5, CollateralOffsets = 6, CollateralAsset = 7, CollateralAmount = 8,
}
/** Why a row was rejected (generated into the facade's REJECTION_* constants). */
export const enum Rejection { None = 0, OutOfRange = 1, UnknownId = 2, Duplicate = 3, Malformed = 4 }

let rejectedField: i32 = 0;
let rejectedRow: i32 = 0;
/** The staged column and row of the last rejection (StagedField, input row). */
export function getRejectedField(): i32 { return rejectedField; }
export function getRejectedRow(): i32 { return rejectedRow; }

let stagedAccounts: i32 = 0;
let stagedPositions: i32 = 0;
let stagedCollaterals: i32 = 0;
export const stagedMode = new Column(0);              // u8 per account
export const stagedPositionOffsets = new Column(2);   // i32, accounts + 1
export const stagedPositionInstrument = new Column(1);
export const stagedPositionLots = new Column(2);
export const stagedPositionEntry = new Column(3);
export const stagedCollateralOffsets = new Column(2); // i32, accounts + 1
export const stagedCollateralAsset = new Column(0);
export const stagedCollateralAmount = new Column(3);

export function stageLoad(accounts: i32, positions: i32, collaterals: i32): void {
  stagedAccounts = accounts;
  stagedPositions = positions;
  stagedCollaterals = collaterals;
  stagedMode.resetTo(accounts);
  stagedPositionOffsets.resetTo(accounts + 1);
  stagedPositionInstrument.resetTo(positions);
  stagedPositionLots.resetTo(positions);
  stagedPositionEntry.resetTo(positions);
  stagedCollateralOffsets.resetTo(accounts + 1);
  stagedCollateralAsset.resetTo(collaterals);
  stagedCollateralAmount.resetTo(collaterals);
}

export function discardStaged(): void { stageLoad(0, 0, 0); }

function reject(field: StagedField, row: i32, why: Rejection): i32 {
  rejectedField = field;
  rejectedRow = row;
  return why;
}

/** The largest price a position on `instrument` is valued at (bounds its notional). */
// @ts-ignore: decorator
@inline function positionPriceBound(instrument: i32, entry: i64): i64 {
  let p = max(i64At(instrumentMark.ptr, instrument), entry);
  p = max(p, i64At(underlyingIndex.ptr, i32At(instrumentUnderlying.ptr, instrument)));
  return max(p, i64At(instrumentStrike.ptr, instrument));
}

/**
 * |lots| × lotSize × price within MAX_POSITION_NOTIONAL. The f64 product is within 1e-15 of the
 * exact one, so only estimates near the bound (1e26 at quantity × price scale) need the exact
 * 128-bit check.
 */
function notionalWithinLimit(lots: i64, lotSize: i64, price: i64): bool {
  const estimate = <f64>abs(lots) * <f64>lotSize * <f64>price;
  if (estimate < 0.999e26) return true;
  if (estimate > 1.001e26) return false;
  return mul3Div(abs(lots), lotSize, price, <u64>QTY_PRICE_TO_MONEY, Rounding.Ceil) <= MAX_POSITION_NOTIONAL;
}

/**
 * The lowest-numbered instrument held on underlying u since the last bulk load whose largest
 * holding would pass the notional limit at `index` (its bound the largest of its mark, strike and
 * that index), or −1: a price check that costs what has been held, not what is listed. The list's
 * order depends on how the books were built; the answer does not, so a restored engine names the
 * same instrument.
 */
export function heldBeyondNotional(u: i32, index: i64): i32 {
  const held = listedInstruments(u);
  let beyond = -1;
  for (let k = 0; k < held; k++) {
    const i = i32At(heldScratch.ptr, k);
    if (beyond >= 0 && i > beyond) continue;
    const bound = max(max(i64At(instrumentMark.ptr, i), i64At(instrumentStrike.ptr, i)), index);
    if (!notionalWithinLimit(i64At(instrumentMaxLots.ptr, i), i64At(instrumentLotSize.ptr, i), bound)) beyond = i;
  }
  return beyond;
}

export function assetPriceOf(asset: i32): i64 {
  const u = i32At(assetUnderlying.ptr, asset);
  return u >= 0 ? i64At(underlyingIndex.ptr, u) : i64At(assetPrice.ptr, asset);
}

/**
 * |amount| within MAX_COLLATERAL_AMOUNT and |amount| × price within MAX_COLLATERAL_VALUE (1e27 at
 * amount × price scale), checked as the notional is.
 */
function collateralWithinLimit(amount: i64, price: i64): bool {
  // compared both ways: abs(i64.MIN) is i64.MIN, which would pass a magnitude test
  if (amount > MAX_COLLATERAL_AMOUNT || amount < -MAX_COLLATERAL_AMOUNT) return false;
  const estimate = <f64>abs(amount) * <f64>price;
  if (estimate < 0.999e27) return true;
  if (estimate > 1.001e27) return false;
  return mulDiv(abs(amount), price, <u64>QTY_PRICE_TO_MONEY, Rounding.Ceil) <= MAX_COLLATERAL_VALUE;
}

/** Sorts one staged book by (underlying, instrument): insertion sort, books hold ≤ 64 rows. */
function sortStagedBook(start: i32, end: i32): void {
  for (let i = start + 1; i < end; i++) {
    const instrument = u16At(stagedPositionInstrument.ptr, i);
    const lots = i32At(stagedPositionLots.ptr, i);
    const entry = i64At(stagedPositionEntry.ptr, i);
    const key = positionKey(instrument);
    let j = i - 1;
    while (j >= start) {
      const other = u16At(stagedPositionInstrument.ptr, j);
      if (positionKey(other) <= key) break;
      setU16At(stagedPositionInstrument.ptr, j + 1, other);
      setI32At(stagedPositionLots.ptr, j + 1, i32At(stagedPositionLots.ptr, j));
      setI64At(stagedPositionEntry.ptr, j + 1, i64At(stagedPositionEntry.ptr, j));
      j--;
    }
    setU16At(stagedPositionInstrument.ptr, j + 1, instrument);
    setI32At(stagedPositionLots.ptr, j + 1, lots);
    setI64At(stagedPositionEntry.ptr, j + 1, entry);
  }
}

function sortStagedCollateral(start: i32, end: i32): void {
  for (let i = start + 1; i < end; i++) {
    const asset = u8At(stagedCollateralAsset.ptr, i);
    const amount = i64At(stagedCollateralAmount.ptr, i);
    let j = i - 1;
    while (j >= start && u8At(stagedCollateralAsset.ptr, j) > asset) {
      setU8At(stagedCollateralAsset.ptr, j + 1, u8At(stagedCollateralAsset.ptr, j));
      setI64At(stagedCollateralAmount.ptr, j + 1, i64At(stagedCollateralAmount.ptr, j));
      j--;
    }
    setU8At(stagedCollateralAsset.ptr, j + 1, asset);
    setI64At(stagedCollateralAmount.ptr, j + 1, amount);
  }
}

/**
 * Checks every staged row against the reference data and docs/limits.md; sorts each book.
 * Returns a Rejection (0 = valid) and leaves the offending column and row in rejectedField/Row.
 * Staged rows are original input order until a book validates, so reported rows are input rows.
 */
export function validateStaged(): i32 {
  for (let a = 0; a < stagedAccounts; a++) {
    if (u8At(stagedMode.ptr, a) > AccountMode.Portfolio) return reject(StagedField.Mode, a, Rejection.Malformed);
  }
  const po = stagedPositionOffsets.ptr, co = stagedCollateralOffsets.ptr;
  if (i32At(po, 0) != 0) return reject(StagedField.PositionOffsets, 0, Rejection.Malformed);
  if (i32At(co, 0) != 0) return reject(StagedField.CollateralOffsets, 0, Rejection.Malformed);
  for (let a = 0; a < stagedAccounts; a++) {
    const n = i32At(po, a + 1) - i32At(po, a);
    if (n < 0 || i32At(po, a + 1) > stagedPositions) return reject(StagedField.PositionOffsets, a + 1, Rejection.Malformed);
    if (n > MAX_POSITIONS_PER_ACCOUNT) return reject(StagedField.PositionOffsets, a + 1, Rejection.OutOfRange);
    const m = i32At(co, a + 1) - i32At(co, a);
    if (m < 0 || i32At(co, a + 1) > stagedCollaterals) return reject(StagedField.CollateralOffsets, a + 1, Rejection.Malformed);
    if (m > MAX_COLLATERAL_PER_ACCOUNT) return reject(StagedField.CollateralOffsets, a + 1, Rejection.OutOfRange);
  }
  if (i32At(po, stagedAccounts) != stagedPositions) return reject(StagedField.PositionOffsets, stagedAccounts, Rejection.Malformed);
  if (i32At(co, stagedAccounts) != stagedCollaterals) return reject(StagedField.CollateralOffsets, stagedAccounts, Rejection.Malformed);

  for (let p = 0; p < stagedPositions; p++) {
    const instrument = u16At(stagedPositionInstrument.ptr, p);
    if (instrument >= instrumentCount) return reject(StagedField.PositionInstrument, p, Rejection.UnknownId);
    const lots = i32At(stagedPositionLots.ptr, p);
    if (lots == 0 || lots > MAX_LOTS || lots < -MAX_LOTS) return reject(StagedField.PositionLots, p, Rejection.OutOfRange);
    const entry = i64At(stagedPositionEntry.ptr, p);
    // an option's premium may be 0 (a worthless far strike); a linear entry price may not
    const lowest: i64 = isOption(u8At(instrumentKind.ptr, instrument)) ? 0 : 1;
    if (entry < lowest || entry > MAX_PRICE) return reject(StagedField.PositionEntry, p, Rejection.OutOfRange);
    if (!notionalWithinLimit(lots, i64At(instrumentLotSize.ptr, instrument), positionPriceBound(instrument, entry))) {
      return reject(StagedField.PositionLots, p, Rejection.OutOfRange);
    }
  }
  for (let c = 0; c < stagedCollaterals; c++) {
    const asset = u8At(stagedCollateralAsset.ptr, c);
    if (asset >= assetCount) return reject(StagedField.CollateralAsset, c, Rejection.UnknownId);
    const amount = i64At(stagedCollateralAmount.ptr, c);
    if (amount == 0 || !collateralWithinLimit(amount, assetPriceOf(asset))) {
      return reject(StagedField.CollateralAmount, c, Rejection.OutOfRange);
    }
  }
  // Duplicates: report the later input row of the pair, found before the book is sorted.
  for (let a = 0; a < stagedAccounts; a++) {
    const start = i32At(po, a), end = i32At(po, a + 1);
    for (let i = start + 1; i < end; i++) {
      const instrument = u16At(stagedPositionInstrument.ptr, i);
      for (let j = start; j < i; j++) {
        if (u16At(stagedPositionInstrument.ptr, j) == instrument) return reject(StagedField.PositionInstrument, i, Rejection.Duplicate);
      }
    }
    const cStart = i32At(co, a), cEnd = i32At(co, a + 1);
    for (let i = cStart + 1; i < cEnd; i++) {
      const asset = u8At(stagedCollateralAsset.ptr, i);
      for (let j = cStart; j < i; j++) {
        if (u8At(stagedCollateralAsset.ptr, j) == asset) return reject(StagedField.CollateralAsset, i, Rejection.Duplicate);
      }
    }
  }
  rejectedField = StagedField.None;
  rejectedRow = 0;
  return Rejection.None;
}

/** Replaces all accounts with the validated staged batch. */
export function commitStaged(): void {
  const n = stagedAccounts;
  resetAccounts(n);
  const po = stagedPositionOffsets.ptr, co = stagedCollateralOffsets.ptr;
  for (let a = 0; a < n; a++) {
    const ps = i32At(po, a), pn = i32At(po, a + 1) - ps;
    const cs = i32At(co, a), cn = i32At(co, a + 1) - cs;
    sortStagedBook(ps, ps + pn);
    sortStagedCollateral(cs, cs + cn);
    setI32At(accountPositionStart.ptr, a, ps);
    setU8At(accountPositionCount.ptr, a, pn);
    setU8At(accountPositionCapacity.ptr, a, pn);
    setI32At(accountCollateralStart.ptr, a, cs);
    setU8At(accountCollateralCount.ptr, a, cn);
    setU8At(accountCollateralCapacity.ptr, a, cn);
    setU8At(accountMode.ptr, a, u8At(stagedMode.ptr, a));
  }
  positionInstrument.adopt(stagedPositionInstrument);
  positionLots.adopt(stagedPositionLots);
  positionEntry.adopt(stagedPositionEntry);
  collateralAsset.adopt(stagedCollateralAsset);
  collateralAmount.adopt(stagedCollateralAmount);
  setArenaState(stagedPositions, stagedCollaterals);
  invalidateExposure();
  invalidateCacheLayout();
  recountHolders(stagedPositions);
  memory.fill(instrumentMaxLots.ptr, 0, <usize>instrumentCount << 3);
  memory.fill(assetMaxAmount.ptr, 0, <usize>assetCount << 3);
  for (let p = 0; p < stagedPositions; p++) trackLots(u16At(positionInstrument.ptr, p), i32At(positionLots.ptr, p));
  for (let c = 0; c < stagedCollaterals; c++) trackAmount(u8At(collateralAsset.ptr, c), i64At(collateralAmount.ptr, c));
  discardStaged();
}
