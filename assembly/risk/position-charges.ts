// One position's standard-method charges (docs/methodology.md §4): tiered IM/MM on a linear notional,
// the short-option formulas with the put cap, nothing for a long option. Shared by the
// standard kernel and by liquidation sizing, which orders positions by this standalone MM.
import { InstrumentKind, tierUpTo, tierImf, tierMmf } from "../store/reference";
import { ceilDiv } from "../fixed/divide";
import { kernelRecords, Record, RECORD_HEADER } from "./prepare";
import { scenarioCount } from "./scenarios";
import { QTY_PRICE_TO_MONEY } from "../fixed/scales";
import { tierCharges, tierMaintenance, perLotCharge } from "./terms";

/** The maintenance half of the last `positionCharges` call. */
export let positionMaintenance: i64 = 0;

/**
 * IM of `lots` of the instrument whose kernel record is at `record`, charged alone (returned);
 * its MM is left in positionMaintenance. The tier columns are at upTo, imfs, mmfs.
 */
// @ts-ignore: decorator
@inline export function positionCharges(record: usize, lots: i64, upTo: usize, imfs: usize, mmfs: usize): i64 {
  const kind = <i32>load<u8>(record, Record.Kind);
  if (kind < InstrumentKind.Call) {
    const size = abs(lots);
    const notional = size * load<i64>(record, Record.Money) + ceilDiv(size * load<i64>(record, Record.Rest), QTY_PRICE_TO_MONEY);
    const first = load<i32>(record, Record.TierStart);
    const initial = tierCharges(first, first + load<i32>(record, Record.TierCount) - 1, notional, upTo, imfs, mmfs);
    positionMaintenance = tierMaintenance;
    return initial;
  }
  if (lots >= 0) {
    positionMaintenance = 0;
    return 0;
  }
  const size = -lots;
  let im = perLotCharge(size, load<i64>(record, Record.ImMoney), load<i64>(record, Record.ImHigh), load<i64>(record, Record.ImLow));
  let mm = perLotCharge(size, load<i64>(record, Record.MmMoney), load<i64>(record, Record.MmHigh), load<i64>(record, Record.MmLow));
  if (kind == InstrumentKind.Put) {
    const cap = size * load<i64>(record, Record.CapMoney) + ceilDiv(size * load<i64>(record, Record.CapRest), QTY_PRICE_TO_MONEY);
    im = min(im, cap);
    mm = min(mm, cap);
  }
  positionMaintenance = mm;
  return im;
}

/** Standalone MM of `lots` of `instrument`, the order liquidation sizing closes positions in (the instrument must be current). */
export function standaloneMaintenance(instrument: i32, lots: i64): i64 {
  const record = kernelRecords.ptr + ((<usize>instrument * <usize>(RECORD_HEADER + scenarioCount)) << 3);
  positionCharges(record, lots, tierUpTo.ptr, tierImf.ptr, tierMmf.ptr);
  return positionMaintenance;
}
