// Per-account equity and margin (docs/methodology.md §3–6) and the full recompute, through one
// fused walk: the full recompute walks every account, a single-account evaluation walks
// [a, a + 1), with every column address in a local and no call per position or per bucket.
// Portfolio accounts are walked by price group: positions are sorted by underlying, so each
// bucket closes as soon as its run ends. With the 16-scenario grid and SIMD, a bucket's scenario
// row lives in eight f64x2 locals.
import { i32At, i64At, setI32At, setI64At, u8At, setU8At } from "../store/column";
import { tierUpTo, tierImf, tierMmf, assetUnderlying } from "../store/reference";
import {
  accountCount, accountPositionStart, accountPositionCount, accountCollateralStart, accountCollateralCount, accountMode,
  accountEquity, accountMaintenanceMargin, accountStatus, positionInstrument, positionLots, positionEntry,
  collateralAsset, collateralAmount, AccountMode,
} from "../store/accounts";
import { cacheSlotFor, cacheLayoutDue, layoutCache } from "../store/cache";
import { exposureValid, rebuildExposure } from "../store/exposure";
import { prepareHeld } from "./freshness";
import { kernelRecords, assetRecords } from "./prepare";
import { scenarioCount, scenarioMove, scenarioCover, gridPaired, shockCollateral, correlated, EXTREME_UP_AT, EXTREME_DOWN_AT } from "./scenarios";
import { collateralValue } from "./terms";
import {
  groupUnderlying, groupWords, groupBalance, groupListed, groupOrder, rowF64, initialFromMaintenance, resetDetail,
  correlatedMaintenance,
} from "./portfolio";
import { group, groupEquity, groupEnd, recordBytes, Span16, AnyGrid } from "./group";
import { standardAccount, standardInitial, standardMaintenance } from "./standard";

/** The venue totals: each an exact sum over up to 5e7 accounts, kept as two words (low, high) in `totals`. */
export const enum Total { Equity = 0, InitialMargin = 1, MaintenanceMargin = 2 }
export const totals = new StaticArray<i64>(6);
export const statusCounts = new StaticArray<i32>(4);

// @ts-ignore: decorator
@inline function totalLow(total: Total): u64 { return <u64>totals[total << 1]; }
// @ts-ignore: decorator
@inline function totalHigh(total: Total): i64 { return totals[(total << 1) + 1]; }
export function totalEquityLow(): u64 { return totalLow(Total.Equity); }
export function totalEquityHigh(): i64 { return totalHigh(Total.Equity); }
export function totalInitialMarginLow(): u64 { return totalLow(Total.InitialMargin); }
export function totalInitialMarginHigh(): i64 { return totalHigh(Total.InitialMargin); }
export function totalMaintenanceMarginLow(): u64 { return totalLow(Total.MaintenanceMargin); }
export function totalMaintenanceMarginHigh(): i64 { return totalHigh(Total.MaintenanceMargin); }
export function statusCount(status: i32): i32 { return statusCounts[status]; }

/** Generated into the facade's STATUS_* constants and STATUS_NAMES. */
export const enum AccountStatus { Healthy = 0, Restricted = 1, Liquidatable = 2, Bankrupt = 3 }

/**
 * bankrupt (3) if equity < 0, else liquidatable (2) if equity < MM, else restricted (1) if
 * equity < IM, else healthy (0), without a branch: MM ≥ 0, so equity < 0 implies equity < MM.
 */
// @ts-ignore: decorator
@inline export function statusOf(equity: i64, initial: i64, maintenance: i64): i32 {
  return max(i32(equity < maintenance) << 1, i32(equity < initial)) + i32(equity < 0);
}

/** IM of the last account walked (IM is not a column: it follows from MM, or sits in the cache slot). */
let lastInitialMargin: i64 = 0;
/** Σ equity, IM and MM over the last walk as (low, high) words, and its status counts. */
const walkTotals = new StaticArray<i64>(6);
const walkCounts = new StaticArray<i32>(4);

export function getLastInitialMargin(): i64 { return lastInitialMargin; }

/**
 * Evaluates one account as its book stands into its equity, MM and status columns and
 * `lastInitialMargin`, without touching the totals or its cache slot: the same walk as the full
 * recompute, over [a, a + 1).
 */
export function evaluateAccount(account: i32): void {
  walkAccounts(account, account + 1, false, false);
}

/** As evaluateAccount, recording each bucket for scenarios() and accountBuckets(). */
export function evaluateBuckets(account: i32): void {
  walkAccounts(account, account + 1, false, true);
}

/**
 * Full recompute: held instruments brought up to date, then every account, the totals and status
 * counts. A cache layout or an exposure index that a load left due is built here, with the pass
 * over every account it belongs with, so the first tick after a load costs what any tick does.
 */
export function recomputeAll(): void {
  prepareHeld();
  if (cacheLayoutDue()) layoutCache();
  if (!exposureValid()) rebuildExposure();
  walkAccounts(0, accountCount, true, false);
  for (let k = 0; k < 6; k++) unchecked(totals[k] = walkTotals[k]);
  for (let k = 0; k < 4; k++) unchecked(statusCounts[k] = walkCounts[k]);
}

/**
 * Evaluates accounts [first, end) into their equity, MM and status columns. `commit` also
 * writes each account's cache slot (store/cache.ts) — the results then count in the totals;
 * `detail` records each bucket of a single portfolio account for scenarios().
 */
export function walkAccounts(first: i32, end: i32, commit: bool, detail: bool): void {
  if (scenarioCount == 16) walk<Span16>(first, end, commit, detail);
  else walk<AnyGrid>(first, end, commit, detail);
}

// @ts-ignore: decorator
@inline function walk<G>(first: i32, end: i32, commit: bool, detail: bool): void {
  const SPAN16 = sizeof<G>() == 1;
  const modes = accountMode.ptr, positionStarts = accountPositionStart.ptr, positionCounts = accountPositionCount.ptr;
  const collateralStarts = accountCollateralStart.ptr, collateralCounts = accountCollateralCount.ptr;
  const equities = accountEquity.ptr, maintenances = accountMaintenanceMargin.ptr, statuses = accountStatus.ptr;
  const instruments = positionInstrument.ptr, lotsColumn = positionLots.ptr, entries = positionEntry.ptr;
  const assets = collateralAsset.ptr, amounts = collateralAmount.ptr, assetUnderlyings = assetUnderlying.ptr, assetTable = assetRecords.ptr;
  const records = kernelRecords.ptr, stride = recordBytes(SPAN16 ? 16 : scenarioCount), paired = gridPaired.ptr;
  const moveRows = scenarioMove.ptr, cover14 = SPAN16 ? load<i64>(scenarioCover.ptr, EXTREME_UP_AT) : 0;
  const cover15 = SPAN16 ? load<i64>(scenarioCover.ptr, EXTREME_DOWN_AT) : 0;
  const balances = groupBalance.ptr, listed = groupListed.ptr, order = groupOrder.ptr;
  const upTo = tierUpTo.ptr, imfs = tierImf.ptr, mmfs = tierMmf.ptr;
  const groupU = groupUnderlying.ptr, words = groupWords.ptr, row = rowF64.ptr;
  const shock = shockCollateral, isCorrelated = correlated;

  let equityLow: u64 = 0, equityHigh: i64 = 0, initialLow: u64 = 0, initialHigh: i64 = 0;
  let maintenanceLow: u64 = 0, maintenanceHigh: i64 = 0;
  let healthy = 0, restricted = 0, liquidatable = 0, bankrupt = 0;
  let initial: i64 = 0;
  for (let a = first; a < end; a++) {
    let equity: i64 = 0, maintenance: i64 = 0;
    if (u8At(modes, a) == AccountMode.Portfolio) {
      if (detail) resetDetail();
      // balances: those priced by an underlying join its group, listed in ascending order
      let listedCount = 0;
      const cs = i32At(collateralStarts, a), ce = cs + u8At(collateralCounts, a);
      for (let c = cs; c < ce; c++) {
        const asset = u8At(assets, c), value = collateralValue(assetTable, asset, i64At(amounts, c));
        const u = i32At(assetUnderlyings, asset);
        if (u < 0) {
          equity += value;
          continue;
        }
        if (u8At(listed, u)) {
          setI64At(balances, u, i64At(balances, u) + value);
          continue;
        }
        setU8At(listed, u, 1);
        setI64At(balances, u, value);
        let k = listedCount++;
        while (k > 0 && i32At(order, k - 1) > u) {
          setI32At(order, k, i32At(order, k - 1));
          k--;
        }
        setI32At(order, k, u);
      }
      // price groups in ascending underlying order: each a run of positions, a balance group, or both
      let p = i32At(positionStarts, a), k = 0, groups = 0;
      const pe = p + u8At(positionCounts, a);
      while (p < pe || k < listedCount) {
        const fromPositions = p < pe ? load<i32>(records + <usize>load<u16>(instruments + (<usize>p << 1)) * stride) : i32.MAX_VALUE;
        const fromBalances = k < listedCount ? i32At(order, k) : i32.MAX_VALUE;
        const u = min(fromPositions, fromBalances);
        let balance: i64 = 0;
        if (fromBalances == u) {
          balance = i64At(balances, u);
          setU8At(listed, u, 0);
          k++;
        }
        const loss = group<G>(
          u, p, pe, balance, detail, shock, instruments, lotsColumn, entries, records, paired, moveRows, cover14, cover15, row,
        );
        p = groupEnd;
        const partOfEquity = groupEquity;
        setI32At(groupU, groups, u);
        setI64At(words, groups << 1, loss);
        setI64At(words, (groups << 1) + 1, partOfEquity);
        groups++;
        maintenance += loss;
        equity += partOfEquity;
      }
      if (isCorrelated && groups > 1) maintenance = correlatedMaintenance(groups, groupU, words);
      initial = initialFromMaintenance(maintenance);
      if (commit) {
        const slot = cacheSlotFor(a, groups << 1);
        for (let w = 0; w < groups << 1; w++) setI64At(slot, w, i64At(words, w));
      }
    } else {
      const cs = i32At(collateralStarts, a), ps = i32At(positionStarts, a);
      equity = standardAccount(
        cs, cs + u8At(collateralCounts, a), ps, ps + u8At(positionCounts, a), assets, amounts, assetTable,
        instruments, lotsColumn, entries, records, stride, upTo, imfs, mmfs,
      );
      initial = standardInitial;
      maintenance = standardMaintenance;
      if (commit) store<i64>(cacheSlotFor(a, 1), initial);
    }

    setI64At(equities, a, equity);
    setI64At(maintenances, a, maintenance);
    const status = statusOf(equity, initial, maintenance);
    setU8At(statuses, a, status);
    // totals as (low, high) words: a carry out of the low word goes high
    let sum = equityLow + <u64>equity;
    equityHigh += i64(sum < equityLow) + (equity >> 63);
    equityLow = sum;
    sum = initialLow + <u64>initial;
    initialHigh += i64(sum < initialLow);
    initialLow = sum;
    sum = maintenanceLow + <u64>maintenance;
    maintenanceHigh += i64(sum < maintenanceLow);
    maintenanceLow = sum;
    healthy += i32(status == AccountStatus.Healthy);
    restricted += i32(status == AccountStatus.Restricted);
    liquidatable += i32(status == AccountStatus.Liquidatable);
    bankrupt += i32(status == AccountStatus.Bankrupt);
  }
  lastInitialMargin = initial;
  unchecked(walkTotals[0] = <i64>equityLow); unchecked(walkTotals[1] = equityHigh);
  unchecked(walkTotals[2] = <i64>initialLow); unchecked(walkTotals[3] = initialHigh);
  unchecked(walkTotals[4] = <i64>maintenanceLow); unchecked(walkTotals[5] = maintenanceHigh);
  unchecked(walkCounts[0] = healthy); unchecked(walkCounts[1] = restricted);
  unchecked(walkCounts[2] = liquidatable); unchecked(walkCounts[3] = bankrupt);
}
