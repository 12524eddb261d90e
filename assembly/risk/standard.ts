// A standard-mode account (docs/methodology.md §4): every position charged alone, IM and MM the
// sums. Inlined into the fused walk, reading each instrument's kernel record (prepare.ts).
import { i32At, i64At, u8At } from "../store/column";
import { InstrumentKind } from "../store/reference";
import { Record } from "./prepare";
import { collateralValue, linearPnl, lotValue } from "./terms";
import { positionCharges, positionMaintenance } from "./position-charges";

/** IM and MM of the last standard account walked. */
export let standardInitial: i64 = 0;
export let standardMaintenance: i64 = 0;

/**
 * Account a's equity, its balances [cs, ce) and positions [ps, pe); IM and MM are left in
 * standardInitial and standardMaintenance. Column addresses as arguments, from the walk's locals.
 */
// @ts-ignore: decorator
@inline export function standardAccount(
  cs: i32, ce: i32, ps: i32, pe: i32, assets: usize, amounts: usize, assetTable: usize,
  instruments: usize, lotsColumn: usize, entries: usize, records: usize, stride: usize, upTo: usize, imfs: usize, mmfs: usize,
): i64 {
  let equity: i64 = 0, initial: i64 = 0, maintenance: i64 = 0;
  for (let c = cs; c < ce; c++) equity += collateralValue(assetTable, u8At(assets, c), i64At(amounts, c));
  for (let p = ps; p < pe; p++) {
    const record = records + <usize>load<u16>(instruments + (<usize>p << 1)) * stride, lots = <i64>i32At(lotsColumn, p);
    const money = load<i64>(record, Record.Money), rest = load<i64>(record, Record.Rest);
    if (<i32>load<u8>(record, Record.Kind) < InstrumentKind.Call) {
      equity += linearPnl(lots, load<i64>(record, Record.LotSize), load<i64>(record, Record.Mark), i64At(entries, p), money, rest);
    } else {
      equity += lotValue(lots, money, rest);
      if (lots >= 0) continue;
    }
    initial += positionCharges(record, lots, upTo, imfs, mmfs);
    maintenance += positionMaintenance;
  }
  standardInitial = initial;
  standardMaintenance = maintenance;
  return equity;
}
