// Per-account equity and standard margin (docs/methodology.md §3–5), and the full recompute.
// The per-position work multiplies lots by per-lot constants split into a money part and a
// sub-µ remainder (prepare.ts), so every dividend fits i64 and every divisor is a constant.
import { i32At, i64At, setI64At, u8At, u16At, setU8At } from "../store/column";
import {
  isOption, InstrumentKind, instrumentKind, instrumentLotSize, instrumentMarkUsed,
  instrumentTierStart, instrumentTierCount, tierUpTo, tierImf, tierMmf,
} from "../store/reference";
import {
  accountCount, accountPositionStart, accountPositionCount, accountCollateralStart, accountCollateralCount,
  accountEquity, accountMaintenanceMargin, accountStatus,
  positionInstrument, positionLots, positionEntry, collateralAsset, collateralAmount,
} from "../store/accounts";
import { floorDiv, ceilDiv } from "../fixed/divide";
import { floorMul3Div, floorMulAddDiv } from "../fixed/guided";
import {
  prepareInstruments, lotMarkMoney, lotMarkRest, shortImMoney, shortImRestHigh, shortImRestLow,
  shortMmMoney, shortMmRestHigh, shortMmRestLow, putCapMoney, putCapRest,
  creditHigh, creditLow, loanHigh, loanLow, assetIsCash,
} from "./prepare";

export const enum AccountStatus { Healthy = 0, Restricted = 1, Liquidatable = 2, Bankrupt = 3 }

/** Venue totals (two words each: exact sums over up to 5e7 accounts) and status counts. */
export const totals = new StaticArray<i64>(6);
export const statusCounts = new StaticArray<i32>(4);

const TO_MONEY: i64 = 10_000_000_000; // quantity × price (1e16) → money (1e6)
const TO_MONEY_INVERSE: f64 = 1e-10;
const FRACTION: i64 = 1_000_000_000;
const FRACTION_INVERSE: f64 = 1e-9;
const CASH_TO_MONEY: i64 = 100;        // amount (1e8) × price 1 → money (1e6)
const I64_SAFE: f64 = 9.0e18;

/** Haircut value of a balance: ⌊a × p × (F ∓ h) / 1e19⌋ (methodology §3). */
// @ts-ignore: decorator
@inline function collateralValue(asset: i32, amount: i64): i64 {
  if (u8At(assetIsCash.ptr, asset)) return floorDiv(amount, CASH_TO_MONEY);
  // p·(F ∓ h) = high·1e9 + low; the product needs more than 64 bits, so the division is guided.
  const high = i64At(amount >= 0 ? creditHigh.ptr : loanHigh.ptr, asset);
  const low = i64At(amount >= 0 ? creditLow.ptr : loanLow.ptr, asset);
  const carry = floorMulAddDiv(amount, low, 0, FRACTION, FRACTION_INVERSE);
  return floorMulAddDiv(amount, high, carry, TO_MONEY, TO_MONEY_INVERSE);
}

/** ⌊lots × lotSize × (mark − entry) / 1e10⌋ given the per-lot mark value split (money, rest). */
// @ts-ignore: decorator
@inline function linearPnl(lots: i64, lotSize: i64, mark: i64, entry: i64, money: i64, rest: i64): i64 {
  if (<f64>lotSize * <f64>entry >= I64_SAFE) {
    return floorMul3Div(lots, lotSize, mark - entry, TO_MONEY, TO_MONEY_INVERSE);
  }
  const perLotEntry = lotSize * entry;
  const entryMoney = perLotEntry / TO_MONEY;
  return lots * (money - entryMoney) + floorDiv(lots * (rest - (perLotEntry - entryMoney * TO_MONEY)), TO_MONEY);
}

/** The maintenance half of the last `tierCharges` call. */
let tierMaintenance: i64 = 0;
/** Sub-µ rests are folded into whole µ-units once they pass this (keeps 16 brackets inside i64). */
const REST_FOLD: i64 = 8_000_000_000_000_000_000;

/**
 * IM = ⌈Σ_k part_k × imf_k / F⌉ (returned) and MM likewise with mmf (left in tierMaintenance),
 * over marginal brackets in one walk; beyond the last bound the last rates apply.
 * part × rate can pass 2^63, so each part splits into high·F + low: high·rate is whole µ-units,
 * low·rate (< 1e18) accumulates as a rest divided once at the end.
 */
// @ts-ignore: decorator
@inline function tierCharges(first: i32, last: i32, notional: i64): i64 {
  let initialWhole: i64 = 0, initialRest: i64 = 0, maintenanceWhole: i64 = 0, maintenanceRest: i64 = 0;
  let floor: i64 = 0;
  for (let k = first; k <= last; k++) {
    const bound = k == last ? notional : min(notional, i64At(tierUpTo.ptr, k));
    if (bound <= floor) break;
    const part = bound - floor, high = part / FRACTION, low = part - high * FRACTION;
    const imf = i64At(tierImf.ptr, k), mmf = i64At(tierMmf.ptr, k);
    initialWhole += high * imf;
    maintenanceWhole += high * mmf;
    initialRest += low * imf;
    maintenanceRest += low * mmf;
    if (initialRest >= REST_FOLD) {
      initialWhole += initialRest / FRACTION;
      initialRest %= FRACTION;
    }
    if (maintenanceRest >= REST_FOLD) {
      maintenanceWhole += maintenanceRest / FRACTION;
      maintenanceRest %= FRACTION;
    }
    floor = bound;
  }
  tierMaintenance = maintenanceWhole + ceilDiv(maintenanceRest, FRACTION);
  return initialWhole + ceilDiv(initialRest, FRACTION);
}

/** ⌈n × lotSize × u / 1e19⌉ from the per-lot split u·lotSize = money·1e19 + restHigh·1e9 + restLow; n > 0. */
// @ts-ignore: decorator
@inline function shortOptionCharge(n: i64, instrument: i32, money: usize, restHigh: usize, restLow: usize): i64 {
  const low = ceilDiv(n * i64At(restLow, instrument), FRACTION);
  return n * i64At(money, instrument) + ceilDiv(n * i64At(restHigh, instrument) + low, TO_MONEY);
}

/**
 * IM of the account last evaluated. Only equity, MM and status are kept per account (the
 * liquidation path needs them); IM is reported by evaluating the account again, which keeps
 * the store 8 bytes an account smaller.
 */
export let lastInitialMargin: i64 = 0;

/** Evaluates one account into its equity, MM and status columns and `lastInitialMargin`. */
export function evaluateAccount(account: i32): void {
  let equity: i64 = 0, initial: i64 = 0, maintenance: i64 = 0;

  const cs = i32At(accountCollateralStart.ptr, account), ce = cs + u8At(accountCollateralCount.ptr, account);
  const assets = collateralAsset.ptr, amounts = collateralAmount.ptr;
  for (let c = cs; c < ce; c++) equity += collateralValue(u8At(assets, c), i64At(amounts, c));

  // Column addresses live in locals: loads through the column objects would sit on every
  // position's critical path, since stores elsewhere keep the compiler from hoisting them.
  const instruments = positionInstrument.ptr, lotsColumn = positionLots.ptr, entries = positionEntry.ptr;
  const kinds = instrumentKind.ptr, moneyColumn = lotMarkMoney.ptr, restColumn = lotMarkRest.ptr;
  const marks = instrumentMarkUsed.ptr, lotSizes = instrumentLotSize.ptr;
  const tierStarts = instrumentTierStart.ptr, tierCounts = instrumentTierCount.ptr;
  const ps = i32At(accountPositionStart.ptr, account), pe = ps + u8At(accountPositionCount.ptr, account);
  for (let p = ps; p < pe; p++) {
    const instrument = u16At(instruments, p);
    const lots = <i64>i32At(lotsColumn, p);
    const kind = u8At(kinds, instrument);
    const money = i64At(moneyColumn, instrument);
    const rest = i64At(restColumn, instrument);
    if (!isOption(kind)) {
      const mark = i64At(marks, instrument);
      equity += linearPnl(lots, i64At(lotSizes, instrument), mark, i64At(entries, p), money, rest);
      const size = abs(lots);
      const notional = size * money + ceilDiv(size * rest, TO_MONEY);
      const first = i32At(tierStarts, instrument);
      initial += tierCharges(first, first + i32At(tierCounts, instrument) - 1, notional);
      maintenance += tierMaintenance;
      continue;
    }
    equity += lots * money + floorDiv(lots * rest, TO_MONEY);
    if (lots > 0) continue;
    const size = -lots;
    let im = shortOptionCharge(size, instrument, shortImMoney.ptr, shortImRestHigh.ptr, shortImRestLow.ptr);
    let mm = shortOptionCharge(size, instrument, shortMmMoney.ptr, shortMmRestHigh.ptr, shortMmRestLow.ptr);
    if (kind == InstrumentKind.Put) {
      const cap = size * i64At(putCapMoney.ptr, instrument) + ceilDiv(size * i64At(putCapRest.ptr, instrument), TO_MONEY);
      im = min(im, cap);
      mm = min(mm, cap);
    }
    initial += im;
    maintenance += mm;
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
