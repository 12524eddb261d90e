// Per-instrument and per-asset preparation (once per recompute, never per account):
// guarded marks (docs/methodology.md §2) and exact per-lot constants split into a money part and a
// sub-µ remainder, so the account kernel multiplies small integers and divides by constants.
import { i32At, i64At, setI64At, u8At, setU8At, Column } from "../store/column";
import {
  InstrumentKind, isOption, instrumentCount, instrumentKind, instrumentUnderlying, instrumentMark, instrumentTierStart, instrumentTierCount,
  instrumentStrike, instrumentExpiry, instrumentIv, instrumentLotSize, instrumentMarkUsed, instrumentModelValue,
  underlyingIndex, underlyingVol, underlyingRate, nowMs, maxMarkDeviation, isExpired,
  optionImRate, optionImMinRate, optionMmRate, assetCount, assetHaircut, assetUnderlying,
} from "../store/reference";
import { assetPriceOf } from "../store/staging";
import {
  mulDiv, Rounding, wideSetProduct, wideAddProduct, wideMultiplyWide, wideHighWord, wideLowWord,
  wideDivideFloorWithRemainder, lastRemainder,
} from "../fixed/wide";
import { FRACTION_SCALE, MONEY_SCALE, PRICE_SCALE, QTY_PRICE_TO_MONEY, QTY_PRICE_FRACTION_TO_MONEY, YEAR_MS, DAY_MS } from "../fixed/scales";
import { MAX_PRICE } from "../limits";
import { black76Value, black76Greeks } from "../pricing";
import * as black76 from "../pricing/black76";
import {
  scenarioCount, movesOf, scenarioVol, VolShift, volUp, volDown, volTermShort, volTermLong, shortOptionMinRate,
} from "./scenarios";

// lotSize × markUsed (scale 1e16) = lotMarkMoney · 1e10 + lotMarkRest.
export const lotMarkMoney = new Column(3);
export const lotMarkRest = new Column(3);
// lotSize × uIM (scale 1e25) = shortImMoney · 1e19 + shortImRestHigh · 1e9 + shortImRestLow; likewise MM.
const shortImMoney = new Column(3);
const shortImRestHigh = new Column(3);
const shortImRestLow = new Column(3);
const shortMmMoney = new Column(3);
const shortMmRestHigh = new Column(3);
const shortMmRestLow = new Column(3);
// lotSize × strike (scale 1e16) = putCapMoney · 1e10 + putCapRest: a short put's maximum loss per lot.
const putCapMoney = new Column(3);
const putCapRest = new Column(3);
/**
 * Per asset, what a balance's value needs, in one record of ASSET_RECORD_WORDS words: whether it
 * is cash (priced 1, no haircut), then price × (F − h) (scale 1e17) split as high · 1e9 + low for
 * a credit, and price × (F + h) likewise for a loan.
 */
export const assetRecords = new Column(3);
export const ASSET_RECORD_WORDS: i32 = 5;
export const enum AssetRecord { Cash = 0, CreditHigh = 8, CreditLow = 16, LoanHigh = 24, LoanLow = 32 }
// Per-lot greeks (docs/methodology.md §7), rounded half away from zero: delta and gamma in base units
// at scale 1e9, vega and theta in money (1e6). Account greeks are exact sums of lots × these.
export const lotDelta = new Column(3);
export const lotGamma = new Column(3);
export const lotVega = new Column(3);
export const lotTheta = new Column(3);
/** Risk arrays: per instrument and scenario, P&L of one lot in money (0 for linear instruments). */
export const riskArray = new Column(3);
/**
 * The kernels' instrument table: one record per instrument — its underlying and kind, the per-lot
 * mark value split (money, rest), max_s |risk| for the exactness guard, the per-lot short-option
 * minimum's money part, lot size and guarded mark, its tier rows, the short-option IM and MM
 * splits and the put cap — then its risk array as f64 (exact integers below 2^53). One address per
 * instrument keeps the walk's registers free.
 */
export const kernelRecords = new Column(3);
/** Byte offsets of a record's fields. */
export const enum Record {
  Underlying = 0, Kind = 4, Changed = 5, Money = 8, Rest = 16, RiskBound = 24, MinimumMoney = 32, LotSize = 40, Mark = 48,
  TierStart = 56, TierCount = 60, ImMoney = 64, ImHigh = 72, ImLow = 80, MmMoney = 88, MmHigh = 96, MmLow = 104,
  CapMoney = 112, CapRest = 120, Risk = 128,
}
/** Words of a record before its risk array; the record of instrument i starts at word i × (RECORD_HEADER + scenarioCount). */
export const RECORD_HEADER: i32 = Record.Risk >> 3;
// lotSize × S × shortOptionMin (scale 1e25) split as for short options: the per-lot minimum.
export const shortMinMoney = new Column(3);
export const shortMinRestHigh = new Column(3);
export const shortMinRestLow = new Column(3);

/** Years from now to expiry (365-day years); 0 once the clock has reached it (Black-76 is then the payoff). */
function yearsToExpiry(instrument: i32): f64 {
  if (isExpired(instrument)) return 0;
  return <f64>(i64At(instrumentExpiry.ptr, instrument) - nowMs) / <f64>YEAR_MS;
}

/** Round half away from zero to an integer; the cast compiles to i64.trunc_sat_f64_s, so it saturates. */
// @ts-ignore: decorator
@inline function roundTable(x: f64): i64 {
  return <i64>(x + (x < 0 ? -0.5 : 0.5));
}

// The option inputs of the last `loadOptionInputs` call, as f64 in natural units.
let optionSpot: f64 = 0, optionStrike: f64 = 0, optionYears: f64 = 0, optionSigma: f64 = 0, optionRate: f64 = 0;
let optionIsCall: bool = false;

function loadOptionInputs(instrument: i32): void {
  const u = i32At(instrumentUnderlying.ptr, instrument);
  const iv = i64At(instrumentIv.ptr, instrument);
  optionSigma = <f64>(iv > 0 ? iv : i64At(underlyingVol.ptr, u)) / <f64>FRACTION_SCALE;
  optionSpot = <f64>i64At(underlyingIndex.ptr, u) / <f64>PRICE_SCALE;
  optionStrike = <f64>i64At(instrumentStrike.ptr, instrument) / <f64>PRICE_SCALE;
  optionRate = <f64>i64At(underlyingRate.ptr, u) / <f64>FRACTION_SCALE;
  optionYears = yearsToExpiry(instrument);
  optionIsCall = u8At(instrumentKind.ptr, instrument) == InstrumentKind.Call;
}

/** The unrounded Black-76 value of the last `modelValue` call, per base unit: the risk arrays' base. */
let optionValue: f64 = 0;

/** Black-76 value per base unit at the instrument's iv (or its underlying's vol), scale 1e8, half away from zero. */
function modelValue(instrument: i32): i64 {
  loadOptionInputs(instrument);
  optionValue = black76Value(optionIsCall, optionSpot, optionStrike, optionYears, optionSigma, optionRate);
  return roundTable(optionValue * <f64>PRICE_SCALE);
}

/**
 * Per-lot greeks: delta = ∂V/∂S, gamma = ∂²V/∂S² × S / 100, vega = ∂V/∂σ / 100, theta = ∂V/∂t / 365,
 * each × lot size. A linear instrument's lot has delta = lot size and nothing else; so has an
 * expired option's in the money (its payoff), with the put's sign, and one out of the money none.
 */
function prepareGreeks(instrument: i32, kind: i32, lotSize: i64): void {
  if (!isOption(kind) || isExpired(instrument)) {
    let delta = lotSize * (FRACTION_SCALE / PRICE_SCALE);
    if (isOption(kind)) {
      // decided on the exact index and strike: a put one price unit in the money moves by − the
      // lot size, though S and K may round to the same f64
      const index = i64At(underlyingIndex.ptr, i32At(instrumentUnderlying.ptr, instrument));
      const strike = i64At(instrumentStrike.ptr, instrument);
      const isCall = kind == InstrumentKind.Call;
      delta = (isCall ? index > strike : index < strike) ? (isCall ? delta : -delta) : 0;
    }
    setI64At(lotDelta.ptr, instrument, delta);
    setI64At(lotGamma.ptr, instrument, 0);
    setI64At(lotVega.ptr, instrument, 0);
    setI64At(lotTheta.ptr, instrument, 0);
    return;
  }
  loadOptionInputs(instrument);
  black76Greeks(optionIsCall, optionSpot, optionStrike, optionYears, optionSigma, optionRate);
  const units = <f64>lotSize / <f64>PRICE_SCALE;
  setI64At(lotDelta.ptr, instrument, roundTable(units * black76.greekDelta * <f64>FRACTION_SCALE));
  setI64At(lotGamma.ptr, instrument, roundTable(units * black76.greekGamma * optionSpot / 100.0 * <f64>FRACTION_SCALE));
  setI64At(lotVega.ptr, instrument, roundTable(units * black76.greekVega / 100.0 * <f64>MONEY_SCALE));
  setI64At(lotTheta.ptr, instrument, roundTable(units * black76.greekTheta / 365.0 * <f64>MONEY_SCALE));
}

function guardLinearMark(instrument: i32, index: i64): i64 {
  // an expired future is worth the index until the venue settles it
  if (isExpired(instrument)) return index;
  const low = mulDiv(index, FRACTION_SCALE - maxMarkDeviation, <u64>FRACTION_SCALE, Rounding.Ceil);
  const high = mulDiv(index, FRACTION_SCALE + maxMarkDeviation, <u64>FRACTION_SCALE, Rounding.Floor);
  return min(max(i64At(instrumentMark.ptr, instrument), low), high);
}

function guardOptionMark(instrument: i32, index: i64, isCall: bool): i64 {
  const strike = i64At(instrumentStrike.ptr, instrument);
  const intrinsic = max<i64>(0, isCall ? index - strike : strike - index);
  // the model value also sets the risk arrays' base (at expiry, Black-76 is the payoff)
  const value = modelValue(instrument);
  // an expired option is worth its payoff at the index, exactly, until the venue settles it
  if (isExpired(instrument)) {
    setI64At(instrumentModelValue.ptr, instrument, intrinsic);
    return intrinsic;
  }
  setI64At(instrumentModelValue.ptr, instrument, value);
  // a mark is at most MAX_PRICE, so a model value past it caps nothing (and V × 1.05 could pass i64:
  // a negative rate over years can price an option far above any price the venue takes)
  const cap = value >= MAX_PRICE ? MAX_PRICE : mulDiv(value, FRACTION_SCALE + maxMarkDeviation, <u64>FRACTION_SCALE, Rounding.Floor);
  return max(min(i64At(instrumentMark.ptr, instrument), cap), intrinsic);
}

/** Splits the non-negative wide register by `d` into a money quotient and a remainder. */
function splitWide(instrument: i32, d: u64, money: Column, rest: Column): void {
  setI64At(money.ptr, instrument, <i64>wideDivideFloorWithRemainder(d));
  setI64At(rest.ptr, instrument, <i64>lastRemainder());
}

/** lotSize × u for a per-unit requirement u (wide register, scale 1e17), split for the kernel. */
function splitPerLotRequirement(instrument: i32, lotSize: i64, money: Column, restHigh: Column, restLow: Column): void {
  const high = wideHighWord(), low = wideLowWord();
  wideSetProduct(lotSize, 1);
  wideMultiplyWide(high, low);
  setI64At(money.ptr, instrument, <i64>wideDivideFloorWithRemainder(QTY_PRICE_FRACTION_TO_MONEY));
  const rest = lastRemainder();
  setI64At(restHigh.ptr, instrument, <i64>(rest / <u64>FRACTION_SCALE));
  setI64At(restLow.ptr, instrument, <i64>(rest % <u64>FRACTION_SCALE));
}

/** uIM and uMM of a short option per base unit (docs/methodology.md §4), then per lot. */
function prepareShortOption(instrument: i32, lotSize: i64, index: i64, isCall: bool, mark: i64): void {
  const strike = i64At(instrumentStrike.ptr, instrument);
  const outOfTheMoney = max<i64>(0, isCall ? strike - index : index - strike);
  // max(optIm·S − OTM·F, optImMin·S) takes the first branch iff (optIm − optImMin)·S ≥ OTM·F.
  wideSetProduct(optionImRate - optionImMinRate, index);
  const lhsHigh = wideHighWord(), lhsLow = wideLowWord();
  wideSetProduct(outOfTheMoney, FRACTION_SCALE);
  const rhsHigh = wideHighWord(), rhsLow = wideLowWord();
  if (lhsHigh > rhsHigh || (lhsHigh == rhsHigh && lhsLow >= rhsLow)) {
    wideSetProduct(optionImRate, index);
    wideAddProduct(mark - outOfTheMoney, FRACTION_SCALE);
  } else {
    wideSetProduct(optionImMinRate, index);
    wideAddProduct(mark, FRACTION_SCALE);
  }
  splitPerLotRequirement(instrument, lotSize, shortImMoney, shortImRestHigh, shortImRestLow);
  wideSetProduct(optionMmRate, index);
  wideAddProduct(mark, FRACTION_SCALE);
  splitPerLotRequirement(instrument, lotSize, shortMmMoney, shortMmRestHigh, shortMmRestLow);
  wideSetProduct(lotSize, strike);
  splitWide(instrument, <u64>QTY_PRICE_TO_MONEY, putCapMoney, putCapRest);
}

const instrumentConstants: Column[] = [
  lotDelta, lotGamma, lotVega, lotTheta, lotMarkMoney, lotMarkRest, shortMinMoney, shortMinRestHigh, shortMinRestLow, shortImMoney, shortImRestHigh, shortImRestLow,
  shortMmMoney, shortMmRestHigh, shortMmRestLow, putCapMoney, putCapRest,
];

/** An asset's record at its current price. */
export function prepareAsset(asset: i32): void {
  writeAssetRecord(assetRecords.ptr + ((<usize>asset * <usize>ASSET_RECORD_WORDS) << 3), assetPriceOf(asset), i64At(assetHaircut.ptr, asset));
}

/** The record, at `record`, of an asset priced `price` (1e8) with haircut `haircut` (1e9). */
export function writeAssetRecord(record: usize, price: i64, haircut: i64): void {
  store<i64>(record + AssetRecord.Cash, price == PRICE_SCALE && haircut == 0 ? 1 : 0);
  wideSetProduct(price, FRACTION_SCALE - haircut);
  store<i64>(record + AssetRecord.CreditHigh, <i64>wideDivideFloorWithRemainder(<u64>FRACTION_SCALE));
  store<i64>(record + AssetRecord.CreditLow, <i64>lastRemainder());
  wideSetProduct(price, FRACTION_SCALE + haircut);
  store<i64>(record + AssetRecord.LoanHigh, <i64>wideDivideFloorWithRemainder(<u64>FRACTION_SCALE));
  store<i64>(record + AssetRecord.LoanLow, <i64>lastRemainder());
}


/** σ after a scenario's vol shift, scaled by time to expiry (docs/methodology.md §5). */
function shiftedVol(sigma: f64, shift: i32, daysToExpiry: f64): f64 {
  if (shift == VolShift.None) return sigma;
  const power = <f64>(daysToExpiry <= 30.0 ? volTermShort : volTermLong) / <f64>FRACTION_SCALE;
  const term = Math.pow(30.0 / max(daysToExpiry, 1e-9), power);
  if (shift == VolShift.Up) return sigma * (1.0 + <f64>volUp / <f64>FRACTION_SCALE * term);
  return sigma * max(1.0 - <f64>volDown / <f64>FRACTION_SCALE * term, 0.05);
}

/**
 * The risk array of an option: per scenario, lotSize × (V(S', σ') − V(S, σ)) in money, rounded;
 * zeros for a linear one. V(S, σ) is the mark guard's model value, just computed (prepareInstrument).
 */
function prepareRiskArray(instrument: i32, kind: i32, lotSize: i64): void {
  const row = riskArray.ptr + ((<usize>instrument * <usize>scenarioCount) << 3);
  if (!isOption(kind)) {
    memory.fill(row, 0, <usize>scenarioCount << 3);
    return;
  }
  loadOptionInputs(instrument);
  const base = optionValue;
  const days = <f64>(i64At(instrumentExpiry.ptr, instrument) - nowMs) / <f64>DAY_MS;
  const units = <f64>lotSize / <f64>PRICE_SCALE;
  const moves = movesOf(i32At(instrumentUnderlying.ptr, instrument));
  for (let s = 0; s < scenarioCount; s++) {
    const spot = optionSpot * (1.0 + <f64>i64At(moves, s) / <f64>FRACTION_SCALE);
    const sigma = shiftedVol(optionSigma, i32At(scenarioVol.ptr, s), days);
    const value = black76Value(optionIsCall, spot, optionStrike, optionYears, sigma, optionRate);
    store<i64>(row + (<usize>s << 3), roundTable(units * (value - base) * <f64>MONEY_SCALE));
  }
  // the short-option minimum per unit is S × shortOptionMin (scale 1e17), then per lot
  wideSetProduct(i64At(underlyingIndex.ptr, i32At(instrumentUnderlying.ptr, instrument)), shortOptionMinRate);
  splitPerLotRequirement(instrument, lotSize, shortMinMoney, shortMinRestHigh, shortMinRestLow);
}

/** Instrument i's kernel record, from its prepared columns (all but its Changed flag). */
function writeRecord(i: i32, kind: i32, lotSize: i64, mark: i64): void {
  const count = scenarioCount, record = kernelRecords.ptr + ((<usize>i * <usize>(RECORD_HEADER + count)) << 3);
  const risks = riskArray.ptr + ((<usize>i * <usize>count) << 3);
  store<i32>(record + Record.Underlying, i32At(instrumentUnderlying.ptr, i));
  store<u8>(record + Record.Kind, <u8>kind); // Record.Changed is the refresh's (freshness.ts)
  store<i64>(record + Record.Money, i64At(lotMarkMoney.ptr, i));
  store<i64>(record + Record.Rest, i64At(lotMarkRest.ptr, i));
  // an option's per-lot requirements (charged on its shorts); a linear instrument has none
  const option = isOption(kind);
  store<i64>(record + Record.MinimumMoney, option ? i64At(shortMinMoney.ptr, i) : 0);
  store<i64>(record + Record.LotSize, lotSize);
  store<i64>(record + Record.Mark, mark);
  store<i32>(record + Record.TierStart, i32At(instrumentTierStart.ptr, i));
  store<i32>(record + Record.TierCount, i32At(instrumentTierCount.ptr, i));
  store<i64>(record + Record.ImMoney, option ? i64At(shortImMoney.ptr, i) : 0);
  store<i64>(record + Record.ImHigh, option ? i64At(shortImRestHigh.ptr, i) : 0);
  store<i64>(record + Record.ImLow, option ? i64At(shortImRestLow.ptr, i) : 0);
  store<i64>(record + Record.MmMoney, option ? i64At(shortMmMoney.ptr, i) : 0);
  store<i64>(record + Record.MmHigh, option ? i64At(shortMmRestHigh.ptr, i) : 0);
  store<i64>(record + Record.MmLow, option ? i64At(shortMmRestLow.ptr, i) : 0);
  store<i64>(record + Record.CapMoney, option ? i64At(putCapMoney.ptr, i) : 0);
  store<i64>(record + Record.CapRest, option ? i64At(putCapRest.ptr, i) : 0);
  let bound: f64 = 0;
  for (let s = 0; s < count; s++) {
    const risk = <f64>load<i64>(risks + (<usize>s << 3));
    store<f64>(record + Record.Risk + (<usize>s << 3), risk);
    bound = max(bound, abs(risk));
  }
  store<f64>(record + Record.RiskBound, bound);
}

/** Sizes every per-instrument and per-asset table for the current counts and grid. */
export function reserveConstants(): void {
  riskArray.reserve(instrumentCount * scenarioCount);
  kernelRecords.reserve(instrumentCount * (RECORD_HEADER + scenarioCount));
  for (let c = 0; c < instrumentConstants.length; c++) unchecked(instrumentConstants[c]).reserve(instrumentCount);
  assetRecords.reserve(assetCount * ASSET_RECORD_WORDS);
}

/** Guarded mark, model value, per-lot constants, greeks and risk arrays of one instrument. */
export function prepareInstrument(i: i32): void {
  const kind = u8At(instrumentKind.ptr, i);
  const lotSize = i64At(instrumentLotSize.ptr, i);
  const index = i64At(underlyingIndex.ptr, i32At(instrumentUnderlying.ptr, i));
  const isCall = kind == InstrumentKind.Call;
  const mark = isOption(kind) ? guardOptionMark(i, index, isCall) : guardLinearMark(i, index);
  setI64At(instrumentMarkUsed.ptr, i, mark);
  wideSetProduct(lotSize, mark);
  splitWide(i, <u64>QTY_PRICE_TO_MONEY, lotMarkMoney, lotMarkRest);
  if (isOption(kind)) prepareShortOption(i, lotSize, index, isCall, mark);
  prepareGreeks(i, kind, lotSize);
  prepareRiskArray(i, kind, lotSize);
  writeRecord(i, kind, lotSize, mark);
}
