// Per-account equity and margin (docs/methodology.md §3–6), and the full recompute.
import { i32At, i64At, setI64At, u8At, u16At, setU8At } from "../store/column";
import { isOption, instrumentKind, instrumentLotSize, instrumentMarkUsed } from "../store/reference";
import {
  accountCount, accountPositionStart, accountPositionCount, accountCollateralStart, accountCollateralCount,
  accountEquity, accountMaintenanceMargin, accountStatus, accountMode,
  positionInstrument, positionLots, positionEntry, collateralAsset, collateralAmount,
} from "../store/accounts";
import { prepareInstruments, lotMarkMoney, lotMarkRest } from "./prepare";
import { collateralValue, linearPnl, lotValue } from "./terms";
import { positionCharges, positionMaintenance } from "./position-charges";
import { portfolioAccount, portfolioInitialMargin, portfolioMaintenanceMargin } from "./portfolio";

/** Generated into the facade's STATUS_* constants and STATUS_NAMES. */
export const enum AccountStatus { Healthy = 0, Restricted = 1, Liquidatable = 2, Bankrupt = 3 }

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

/**
 * IM of the account last evaluated. Only equity, MM and status are kept per account (the
 * liquidation path needs them); IM is reported by evaluating the account again, which keeps
 * the store 8 bytes an account smaller.
 */
export let lastInitialMargin: i64 = 0;
export function getLastInitialMargin(): i64 { return lastInitialMargin; }

/** Evaluates one account into its equity, MM and status columns and `lastInitialMargin`. */
export function evaluateAccount(account: i32): void {
  let equity: i64 = 0, initial: i64 = 0, maintenance: i64 = 0;
  if (u8At(accountMode.ptr, account) == 1) {
    equity = portfolioAccount(account);
    initial = portfolioInitialMargin;
    maintenance = portfolioMaintenanceMargin;
  } else {
    const cs = i32At(accountCollateralStart.ptr, account), ce = cs + u8At(accountCollateralCount.ptr, account);
    const assets = collateralAsset.ptr, amounts = collateralAmount.ptr;
    for (let c = cs; c < ce; c++) equity += collateralValue(u8At(assets, c), i64At(amounts, c));

    // Column addresses live in locals: loads through the column objects would sit on every
    // position's critical path, since stores elsewhere keep the compiler from hoisting them.
    const instruments = positionInstrument.ptr, lotsColumn = positionLots.ptr, entries = positionEntry.ptr;
    const kinds = instrumentKind.ptr, moneyColumn = lotMarkMoney.ptr, restColumn = lotMarkRest.ptr;
    const marks = instrumentMarkUsed.ptr, lotSizes = instrumentLotSize.ptr;
    const ps = i32At(accountPositionStart.ptr, account), pe = ps + u8At(accountPositionCount.ptr, account);
    for (let p = ps; p < pe; p++) {
      const instrument = u16At(instruments, p);
      const lots = <i64>i32At(lotsColumn, p);
      const kind = u8At(kinds, instrument);
      const money = i64At(moneyColumn, instrument);
      const rest = i64At(restColumn, instrument);
      if (!isOption(kind)) {
        equity += linearPnl(lots, i64At(lotSizes, instrument), i64At(marks, instrument), i64At(entries, p), money, rest);
      } else {
        equity += lotValue(lots, money, rest);
        if (lots > 0) continue;
      }
      initial += positionCharges(instrument, lots);
      maintenance += positionMaintenance;
    }
  }

  setI64At(accountEquity.ptr, account, equity);
  lastInitialMargin = initial;
  setI64At(accountMaintenanceMargin.ptr, account, maintenance);
  let status = AccountStatus.Healthy;
  if (equity < 0) status = AccountStatus.Bankrupt;
  else if (equity < maintenance) status = AccountStatus.Liquidatable;
  else if (equity < initial) status = AccountStatus.Restricted;
  setU8At(accountStatus.ptr, account, status);
}

/** Full recompute: instruments, then every account, then venue totals and status counts. */
export function recomputeAll(): void {
  prepareInstruments();
  // Totals accumulate in locals as (low, high) words: a carry out of the low word goes high.
  let equityLow: u64 = 0, equityHigh: i64 = 0;
  let initialLow: u64 = 0, initialHigh: i64 = 0;
  let maintenanceLow: u64 = 0, maintenanceHigh: i64 = 0;
  let healthy = 0, restricted = 0, liquidatable = 0, bankrupt = 0;
  const n = accountCount;
  for (let a = 0; a < n; a++) {
    evaluateAccount(a);
    const e = i64At(accountEquity.ptr, a), im = lastInitialMargin, mm = i64At(accountMaintenanceMargin.ptr, a);
    let sum = equityLow + <u64>e;
    equityHigh += i64(sum < equityLow) + (e >> 63);
    equityLow = sum;
    sum = initialLow + <u64>im;
    initialHigh += i64(sum < initialLow);
    initialLow = sum;
    sum = maintenanceLow + <u64>mm;
    maintenanceHigh += i64(sum < maintenanceLow);
    maintenanceLow = sum;
    const status = u8At(accountStatus.ptr, a);
    healthy += i32(status == AccountStatus.Healthy);
    restricted += i32(status == AccountStatus.Restricted);
    liquidatable += i32(status == AccountStatus.Liquidatable);
    bankrupt += i32(status == AccountStatus.Bankrupt);
  }
  unchecked(totals[0] = <i64>equityLow); unchecked(totals[1] = equityHigh);
  unchecked(totals[2] = <i64>initialLow); unchecked(totals[3] = initialHigh);
  unchecked(totals[4] = <i64>maintenanceLow); unchecked(totals[5] = maintenanceHigh);
  unchecked(statusCounts[0] = healthy); unchecked(statusCounts[1] = restricted);
  unchecked(statusCounts[2] = liquidatable); unchecked(statusCounts[3] = bankrupt);
}
