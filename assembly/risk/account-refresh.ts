// One account re-evaluated and counted again (docs/methodology.md §9): after an edit of its book
// or mode, or by a tick that cannot use its cache slot (none yet, a slot too small, tier rows rewritten). The totals and status counts move from
// what they counted for the account — equity, MM and status from its columns, IM from its MM or
// (standard mode) its cache slot — to its new results.
import { i32At, i64At, setI32At, setI64At, u8At, setU8At } from "../store/column";
import { instrumentUnderlying, assetUnderlying } from "../store/reference";
import {
  accountEquity, accountMaintenanceMargin, accountStatus, accountMode, accountPositionStart, accountPositionCount,
  accountCollateralStart, accountCollateralCount, accountCacheCapacity, positionInstrument, collateralAsset,
  setAccountMode as storeAccountMode, appendAccount, AccountMode,
} from "../store/accounts";
import { cacheSlot, releaseSlot } from "../store/cache";
import { prepareAccount } from "./freshness";
import { groupUnderlying, initialFromMaintenance, correlatedMaintenance } from "./portfolio";
import { AccountStatus, walkAccounts, getLastInitialMargin, Total, totals, statusCounts } from "./evaluate";

/** A total's (low, high) words += v, a signed 64-bit value into the 128-bit pair. */
// @ts-ignore: decorator
@inline export function addToTotal(total: Total, v: i64): void {
  const low = <u64>unchecked(totals[total << 1]);
  const sum = low + <u64>v;
  unchecked(totals[(total << 1) + 1] += i64(sum < low) + (v >> 63));
  unchecked(totals[total << 1] = <i64>sum);
}

/** Moves the totals and status counts from an account's counted results to its new ones (each added on its own: a difference could pass 64 bits). */
function recount(equity: i64, initial: i64, maintenance: i64, status: i32, a: i32, newInitial: i64): void {
  addToTotal(Total.Equity, -equity);
  addToTotal(Total.Equity, i64At(accountEquity.ptr, a));
  addToTotal(Total.InitialMargin, -initial);
  addToTotal(Total.InitialMargin, newInitial);
  addToTotal(Total.MaintenanceMargin, -maintenance);
  addToTotal(Total.MaintenanceMargin, i64At(accountMaintenanceMargin.ptr, a));
  unchecked(statusCounts[status]--);
  unchecked(statusCounts[u8At(accountStatus.ptr, a)]++);
}

/** The IM the totals count for account a: from its MM in portfolio mode, from its cache slot in standard mode. */
export function countedInitialMargin(a: i32): i64 {
  if (u8At(accountMode.ptr, a) == AccountMode.Portfolio) return initialFromMaintenance(i64At(accountMaintenanceMargin.ptr, a));
  return u8At(accountCacheCapacity.ptr, a) == 0 ? 0 : load<i64>(cacheSlot(a));
}

/**
 * countedInitialMargin as a double, for the facade's formatter: exact whenever its magnitude is
 * below 2^53 (a rounded i64 lands at 2^53 or beyond), where the facade reads countedInitialMargin
 * instead. One call and no BigInt per account described.
 */
export function countedInitialMarginNumber(a: i32): f64 {
  return <f64>countedInitialMargin(a);
}

/** Walks account a again and moves the totals by its change (its instruments must be current). */
export function rewalk(a: i32): void {
  const equity = i64At(accountEquity.ptr, a), maintenance = i64At(accountMaintenanceMargin.ptr, a);
  const status = u8At(accountStatus.ptr, a), initial = countedInitialMargin(a);
  walkAccounts(a, a + 1, true, false);
  recount(equity, initial, maintenance, status, a, getLastInitialMargin());
}

/** Re-evaluates account a after an edit of its book and moves the totals by its change. */
export function refreshAccount(a: i32): void {
  prepareAccount(a);
  rewalk(a);
}

/**
 * Sets an account's mode (0 standard, 1 portfolio). The totals stop counting it as it was (its IM
 * read in the old mode) and count it as empty — equity and MM 0, healthy, no cache slot — until
 * refreshAccount walks it in its new mode.
 */
export function setAccountMode(a: i32, mode: i32): void {
  if (u8At(accountMode.ptr, a) == mode) return;
  const equity = i64At(accountEquity.ptr, a), maintenance = i64At(accountMaintenanceMargin.ptr, a);
  const status = u8At(accountStatus.ptr, a), initial = countedInitialMargin(a);
  setI64At(accountEquity.ptr, a, 0);
  setI64At(accountMaintenanceMargin.ptr, a, 0);
  setU8At(accountStatus.ptr, a, AccountStatus.Healthy);
  releaseSlot(a);
  storeAccountMode(a, mode);
  recount(equity, initial, maintenance, status, a, 0);
}

/**
 * Appends an empty account in `mode` and returns its index. The totals count it as empty — equity
 * and MM 0, healthy, no cache slot — until refreshAccount walks it, so a new account costs the
 * next read one account's walk, not a recompute.
 */
export function addAccount(mode: i32): i32 {
  const a = appendAccount(mode);
  setI64At(accountEquity.ptr, a, 0);
  setI64At(accountMaintenanceMargin.ptr, a, 0);
  setU8At(accountStatus.ptr, a, AccountStatus.Healthy);
  unchecked(statusCounts[AccountStatus.Healthy]++);
  return a;
}

/** Lists account a's price groups in groupUnderlying, ascending (as the walk orders them); returns how many. */
function listGroups(a: i32): i32 {
  const list = groupUnderlying.ptr;
  let n = 0, last = -1;
  const ps = i32At(accountPositionStart.ptr, a), pe = ps + u8At(accountPositionCount.ptr, a);
  for (let p = ps; p < pe; p++) {
    const u = i32At(instrumentUnderlying.ptr, <i32>load<u16>(positionInstrument.ptr + (<usize>p << 1)));
    if (u != last) setI32At(list, n++, u);
    last = u;
  }
  const cs = i32At(accountCollateralStart.ptr, a), ce = cs + u8At(accountCollateralCount.ptr, a);
  for (let c = cs; c < ce; c++) {
    const u = i32At(assetUnderlying.ptr, u8At(collateralAsset.ptr, c));
    if (u < 0) continue;
    let k = n;
    while (k > 0 && i32At(list, k - 1) > u) k--;
    if (k > 0 && i32At(list, k - 1) == u) continue;
    for (let j = n; j > k; j--) setI32At(list, j, i32At(list, j - 1));
    setI32At(list, k, u);
    n++;
  }
  return n;
}

/** Account a's MM under correlation, from the margins in its cache slot. */
export function correlatedFromSlot(a: i32): i64 {
  const groups = listGroups(a);
  return groups > 1 ? correlatedMaintenance(groups, groupUnderlying.ptr, cacheSlot(a)) : load<i64>(cacheSlot(a));
}
