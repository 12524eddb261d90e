// The account table and the two arenas that hold the books, in compressed-sparse-row form: each
// account owns a contiguous segment of the position arena (sorted by underlying, then
// instrument) and of the collateral arena (sorted by asset). books.ts edits the segments.
import { Column, setI32At, setU8At } from "./column";

export let accountCount: i32 = 0;
export const accountPositionStart = new Column(2);      // i32
export const accountPositionCount = new Column(0);      // u8
export const accountPositionCapacity = new Column(0);   // u8
export const accountCollateralStart = new Column(2);    // i32
export const accountCollateralCount = new Column(0);    // u8
export const accountCollateralCapacity = new Column(0); // u8
/** An account's margin method (docs/methodology.md §4, §5). */
export const enum AccountMode { Standard = 0, Portfolio = 1 }
export const accountMode = new Column(0);               // u8 AccountMode
export const accountStatus = new Column(0);             // u8 AccountStatus (derived)
export const accountEquity = new Column(3);             // i64 money (derived)
export const accountMaintenanceMargin = new Column(3);  // i64 money (derived)
export const accountCacheStart = new Column(2);         // i32 first word of the account's slot in cache.ts
export const accountCacheCapacity = new Column(0);      // u8 words the slot holds

export let positionSlots: i32 = 0; // arena high-water mark
export let positionHoles: i32 = 0; // slots abandoned by moved segments
export const positionInstrument = new Column(1); // u16
export const positionLots = new Column(2);       // i32
export const positionEntry = new Column(3);      // i64 price

export let collateralSlots: i32 = 0;
export let collateralHoles: i32 = 0;
export const collateralAsset = new Column(0);  // u8
export const collateralAmount = new Column(3); // i64 amount, scale 1e8

export function getAccountCount(): i32 { return accountCount; }
export function getPositionSlots(): i32 { return positionSlots; }
export function getCollateralSlots(): i32 { return collateralSlots; }
export function getPositionHoles(): i32 { return positionHoles; }
export function getCollateralHoles(): i32 { return collateralHoles; }

const accountColumns: Column[] = [
  accountPositionStart, accountPositionCount, accountPositionCapacity,
  accountCollateralStart, accountCollateralCount, accountCollateralCapacity,
  accountMode, accountStatus, accountEquity, accountMaintenanceMargin, accountCacheStart, accountCacheCapacity,
];

/** Appends an empty account in the given mode; returns its index. */
export function appendAccount(mode: i32): i32 {
  const a = accountCount;
  for (let c = 0; c < accountColumns.length; c++) unchecked(accountColumns[c]).reserve(a + 1);
  setI32At(accountPositionStart.ptr, a, positionSlots);
  setU8At(accountPositionCount.ptr, a, 0);
  setU8At(accountPositionCapacity.ptr, a, 0);
  setI32At(accountCollateralStart.ptr, a, collateralSlots);
  setU8At(accountCollateralCount.ptr, a, 0);
  setU8At(accountCollateralCapacity.ptr, a, 0);
  setU8At(accountMode.ptr, a, mode);
  setU8At(accountCacheCapacity.ptr, a, 0);
  accountCount = a + 1;
  return a;
}

export function setAccountMode(account: i32, mode: i32): void {
  setU8At(accountMode.ptr, account, mode);
}

/** Replaces the whole account table (bulk load); arenas are adopted by the caller. */
export function resetAccounts(count: i32): void {
  for (let c = 0; c < accountColumns.length; c++) unchecked(accountColumns[c]).resetTo(count);
  accountCount = count;
}

export function setArenaState(positions: i32, collaterals: i32): void {
  positionSlots = positions;
  positionHoles = 0;
  collateralSlots = collaterals;
  collateralHoles = 0;
}

/** Appends `capacity` slots to the position arena for a moved segment; its `abandoned` old slots become a hole. */
export function extendPositionArena(capacity: i32, abandoned: i32): void {
  positionHoles += abandoned;
  positionSlots += capacity;
}

/** Appends `capacity` slots to the collateral arena for a moved segment; its `abandoned` old slots become a hole. */
export function extendCollateralArena(capacity: i32, abandoned: i32): void {
  collateralHoles += abandoned;
  collateralSlots += capacity;
}
