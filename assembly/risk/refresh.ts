// The incremental path: after ticks on some underlyings, re-prepare only their instruments and
// assets, then re-evaluate only the accounts the exposure index names, moving the venue totals
// and status counts by each account's change. A full recompute gives the same columns.
import { Column, i64At, u8At, setU8At } from "../store/column";
import { underlyingCount } from "../store/reference";
import { accountEquity, accountMaintenanceMargin, accountStatus } from "../store/accounts";
import { exposureBits, exposureStride, exposureValid, rebuildExposure } from "../store/exposure";
import { prepareUnderlyings } from "./prepare";
import { evaluateAccount, recomputeAll, Total, totals, statusCounts } from "./evaluate";

/** u8 per underlying: 1 when one of its prices moved since the last refresh. */
const underlyingDirty = new Column(0);
/** The dirty underlyings, in the order marked. */
const dirtyList = new Column(2);
let dirtyCount = 0;

export function markUnderlyingDirty(u: i32): void {
  underlyingDirty.reserve(underlyingCount);
  dirtyList.reserve(underlyingCount);
  if (u8At(underlyingDirty.ptr, u)) return;
  setU8At(underlyingDirty.ptr, u, 1);
  store<i32>(dirtyList.ptr + (<usize>dirtyCount << 2), u);
  dirtyCount++;
}

/** A total's (low, high) words += v, a signed 64-bit value into the 128-bit pair. */
// @ts-ignore: decorator
@inline function addToTotal(total: Total, v: i64): void {
  const low = <u64>unchecked(totals[total << 1]);
  const sum = low + <u64>v;
  unchecked(totals[(total << 1) + 1] += i64(sum < low) + (v >> 63));
  unchecked(totals[total << 1] = <i64>sum);
}

/**
 * Re-evaluates one account and moves the equity and MM totals and the status counts by its
 * change (old and new are added separately: their difference could exceed 64 bits). The IM
 * total is not kept per account, so the facade refreshes it with a full pass when asked.
 */
export function refreshAccount(a: i32): void {
  const equity = i64At(accountEquity.ptr, a), maintenance = i64At(accountMaintenanceMargin.ptr, a);
  const status = u8At(accountStatus.ptr, a);
  evaluateAccount(a);
  addToTotal(Total.Equity, -equity);
  addToTotal(Total.Equity, i64At(accountEquity.ptr, a));
  addToTotal(Total.MaintenanceMargin, -maintenance);
  addToTotal(Total.MaintenanceMargin, i64At(accountMaintenanceMargin.ptr, a));
  unchecked(statusCounts[status]--);
  unchecked(statusCounts[u8At(accountStatus.ptr, a)]++);
}

/** Applies the ticks marked since the last refresh; returns how many accounts were re-evaluated. */
export function refreshUnderlyings(): i32 {
  if (dirtyCount == 0) return 0;
  if (!exposureValid()) rebuildExposure();
  prepareUnderlyings(underlyingDirty.ptr);
  const words = exposureStride;
  let visited = 0;
  for (let w = 0; w < words; w++) {
    let bits: u32 = 0;
    for (let k = 0; k < dirtyCount; k++) {
      const row = <usize>load<i32>(dirtyList.ptr + (<usize>k << 2)) * <usize>words;
      bits |= load<u32>(exposureBits.ptr + ((row + <usize>w) << 2));
    }
    while (bits != 0) {
      refreshAccount((w << 5) + <i32>ctz(bits));
      bits &= bits - 1;
      visited++;
    }
  }
  memory.fill(underlyingDirty.ptr, 0, <usize>underlyingCount);
  dirtyCount = 0;
  return visited;
}

/** Drops pending marks (a full recompute supersedes them). */
function clearDirty(): void {
  if (dirtyCount == 0) return;
  memory.fill(underlyingDirty.ptr, 0, <usize>underlyingCount);
  dirtyCount = 0;
}

/** Recomputes every instrument and account, dropping the pending marks. */
export function recompute(): void {
  clearDirty();
  recomputeAll();
}

/** Re-prepares one underlying's instruments and assets and no account (what-if pricing). */
export function prepareUnderlyingOnly(u: i32): void {
  underlyingDirty.reserve(underlyingCount);
  setU8At(underlyingDirty.ptr, u, 1);
  prepareUnderlyings(underlyingDirty.ptr);
  setU8At(underlyingDirty.ptr, u, 0);
}
