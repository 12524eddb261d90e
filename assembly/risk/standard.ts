// A standard-mode account (docs/methodology.md §4): every position charged alone, IM and MM the
// sums. Inlined into the fused walk.
import { i32At, i64At, u8At } from "../store/column";
import { InstrumentKind, instrumentKind, instrumentLotSize, instrumentMarkUsed } from "../store/reference";
import {
  accountPositionStart, accountPositionCount, accountCollateralStart, accountCollateralCount,
  positionInstrument, positionLots, positionEntry, collateralAsset, collateralAmount,
} from "../store/accounts";
import { lotMarkMoney, lotMarkRest, assetRecords } from "./prepare";
import { collateralValue, linearPnl, lotValue } from "./terms";
import { positionCharges, positionMaintenance } from "./position-charges";

/** IM and MM of the last standard account walked. */
export let standardInitial: i64 = 0;
export let standardMaintenance: i64 = 0;

/** Account a's equity; its IM and MM are left in standardInitial and standardMaintenance. */
// @ts-ignore: decorator
@inline export function standardAccount(a: i32): i64 {
  // column addresses in locals: stores elsewhere keep the compiler from hoisting their loads
  const instruments = positionInstrument.ptr, lotsColumn = positionLots.ptr, entries = positionEntry.ptr;
  const kinds = instrumentKind.ptr, moneys = lotMarkMoney.ptr, rests = lotMarkRest.ptr;
  const marks = instrumentMarkUsed.ptr, lotSizes = instrumentLotSize.ptr;
  const assets = collateralAsset.ptr, amounts = collateralAmount.ptr;
  let equity: i64 = 0, initial: i64 = 0, maintenance: i64 = 0;
  const cs = i32At(accountCollateralStart.ptr, a), ce = cs + u8At(accountCollateralCount.ptr, a);
  const assetTable = assetRecords.ptr;
  for (let c = cs; c < ce; c++) equity += collateralValue(assetTable, u8At(assets, c), i64At(amounts, c));
  const ps = i32At(accountPositionStart.ptr, a), pe = ps + u8At(accountPositionCount.ptr, a);
  for (let p = ps; p < pe; p++) {
    const i = <i32>load<u16>(instruments + (<usize>p << 1));
    const lots = <i64>i32At(lotsColumn, p), money = i64At(moneys, i), rest = i64At(rests, i);
    if (u8At(kinds, i) < InstrumentKind.Call) {
      equity += linearPnl(lots, i64At(lotSizes, i), i64At(marks, i), i64At(entries, p), money, rest);
    } else {
      equity += lotValue(lots, money, rest);
      if (lots >= 0) continue;
    }
    initial += positionCharges(i, lots);
    maintenance += positionMaintenance;
  }
  standardInitial = initial;
  standardMaintenance = maintenance;
  return equity;
}
