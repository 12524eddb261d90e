// Who holds each instrument: the number of open positions in it and, per underlying, a list of
// its instruments held since the last bulk load. A price move re-prepares only those held now
// (docs/methodology.md §9) — an instrument nobody holds is prepared when it is first needed — and
// checks the notional limit on those ever held (docs/limits.md: the largest |lots| held counts).
import { Column, i32At, i64At, setI32At, u16At } from "./column";
import { instrumentCount, instrumentMaxLots, instrumentUnderlying, underlyingCount } from "./reference";
import { positionInstrument } from "./accounts";

/** i32 per instrument: positions open in it. */
export const instrumentHolders = new Column(2);
/** i32: the instruments listed by the last `heldInstruments` or `listedInstruments` call. */
export const heldScratch = new Column(2);
const listHead = new Column(2);    // i32 per underlying: first listed instrument + 1 (0: none)
const listNext = new Column(2);    // i32 per instrument: next listed instrument + 1
// i32 per instrument: the underlying + 1 whose list holds it (held since the last bulk load), 0: none.
// An upsert may move an unheld instrument to another underlying: it is then moved to that list.
const listedUnder = new Column(2);

/** Whether a book edit or a load may have moved some instrument's net lots since they were last summed. */
let lotsMoved = true;

/** A book edit or a load moved lots. */
export function markLotsMoved(): void {
  lotsMoved = true;
}

/** Whether lots moved since the last call (risk/open-interest.ts sums net lots again only then). */
export function takeLotsMoved(): bool {
  const moved = lotsMoved;
  lotsMoved = false;
  return moved;
}

/** Sizes the holder tables for the current instrument and underlying counts. */
export function reserveHolders(): void {
  instrumentHolders.reserve(instrumentCount);
  listNext.reserve(instrumentCount);
  listedUnder.reserve(instrumentCount);
  heldScratch.reserve(instrumentCount);
  listHead.reserve(underlyingCount);
}

function list(i: i32): void {
  const u = i32At(instrumentUnderlying.ptr, i), under = i32At(listedUnder.ptr, i);
  if (under == u + 1) return;
  if (under != 0) unlist(i, under - 1);
  setI32At(listNext.ptr, i, i32At(listHead.ptr, u));
  setI32At(listHead.ptr, u, i + 1);
  setI32At(listedUnder.ptr, i, u + 1);
}

/** Takes instrument i off underlying u's list (a walk of that list: only after i moved underlying). */
function unlist(i: i32, u: i32): void {
  const next = i32At(listNext.ptr, i);
  if (i32At(listHead.ptr, u) == i + 1) {
    setI32At(listHead.ptr, u, next);
    return;
  }
  for (let link = i32At(listHead.ptr, u); link != 0; link = i32At(listNext.ptr, link - 1)) {
    if (i32At(listNext.ptr, link - 1) != i + 1) continue;
    setI32At(listNext.ptr, link - 1, next);
    return;
  }
}

/** A position in `i` opened. */
export function addHolder(i: i32): void {
  reserveHolders();
  setI32At(instrumentHolders.ptr, i, i32At(instrumentHolders.ptr, i) + 1);
  list(i);
}

/** A position in `i` closed. */
export function removeHolder(i: i32): void {
  setI32At(instrumentHolders.ptr, i, i32At(instrumentHolders.ptr, i) - 1);
}

/** Counts and lists rebuilt from the first `positions` rows of the position arena (a bulk load). */
export function recountHolders(positions: i32): void {
  reserveHolders();
  lotsMoved = true;
  memory.fill(instrumentHolders.ptr, 0, <usize>instrumentCount << 2);
  memory.fill(listedUnder.ptr, 0, <usize>instrumentCount << 2);
  memory.fill(listHead.ptr, 0, <usize>underlyingCount << 2);
  for (let p = 0; p < positions; p++) {
    const i = u16At(positionInstrument.ptr, p);
    setI32At(instrumentHolders.ptr, i, i32At(instrumentHolders.ptr, i) + 1);
  }
  for (let i = 0; i < instrumentCount; i++) if (i32At(instrumentHolders.ptr, i) > 0) list(i);
}

/**
 * Lists every instrument with a largest holding on record: a restored snapshot's high-water marks
 * can name instruments closed before it was taken, which price checks must still see.
 */
export function listMarkedInstruments(): void {
  reserveHolders();
  for (let i = 0; i < instrumentCount; i++) if (i64At(instrumentMaxLots.ptr, i) > 0) list(i);
}

/** Writes underlying u's instruments held now to heldScratch; returns how many. */
export function heldInstruments(u: i32): i32 {
  return collect(u, true);
}

/** Writes underlying u's instruments held since the last bulk load to heldScratch; returns how many. */
export function listedInstruments(u: i32): i32 {
  return collect(u, false);
}

function collect(u: i32, heldNow: bool): i32 {
  reserveHolders();
  let count = 0;
  for (let link = i32At(listHead.ptr, u); link != 0; link = i32At(listNext.ptr, link - 1)) {
    const i = link - 1;
    // an instrument since moved to another underlying is on that one's list from its next holder on
    if (i32At(instrumentUnderlying.ptr, i) != u) continue;
    if (!heldNow || i32At(instrumentHolders.ptr, i) > 0) setI32At(heldScratch.ptr, count++, i);
  }
  return count;
}
