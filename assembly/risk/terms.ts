// The per-term formulas of docs/methodology.md §3–5 shared by the standard and portfolio
// kernels. Each multiplies lots by per-lot constants split into a money part and a sub-µ
// remainder (prepare.ts), so every dividend fits i64 and every divisor is a constant.
import { i64At, u8At } from "../store/column";
import { floorDiv, ceilDiv } from "../fixed/divide";
import { floorMul3Div, floorMulAddDiv } from "../fixed/guided";
import { PRICE_SCALE, MONEY_SCALE, FRACTION_SCALE, QTY_PRICE_TO_MONEY } from "../fixed/scales";
import { AssetRecord, ASSET_RECORD_WORDS } from "./prepare";

const QTY_PRICE_TO_MONEY_INVERSE: f64 = 1.0 / <f64>QTY_PRICE_TO_MONEY;
const FRACTION_SCALE_INVERSE: f64 = 1.0 / <f64>FRACTION_SCALE;
/** amount × price 1 → money. */
const CASH_TO_MONEY: i64 = PRICE_SCALE / MONEY_SCALE;
const I64_SAFE: f64 = 9.0e18;

/** Haircut value of a balance: ⌊a × p × (F ∓ h) / 1e19⌋ (docs/methodology.md §3), from the asset records at `records`. */
// @ts-ignore: decorator
@inline export function collateralValue(records: usize, asset: i32, amount: i64): i64 {
  const record = records + ((<usize>asset * <usize>ASSET_RECORD_WORDS) << 3);
  if (load<i64>(record, AssetRecord.Cash)) return floorDiv(amount, CASH_TO_MONEY);
  // p·(F ∓ h) = high·1e9 + low; the product needs more than 64 bits, so the division is guided.
  const factor = record + (amount >= 0 ? AssetRecord.CreditHigh : AssetRecord.LoanHigh);
  const high = load<i64>(factor), low = load<i64>(factor, 8);
  const carry = floorMulAddDiv(amount, low, 0, FRACTION_SCALE, FRACTION_SCALE_INVERSE);
  return floorMulAddDiv(amount, high, carry, QTY_PRICE_TO_MONEY, QTY_PRICE_TO_MONEY_INVERSE);
}

/** ⌊lots × lotSize × (mark − entry) / 1e10⌋ given the per-lot mark value split (money, rest). */
// @ts-ignore: decorator
@inline export function linearPnl(lots: i64, lotSize: i64, mark: i64, entry: i64, money: i64, rest: i64): i64 {
  if (<f64>lotSize * <f64>entry >= I64_SAFE) {
    return floorMul3Div(lots, lotSize, mark - entry, QTY_PRICE_TO_MONEY, QTY_PRICE_TO_MONEY_INVERSE);
  }
  const perLotEntry = lotSize * entry;
  const entryMoney = perLotEntry / QTY_PRICE_TO_MONEY;
  const entryRest = perLotEntry - entryMoney * QTY_PRICE_TO_MONEY;
  return lots * (money - entryMoney) + floorDiv(lots * (rest - entryRest), QTY_PRICE_TO_MONEY);
}

/** The maintenance half of the last `tierCharges` call. */
export let tierMaintenance: i64 = 0;
/** Sub-µ rests are folded into whole µ-units once they pass this: a bracket adds under 10^18, so any number of brackets stays inside i64. */
const REST_FOLD: i64 = 8_000_000_000_000_000_000;

/**
 * IM = ⌈Σ_k part_k × imf_k / F⌉ (returned) and MM likewise with mmf (left in tierMaintenance),
 * over marginal brackets in one walk (rows first … last of the tier columns at upTo, imfs, mmfs);
 * beyond the last bound the last rates apply.
 * part × rate can pass 2^63, so each part splits into high·F + low: high·rate is whole µ-units,
 * low·rate (< 1e18) accumulates as a rest divided once at the end.
 */
// @ts-ignore: decorator
@inline export function tierCharges(first: i32, last: i32, notional: i64, upTo: usize, imfs: usize, mmfs: usize): i64 {
  let initialWhole: i64 = 0, initialRest: i64 = 0, maintenanceWhole: i64 = 0, maintenanceRest: i64 = 0;
  let floor: i64 = 0;
  for (let k = first; k <= last; k++) {
    const bound = k == last ? notional : min(notional, i64At(upTo, k));
    if (bound <= floor) break;
    const part = bound - floor, high = part / FRACTION_SCALE, low = part - high * FRACTION_SCALE;
    const imf = i64At(imfs, k), mmf = i64At(mmfs, k);
    initialWhole += high * imf;
    maintenanceWhole += high * mmf;
    initialRest += low * imf;
    maintenanceRest += low * mmf;
    if (initialRest >= REST_FOLD) {
      initialWhole += initialRest / FRACTION_SCALE;
      initialRest %= FRACTION_SCALE;
    }
    if (maintenanceRest >= REST_FOLD) {
      maintenanceWhole += maintenanceRest / FRACTION_SCALE;
      maintenanceRest %= FRACTION_SCALE;
    }
    floor = bound;
  }
  tierMaintenance = maintenanceWhole + ceilDiv(maintenanceRest, FRACTION_SCALE);
  return initialWhole + ceilDiv(initialRest, FRACTION_SCALE);
}

/** ⌈n × lotSize × u / 1e19⌉ for a per-unit requirement u, from its per-lot split money·1e19 + restHigh·1e9 + restLow; n > 0. */
// @ts-ignore: decorator
@inline export function perLotCharge(n: i64, money: i64, restHigh: i64, restLow: i64): i64 {
  return n * money + ceilDiv(n * restHigh + ceilDiv(n * restLow, FRACTION_SCALE), QTY_PRICE_TO_MONEY);
}

/** ⌊lots × lotSize × markUsed / 1e10⌋ from the per-lot split: an option's value, a linear position's signed notional. */
// @ts-ignore: decorator
@inline export function lotValue(lots: i64, money: i64, rest: i64): i64 {
  return lots * money + floorDiv(lots * rest, QTY_PRICE_TO_MONEY);
}
