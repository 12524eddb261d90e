// Which accounts a price on each underlying can move: one bit per (underlying, account), set for
// a position in one of its instruments or a balance of an asset priced from it. Rows are
// underlying-major, so a tick on one underlying scans one row of words and skips empty ones.
// Between rebuilds bits are only set (but for the one a pre-trade trial sets and takes back): a
// stale bit costs one needless re-evaluation, never a wrong result.
import { Column, i32At, u8At, u16At } from "./column";
import { instrumentUnderlying, assetUnderlying, underlyingCount } from "./reference";
import {
  accountCount, accountPositionStart, accountPositionCount, accountCollateralStart, accountCollateralCount,
  positionInstrument, collateralAsset,
} from "./accounts";

export const exposureBits = new Column(2); // u32 words, `exposureStride` per underlying
export let exposureStride: i32 = 0;
let builtUnderlyings: i32 = -1;

/** Forgets the index (a bulk load, or reference data that moved instruments between underlyings). */
export function invalidateExposure(): void {
  builtUnderlyings = -1;
}

/** True when every current account and underlying has a row and column in the index. */
export function exposureValid(): bool {
  return builtUnderlyings == underlyingCount && accountCount <= exposureStride << 5;
}

/** The address of the index word holding account's bit for underlying. */
// @ts-ignore: decorator
@inline function wordAt(underlying: i32, account: i32): usize {
  return exposureBits.ptr + ((<usize>underlying * <usize>exposureStride + <usize>(account >>> 5)) << 2);
}

// @ts-ignore: decorator
@inline function setBit(underlying: i32, account: i32): void {
  const at = wordAt(underlying, account);
  store<u32>(at, load<u32>(at) | (1 << (account & 31)));
}

/** Records that `account` now holds something priced from `underlying` (if the index is built). */
export function markExposed(account: i32, underlying: i32): void {
  if (underlying >= 0 && exposureValid()) setBit(underlying, account);
}

/** Whether account's bit for underlying (an instrument's: ≥ 0) is set (false while the index is not built). */
export function isExposed(account: i32, underlying: i32): bool {
  if (!exposureValid()) return false;
  const at = wordAt(underlying, account);
  return (load<u32>(at) & (1 << (account & 31))) != 0;
}

/** Clears the bit a pre-trade trial set for a position it took back (risk/order-trial.ts). */
export function clearExposed(account: i32, underlying: i32): void {
  if (!exposureValid()) return;
  const at = wordAt(underlying, account);
  store<u32>(at, load<u32>(at) & ~(1 << (account & 31)));
}

/** Words per underlying row of an index built for `accounts` accounts (room for 12.5 % more). */
export function exposureStrideFor(accounts: i32): i32 {
  return ((accounts + (accounts >> 3)) >> 5) + 1;
}

/** True when the index would still serve `accounts` accounts without a rebuild. */
export function exposureFits(accounts: i32): bool {
  return builtUnderlyings == underlyingCount && accounts <= exposureStride << 5;
}

/** Rebuilds the index from the books, with room for accounts added later. */
export function rebuildExposure(): void {
  const stride = exposureStrideFor(accountCount);
  exposureBits.resetTo(stride * underlyingCount);
  exposureStride = stride;
  builtUnderlyings = underlyingCount;
  for (let a = 0; a < accountCount; a++) {
    const ps = i32At(accountPositionStart.ptr, a), pe = ps + u8At(accountPositionCount.ptr, a);
    let last = -1;
    for (let p = ps; p < pe; p++) {
      // positions are sorted by underlying, so each run sets its bit once
      const u = i32At(instrumentUnderlying.ptr, u16At(positionInstrument.ptr, p));
      if (u != last) setBit(u, a);
      last = u;
    }
    const cs = i32At(accountCollateralStart.ptr, a), ce = cs + u8At(accountCollateralCount.ptr, a);
    for (let c = cs; c < ce; c++) {
      const u = i32At(assetUnderlying.ptr, u8At(collateralAsset.ptr, c));
      if (u >= 0) setBit(u, a);
    }
  }
}
