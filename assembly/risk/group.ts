// One price group of a portfolio account (docs/methodology.md §5): the run of positions on
// underlying u from `start` (positions are sorted by underlying) plus the balances priced by u.
// Returns the bucket's margin; its part of equity and where the run ended are left in
// `groupEquity` and `groupEnd`. Inlined into the full walk and into the tick, with their column
// addresses in locals, so both compute the same bits. Σ lots × risk accumulates in f64 where that
// is exact (f64Exact), else the bucket is redone in i64.
import { i32At, i64At, u8At } from "../store/column";
import { InstrumentKind } from "../store/reference";
import { Record, RECORD_HEADER } from "./prepare";
import { previousRecords } from "./freshness";
import { scenarioCount } from "./scenarios";
import { linearPnl, lotValue } from "./terms";
import {
  rowF64, rowI64, closeRow, closeRowCold, f64Exact, F64_EXACT, exactBucket, rowToExact, recordBucket, shortMinimum,
} from "./portfolio";
import { pairedCloseRow, pairedCloseSimd } from "./paired-close";

/** The grid layouts the kernels are compiled for: 16 scenarios (span16), or any count. */
export type Span16 = u8;
export type AnyGrid = u16;

/** The group's part of equity and the position after its run, beside the margin `group` returns. */
export let groupEquity: i64 = 0;
export let groupEnd: i32 = 0;

/** A bucket's margin by the slow paths (rowF64 holds its f64 sums): exact f64 sums closed in i64, else the exact path. */
function slowClose(start: i32, end: i32, u: i32, exposure: i64, bound: f64): i64 {
  if (!(bound < F64_EXACT)) return exactBucket(start, end, u, exposure);
  rowToExact();
  return closeRowCold(rowI64.ptr, u, exposure);
}

/** Bytes of an instrument's kernel record for a grid of S scenarios. */
// @ts-ignore: decorator
@inline export function recordBytes(S: i32): usize {
  return <usize>(RECORD_HEADER + S) << 3;
}

/** A linear position's PnL from an instrument record (current or previous). */
// @ts-ignore: decorator
@inline export function linearPnlOf(record: usize, lots: i64, entry: i64): i64 {
  return linearPnl(lots, load<i64>(record, Record.LotSize), load<i64>(record, Record.Mark), entry, load<i64>(record, Record.Money), load<i64>(record, Record.Rest));
}

/** An option position's value from an instrument record (current or previous). */
// @ts-ignore: decorator
@inline export function optionValueOf(record: usize, lots: i64): i64 {
  return lotValue(lots, load<i64>(record, Record.Money), load<i64>(record, Record.Rest));
}

/** The record instrument i had before the tick (freshness.ts). */
// @ts-ignore: decorator
@inline export function previousRecordOf(i: usize): usize {
  return previousRecords.ptr + i * (<usize>RECORD_HEADER << 3);
}

/**
 * Underlying u's group: positions from `start` while on u (before `pe`), priced balances worth
 * `balance` (recorded when `detail`), which its part of equity starts from; column addresses as
 * arguments.
 */
// @ts-ignore: decorator
@inline export function group<G>(
  u: i32, start: i32, pe: i32, balance: i64, detail: bool, shock: bool,
  instruments: usize, lotsColumn: usize, entries: usize, records: usize,
  paired: usize, moveRows: usize, cover14: i64, cover15: i64, row: usize,
): i64 {
  const SPAN16 = sizeof<G>() == 1;
  const S = SPAN16 ? 16 : scenarioCount;
  const REGISTERS = SPAN16 && ASC_FEATURE_SIMD;
  const rowBytes = <usize>S << 3, stride = recordBytes(S);
  let p = start, equity = balance, linearExposure: i64 = 0, minimumBound: i64 = 0, bound: f64 = 0, loss: i64 = 0;
  const moves = moveRows + ((<usize>u * <usize>S) << 3);
  if (REGISTERS) {
    let r0 = f64x2.splat(0), r1 = r0, r2 = r0, r3 = r0, r4 = r0, r5 = r0, r6 = r0, r7 = r0;
    for (; p < pe; p++) {
      const i = <usize>load<u16>(instruments + (<usize>p << 1)), record = records + i * stride, lots = <i64>i32At(lotsColumn, p);
      if (load<i32>(record, Record.Underlying) != u) break;
      if (<i32>load<u8>(record, Record.Kind) < InstrumentKind.Call) {
        linearExposure += lotValue(lots, load<i64>(record, Record.Money), load<i64>(record, Record.Rest));
        equity += linearPnlOf(record, lots, i64At(entries, p));
        continue;
      }
      equity += optionValueOf(record, lots);
      const f = <f64>lots, factor = f64x2.splat(f);
      r0 = f64x2.add(r0, f64x2.mul(factor, v128.load(record, Record.Risk)));
      r1 = f64x2.add(r1, f64x2.mul(factor, v128.load(record, Record.Risk + 16)));
      r2 = f64x2.add(r2, f64x2.mul(factor, v128.load(record, Record.Risk + 32)));
      r3 = f64x2.add(r3, f64x2.mul(factor, v128.load(record, Record.Risk + 48)));
      r4 = f64x2.add(r4, f64x2.mul(factor, v128.load(record, Record.Risk + 64)));
      r5 = f64x2.add(r5, f64x2.mul(factor, v128.load(record, Record.Risk + 80)));
      r6 = f64x2.add(r6, f64x2.mul(factor, v128.load(record, Record.Risk + 96)));
      r7 = f64x2.add(r7, f64x2.mul(factor, v128.load(record, Record.Risk + 112)));
      bound += abs(f) * load<f64>(record, Record.RiskBound);
      minimumBound += max<i64>(-lots, 0) * (load<i64>(record, Record.MinimumMoney) + 1);
    }
    const exposure = linearExposure + (shock ? balance : 0);
    const fast = f64Exact(bound, exposure) && u8At(paired, u) != 0;
    if (fast) loss = pairedCloseSimd(r0, r1, r2, r3, r4, r5, r6, r7, exposure, moves, cover14, cover15);
    if (!fast || detail) {
      v128.store(row, r0); v128.store(row, r1, 16); v128.store(row, r2, 32); v128.store(row, r3, 48);
      v128.store(row, r4, 64); v128.store(row, r5, 80); v128.store(row, r6, 96); v128.store(row, r7, 112);
    }
    if (!fast) loss = slowClose(start, p, u, exposure, bound);
    if (detail && fast) rowToExact();
  } else {
    for (let s: usize = 0; s < rowBytes; s += 8) store<f64>(row + s, 0);
    for (; p < pe; p++) {
      const i = <usize>load<u16>(instruments + (<usize>p << 1)), record = records + i * stride, lots = <i64>i32At(lotsColumn, p);
      if (load<i32>(record, Record.Underlying) != u) break;
      if (<i32>load<u8>(record, Record.Kind) < InstrumentKind.Call) {
        linearExposure += lotValue(lots, load<i64>(record, Record.Money), load<i64>(record, Record.Rest));
        equity += linearPnlOf(record, lots, i64At(entries, p));
        continue;
      }
      equity += optionValueOf(record, lots);
      const f = <f64>lots, risk = record + Record.Risk;
      let s: usize = 0;
      if (ASC_FEATURE_SIMD) {
        const factor = f64x2.splat(f);
        for (; s + 16 <= rowBytes; s += 16) v128.store(row + s, f64x2.add(v128.load(row + s), f64x2.mul(factor, v128.load(risk + s))));
      }
      for (; s < rowBytes; s += 8) store<f64>(row + s, load<f64>(row + s) + f * load<f64>(risk + s));
      bound += abs(f) * load<f64>(record, Record.RiskBound);
      minimumBound += max<i64>(-lots, 0) * (load<i64>(record, Record.MinimumMoney) + 1);
    }
    const exposure = linearExposure + (shock ? balance : 0);
    const fast = f64Exact(bound, exposure) && SPAN16 && u8At(paired, u) != 0;
    if (fast) {
      loss = pairedCloseRow(row, exposure, moves, cover14, cover15);
    } else if (bound < F64_EXACT) {
      for (let s: usize = 0; s < rowBytes; s += 8) store<i64>(rowI64.ptr + s, <i64>load<f64>(row + s));
      loss = closeRow(rowI64.ptr, u, exposure);
    } else {
      loss = exactBucket(start, p, u, exposure);
    }
    if (detail && fast) rowToExact();
  }
  // the short-option minimum is a floor: Σ n·(money + 1) bounds it from above without a division,
  // so the exact minimum is needed only when that bound reaches the worst scenario loss
  let minimum: i64 = 0;
  if (minimumBound > loss || detail) {
    minimum = shortMinimum(start, p);
    loss = max(loss, minimum);
  }
  if (detail && (start < p || shock)) recordBucket(u, linearExposure + (shock ? balance : 0), minimum, loss);
  groupEquity = equity;
  groupEnd = p;
  return loss;
}

