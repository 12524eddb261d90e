// The dynamic scan range of one underlying (docs/methodology.md §5): EWMA variance of index log returns,
// the candidate range it implies, and the anti-procyclicality band the charged range stays in.
import { ceilDiv } from "../core/decimal.js";
import type { WasmExports } from "../module/wasm.js";
import type { DynamicScan } from "../venue/params.js";
import type { ScanState } from "../venue/snapshot.js";

/** EMIR RTS art. 28(1)(a): a buffer of 25 % above the candidate, spent before margin rises. */
const BUFFER_NUMERATOR = 5n, BUFFER_DENOMINATOR = 4n;

const DAYS_PER_YEAR = 365;

function buffered(candidate: bigint, cap: bigint): bigint {
  const high = ceilDiv(candidate * BUFFER_NUMERATOR, BUFFER_DENOMINATOR);
  return high < cap ? high : cap;
}

/** A new underlying starts from its annual vol, with its buffer full. */
export function initialScan(wasm: WasmExports, d: DynamicScan, annualVol: bigint, index: bigint, time: number): ScanState {
  const sigma = Number(annualVol) / 1e9;
  const variance = (sigma * sigma) / DAYS_PER_YEAR;
  const candidate = wasm.scanCandidate(variance, d.sigmas, d.mporDays, d.floor, d.cap);
  return { variance, sampleIndex: index, sampleTime: time, range: buffered(candidate, d.cap) };
}

/**
 * One accepted index price. The charged range moves only as far as it must to stay within
 * [candidate, 1.25 × candidate]: rises eat the buffer first, falls rebuild it.
 */
export function advanceScan(wasm: WasmExports, d: DynamicScan, state: ScanState, index: bigint, time: number): ScanState {
  if (time <= state.sampleTime) return state;
  const variance = wasm.ewmaDailyVariance(state.variance, state.sampleIndex, index, time - state.sampleTime, d.lambda);
  return { variance, sampleIndex: index, sampleTime: time, range: withinBand(wasm, d, variance, state.range) };
}

/** Whether a state's charged range lies in the band its variance sets, as every state this module makes does. */
export function rangeInBand(wasm: WasmExports, d: DynamicScan, state: ScanState): boolean {
  return withinBand(wasm, d, state.variance, state.range) === state.range;
}

/** `range` moved only as far as it must to lie in [candidate, 1.25 × candidate] for this variance. */
function withinBand(wasm: WasmExports, d: DynamicScan, variance: number, range: bigint): bigint {
  const candidate = wasm.scanCandidate(variance, d.sigmas, d.mporDays, d.floor, d.cap);
  const high = buffered(candidate, d.cap);
  return range < candidate ? candidate : range > high ? high : range;
}

/**
 * A scan state carried into other dynamicMargin parameters (a what-if): the same variance, the
 * charged range moved only as far as the new band [candidate, 1.25 × candidate] requires.
 */
export function rebaseScan(wasm: WasmExports, d: DynamicScan, state: ScanState): ScanState {
  return { ...state, range: withinBand(wasm, d, state.variance, state.range) };
}
