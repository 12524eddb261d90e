// The pre-trade trial (docs/methodology.md §12) in one call: the account evaluated as it stands and with
// one position changed, then put back exactly — its book, the open-interest bound and its stored
// results — so a check costs two evaluations and no trips through the facade in between.
import { i32At, i64At, setI64At, u8At, setU8At } from "../store/column";
import { instrumentMaxLots } from "../store/reference";
import {
  accountEquity, accountMaintenanceMargin, accountStatus, positionLots, positionEntry,
} from "../store/accounts";
import { positionIndex, setPosition } from "../store/books";
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
  setPosition(account, instrument, lots, entry);
  evaluateAccount(account);
  initialMarginAfter = getLastInitialMargin();
  equityAfter = i64At(accountEquity.ptr, account);
  setPosition(account, instrument, held, held == 0 ? entry : heldAt);
  setI64At(instrumentMaxLots.ptr, instrument, bound);
  setI64At(accountEquity.ptr, account, equity);
  setI64At(accountMaintenanceMargin.ptr, account, maintenance);
  setU8At(accountStatus.ptr, account, statusBefore);
}
