// Reference data: underlyings, assets, instruments and their tier brackets, plus parameters.
// The facade validates rows with exact decimal arithmetic and writes them here; the module
// derives what the kernels need (guarded marks, option model values) in `risk/prepare.ts`.
import { Column } from "./column";

/** Generated into the facade's KIND_* constants. */
export const enum InstrumentKind { Perp = 0, Future = 1, Call = 2, Put = 3 }

// @ts-ignore: decorator
@inline export function isOption(kind: i32): bool { return kind >= InstrumentKind.Call; }

export let underlyingCount: i32 = 0;
export const underlyingIndex = new Column(3);   // i64 price: the index (scale 1e8)
export const underlyingVol = new Column(3);     // i64 fraction
export const underlyingRate = new Column(3);    // i64 fraction

export let assetCount: i32 = 0;
export const assetPrice = new Column(3);        // i64 price (own price; see assetUnderlying)
export const assetHaircut = new Column(3);      // i64 fraction
export const assetUnderlying = new Column(2);   // i32 underlying index priced from, or -1
export const assetMaxAmount = new Column(3);    // i64 largest |amount| held (limit checks on price moves)

export let instrumentCount: i32 = 0;
export const instrumentKind = new Column(0);       // u8 InstrumentKind
export const instrumentUnderlying = new Column(2); // i32
export const instrumentLotSize = new Column(3);    // i64 scale 1e8
export const instrumentMark = new Column(3);       // i64 price as quoted
export const instrumentStrike = new Column(3);     // i64 price (options)
export const instrumentExpiry = new Column(3);     // i64 ms (futures, options)
export const instrumentIv = new Column(3);         // i64 fraction, 0 = use the underlying's vol
export const instrumentTierStart = new Column(2);  // i32 first row in the tier table
export const instrumentTierCount = new Column(2);  // i32
export const instrumentMaxLots = new Column(3);    // i64 largest |lots| held (limit checks on price moves)
export const instrumentMarkUsed = new Column(3);   // i64 derived: the guarded mark
export const instrumentModelValue = new Column(3); // i64 derived: Black-76 value per base unit (options)

export const tierUpTo = new Column(3); // i64 money
export const tierImf = new Column(3);  // i64 fraction
export const tierMmf = new Column(3);  // i64 fraction

/** Valuation time, ms since the epoch. */
export let nowMs: i64 = 0;
/** The venue's clock (ms): a future or option whose expiry it has reached no longer trades and is valued at the index. */
let clockMs: i64 = 0;
// the venue's parameters: written by setParameters before anything is evaluated (their defaults
// are bindings/venue/params.ts's)
export let maxMarkDeviation: i64 = 0;
export let optionImRate: i64 = 0;
export let optionImMinRate: i64 = 0;
export let optionMmRate: i64 = 0;

export function getInstrumentCount(): i32 { return instrumentCount; }

export function setCounts(underlyings: i32, assets: i32, instruments: i32, tiers: i32): void {
  underlyingIndex.reserve(underlyings); underlyingVol.reserve(underlyings); underlyingRate.reserve(underlyings);
  assetPrice.reserve(assets); assetHaircut.reserve(assets); assetUnderlying.reserve(assets);
  assetMaxAmount.reserve(assets);
  instrumentKind.reserve(instruments); instrumentUnderlying.reserve(instruments);
  instrumentLotSize.reserve(instruments); instrumentMark.reserve(instruments);
  instrumentStrike.reserve(instruments); instrumentExpiry.reserve(instruments);
  instrumentIv.reserve(instruments); instrumentTierStart.reserve(instruments);
  instrumentTierCount.reserve(instruments); instrumentMaxLots.reserve(instruments);
  instrumentMarkUsed.reserve(instruments); instrumentModelValue.reserve(instruments);
  tierUpTo.reserve(tiers); tierImf.reserve(tiers); tierMmf.reserve(tiers);
  underlyingCount = underlyings;
  assetCount = assets;
  instrumentCount = instruments;
}

export function setClock(ms: i64): void {
  clockMs = ms;
}

/** True once the clock has reached a future's or option's expiry. */
export function isExpired(instrument: i32): bool {
  return load<u8>(instrumentKind.ptr + <usize>instrument) != InstrumentKind.Perp
    && load<i64>(instrumentExpiry.ptr + (<usize>instrument << 3)) <= clockMs;
}

export function setParameters(now: i64, markDeviation: i64, imRate: i64, imMinRate: i64, mmRate: i64): void {
  nowMs = now;
  maxMarkDeviation = markDeviation;
  optionImRate = imRate;
  optionImMinRate = imMinRate;
  optionMmRate = mmRate;
}
