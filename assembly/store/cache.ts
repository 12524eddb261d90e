// What a price tick needs to move an account's results without walking all of it
// (docs/methodology.md §9). A portfolio account keeps, per price group — an underlying it holds
// a position on or a balance priced from, in ascending underlying order — the group's margin L
// (its bucket loss, 0 for a balance-only group with shockCollateral off) and its part of equity
// E: two i64 words a group. A standard account keeps its IM: one word. The slots live in one
// arena; a slot that outgrows its room, or that a mode change gave up, moves to the arena's end.
// Once the holes pass half of the arena, the next slot to move first compacts it (each slot
// keeping its room and contents), and a full recompute lays it out densely again.
import { Column, i32At, setI32At, u8At, setU8At, u16At } from "./column";
import { instrumentUnderlying, assetUnderlying, underlyingCount } from "./reference";
import {
  accountCount, accountMode, accountPositionStart, accountPositionCount, accountCollateralStart,
  accountCollateralCount, accountCacheStart, accountCacheCapacity, positionInstrument, collateralAsset, AccountMode,
} from "./accounts";

/** i64 words: every account's slot. */
export const cacheWords = new Column(3);
/** Bytes of a price group's two words (L, E) in a portfolio account's slot. */
export const GROUP_BYTES: usize = 16;
let wordsUsed = 0;
let holeWords = 0;
let layoutStale = true;
/** Whether a slot moved to the arena's end since the arena was last laid out (an empty slot leaves no hole). */
let slotsMoved = false;

/** Words of the arena in use (holes included): where the next moved slot starts. */
export function getCacheWordsUsed(): i32 {
  return wordsUsed;
}

/** Words of the arena's holes: slots given up or moved away from. */
export function getCacheHoleWords(): i32 {
  return holeWords;
}

/** The fewest hole words worth a compaction before a slot moves (8 KiB). */
const COMPACTING_HOLES = 1024;

/**
 * Whether slot moves of `moved` words in all could compact the arena first: each leaves at most
 * its words as a hole. With 0, whether the next move does: the holes pass half of the arena (the
 * facade's memory estimate asks with the moves a read may make).
 */
export function cacheCompactionPossible(moved: i32): bool {
  return holeWords + moved > COMPACTING_HOLES && holeWords + moved > wordsUsed >> 1;
}

/** True when compactCache would move something: a slot left its place, or left a hole. */
export function cacheNeedsCompacting(): bool {
  return !layoutStale && (slotsMoved || holeWords > 0);
}

/** The slots no longer match the account table (a bulk load): lay them out again. */
export function invalidateCacheLayout(): void {
  layoutStale = true;
}

/** True when the next full recompute should lay the arena out again. */
export function cacheLayoutDue(): bool {
  return layoutStale || holeWords > wordsUsed >> 1;
}

/** Byte address of account a's slot (its current contents). */
// @ts-ignore: decorator
@inline export function cacheSlot(a: i32): usize {
  return cacheWords.ptr + (<usize>i32At(accountCacheStart.ptr, a) << 3);
}

/** Byte address of a slot of at least `words` words for account a, moved to the arena's end if it has less. */
// @ts-ignore: decorator
@inline export function cacheSlotFor(a: i32, words: i32): usize {
  if (words > u8At(accountCacheCapacity.ptr, a)) moveSlot(a, words);
  return cacheSlot(a);
}

/** Gives up account a's slot (its mode changed): the next walk that commits it takes a new one. */
export function releaseSlot(a: i32): void {
  holeWords += u8At(accountCacheCapacity.ptr, a);
  setU8At(accountCacheCapacity.ptr, a, 0);
}

function moveSlot(a: i32, words: i32): void {
  if (cacheCompactionPossible(0)) compactCache();
  cacheWords.reserve(wordsUsed + words);
  holeWords += u8At(accountCacheCapacity.ptr, a);
  setI32At(accountCacheStart.ptr, a, wordsUsed);
  setU8At(accountCacheCapacity.ptr, a, words);
  wordsUsed += words;
  slotsMoved = true;
}

const groupStamp = new Column(2); // i32 per underlying: last account counted + 1

/** Words account a needs: 2 per price group in portfolio mode, 1 in standard mode. */
function wordsOf(a: i32): i32 {
  if (u8At(accountMode.ptr, a) != AccountMode.Portfolio) return 1;
  const stamp = a + 1;
  let groups = 0;
  const ps = i32At(accountPositionStart.ptr, a), pe = ps + u8At(accountPositionCount.ptr, a);
  for (let p = ps; p < pe; p++) {
    const u = i32At(instrumentUnderlying.ptr, u16At(positionInstrument.ptr, p));
    if (i32At(groupStamp.ptr, u) != stamp) groups++;
    setI32At(groupStamp.ptr, u, stamp);
  }
  const cs = i32At(accountCollateralStart.ptr, a), ce = cs + u8At(accountCollateralCount.ptr, a);
  for (let c = cs; c < ce; c++) {
    const u = i32At(assetUnderlying.ptr, u8At(collateralAsset.ptr, c));
    if (u < 0 || i32At(groupStamp.ptr, u) == stamp) continue;
    setI32At(groupStamp.ptr, u, stamp);
    groups++;
  }
  return groups << 1;
}

/** Lays every account's slot out densely in account order, sized to its book. */
export function layoutCache(): void {
  groupStamp.resetTo(underlyingCount);
  let total = 0;
  for (let a = 0; a < accountCount; a++) {
    const words = wordsOf(a);
    setI32At(accountCacheStart.ptr, a, total);
    setU8At(accountCacheCapacity.ptr, a, words);
    total += words;
  }
  cacheWords.resetTo(total);
  wordsUsed = total;
  holeWords = 0;
  layoutStale = false;
  slotsMoved = false;
}

/**
 * Rewrites the arena densely in account order, each slot keeping its room and contents, so the
 * results it holds stay valid (compaction.ts). Nothing to do while the layout is due anyway, or
 * when no slot has moved.
 */
export function compactCache(): void {
  if (!cacheNeedsCompacting()) return;
  let total = 0;
  for (let a = 0; a < accountCount; a++) total += u8At(accountCacheCapacity.ptr, a);
  const column = new Column(3);
  column.resetTo(total);
  let at = 0;
  for (let a = 0; a < accountCount; a++) {
    const words = u8At(accountCacheCapacity.ptr, a);
    memory.copy(column.ptr + (<usize>at << 3), cacheSlot(a), <usize>words << 3);
    setI32At(accountCacheStart.ptr, a, at);
    at += words;
  }
  cacheWords.adopt(column);
  wordsUsed = total;
  holeWords = 0;
  slotsMoved = false;
}
