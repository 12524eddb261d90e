// The pre-trade trial (docs/methodology.md §12) in one call: the account evaluated as it stands and with
// one position changed, then put back exactly — its book where it lies, the open-interest bound,
// the exposure index, the net-lots flag and its stored results — so a check costs two evaluations,
// no trips through the facade in between, and leaves nothing a later tick or total pays for.
import { i32At, i64At, setI64At, u8At, setU8At } from "../store/column";
import { instrumentMaxLots, instrumentUnderlying } from "../store/reference";
import {
  accountEquity, accountMaintenanceMargin, accountStatus, accountPositionStart, accountPositionCount,
  accountPositionCapacity, positionLots, positionEntry,
} from "../store/accounts";
import { positionIndex, setPosition, lendScratchSegment, restoreSegment } from "../store/books";
import { isExposed, clearExposed } from "../store/exposure";
import { takeLotsMoved, markLotsMoved } from "../store/holders";
import { evaluateAccount, getLastInitialMargin } from "./evaluate";
import { ensurePrepared } from "./freshness";

/** The held position found by heldPosition: lots (0 when none) and entry. */
let heldLots: i32 = 0;
let heldEntry: i64 = 0;
/** The trial's results: IM before and after, equity after (before the fill's cash), status before. */
let initialMarginBefore: i64 = 0;
let initialMarginAfter: i64 = 0;
let equityAfter: i64 = 0;
let statusBefore: i32 = 0;

export function trialHeldLots(): i32 { return heldLots; }
export function trialHeldEntry(): i64 { return heldEntry; }
export function trialInitialMarginBefore(): i64 { return initialMarginBefore; }
export function trialInitialMarginAfter(): i64 { return initialMarginAfter; }
export function trialEquityAfter(): i64 { return equityAfter; }
export function trialStatusBefore(): i32 { return statusBefore; }

/** Finds the account's position in `instrument`: returns whether it holds one (heldLots, heldEntry). */
export function heldPosition(account: i32, instrument: i32): bool {
  const p = positionIndex(account, instrument);
  heldLots = p < 0 ? 0 : i32At(positionLots.ptr, p);
  heldEntry = p < 0 ? 0 : i64At(positionEntry.ptr, p);
  return p >= 0;
}

/** Evaluates the account, then with `lots` at `entry` in `instrument`, then restores it (after heldPosition). */
export function trialOrder(account: i32, instrument: i32, lots: i32, entry: i64): void {
  ensurePrepared(instrument); // an instrument nobody holds is prepared when first needed
  evaluateAccount(account);
  initialMarginBefore = getLastInitialMargin();
  const equity = i64At(accountEquity.ptr, account), maintenance = i64At(accountMaintenanceMargin.ptr, account);
  statusBefore = u8At(accountStatus.ptr, account);
  const held = heldLots, heldAt = heldEntry;
  const bound = i64At(instrumentMaxLots.ptr, instrument);
  const underlying = i32At(instrumentUnderlying.ptr, instrument), exposed = isExposed(account, underlying);
  const lotsMoved = takeLotsMoved();
  // a full book gaining a row would move to the arena's end for good: the trial works on a copy there
  const start = i32At(accountPositionStart.ptr, account), capacity = u8At(accountPositionCapacity.ptr, account);
  const lent = held == 0 && lots != 0 && u8At(accountPositionCount.ptr, account) == capacity;
  if (lent) lendScratchSegment(account);
  setPosition(account, instrument, lots, entry);
  evaluateAccount(account);
  initialMarginAfter = getLastInitialMargin();
  equityAfter = i64At(accountEquity.ptr, account);
  setPosition(account, instrument, held, held == 0 ? entry : heldAt);
  if (lent) restoreSegment(account, start, capacity);
  if (!exposed) clearExposed(account, underlying);
  takeLotsMoved();
  if (lotsMoved) markLotsMoved();
  setI64At(instrumentMaxLots.ptr, instrument, bound);
  setI64At(accountEquity.ptr, account, equity);
  setI64At(accountMaintenanceMargin.ptr, account, maintenance);
  setU8At(accountStatus.ptr, account, statusBefore);
}
