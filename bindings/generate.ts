// A seeded, deterministic synthetic venue: BTC, ETH and SOL with perpetuals, quarterly futures and
// option chains, and accounts written straight into bulk-load columns (no per-row objects).
//
// Each account is given a status class first (healthy, between maintenance and initial margin,
// under maintenance, bankrupt), then its book, then collateral sized so that its equity lands in
// that class under an approximation of its own margin mode: methodology §4 (tiers, short-option
// formulas) for standard accounts, the span16 scenario grid of §5 on Black-76 values for
// portfolio accounts. Healthy books take their equity from their notional at a leverage drawn
// from a skewed distribution, never below 1.1 × initial margin. Same seed, same bytes.
import { xoroshiro128plus } from "pure-rand/generator/xoroshiro128plus";
import type { AccountColumns } from "./account-columns.js";
import { KIND_CALL, KIND_FUTURE, KIND_PERP, KIND_PUT } from "./core/constants.generated.js";

export type { AccountColumns };

/** The venue file minus its accounts (contract §2 shapes, decimal strings). */
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
const DAY_MS = 86_400_000;
const YEAR_MS = 365 * DAY_MS;
const MAX_POSITIONS = 16;
const MAX_COLLATERAL = 3;

// Share of accounts per status class (the rest is healthy).
const P_BANKRUPT = 0.006;
const P_UNDER_MAINTENANCE = 0.04;
const P_UNDER_INITIAL = 0.075;
const P_PORTFOLIO = 0.3;
const P_SUB_ACCOUNT = 0.02;
const P_CRYPTO_COLLATERAL = 0.25;
const P_USDC_COLLATERAL = 0.15;
/** Of the accounts holding crypto collateral: those that also borrow a little USD against it. */
const P_USD_LOAN = 0.03;

interface UnderlyingSpec {
  id: string; spot: number; vol: number; haircut: number;
  linearLot: string; optionLot: string; strikeStep: number; tick: number;
  /** Exchange-style brackets: position notional up to (USD), initial and maintenance rates. */
  tiers: [number, number, number][];
}

const UNDERLYINGS: UnderlyingSpec[] = [
  { id: "BTC", spot: 65000, vol: 0.55, haircut: 0.05, linearLot: "0.001", optionLot: "0.1", strikeStep: 1000, tick: 0.5,
    tiers: [[1e6, 0.01, 0.005], [5e6, 0.02, 0.01], [2e7, 0.05, 0.025], [1e8, 0.1, 0.05], [1e9, 0.2, 0.1]] },
  { id: "ETH", spot: 3500, vol: 0.65, haircut: 0.08, linearLot: "0.01", optionLot: "1", strikeStep: 50, tick: 0.05,
    tiers: [[5e5, 0.02, 0.01], [2e6, 0.04, 0.02], [1e7, 0.08, 0.04], [5e8, 0.2, 0.1]] },
  { id: "SOL", spot: 150, vol: 0.85, haircut: 0.15, linearLot: "0.1", optionLot: "10", strikeStep: 5, tick: 0.01,
    tiers: [[2e5, 0.04, 0.02], [1e6, 0.08, 0.04], [3e8, 0.25, 0.125]] },
];
/** Quarterly futures: the last Friday of each quarter's month, 08:00 UTC. */
const FUTURE_EXPIRIES = ["2026-12-25T08:00:00Z", "2027-03-26T08:00:00Z", "2027-06-25T08:00:00Z"];
/** Option expiries from about a week to about half a year out. */
const OPTION_EXPIRIES = ["2026-12-01T08:00:00Z", "2026-12-25T08:00:00Z", "2027-03-26T08:00:00Z", "2027-05-21T08:00:00Z"];
const STRIKE_MONEYNESS = [0.6, 0.7, 0.8, 0.9, 0.95, 1, 1.05, 1.1, 1.2, 1.3, 1.4];
/** Annualized basis of the futures over the index. */
const FUTURE_BASIS = 0.06;
const PERP_PREMIUM = 0.0002;
const OPTIONS_PER_UNDERLYING = 2 * OPTION_EXPIRIES.length * STRIKE_MONEYNESS.length;
const INSTRUMENTS_PER_UNDERLYING = 1 + FUTURE_EXPIRIES.length + OPTIONS_PER_UNDERLYING;

// Methodology defaults used by the margin approximation (docs/methodology.md §2, §4, §5).
const MAX_MARK_DEVIATION = 0.05;
const OPT_IM = 0.15, OPT_IM_MIN = 0.1, OPT_MM = 0.075;
const PRICE_SCAN = 0.16, EXTREME_MULTIPLE = 3, EXTREME_COVER = 0.33;
const VOL_UP = 0.5, VOL_DOWN = 0.25, VOL_TERM_SHORT = 0.3, VOL_TERM_LONG = 0.13;
const IM_MULTIPLIER = 1.25, SHORT_OPTION_MIN = 0.01;

const USD = 0, USDC = 1, FIRST_CRYPTO_ASSET = 2;
const CLASS_HEALTHY = 0, CLASS_UNDER_INITIAL = 1, CLASS_UNDER_MAINTENANCE = 2, CLASS_BANKRUPT = 3;

/** The span16 grid (methodology §5): price move, vol shift (+1 up, −1 down, 0 none), cover. */
const SCENARIO_MOVE: number[] = [];
const SCENARIO_VOL: number[] = [];
const SCENARIO_COVER: number[] = [];
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
const SCENARIOS = SCENARIO_MOVE.length;

/** Standard normal CDF (Abramowitz & Stegun 7.1.26 via erf); it only shapes synthetic inputs. */
function normalCdf(x: number): number {
  const z = Math.abs(x) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * z);
  const erf = 1 - t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429)))) * Math.exp(-z * z);
  return x >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
}

/** Black-76 value per base unit at rate 0 (the forward is the index). */
function black76(call: boolean, spot: number, strike: number, years: number, vol: number): number {
  const sd = vol * Math.sqrt(years);
  const d1 = (Math.log(spot / strike) + (sd * sd) / 2) / sd;
  const d2 = d1 - sd;
  return call ? spot * normalCdf(d1) - strike * normalCdf(d2) : strike * normalCdf(-d2) - spot * normalCdf(-d1);
}

/** Volatility of a scenario row (methodology §5). */
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
interface Model {
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

function buildReference(): { venue: VenueReference; model: Model } {
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
          const value = black76(call, u.spot, strike, years, iv);
          const mark = decimal(Math.max(value, u.tick), u.tick); // a tick at least, deep out of the money
          const i = add(ui, call ? KIND_CALL : KIND_PUT, u.optionLot, mark, strike, {
            id: `${u.id}-${expiry.slice(0, 10).replaceAll("-", "")}-${strike}-${call ? "C" : "P"}`,
            kind: "option", underlying: u.id, right: call ? "call" : "put", strike: String(strike), expiry,
            lotSize: u.optionLot, mark, iv: ivText,
          });
          const intrinsic = Math.max(0, call ? u.spot - strike : strike - u.spot);
          model.markUsed[i] = Math.max(Math.min(Number(mark), value * (1 + MAX_MARK_DEVIATION)), intrinsic);
          for (let s = 0; s < SCENARIOS; s++) {
            const moved = black76(call, u.spot * (1 + SCENARIO_MOVE[s]), strike, years, shiftedVol(iv, SCENARIO_VOL[s], days));
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
      insuranceFund: "25000000",
    },
  };
}

/** Flat tier tables per underlying: rows [tierStart[u], tierStart[u + 1]). */
const TIER_START = new Uint8Array(UNDERLYINGS.length + 1);
const TIER_UP_TO: number[] = [], TIER_IMF: number[] = [], TIER_MMF: number[] = [];
UNDERLYINGS.forEach((u, ui) => {
  for (const [upTo, imf, mmf] of u.tiers) {
    TIER_UP_TO.push(upTo);
    TIER_IMF.push(imf);
    TIER_MMF.push(mmf);
  }
  TIER_START[ui + 1] = TIER_UP_TO.length;
});

/** Tiered requirement of a linear notional (methodology §4) at the given rates; past the last bound, the last rate. */
function tiered(notional: number, underlying: number, rates: number[]): number {
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

/** Little-endian hosts keep the low 32 bits of an i64 first. */
const LOW_WORD = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 0 : 1;
const TWO_32 = 4294967296;
const LN_1000 = Math.log(1000);
/** Uniform draws per account, by use: the first BOOK_DRAWS_AT once, the rest again for each drawing of the book. */
const U_MODE = 0, U_SUB_ACCOUNT = 1, U_PARENT = 2, U_STATUS = 3, U_HOME = 4, U_CRYPTO = 5, U_CRYPTO_ASSET = 6,
  U_BORROW = 7, U_CRYPTO_SHARE = 8, U_USDC = 9, U_USDC_SHARE = 10;
const U_GROSS = 11, U_COUNT = 12, U_CASH = 13, U_DEPTH = 14, U_CUSHION = 15;
const BOOK_DRAWS_AT = U_GROSS;
const ACCOUNT_DRAWS = 16;

/** Stores a safe integer into element `index` of a BigInt64Array seen as 32-bit words (no BigInt made). */
function setI64(words: Int32Array, index: number, value: number): void {
  const high = Math.floor(value / TWO_32);
  words[2 * index + LOW_WORD] = (value - high * TWO_32) | 0;
  words[2 * index + 1 - LOW_WORD] = high | 0;
}

/** Writes accounts one after another into columns sized for the upper bounds. */
class AccountWriter {
  readonly mode: Uint8Array;
  readonly parent: Int32Array;
  readonly positionOffsets: Uint32Array;
  readonly collateralOffsets: Uint32Array;
  readonly positionInstrument: Uint16Array;
  readonly positionLots: Int32Array;
  readonly positionEntry: BigInt64Array;
  readonly collateralAsset: Uint8Array;
  readonly collateralAmount: BigInt64Array;
  private readonly entryWords: Int32Array;
  private readonly amountWords: Int32Array;

  /** The book (drawing attempt) that last took each instrument: no instrument twice per account. */
  private readonly heldBy: Int32Array;
  /**
   * Portfolio approximation per underlying bucket: linear exposure (positions and collateral),
   * options' P&L per scenario, short-option floor, and whether the bucket exists.
   */
  private readonly bucketExposure = new Float64Array(UNDERLYINGS.length);
  private readonly bucketPnl = new Float64Array(UNDERLYINGS.length * SCENARIOS);
  private readonly bucketFloor = new Float64Array(UNDERLYINGS.length);
  private readonly bucketUsed = new Uint8Array(UNDERLYINGS.length);
  private readonly spot = new Float64Array(UNDERLYINGS.map((u) => u.spot));
  /** Uniform draws for the decisions of one account (filled in one call: no number boxed per draw). */
  private readonly u = new Float64Array(ACCOUNT_DRAWS);

  p = 0;
  c = 0;
  private book = 0;
  // Figures of the book being drawn (USD): positions' equity, gross notional, standard MM and IM.
  private value = 0.5;
  private notional = 0.5;
  private standardMm = 0.5;
  private standardIm = 0.5;

  constructor(accounts: number, private readonly model: Model, private readonly rng: ReturnType<typeof xoroshiro128plus>) {
    this.mode = new Uint8Array(accounts);
    this.parent = new Int32Array(accounts).fill(-1);
    this.positionOffsets = new Uint32Array(accounts + 1);
    this.collateralOffsets = new Uint32Array(accounts + 1);
    this.positionInstrument = new Uint16Array(accounts * MAX_POSITIONS);
    this.positionLots = new Int32Array(accounts * MAX_POSITIONS);
    this.positionEntry = new BigInt64Array(accounts * MAX_POSITIONS);
    this.collateralAsset = new Uint8Array(accounts * MAX_COLLATERAL);
    this.collateralAmount = new BigInt64Array(accounts * MAX_COLLATERAL);
    this.entryWords = new Int32Array(this.positionEntry.buffer);
    this.amountWords = new Int32Array(this.collateralAmount.buffer);
    this.heldBy = new Int32Array(model.count).fill(-1);
  }

  /** Fills u[from … to) with uniform draws in [0, 1), 32 random bits each. */
  private draw(from: number, to: number): void {
    const rng = this.rng, u = this.u;
    for (let k = from; k < to; k++) u[k] = (rng.next() >>> 0) / TWO_32;
  }

  account(a: number): void {
    const u = this.u;
    this.draw(0, BOOK_DRAWS_AT);
    const portfolio = u[U_MODE] < P_PORTFOLIO;
    this.mode[a] = portfolio ? 1 : 0;
    if (a > 0 && u[U_SUB_ACCOUNT] < P_SUB_ACCOUNT) {
      const candidate = Math.floor(u[U_PARENT] * a);
      this.parent[a] = this.parent[candidate] >= 0 ? this.parent[candidate] : candidate;
    }
    let status = u[U_STATUS] < P_BANKRUPT ? CLASS_BANKRUPT
      : u[U_STATUS] < P_BANKRUPT + P_UNDER_MAINTENANCE ? CLASS_UNDER_MAINTENANCE
      : u[U_STATUS] < P_BANKRUPT + P_UNDER_MAINTENANCE + P_UNDER_INITIAL ? CLASS_UNDER_INITIAL : CLASS_HEALTHY;
    const home = u[U_HOME] < 0.5 ? 0 : u[U_HOME] < 0.8 ? 1 : 2;
    const first = this.p;
    let mm = 0, im = 0, need = 0;

    // A book in trouble whose positions alone are worth more than its target equity is drawn
    // again (a few times at most), so that such books rarely need a USD loan to get there.
    for (let attempt = 0; attempt < 8; attempt++) {
      this.draw(BOOK_DRAWS_AT, ACCOUNT_DRAWS);
      this.p = first;
      const gross = 2000 * Math.exp(LN_1000 * u[U_GROSS] * u[U_GROSS]); // intended gross notional, 2k … 2M USD
      this.drawBook(home, 1 + Math.floor(u[U_COUNT] * MAX_POSITIONS), gross, status !== CLASS_HEALTHY, portfolio);
      mm = portfolio ? this.portfolioMaintenance() : this.standardMm;
      im = portfolio ? mm * IM_MULTIPLIER : this.standardIm;
      if ((status === CLASS_UNDER_MAINTENANCE && mm < 1) || (status === CLASS_UNDER_INITIAL && im - mm < 1)) status = CLASS_HEALTHY;
      need = this.aim(status, mm, im) - this.value;
      if (status === CLASS_HEALTHY || need > 0) break;
    }
    this.positionOffsets[a + 1] = this.p;

    // Collateral of that haircut value: sometimes a crypto asset and USDC, USD for the rest.
    const start = this.c;
    let provided = 0;
    const borrows = u[U_BORROW] < P_USD_LOAN;
    if (u[U_CRYPTO] < P_CRYPTO_COLLATERAL && need > 0) {
      const ui = u[U_CRYPTO_ASSET] < 0.6 ? home : Math.floor(((u[U_CRYPTO_ASSET] - 0.6) / 0.4) * UNDERLYINGS.length);
      const asset = UNDERLYINGS[ui];
      const share = borrows ? 1.1 + 0.4 * u[U_CRYPTO_SHARE] : 0.1 + 0.5 * u[U_CRYPTO_SHARE];
      const micros = Math.floor(((need * share) / (asset.spot * (1 - asset.haircut))) * 1e6); // 1e-6 units
      if (micros > 0) {
        this.collateralAsset[this.c] = FIRST_CRYPTO_ASSET + ui;
        setI64(this.amountWords, this.c++, micros * 100);
        const counted = (micros / 1e6) * asset.spot * (1 - asset.haircut);
        provided += counted;
        if (portfolio) {
          // collateral priced by an underlying is shocked in its bucket (shockCollateral)
          this.bucketExposure[ui] += counted;
          this.bucketUsed[ui] = 1;
          mm = this.portfolioMaintenance();
          need = this.aim(status, mm, mm * IM_MULTIPLIER) - this.value;
        }
      }
    }
    if (u[U_USDC] < P_USDC_COLLATERAL && need - provided > 0) {
      const cents = Math.floor((need - provided) * (0.1 + 0.5 * u[U_USDC_SHARE]) * 100);
      if (cents > 0) {
        this.collateralAsset[this.c] = USDC;
        setI64(this.amountWords, this.c++, cents * 1e6);
        provided += (cents / 100) * 0.99;
      }
    }
    let usdCents = Math.round((need - provided) * 100);
    // Only a bankrupt book or a deliberate loan against crypto holds negative USD; any other
    // book whose positions already carry its target equity gets a little cash instead.
    if (usdCents < 0 && status !== CLASS_BANKRUPT && !(borrows && start < this.c)) usdCents = 100 + Math.floor(u[U_CASH] * 100_000);
    if (usdCents !== 0 || this.c === start) {
      this.collateralAsset[this.c] = USD;
      setI64(this.amountWords, this.c++, (usdCents === 0 ? 1 : usdCents) * 1e6);
    }
    this.collateralOffsets[a + 1] = this.c;
  }

  /**
   * Equity an account of the given status class is given, from its approximate requirements:
   * healthy books at a leverage on their notional drawn from a skewed distribution (1× … 30×,
   * mostly low), never below 1.1–1.6 × IM; the others inside their band.
   */
  private aim(status: number, mm: number, im: number): number {
    const depth = this.u[U_DEPTH];
    switch (status) {
      case CLASS_BANKRUPT: return -Math.max(mm, 0.02 * this.notional) * (0.02 + 0.3 * depth);
      case CLASS_UNDER_MAINTENANCE: return mm * (0.1 + 0.85 * depth);
      case CLASS_UNDER_INITIAL: return mm + (im - mm) * (0.1 + 0.8 * depth);
      default: return Math.max(im * (1.1 + 0.5 * this.u[U_CUSHION]), this.notional / (1 + 29 * depth * depth));
    }
  }

  /**
   * Draws `count` positions from row `p` on, three quarters of them on the home underlying, and
   * adds up the book's figures. A losing book has every entry on the losing side of the mark.
   */
  private drawBook(home: number, count: number, gross: number, losing: boolean, portfolio: boolean): void {
    const model = this.model, heldBy = this.heldBy, spot = this.spot, rng = this.rng;
    const kinds = model.kind, lotSizes = model.lotSize, marksUsed = model.markUsed, lotsPerUsd = model.lotsPerUsd;
    const bucketExposure = this.bucketExposure, bucketPnl = this.bucketPnl, bucketFloor = this.bucketFloor, bucketUsed = this.bucketUsed;
    const scenarioPnl = model.scenarioPnl;
    const book = ++this.book;
    let value = 0, notional = 0, standardMm = 0, standardIm = 0, p = this.p;
    if (portfolio) {
      for (let b = 0; b < UNDERLYINGS.length; b++) bucketExposure[b] = bucketFloor[b] = bucketUsed[b] = 0;
      for (let k = 0; k < bucketPnl.length; k++) bucketPnl[k] = 0;
    }
    const perPosition = gross / count;
    for (let k = 0; k < count; k++) {
      // One draw of 32 bits: side (bit 0), entry side (bit 1), underlying (bits 2–9), entry drift (bits 16–31).
      const bits = rng.next();
      const pickUnderlying = (bits >>> 2) & 255; // three quarters on the home underlying
      const ui = pickUnderlying < 192 ? home : ((pickUnderlying - 192) * UNDERLYINGS.length) >> 6;
      const base = ui * INSTRUMENTS_PER_UNDERLYING;
      let i: number;
      do {
        const pick = (rng.next() >>> 0) / TWO_32; // 30 % the perpetual, 15 % a future, 55 % an option
        i = pick < 0.3 ? base
          : pick < 0.45 ? base + 1 + Math.floor((pick - 0.3) * (FUTURE_EXPIRIES.length / 0.15))
          : base + 1 + FUTURE_EXPIRIES.length + Math.floor((pick - 0.45) * (OPTIONS_PER_UNDERLYING / 0.55));
      } while (heldBy[i] === book);
      heldBy[i] = book;

      const kind = kinds[i];
      const linear = kind === KIND_PERP || kind === KIND_FUTURE;
      const size = Math.max(1, Math.round(perPosition * (0.4 + 1.2 * ((rng.next() >>> 0) / TWO_32)) * lotsPerUsd[i]));
      const long = (bits & 1) === 1;
      const against = losing || (bits & 2) === 2; // the entry on the losing side of the mark
      const drift = 0.1 * ((bits >>> 16) / 65536);
      const lots = long ? size : -size;
      const qty = lots * lotSizes[i];
      const entryTicks = Math.max(1, Math.round(model.markTicks[i] * (against === long ? 1 + drift : 1 - drift)));
      this.positionInstrument[p] = i;
      this.positionLots[p] = lots;
      setI64(this.entryWords, p, entryTicks * model.tickRaw[i]);
      p++;

      const markUsed = marksUsed[i];
      if (linear) {
        const exposure = qty * markUsed;
        const n = Math.abs(exposure);
        value += exposure - qty * entryTicks * model.tick[i];
        notional += n;
        const firstTier = TIER_START[ui];
        if (n <= TIER_UP_TO[firstTier]) {
          standardMm += n * TIER_MMF[firstTier];
          standardIm += n * TIER_IMF[firstTier];
        } else {
          standardMm += tiered(n, ui, TIER_MMF);
          standardIm += tiered(n, ui, TIER_IMF);
        }
        if (portfolio) {
          bucketExposure[ui] += exposure;
          bucketUsed[ui] = 1;
        }
      } else {
        const s0 = spot[ui];
        value += qty * markUsed;
        notional += Math.abs(qty) * s0;
        if (!long) {
          const strike = model.strike[i];
          const otm = Math.max(0, kind === KIND_CALL ? strike - s0 : s0 - strike);
          const cap = kind === KIND_PUT ? -qty * strike : Infinity;
          standardIm += Math.min(cap, -qty * (Math.max(OPT_IM * s0 - otm, OPT_IM_MIN * s0) + markUsed));
          standardMm += Math.min(cap, -qty * (OPT_MM * s0 + markUsed));
        }
        if (portfolio) {
          const row = i * SCENARIOS, bucket = ui * SCENARIOS;
          for (let s = 0; s < SCENARIOS; s++) bucketPnl[bucket + s] += lots * scenarioPnl[row + s];
          if (!long) bucketFloor[ui] -= qty * s0 * SHORT_OPTION_MIN;
          bucketUsed[ui] = 1;
        }
      }
    }
    this.p = p;
    this.value = value;
    this.notional = notional;
    this.standardMm = standardMm;
    this.standardIm = standardIm;
  }

  /** Portfolio MM approximation (methodology §5): per bucket the worst covered scenario loss, at least its floor. */
  private portfolioMaintenance(): number {
    let total = 0;
    for (let b = 0; b < UNDERLYINGS.length; b++) {
      if (!this.bucketUsed[b]) continue;
      const exposure = this.bucketExposure[b];
      let loss = this.bucketFloor[b];
      for (let s = 0; s < SCENARIOS; s++) {
        loss = Math.max(loss, -(exposure * SCENARIO_MOVE[s] + this.bucketPnl[b * SCENARIOS + s]) * SCENARIO_COVER[s]);
      }
      total += loss;
    }
    return total;
  }
}

export function generateVenue({ accounts, seed }: { accounts: number; seed: number }): { venue: VenueReference; columns: AccountColumns } {
  if (!Number.isSafeInteger(accounts) || accounts < 0) throw new RangeError(`accounts must be a non-negative integer, got ${accounts}`);
  const { venue, model } = buildReference();
  const rng = xoroshiro128plus(seed);
  for (let k = 0; k < 32; k++) rng.next(); // the first outputs echo the seed
  const w = new AccountWriter(accounts, model, rng);
  for (let a = 0; a < accounts; a++) w.account(a);
  return {
    venue,
    columns: {
      count: accounts, mode: w.mode, parent: w.parent, positionOffsets: w.positionOffsets,
      positionInstrument: w.positionInstrument.subarray(0, w.p),
      positionLots: w.positionLots.subarray(0, w.p),
      positionEntry: w.positionEntry.subarray(0, w.p),
      collateralOffsets: w.collateralOffsets,
      collateralAsset: w.collateralAsset.subarray(0, w.c),
      collateralAmount: w.collateralAmount.subarray(0, w.c),
    },
  };
}
