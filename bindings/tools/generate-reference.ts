// The synthetic venue's reference data: BTC, ETH and SOL with perpetuals, quarterly futures and
// option chains priced with the module's Black-76, and the flat per-instrument model (marks,
// scenario P&L per lot, tier tables) the account generator sizes books against.
import { DAY_MS as DAY, KIND_CALL, KIND_FUTURE, KIND_PERP, KIND_PUT, YEAR_MS as YEAR } from "../core/constants.generated.js";
import { black76Value } from "../module/pricing.js";
import { FRACTION_DEFAULTS } from "../venue/params.js";

/** The venue file minus its accounts (the venue-file shapes of docs/api.md, decimal strings). */
export interface VenueReference {
  now: string;
  settlement: string;
  params: Record<string, unknown>;
  assets: Record<string, unknown>[];
  underlyings: Record<string, unknown>[];
  instruments: Record<string, unknown>[];
  insuranceFund: string;
}

const NOW = "2026-11-24T00:00:00Z";
const NOW_MS = Date.parse(NOW);
const DAY_MS = Number(DAY), YEAR_MS = Number(YEAR);

interface UnderlyingSpec {
  id: string; spot: number; vol: number; haircut: number;
  linearLot: string; optionLot: string; strikeStep: number; tick: number;
  /** Exchange-style brackets: position notional up to (USD), initial and maintenance rates. */
  tiers: [number, number, number][];
}

export const UNDERLYINGS: UnderlyingSpec[] = [
  { id: "BTC", spot: 65000, vol: 0.55, haircut: 0.05, linearLot: "0.001", optionLot: "0.1", strikeStep: 1000, tick: 0.5,
    tiers: [[1e6, 0.01, 0.005], [5e6, 0.02, 0.01], [2e7, 0.05, 0.025], [1e8, 0.1, 0.05], [1e9, 0.2, 0.1]] },
  { id: "ETH", spot: 3500, vol: 0.65, haircut: 0.08, linearLot: "0.01", optionLot: "1", strikeStep: 50, tick: 0.05,
    tiers: [[5e5, 0.02, 0.01], [2e6, 0.04, 0.02], [1e7, 0.08, 0.04], [5e8, 0.2, 0.1]] },
  { id: "SOL", spot: 150, vol: 0.85, haircut: 0.15, linearLot: "0.1", optionLot: "10", strikeStep: 5, tick: 0.01,
    tiers: [[2e5, 0.04, 0.02], [1e6, 0.08, 0.04], [3e8, 0.25, 0.125]] },
];
/** Quarterly futures: the last Friday of each quarter's month, 08:00 UTC. */
export const FUTURE_EXPIRIES = ["2026-12-25T08:00:00Z", "2027-03-26T08:00:00Z", "2027-06-25T08:00:00Z"];
/** Option expiries from about a week to about half a year out. */
const OPTION_EXPIRIES = ["2026-12-01T08:00:00Z", "2026-12-25T08:00:00Z", "2027-03-26T08:00:00Z", "2027-05-21T08:00:00Z"];
const STRIKE_MONEYNESS = [0.6, 0.7, 0.8, 0.9, 0.95, 1, 1.05, 1.1, 1.2, 1.3, 1.4];
/** Annualized basis of the futures over the index. */
const FUTURE_BASIS = 0.06;
const PERP_PREMIUM = 0.0002;
export const OPTIONS_PER_UNDERLYING = 2 * OPTION_EXPIRIES.length * STRIKE_MONEYNESS.length;
export const INSTRUMENTS_PER_UNDERLYING = 1 + FUTURE_EXPIRIES.length + OPTIONS_PER_UNDERLYING;

// The methodology's default parameters (docs/methodology.md §2, §4, §5) as doubles, for the margin approximation.
const fraction = (key: keyof typeof FRACTION_DEFAULTS): number => Number(FRACTION_DEFAULTS[key]) / 1e9;
const MAX_MARK_DEVIATION = fraction("maxMarkDeviation");
export const OPT_IM = fraction("optIm"), OPT_IM_MIN = fraction("optImMin"), OPT_MM = fraction("optMm");
const PRICE_SCAN = fraction("priceScan"), EXTREME_MULTIPLE = fraction("extremeMultiple"), EXTREME_COVER = fraction("extremeCover");
const VOL_UP = fraction("volUp"), VOL_DOWN = fraction("volDown"), VOL_TERM_SHORT = fraction("volTermShort"), VOL_TERM_LONG = fraction("volTermLong");
export const IM_MULTIPLIER = fraction("imMultiplier"), SHORT_OPTION_MIN = fraction("shortOptionMin");

export const USD = 0, USDC = 1, FIRST_CRYPTO_ASSET = 2;

/** The span16 grid (docs/methodology.md §5): price move, vol shift (+1 up, −1 down, 0 none), cover. */
export const SCENARIO_MOVE: number[] = [];
const SCENARIO_VOL: number[] = [];
export const SCENARIO_COVER: number[] = [];
for (const j of [0, 1, -1, 2, -2, 3, -3]) {
  for (const vol of [1, -1]) {
    SCENARIO_MOVE.push((PRICE_SCAN * j) / 3);
    SCENARIO_VOL.push(vol);
    SCENARIO_COVER.push(1);
  }
}
for (const sign of [1, -1]) {
  SCENARIO_MOVE.push(sign * EXTREME_MULTIPLE * PRICE_SCAN);
  SCENARIO_VOL.push(0);
  SCENARIO_COVER.push(EXTREME_COVER);
}
export const SCENARIOS = SCENARIO_MOVE.length;

/** Volatility of a scenario row (docs/methodology.md §5). */
function shiftedVol(sigma: number, shift: number, days: number): number {
  if (shift === 0) return sigma;
  const term = (30 / Math.max(days, 1e-9)) ** (days <= 30 ? VOL_TERM_SHORT : VOL_TERM_LONG);
  return shift > 0 ? sigma * (1 + VOL_UP * term) : sigma * Math.max(1 - VOL_DOWN * term, 0.05);
}

/** `value` rounded to a multiple of `step` (a power of ten or a half of one), as a decimal string. */
function decimal(value: number, step: number): string {
  const decimals = Math.max(0, Math.ceil(-Math.log10(step) - 1e-9));
  return (Math.round(value / step) * step).toFixed(decimals);
}

/** `1e8 × x` for a decimal string, exactly (lot sizes and ticks are short decimals). */
function rawPrice(text: string): number {
  const [whole, fraction = ""] = text.split(".");
  return Number(whole) * 1e8 + Number(fraction.padEnd(8, "0"));
}

/** Flat per-instrument figures the account loop reads. */
export interface Model {
  count: number;
  underlying: Uint8Array;
  kind: Uint8Array;
  lotSize: Float64Array;
  /** Mark as given, and as the engine will use it after the §2 guard (approximately, for options). */
  mark: Float64Array;
  markUsed: Float64Array;
  strike: Float64Array;
  /** Entry prices are drawn in whole ticks: the tick, raw at scale 1e8, and the mark in ticks. */
  tick: Float64Array;
  tickRaw: Float64Array;
  markTicks: Float64Array;
  /** Lots per USD the position sizes are drawn against: of the mark for linear lots, of the index for options. */
  lotsPerUsd: Float64Array;
  /** Per-lot P&L of an option in each scenario (USD), SCENARIOS entries per instrument. */
  scenarioPnl: Float64Array;
}

/**
 * The insurance fund a venue of `accounts` starts with: 2 USD an account. The default crash
 * (`margin-core demo`) opens with about 11 USD an account of deficits from books generated under
 * water, more than the fund holds, so its first pass uses the fund and ADL both; the fees of the
 * crash then keep the fund paying.
 */
const FUND_PER_ACCOUNT = 2;

export function buildReference(accounts = 0): { venue: VenueReference; model: Model } {
  const count = UNDERLYINGS.length * INSTRUMENTS_PER_UNDERLYING;
  const model: Model = {
    count,
    underlying: new Uint8Array(count), kind: new Uint8Array(count), lotSize: new Float64Array(count),
    mark: new Float64Array(count), markUsed: new Float64Array(count), strike: new Float64Array(count),
    tick: new Float64Array(count), tickRaw: new Float64Array(count), markTicks: new Float64Array(count),
    lotsPerUsd: new Float64Array(count), scenarioPnl: new Float64Array(count * SCENARIOS),
  };
  const instruments: Record<string, unknown>[] = [];
  const add = (ui: number, kind: number, lotSize: string, mark: string, strike: number, spec: Record<string, unknown>): number => {
    const i = instruments.length;
    instruments.push(spec);
    const u = UNDERLYINGS[ui];
    model.underlying[i] = ui;
    model.kind[i] = kind;
    model.lotSize[i] = Number(lotSize);
    model.mark[i] = Number(mark);
    model.markUsed[i] = Number(mark);
    model.strike[i] = strike;
    model.tick[i] = u.tick;
    model.tickRaw[i] = rawPrice(String(u.tick));
    model.markTicks[i] = Number(mark) / u.tick;
    model.lotsPerUsd[i] = 1 / (Number(lotSize) * (kind === KIND_PERP || kind === KIND_FUTURE ? Number(mark) : u.spot));
    return i;
  };
  UNDERLYINGS.forEach((u, ui) => {
    const tiers = u.tiers.map(([upTo, imf, mmf]) => ({ upTo: String(upTo), imf: String(imf), mmf: String(mmf) }));
    const perpMark = decimal(u.spot * (1 + PERP_PREMIUM), u.tick);
    add(ui, KIND_PERP, u.linearLot, perpMark, 0,
      { id: `${u.id}-PERP`, kind: "perp", underlying: u.id, lotSize: u.linearLot, mark: perpMark, tiers });
    for (const expiry of FUTURE_EXPIRIES) {
      const years = (Date.parse(expiry) - NOW_MS) / YEAR_MS;
      const mark = decimal(u.spot * (1 + FUTURE_BASIS * years), u.tick);
      add(ui, KIND_FUTURE, u.linearLot, mark, 0, {
        id: `${u.id}-${expiry.slice(0, 10).replaceAll("-", "")}`, kind: "future", underlying: u.id, expiry,
        lotSize: u.linearLot, mark, tiers,
      });
    }
    for (const expiry of OPTION_EXPIRIES) {
      const days = (Date.parse(expiry) - NOW_MS) / DAY_MS;
      const years = days / 365;
      for (const moneyness of STRIKE_MONEYNESS) {
        const strike = Math.round((u.spot * moneyness) / u.strikeStep) * u.strikeStep;
        const ivText = (u.vol * (1 + 0.3 * Math.abs(Math.log(strike / u.spot)))).toFixed(4);
        const iv = Number(ivText);
        for (const call of [true, false]) {
          const value = black76Value(call, u.spot, strike, years, iv, 0);
          const mark = decimal(Math.max(value, u.tick), u.tick); // a tick at least, deep out of the money
          const i = add(ui, call ? KIND_CALL : KIND_PUT, u.optionLot, mark, strike, {
            id: `${u.id}-${expiry.slice(0, 10).replaceAll("-", "")}-${strike}-${call ? "C" : "P"}`,
            kind: "option", underlying: u.id, right: call ? "call" : "put", strike: String(strike), expiry,
            lotSize: u.optionLot, mark, iv: ivText,
          });
          const intrinsic = Math.max(0, call ? u.spot - strike : strike - u.spot);
          model.markUsed[i] = Math.max(Math.min(Number(mark), value * (1 + MAX_MARK_DEVIATION)), intrinsic);
          for (let s = 0; s < SCENARIOS; s++) {
            const moved = black76Value(call, u.spot * (1 + SCENARIO_MOVE[s]), strike, years, shiftedVol(iv, SCENARIO_VOL[s], days), 0);
            model.scenarioPnl[i * SCENARIOS + s] = Number(u.optionLot) * (moved - value);
          }
        }
      }
    }
  });
  return {
    model,
    venue: {
      now: NOW, settlement: "USD", params: {},
      assets: [
        { id: "USD", price: "1", haircut: "0" },
        { id: "USDC", price: "1", haircut: "0.01" },
        ...UNDERLYINGS.map((u) => ({ id: u.id, price: String(u.spot), haircut: String(u.haircut), underlying: u.id })),
      ],
      underlyings: UNDERLYINGS.map((u) => ({ id: u.id, spot: String(u.spot), vol: String(u.vol), rate: "0" })),
      instruments,
      insuranceFund: String(FUND_PER_ACCOUNT * accounts),
    },
  };
}

/** Flat tier tables per underlying: rows [tierStart[u], tierStart[u + 1]). */
export const TIER_START = new Uint8Array(UNDERLYINGS.length + 1);
export const TIER_UP_TO: number[] = [], TIER_IMF: number[] = [], TIER_MMF: number[] = [];
UNDERLYINGS.forEach((u, ui) => {
  for (const [upTo, imf, mmf] of u.tiers) {
    TIER_UP_TO.push(upTo);
    TIER_IMF.push(imf);
    TIER_MMF.push(mmf);
  }
  TIER_START[ui + 1] = TIER_UP_TO.length;
});

/** Tiered requirement of a linear notional (docs/methodology.md §4) at the given rates; past the last bound, the last rate. */
export function tiered(notional: number, underlying: number, rates: number[]): number {
  const first = TIER_START[underlying];
  let below = 0, charge = 0;
  const end = TIER_START[underlying + 1];
  for (let k = first; k < end; k++) {
    if (notional <= below) return charge;
    charge += (Math.min(notional, TIER_UP_TO[k]) - below) * rates[k];
    below = TIER_UP_TO[k];
  }
  return notional > below ? charge + (notional - below) * rates[end - 1] : charge;
}
