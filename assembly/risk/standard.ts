// A standard-mode account (docs/methodology.md §4): every position charged alone, IM and MM the
// sums. Inlined into the fused walk, reading each instrument's kernel record (prepare.ts); and a
// tick's change to one, from the positions on the ticked underlying alone.
import { i32At, i64At, u8At } from "../store/column";
import { InstrumentKind } from "../store/reference";
import { Record } from "./prepare";
import { collateralValue, linearPnl, lotValue } from "./terms";
import { linearPnlOf, optionValueOf, previousRecordOf } from "./group";
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

/** The changes of IM and MM left by the last `standardDelta` call. */
export let deltaInitial: i64 = 0;
export let deltaMaintenance: i64 = 0;

/**
 * The change a tick on underlying u made to a standard account's equity (returned), IM and MM
 * (left in deltaInitial, deltaMaintenance), from its positions on u, [start, pe) from the first of
 * them: each term taken at the instrument's record now and at its record before the tick — a
 * linear position's or long option's only when its per-lot value moved, a short option's charges
 * always (they follow the index). Balances are the caller's.
 */
// @ts-ignore: decorator
@inline export function standardDelta(
  u: i32, start: i32, pe: i32, instruments: usize, lotsColumn: usize, entries: usize, records: usize, stride: usize,
  upTo: usize, imfs: usize, mmfs: usize,
): i64 {
  let equity: i64 = 0, initial: i64 = 0, maintenance: i64 = 0;
  for (let p = start; p < pe; p++) {
    const i = <usize>load<u16>(instruments + (<usize>p << 1)), record = records + i * stride, lots = <i64>i32At(lotsColumn, p);
    if (load<i32>(record, Record.Underlying) != u) break;
    const changed = load<u8>(record, Record.Changed) != 0, before = previousRecordOf(i);
    if (<i32>load<u8>(record, Record.Kind) < InstrumentKind.Call) {
      if (!changed) continue;
      const entry = i64At(entries, p);
      equity += linearPnlOf(record, lots, entry) - linearPnlOf(before, lots, entry);
    } else {
      if (changed) equity += optionValueOf(record, lots) - optionValueOf(before, lots);
      if (lots >= 0) continue;
    }
    initial += positionCharges(record, lots, upTo, imfs, mmfs);
    maintenance += positionMaintenance;
    initial -= positionCharges(before, lots, upTo, imfs, mmfs);
    maintenance -= positionMaintenance;
  }
  deltaInitial = initial;
  deltaMaintenance = maintenance;
  return equity;
}
