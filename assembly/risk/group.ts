// One price group of a portfolio account (docs/methodology.md §5): the run of positions on
// underlying u from `start` (positions are sorted by underlying) plus the balances priced by u.
// Returns the bucket's margin; its part of equity and where the run ended are left in
// `groupEquity` and `groupEnd`. Inlined into the full walk with its column addresses in the
// walk's locals, and called once per account by a tick (groupAt), so both compute the same bits.
// Σ lots × risk accumulates in f64 where that is exact (f64Exact), else the bucket is redone in i64.
import { i32At, i64At, u8At } from "../store/column";
import { InstrumentKind, instrumentKind, instrumentUnderlying, instrumentLotSize, instrumentMarkUsed } from "../store/reference";
import { positionInstrument, positionLots, positionEntry } from "../store/accounts";
import { lotMarkMoney, lotMarkRest, riskArrayF64, riskBound, shortMinMoney, shortMinRestHigh, shortMinRestLow } from "./prepare";
import { scenarioCount, scenarioMove, scenarioCover, gridPaired, shockCollateral } from "./scenarios";
import { linearPnl, lotValue, perLotCharge } from "./terms";
import {
  rowF64, rowI64, closeRow, closeRowCold, f64Exact, F64_EXACT, exactBucket, rowToExact, recordBucket,
} from "./portfolio";
import { pairedCloseRow, pairedCloseSimd } from "./paired-close";

/** The grid layouts the kernels are compiled for: 16 scenarios (span16), or any count. */
export type Span16 = u8;
export type AnyGrid = u16;

/** The group's part of equity and the position after its run, beside the margin `group` returns. */
export let groupEquity: i64 = 0;
export let groupEnd: i32 = 0;

/** A bucket's margin by the slow paths (rowF64 holds its f64 sums): exact f64 sums closed in i64, else the exact path. */
function slowClose(start: i32, end: i32, u: i32, exposure: i64, minimum: i64, bound: f64): i64 {
  if (!(bound < F64_EXACT)) return exactBucket(start, end, u, exposure, minimum);
  rowToExact();
  return closeRowCold(rowI64.ptr, u, exposure, minimum);
}

/** Underlying u's group of positions [start, pe) and `balance` (recorded when `detail`); column addresses as arguments. */
// @ts-ignore: decorator
@inline export function group<G>(
  u: i32, start: i32, pe: i32, balance: i64, detail: bool, shock: bool,
  instruments: usize, underlyings: usize, lotsColumn: usize, entries: usize, kinds: usize, lotSizes: usize, marks: usize,
  moneys: usize, rests: usize, risks: usize, bounds: usize, minMoney: usize, minHigh: usize, minLow: usize,
  paired: usize, moveRows: usize, cover14: i64, cover15: i64, row: usize,
): i64 {
  const SPAN16 = sizeof<G>() == 1;
  const S = SPAN16 ? 16 : scenarioCount;
  const REGISTERS = SPAN16 && ASC_FEATURE_SIMD;
  const rowBytes = <usize>S << 3;
  let p = start, equity = balance, linearExposure: i64 = 0, minimum: i64 = 0, bound: f64 = 0, loss: i64 = 0;
  const moves = moveRows + ((<usize>u * <usize>S) << 3);
  if (REGISTERS) {
    let r0 = f64x2.splat(0), r1 = r0, r2 = r0, r3 = r0, r4 = r0, r5 = r0, r6 = r0, r7 = r0;
    while (p < pe) {
      const i = <i32>load<u16>(instruments + (<usize>p << 1));
      if (i32At(underlyings, i) != u) break;
      const lots = <i64>i32At(lotsColumn, p), money = i64At(moneys, i), rest = i64At(rests, i);
      const value = lotValue(lots, money, rest);
      if (u8At(kinds, i) < InstrumentKind.Call) {
        equity += linearPnl(lots, i64At(lotSizes, i), i64At(marks, i), i64At(entries, p), money, rest);
        linearExposure += value;
      } else {
        equity += value;
        const f = <f64>lots, factor = f64x2.splat(f), risk = risks + (<usize>i << 7);
        r0 = f64x2.add(r0, f64x2.mul(factor, v128.load(risk)));
        r1 = f64x2.add(r1, f64x2.mul(factor, v128.load(risk, 16)));
        r2 = f64x2.add(r2, f64x2.mul(factor, v128.load(risk, 32)));
        r3 = f64x2.add(r3, f64x2.mul(factor, v128.load(risk, 48)));
        r4 = f64x2.add(r4, f64x2.mul(factor, v128.load(risk, 64)));
        r5 = f64x2.add(r5, f64x2.mul(factor, v128.load(risk, 80)));
        r6 = f64x2.add(r6, f64x2.mul(factor, v128.load(risk, 96)));
        r7 = f64x2.add(r7, f64x2.mul(factor, v128.load(risk, 112)));
        bound += abs(f) * load<f64>(bounds + (<usize>i << 3));
        if (lots < 0) minimum += perLotCharge(-lots, i, minMoney, minHigh, minLow);
      }
      p++;
    }
    const exposure = linearExposure + (shock ? balance : 0);
    const fast = u8At(paired, u) != 0 && f64Exact(bound, exposure);
    if (fast) loss = pairedCloseSimd(r0, r1, r2, r3, r4, r5, r6, r7, exposure, moves, cover14, cover15, minimum);
    if (!fast || detail) {
      v128.store(row, r0); v128.store(row, r1, 16); v128.store(row, r2, 32); v128.store(row, r3, 48);
      v128.store(row, r4, 64); v128.store(row, r5, 80); v128.store(row, r6, 96); v128.store(row, r7, 112);
    }
    if (!fast) loss = slowClose(start, p, u, exposure, minimum, bound);
    if (detail && (start < p || shock)) {
      if (fast) rowToExact();
      recordBucket(u, exposure, minimum, loss);
    }
  } else {
    for (let s: usize = 0; s < rowBytes; s += 8) store<f64>(row + s, 0);
    while (p < pe) {
      const i = <i32>load<u16>(instruments + (<usize>p << 1));
      if (i32At(underlyings, i) != u) break;
      const lots = <i64>i32At(lotsColumn, p), money = i64At(moneys, i), rest = i64At(rests, i);
      const value = lotValue(lots, money, rest);
      if (u8At(kinds, i) < InstrumentKind.Call) {
        equity += linearPnl(lots, i64At(lotSizes, i), i64At(marks, i), i64At(entries, p), money, rest);
        linearExposure += value;
      } else {
        equity += value;
        const f = <f64>lots, risk = risks + ((<usize>i * <usize>S) << 3);
        let s: usize = 0;
        if (ASC_FEATURE_SIMD) {
          const factor = f64x2.splat(f);
          for (; s + 16 <= rowBytes; s += 16) v128.store(row + s, f64x2.add(v128.load(row + s), f64x2.mul(factor, v128.load(risk + s))));
        }
        for (; s < rowBytes; s += 8) store<f64>(row + s, load<f64>(row + s) + f * load<f64>(risk + s));
        bound += abs(f) * load<f64>(bounds + (<usize>i << 3));
        if (lots < 0) minimum += perLotCharge(-lots, i, minMoney, minHigh, minLow);
      }
      p++;
    }
    const exposure = linearExposure + (shock ? balance : 0);
    const fast = SPAN16 && u8At(paired, u) != 0 && f64Exact(bound, exposure);
    if (fast) {
      loss = pairedCloseRow(row, exposure, moves, cover14, cover15, minimum);
    } else if (bound < F64_EXACT) {
      for (let s: usize = 0; s < rowBytes; s += 8) store<i64>(rowI64.ptr + s, <i64>load<f64>(row + s));
      loss = closeRow(rowI64.ptr, u, exposure, minimum);
    } else {
      loss = exactBucket(start, p, u, exposure, minimum);
    }
    if (detail && (start < p || shock)) {
      if (fast) rowToExact();
      recordBucket(u, exposure, minimum, loss);
    }
  }
  groupEquity = equity;
  groupEnd = p;
  return loss;
}

/** Underlying u's group from position `start` to the end of its run in [start, end), with `balance`, outside the walk. */
export function groupAt(u: i32, start: i32, end: i32, balance: i64): i64 {
  return scenarioCount == 16 ? groupWith<Span16>(u, start, end, balance) : groupWith<AnyGrid>(u, start, end, balance);
}

// @ts-ignore: decorator
@inline function groupWith<G>(u: i32, start: i32, end: i32, balance: i64): i64 {
  const covers = scenarioCover.ptr, SPAN16 = sizeof<G>() == 1;
  return group<G>(
    u, start, end, balance, false, shockCollateral,
    positionInstrument.ptr, instrumentUnderlying.ptr, positionLots.ptr, positionEntry.ptr, instrumentKind.ptr,
    instrumentLotSize.ptr, instrumentMarkUsed.ptr, lotMarkMoney.ptr, lotMarkRest.ptr, riskArrayF64.ptr, riskBound.ptr,
    shortMinMoney.ptr, shortMinRestHigh.ptr, shortMinRestLow.ptr, gridPaired.ptr, scenarioMove.ptr,
    SPAN16 ? load<i64>(covers, 112) : 0, SPAN16 ? load<i64>(covers, 120) : 0, rowF64.ptr,
  );
}
