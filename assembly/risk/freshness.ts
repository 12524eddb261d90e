// Which instruments' prepared constants (prepare.ts) are current (docs/methodology.md §9). Each
// underlying has an epoch that a move of its prices bumps, so a tick costs O(1) whatever the
// number of instruments; an instrument is current when it was prepared at its underlying's
// epoch. The refresh re-prepares only the instruments someone holds; any other is prepared when
// something first needs it (an order on it, a read of its risk array or greeks).
import { Column, i32At, i64At, setI64At, u8At, u16At } from "../store/column";
import { instrumentCount, instrumentUnderlying, underlyingCount, assetCount, assetUnderlying } from "../store/reference";
import { accountPositionStart, accountPositionCount, positionInstrument } from "../store/accounts";
import { instrumentHolders, heldInstruments, heldScratch, reserveHolders } from "../store/holders";
import {
  prepareInstrument, prepareAsset, reserveConstants, kernelRecords, assetRecords, Record,
  RECORD_HEADER, ASSET_RECORD_WORDS,
} from "./prepare";
import { checkGridShape, scenarioCount } from "./scenarios";

const underlyingEpoch = new Column(3); // i64 per underlying
const preparedAt = new Column(3);      // i64 per instrument: its underlying's epoch + 1 when prepared (0: stale)

// the counts the tables were last sized for: sizing them is a loop over every table, so skip it when nothing grew
let sizedInstruments = -1, sizedUnderlyings = -1, sizedAssets = -1, sizedScenarios = -1;

function reserveEpochs(): void {
  if (instrumentCount == sizedInstruments && underlyingCount == sizedUnderlyings && assetCount == sizedAssets && scenarioCount == sizedScenarios) return;
  underlyingEpoch.reserve(underlyingCount);
  preparedAt.reserve(instrumentCount);
  reserveConstants();
  sizedInstruments = instrumentCount;
  sizedUnderlyings = underlyingCount;
  sizedAssets = assetCount;
  sizedScenarios = scenarioCount;
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

/** Instrument i's mark moved. */
export function instrumentChanged(i: i32): void {
  reserveEpochs();
  setI64At(preparedAt.ptr, i, 0);
}

/** u8 per underlying: one of its instruments' rows was rewritten (tiers included) since its last tick. */
const rowsRewritten = new Column(0);

/** Instrument i's whole row was rewritten (an upsert): its old charges cannot be recomputed from its tier rows. */
export function instrumentRewritten(i: i32): void {
  instrumentChanged(i);
  rowsRewritten.reserve(underlyingCount);
  store<u8>(rowsRewritten.ptr + <usize>i32At(instrumentUnderlying.ptr, i), 1);
}

/** Whether a row of u was rewritten since u's last tick (then cleared): a standard account is walked whole. */
export function takeRowsRewritten(u: i32): bool {
  rowsRewritten.reserve(underlyingCount);
  const rewritten = load<u8>(rowsRewritten.ptr + <usize>u) != 0;
  store<u8>(rowsRewritten.ptr + <usize>u, 0);
  return rewritten;
}

/** Reference data or parameters changed: nothing prepared is current. */
export function invalidatePrepared(): void {
  reserveEpochs();
  for (let u = 0; u < underlyingCount; u++) setI64At(underlyingEpoch.ptr, u, i64At(underlyingEpoch.ptr, u) + 1);
}

/**
 * What a tick on u changed, for the accounts whose results it moves by difference (tick.ts): each
 * held instrument's record carries a Changed flag — its per-lot value (lotMarkMoney, lotMarkRest)
 * moved — and the header of its record before the tick is kept here (RECORD_HEADER words an
 * instrument), as is each of u's assets' record.
 */
export const previousRecords = new Column(3);
export const previousAssetRecords = new Column(3);

/**
 * Brings underlying u's held instruments, its assets and its grid shape up to date before a tick,
 * keeping what they were: every account's cached results were computed with those values.
 */
export function prepareUnderlying(u: i32): void {
  reserveEpochs();
  previousRecords.reserve(instrumentCount * RECORD_HEADER);
  previousAssetRecords.reserve(assetCount * ASSET_RECORD_WORDS);
  const held = heldInstruments(u), stride = <usize>(RECORD_HEADER + scenarioCount) << 3, header = <usize>RECORD_HEADER << 3;
  for (let k = 0; k < held; k++) {
    const i = i32At(heldScratch.ptr, k), record = kernelRecords.ptr + <usize>i * stride;
    const previous = previousRecords.ptr + <usize>i * header;
    memory.copy(previous, record, header);
    ensurePrepared(i);
    const changed = load<i64>(previous, Record.Money) != load<i64>(record, Record.Money) || load<i64>(previous, Record.Rest) != load<i64>(record, Record.Rest);
    store<u8>(record + Record.Changed, changed ? 1 : 0);
  }
  const bytes = <usize>ASSET_RECORD_WORDS << 3;
  for (let a = 0; a < assetCount; a++) {
    if (i32At(assetUnderlying.ptr, a) != u) continue;
    memory.copy(previousAssetRecords.ptr + <usize>a * bytes, assetRecords.ptr + <usize>a * bytes, bytes);
    prepareAsset(a);
  }
  checkGridShape(u);
}

/** Before a full recompute: every held instrument current, every asset and grid shape prepared. */
export function prepareHeld(): void {
  reserveEpochs();
  reserveHolders();
  for (let i = 0; i < instrumentCount; i++) if (i32At(instrumentHolders.ptr, i) > 0) ensurePrepared(i);
  for (let a = 0; a < assetCount; a++) prepareAsset(a);
  for (let u = 0; u < underlyingCount; u++) checkGridShape(u);
}

/**
 * Re-prepares what evaluating account a reads of underlying u — the instruments it holds on u and
 * u's assets — at whatever the columns hold now, leaving their epochs alone: for what-if pricing
 * of one account (the liquidation price search), which puts the prices back and calls this again.
 */
export function prepareAccountOn(a: i32, u: i32): void {
  reserveEpochs();
  const start = i32At(accountPositionStart.ptr, a), end = start + u8At(accountPositionCount.ptr, a);
  for (let p = start; p < end; p++) {
    const i = <i32>u16At(positionInstrument.ptr, p);
    if (i32At(instrumentUnderlying.ptr, i) == u) prepareInstrument(i);
  }
  prepareAssetsOf(u);
}

function prepareAssetsOf(u: i32): void {
  for (let a = 0; a < assetCount; a++) if (i32At(assetUnderlying.ptr, a) == u) prepareAsset(a);
}
