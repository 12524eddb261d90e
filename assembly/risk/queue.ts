// The liquidation queue (methodology §6): liquidatable and bankrupt accounts in ascending
// health = equity / MM, compared exactly by cross-multiplying in 128 bits; ties by larger MM,
// then by account index. Members are gathered from the status column (one byte an account,
// kept current by the full and incremental paths), ordered by an LSD radix sort on an f64
// health key, then an insertion pass with the exact comparison repairs what the key rounded.
import { Column, i32At, setI32At, i64At, u8At } from "../store/column";
import { accountCount, accountStatus, accountEquity, accountMaintenanceMargin } from "../store/accounts";
import { umul64, productHigh } from "../fixed/wide";
import { AccountStatus } from "./evaluate";

export const queueAccounts = new Column(2); // i32 account indices, in liquidation order
export let queueLength: i32 = 0;
const keys = new Column(3);        // u64 order-preserving health keys
const spareAccounts = new Column(2);
const spareKeys = new Column(3);
const digitCounts = new StaticArray<i32>(256);

/** Compares |a|·b with |c|·d as unsigned 128-bit products (b, d ≥ 0): −1, 0 or 1. */
function compareProducts(a: u64, b: u64, c: u64, d: u64): i32 {
  const low1 = umul64(a, b), high1 = productHigh;
  const low2 = umul64(c, d), high2 = productHigh;
  if (high1 != high2) return high1 < high2 ? -1 : 1;
  if (low1 != low2) return low1 < low2 ? -1 : 1;
  return 0;
}

/** Sign of e1/m1 − e2/m2 for m1, m2 > 0, exactly. */
function compareHealth(e1: i64, m1: i64, e2: i64, m2: i64): i32 {
  // e1·m2 vs e2·m1: the signs decide first, then the magnitudes (reversed when both negative)
  const s1 = e1 < 0 ? -1 : e1 > 0 ? 1 : 0, s2 = e2 < 0 ? -1 : e2 > 0 ? 1 : 0;
  if (s1 != s2) return s1 < s2 ? -1 : 1;
  if (s1 == 0) return 0;
  const magnitude = compareProducts(<u64>abs(e1), <u64>m2, <u64>abs(e2), <u64>m1);
  return s1 > 0 ? magnitude : -magnitude;
}

/** True when account a liquidates before account b. */
function before(a: i32, b: i32): bool {
  const ea = i64At(accountEquity.ptr, a), ma = i64At(accountMaintenanceMargin.ptr, a);
  const eb = i64At(accountEquity.ptr, b), mb = i64At(accountMaintenanceMargin.ptr, b);
  // MM = 0 in the queue means equity < 0: health −∞, ahead of every finite health
  const infiniteA = ma == 0, infiniteB = mb == 0;
  if (infiniteA != infiniteB) return infiniteA;
  if (!infiniteA) {
    const order = compareHealth(ea, ma, eb, mb);
    if (order != 0) return order < 0;
  }
  if (ma != mb) return ma > mb;
  return a < b;
}

/** A u64 whose unsigned order follows the approximate health of the account. */
function healthKey(a: i32): u64 {
  const m = i64At(accountMaintenanceMargin.ptr, a);
  const health = m == 0 ? -Infinity : <f64>i64At(accountEquity.ptr, a) / <f64>m;
  const bits = reinterpret<u64>(health);
  return (bits >> 63) != 0 ? ~bits : bits | (<u64>1 << 63);
}

/** Rebuilds the queue from the status column; returns its length. */
export function buildQueue(): i32 {
  const n = accountCount;
  let count = 0;
  for (let a = 0; a < n; a++) if (u8At(accountStatus.ptr, a) >= AccountStatus.Liquidatable) count++;
  queueAccounts.reserve(count);
  keys.reserve(count);
  spareAccounts.reserve(count);
  spareKeys.reserve(count);
  let k = 0;
  for (let a = 0; a < n; a++) {
    if (u8At(accountStatus.ptr, a) < AccountStatus.Liquidatable) continue;
    setI32At(queueAccounts.ptr, k, a);
    store<u64>(keys.ptr + (<usize>k << 3), healthKey(a));
    k++;
  }
  radixSort(count);
  // exact repair: the keys are ordered up to f64 rounding, so this moves few entries
  for (let i = 1; i < count; i++) {
    const a = i32At(queueAccounts.ptr, i);
    let j = i;
    while (j > 0 && before(a, i32At(queueAccounts.ptr, j - 1))) {
      setI32At(queueAccounts.ptr, j, i32At(queueAccounts.ptr, j - 1));
      j--;
    }
    setI32At(queueAccounts.ptr, j, a);
  }
  queueLength = count;
  return count;
}

/** Stable LSD radix sort of (key, account) pairs by key, one byte a pass; stable keeps index order on equal keys. */
function radixSort(count: i32): void {
  let fromKeys = keys.ptr, fromAccounts = queueAccounts.ptr;
  let toKeys = spareKeys.ptr, toAccounts = spareAccounts.ptr;
  for (let shift: u64 = 0; shift < 64; shift += 8) {
    for (let d = 0; d < 256; d++) unchecked(digitCounts[d] = 0);
    for (let i = 0; i < count; i++) {
      const digit = <i32>((load<u64>(fromKeys + (<usize>i << 3)) >> shift) & 255);
      unchecked(digitCounts[digit]++);
    }
    let total = 0;
    for (let d = 0; d < 256; d++) {
      const c = unchecked(digitCounts[d]);
      unchecked(digitCounts[d] = total);
      total += c;
    }
    for (let i = 0; i < count; i++) {
      const key = load<u64>(fromKeys + (<usize>i << 3));
      const digit = <i32>((key >> shift) & 255);
      const to = unchecked(digitCounts[digit]);
      unchecked(digitCounts[digit] = to + 1);
      store<u64>(toKeys + (<usize>to << 3), key);
      store<i32>(toAccounts + (<usize>to << 2), load<i32>(fromAccounts + (<usize>i << 2)));
    }
    const swapKeys = fromKeys; fromKeys = toKeys; toKeys = swapKeys;
    const swapAccounts = fromAccounts; fromAccounts = toAccounts; toAccounts = swapAccounts;
  }
  // eight passes: the sorted pairs are back in the original columns
}
