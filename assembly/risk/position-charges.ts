// One position's standard-method charges (docs/methodology.md §4): tiered IM/MM on a linear notional,
// the short-option formulas with the put cap, nothing for a long option. Shared by the
// standard kernel and by liquidation sizing, which orders positions by this standalone MM.
import { i32At, i64At, u8At } from "../store/column";
import { InstrumentKind, isOption, instrumentKind, instrumentTierStart, instrumentTierCount } from "../store/reference";
import { ceilDiv } from "../fixed/divide";
import {
  lotMarkMoney, lotMarkRest, shortImMoney, shortImRestHigh, shortImRestLow,
  shortMmMoney, shortMmRestHigh, shortMmRestLow, putCapMoney, putCapRest,
} from "./prepare";
import { QTY_PRICE_TO_MONEY } from "../fixed/scales";
import { tierCharges, tierMaintenance, perLotCharge } from "./terms";

/** The maintenance half of the last `positionCharges` call. */
export let positionMaintenance: i64 = 0;

/** IM of `lots` of `instrument` charged alone (returned); its MM is left in positionMaintenance. */
// @ts-ignore: decorator
@inline export function positionCharges(instrument: i32, lots: i64): i64 {
  const kind = u8At(instrumentKind.ptr, instrument);
  if (!isOption(kind)) {
    const size = abs(lots);
    const rest = i64At(lotMarkRest.ptr, instrument);
    const notional = size * i64At(lotMarkMoney.ptr, instrument) + ceilDiv(size * rest, QTY_PRICE_TO_MONEY);
    const first = i32At(instrumentTierStart.ptr, instrument);
    const initial = tierCharges(first, first + i32At(instrumentTierCount.ptr, instrument) - 1, notional);
    positionMaintenance = tierMaintenance;
    return initial;
  }
  if (lots >= 0) {
    positionMaintenance = 0;
    return 0;
  }
  const size = -lots;
  let im = perLotCharge(size, instrument, shortImMoney.ptr, shortImRestHigh.ptr, shortImRestLow.ptr);
  let mm = perLotCharge(size, instrument, shortMmMoney.ptr, shortMmRestHigh.ptr, shortMmRestLow.ptr);
  if (kind == InstrumentKind.Put) {
    const cap = size * i64At(putCapMoney.ptr, instrument) + ceilDiv(size * i64At(putCapRest.ptr, instrument), QTY_PRICE_TO_MONEY);
    im = min(im, cap);
    mm = min(mm, cap);
  }
  positionMaintenance = mm;
  return im;
}

/** Standalone MM of `lots` of `instrument` (exported for liquidation sizing). */
export function standaloneMaintenance(instrument: i32, lots: i64): i64 {
  positionCharges(instrument, lots);
  return positionMaintenance;
}
