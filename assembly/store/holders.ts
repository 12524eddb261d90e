// Who holds each instrument: the number of open positions in it and, per underlying, a list of
// its instruments held since the last bulk load. A price move re-prepares only those held now
// (docs/methodology.md §9) — an instrument nobody holds is prepared when it is first needed — and
// checks the notional limit on those ever held (docs/limits.md: the largest |lots| held counts).
import { Column, i32At, setI32At, u8At, setU8At, u16At } from "./column";
import { instrumentCount, instrumentUnderlying, underlyingCount } from "./reference";
import { positionInstrument } from "./accounts";

/** i32 per instrument: positions open in it. */
export const instrumentHolders = new Column(2);
/** i32: the instruments listed by the last `heldInstruments` or `listedInstruments` call. */
export const heldScratch = new Column(2);
const listHead = new Column(2); // i32 per underlying: first listed instrument + 1 (0: none)
const listNext = new Column(2); // i32 per instrument: next listed instrument + 1
const listed = new Column(0);   // u8 per instrument: on its underlying's list (held since the last bulk load)

/** Sizes the holder tables for the current instrument and underlying counts. */
export function reserveHolders(): void {
  instrumentHolders.reserve(instrumentCount);
  listNext.reserve(instrumentCount);
  listed.reserve(instrumentCount);
  heldScratch.reserve(instrumentCount);
  listHead.reserve(underlyingCount);
}

function list(i: i32): void {
  if (u8At(listed.ptr, i)) return;
  const u = i32At(instrumentUnderlying.ptr, i);
  setI32At(listNext.ptr, i, i32At(listHead.ptr, u));
  setI32At(listHead.ptr, u, i + 1);
  setU8At(listed.ptr, i, 1);
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
  memory.fill(instrumentHolders.ptr, 0, <usize>instrumentCount << 2);
  memory.fill(listed.ptr, 0, <usize>instrumentCount);
  memory.fill(listHead.ptr, 0, <usize>underlyingCount << 2);
  for (let p = 0; p < positions; p++) {
    const i = u16At(positionInstrument.ptr, p);
    setI32At(instrumentHolders.ptr, i, i32At(instrumentHolders.ptr, i) + 1);
  }
  for (let i = 0; i < instrumentCount; i++) if (i32At(instrumentHolders.ptr, i) > 0) list(i);
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
    if (!heldNow || i32At(instrumentHolders.ptr, i) > 0) setI32At(heldScratch.ptr, count++, i);
  }
  return count;
}
