// The liquidation queue (docs/methodology.md §10): liquidatable and bankrupt accounts in ascending
// health = equity / MM, compared exactly by cross-multiplying in 128 bits; ties by larger MM,
// then by account index. Members are gathered from the status column (one byte an account,
// kept current by the full and incremental paths) with their equity and MM in one ascending
// sweep, so the sort and the comparisons after it read dense arrays, never the scattered account
// columns. An LSD radix sort on an f64 health key orders them; an insertion pass with the exact
// comparison then repairs what the key rounded.
import { Column, i32At, setI32At, i64At, setI64At, u8At } from "../store/column";
import { accountCount, accountStatus, accountEquity, accountMaintenanceMargin } from "../store/accounts";
import { umul64, productHigh } from "../fixed/wide";
import { AccountStatus } from "./evaluate";

/** The queue: account indices with their equity and MM (i64 money), in liquidation order. */
export const queueAccounts = new Column(2);
export const queueEquity = new Column(3);
export const queueMaintenanceMargin = new Column(3);
const keys = new Column(3);        // u64 order-preserving health keys
const spareKeys = new Column(3);
const spareAccounts = new Column(2);
const spareEquity = new Column(3);
const spareMaintenance = new Column(3);
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

/** True when the account (a, ea, ma) liquidates before (b, eb, mb). */
function before(a: i32, ea: i64, ma: i64, b: i32, eb: i64, mb: i64): bool {
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

/** A u64 whose unsigned order follows the approximate health. */
function healthKey(equity: i64, maintenance: i64): u64 {
  const health = maintenance == 0 ? -Infinity : <f64>equity / <f64>maintenance;
  const bits = reinterpret<u64>(health);
  return (bits >> 63) != 0 ? ~bits : bits | (<u64>1 << 63);
}

/** Rebuilds the queue from the status column; returns its length. */
export function buildQueue(): i32 {
  const n = accountCount;
  let count = 0;
  for (let a = 0; a < n; a++) if (u8At(accountStatus.ptr, a) >= AccountStatus.Liquidatable) count++;
  keys.reserve(count);
  spareKeys.reserve(count);
  queueAccounts.reserve(count);
  spareAccounts.reserve(count);
  queueEquity.reserve(count);
  spareEquity.reserve(count);
  queueMaintenanceMargin.reserve(count);
  spareMaintenance.reserve(count);
  let k = 0;
  for (let a = 0; a < n; a++) {
    if (u8At(accountStatus.ptr, a) < AccountStatus.Liquidatable) continue;
    const equity = i64At(accountEquity.ptr, a), maintenance = i64At(accountMaintenanceMargin.ptr, a);
    setI32At(queueAccounts.ptr, k, a);
    setI64At(queueEquity.ptr, k, equity);
    setI64At(queueMaintenanceMargin.ptr, k, maintenance);
    setI64At(keys.ptr, k, <i64>healthKey(equity, maintenance));
    k++;
  }
  radixSort(count);
  repair(count);
  return count;
}

/** Exact insertion pass: the keys ordered the queue up to f64 rounding, so this moves few entries. */
function repair(count: i32): void {
  const accounts = queueAccounts.ptr, equities = queueEquity.ptr, margins = queueMaintenanceMargin.ptr;
  for (let i = 1; i < count; i++) {
    const a = i32At(accounts, i), ea = i64At(equities, i), ma = i64At(margins, i);
    let j = i;
    while (j > 0) {
      const b = i32At(accounts, j - 1), eb = i64At(equities, j - 1), mb = i64At(margins, j - 1);
      if (!before(a, ea, ma, b, eb, mb)) break;
      setI32At(accounts, j, b);
      setI64At(equities, j, eb);
      setI64At(margins, j, mb);
      j--;
    }
    setI32At(accounts, j, a);
    setI64At(equities, j, ea);
    setI64At(margins, j, ma);
  }
}

/**
 * Stable LSD radix sort of the (key, account, equity, MM) rows on the key's top 48 bits, one
 * byte a pass; stable keeps index order on equal keys. The low 16 bits of an f64 health are
 * below 1e-11 relative: accounts they would separate are near-ties the exact repair orders anyway.
 */
function radixSort(count: i32): void {
  let fromKeys = keys.ptr, fromAccounts = queueAccounts.ptr, fromEquity = queueEquity.ptr, fromMaintenance = queueMaintenanceMargin.ptr;
  let toKeys = spareKeys.ptr, toAccounts = spareAccounts.ptr, toEquity = spareEquity.ptr, toMaintenance = spareMaintenance.ptr;
  for (let shift: u64 = 16; shift < 64; shift += 8) {
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
      const from8 = <usize>i << 3;
      const key = load<u64>(fromKeys + from8);
      const digit = <i32>((key >> shift) & 255);
      const to = unchecked(digitCounts[digit]);
      unchecked(digitCounts[digit] = to + 1);
      const to8 = <usize>to << 3;
      store<u64>(toKeys + to8, key);
      store<i32>(toAccounts + (<usize>to << 2), load<i32>(fromAccounts + (<usize>i << 2)));
      store<i64>(toEquity + to8, load<i64>(fromEquity + from8));
      store<i64>(toMaintenance + to8, load<i64>(fromMaintenance + from8));
    }
    let swap = fromKeys; fromKeys = toKeys; toKeys = swap;
    swap = fromAccounts; fromAccounts = toAccounts; toAccounts = swap;
    swap = fromEquity; fromEquity = toEquity; toEquity = swap;
    swap = fromMaintenance; fromMaintenance = toMaintenance; toMaintenance = swap;
  }
  // six passes, an even number: the sorted rows are back in the queue's own columns
}
