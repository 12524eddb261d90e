// Which instruments' prepared constants (prepare.ts) are current (docs/methodology.md §9). Each
// underlying has an epoch that a move of its prices bumps, so a tick costs O(1) whatever the
// number of instruments; an instrument is current when it was prepared at its underlying's
// epoch. The refresh re-prepares only the instruments someone holds; any other is prepared when
// something first needs it (an order on it, a read of its risk array or greeks).
import { Column, i32At, i64At, setI64At, u8At, u16At } from "../store/column";
import { instrumentCount, instrumentUnderlying, underlyingCount, assetCount, assetUnderlying } from "../store/reference";
import { accountPositionStart, accountPositionCount, positionInstrument } from "../store/accounts";
import { instrumentHolders, heldInstruments, heldScratch } from "../store/holders";
import { prepareInstrument, prepareAsset, reserveConstants } from "./prepare";
import { checkGridShape } from "./scenarios";

const underlyingEpoch = new Column(3); // i64 per underlying
const preparedAt = new Column(3);      // i64 per instrument: its underlying's epoch + 1 when prepared (0: stale)

function reserveEpochs(): void {
  underlyingEpoch.reserve(underlyingCount);
  preparedAt.reserve(instrumentCount);
  reserveConstants();
}

// @ts-ignore: decorator
@inline function isCurrent(i: i32): bool {
  return i64At(preparedAt.ptr, i) == i64At(underlyingEpoch.ptr, i32At(instrumentUnderlying.ptr, i)) + 1;
}

/** Prepares instrument i unless it is current. */
export function ensurePrepared(i: i32): void {
  reserveEpochs();
  if (isCurrent(i)) return;
  prepareInstrument(i);
  setI64At(preparedAt.ptr, i, i64At(underlyingEpoch.ptr, i32At(instrumentUnderlying.ptr, i)) + 1);
}

/** Prepares every instrument account a holds that is not current (before it is evaluated). */
export function prepareAccount(a: i32): void {
  const start = i32At(accountPositionStart.ptr, a), end = start + u8At(accountPositionCount.ptr, a);
  for (let p = start; p < end; p++) ensurePrepared(u16At(positionInstrument.ptr, p));
}

/** Underlying u's prices moved: every one of its instruments is stale. */
export function pricesMoved(u: i32): void {
  reserveEpochs();
  setI64At(underlyingEpoch.ptr, u, i64At(underlyingEpoch.ptr, u) + 1);
}

/** Instrument i's own row changed (its mark, or the whole row). */
export function instrumentChanged(i: i32): void {
  reserveEpochs();
  setI64At(preparedAt.ptr, i, 0);
}

/** Reference data or parameters changed: nothing prepared is current. */
export function invalidatePrepared(): void {
  reserveEpochs();
  for (let u = 0; u < underlyingCount; u++) setI64At(underlyingEpoch.ptr, u, i64At(underlyingEpoch.ptr, u) + 1);
}

/** Brings underlying u's held instruments, its assets and its grid shape up to date. */
export function prepareUnderlying(u: i32): void {
  reserveEpochs();
  const held = heldInstruments(u);
  for (let k = 0; k < held; k++) ensurePrepared(i32At(heldScratch.ptr, k));
  prepareAssetsOf(u);
  checkGridShape(u);
}

/** Before a full recompute: every held instrument current, every asset and grid shape prepared. */
export function prepareHeld(): void {
  reserveEpochs();
  for (let i = 0; i < instrumentCount; i++) if (i32At(instrumentHolders.ptr, i) > 0) ensurePrepared(i);
  for (let a = 0; a < assetCount; a++) prepareAsset(a);
  for (let u = 0; u < underlyingCount; u++) checkGridShape(u);
}

/**
 * Re-prepares underlying u's held instruments and assets at whatever its columns hold now, leaving
 * their epochs alone: for what-if pricing (the liquidation price search), which puts the prices
 * back and calls this again.
 */
export function prepareUnderlyingOnly(u: i32): void {
  reserveEpochs();
  const held = heldInstruments(u);
  for (let k = 0; k < held; k++) prepareInstrument(i32At(heldScratch.ptr, k));
  prepareAssetsOf(u);
}

function prepareAssetsOf(u: i32): void {
  for (let a = 0; a < assetCount; a++) if (i32At(assetUnderlying.ptr, a) == u) prepareAsset(a);
}
