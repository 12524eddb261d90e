// A seeded, deterministic synthetic venue: BTC, ETH and SOL with perpetuals, quarterly futures and
// option chains, and accounts written straight into bulk-load columns (no per-row objects).
//
// Each account is given a status class first (healthy, between maintenance and initial margin,
// under maintenance, bankrupt), then its book, then collateral sized so that its equity lands in
// that class under an approximation of its own margin mode: docs/methodology.md §4 (tiers, short-option
// formulas) for standard accounts, the span16 scenario grid of §5 on Black-76 values for
// portfolio accounts. Healthy books take their equity from their notional at a leverage drawn
// from a skewed distribution, never below 1.1 × initial margin. Same seed, same bytes.
import { xoroshiro128plus } from "pure-rand/generator/xoroshiro128plus";
import { KIND_CALL, KIND_FUTURE, KIND_PERP, KIND_PUT, MAX_ACCOUNTS } from "../core/constants.generated.js";
import { fail } from "../core/errors.js";
import { optionsOf } from "../core/json.js";
import { writeI64 } from "../core/units.js";
import { defaultAccountId, type AccountColumns } from "../venue/account-columns.js";
import {
  buildReference, tiered, FIRST_CRYPTO_ASSET, FUTURE_EXPIRIES, IM_MULTIPLIER, INSTRUMENTS_PER_UNDERLYING, OPTIONS_PER_UNDERLYING,
  OPT_IM, OPT_IM_MIN, OPT_MM, SCENARIOS, SCENARIO_COVER, SCENARIO_MOVE, SHORT_OPTION_MIN, TIER_IMF, TIER_MMF, TIER_START,
  TIER_UP_TO, UNDERLYINGS, USD, USDC, type Model, type VenueReference,
} from "./generate-reference.js";

export type { AccountColumns, VenueReference };

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
const CLASS_HEALTHY = 0, CLASS_UNDER_INITIAL = 1, CLASS_UNDER_MAINTENANCE = 2, CLASS_BANKRUPT = 3;

const TWO_32 = 4294967296;
const LN_1000 = Math.log(1000);
/** Uniform draws per account, by use: the first BOOK_DRAWS_AT once, the rest again for each drawing of the book. */
const U_MODE = 0, U_SUB_ACCOUNT = 1, U_PARENT = 2, U_STATUS = 3, U_HOME = 4, U_CRYPTO = 5, U_CRYPTO_ASSET = 6,
  U_BORROW = 7, U_CRYPTO_SHARE = 8, U_USDC = 9, U_USDC_SHARE = 10;
const U_GROSS = 11, U_COUNT = 12, U_CASH = 13, U_DEPTH = 14, U_CUSHION = 15;
const BOOK_DRAWS_AT = U_GROSS;
const ACCOUNT_DRAWS = 16;

/**
 * Writes accounts one after another into columns sized for the upper bounds of a batch of
 * accounts; `restart` begins the next batch at the columns' start. Parents are kept for the whole
 * venue, since a sub-account's parent is drawn among every account before it.
 */
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
  /** The venue-wide index of the batch's first account. */
  private first = 0;
  private book = 0;
  // Figures of the book being drawn (USD): positions' equity, gross notional, standard MM and IM.
  private value = 0.5;
  private notional = 0.5;
  private standardMm = 0.5;
  private standardIm = 0.5;

  constructor(accounts: number, batch: number, private readonly model: Model, private readonly rng: ReturnType<typeof xoroshiro128plus>) {
    this.parent = new Int32Array(accounts).fill(-1);
    this.mode = new Uint8Array(batch);
    this.positionOffsets = new Uint32Array(batch + 1);
    this.collateralOffsets = new Uint32Array(batch + 1);
    this.positionInstrument = new Uint16Array(batch * MAX_POSITIONS);
    this.positionLots = new Int32Array(batch * MAX_POSITIONS);
    this.positionEntry = new BigInt64Array(batch * MAX_POSITIONS);
    this.collateralAsset = new Uint8Array(batch * MAX_COLLATERAL);
    this.collateralAmount = new BigInt64Array(batch * MAX_COLLATERAL);
    this.entryWords = new Int32Array(this.positionEntry.buffer);
    this.amountWords = new Int32Array(this.collateralAmount.buffer);
    this.heldBy = new Int32Array(model.count).fill(-1);
  }

  /** Fills u[from … to) with uniform draws in [0, 1), 32 random bits each. */
  private draw(from: number, to: number): void {
    const rng = this.rng, u = this.u;
    for (let k = from; k < to; k++) u[k] = (rng.next() >>> 0) / TWO_32;
  }

  /** The next batch's accounts start at venue-wide index `first`, written from the columns' start. */
  restart(first: number): void {
    this.first = first;
    this.p = 0;
    this.c = 0;
  }

  /** Draws account `a` (venue-wide index) into row `a − first` of the batch. */
  account(a: number): void {
    const u = this.u, row = a - this.first;
    this.draw(0, BOOK_DRAWS_AT);
    const portfolio = u[U_MODE] < P_PORTFOLIO;
    this.mode[row] = portfolio ? 1 : 0;
    if (a > 0 && u[U_SUB_ACCOUNT] < P_SUB_ACCOUNT) {
      const candidate = Math.floor(u[U_PARENT] * a);
      this.parent[a] = this.parent[candidate] >= 0 ? this.parent[candidate] : candidate;
    }
    let status = u[U_STATUS] < P_BANKRUPT ? CLASS_BANKRUPT
      : u[U_STATUS] < P_BANKRUPT + P_UNDER_MAINTENANCE ? CLASS_UNDER_MAINTENANCE
      : u[U_STATUS] < P_BANKRUPT + P_UNDER_MAINTENANCE + P_UNDER_INITIAL ? CLASS_UNDER_INITIAL : CLASS_HEALTHY;
    const home = u[U_HOME] < 0.5 ? 0 : u[U_HOME] < 0.8 ? 1 : 2;
    const firstPosition = this.p;
    let mm = 0, im = 0, need = 0;

    // A book in trouble whose positions alone are worth more than its target equity is drawn
    // again (a few times at most), so that such books rarely need a USD loan to get there.
    for (let attempt = 0; attempt < 8; attempt++) {
      this.draw(BOOK_DRAWS_AT, ACCOUNT_DRAWS);
      this.p = firstPosition;
      const gross = 2000 * Math.exp(LN_1000 * u[U_GROSS] * u[U_GROSS]); // intended gross notional, 2k … 2M USD
      this.drawBook(home, 1 + Math.floor(u[U_COUNT] * MAX_POSITIONS), gross, status !== CLASS_HEALTHY, portfolio);
      mm = portfolio ? this.portfolioMaintenance() : this.standardMm;
      im = portfolio ? mm * IM_MULTIPLIER : this.standardIm;
      if ((status === CLASS_UNDER_MAINTENANCE && mm < 1) || (status === CLASS_UNDER_INITIAL && im - mm < 1)) status = CLASS_HEALTHY;
      need = this.aim(status, mm, im) - this.value;
      if (status === CLASS_HEALTHY || need > 0) break;
    }
    this.positionOffsets[row + 1] = this.p;

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
        writeI64(this.amountWords, this.c++, micros * 100);
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
        writeI64(this.amountWords, this.c++, cents * 1e6);
        provided += (cents / 100) * 0.99;
      }
    }
    let usdCents = Math.round((need - provided) * 100);
    // Only a bankrupt book or a deliberate loan against crypto holds negative USD; any other
    // book whose positions already carry its target equity gets a little cash instead.
    if (usdCents < 0 && status !== CLASS_BANKRUPT && !(borrows && start < this.c)) usdCents = 100 + Math.floor(u[U_CASH] * 100_000);
    if (usdCents !== 0 || this.c === start) {
      this.collateralAsset[this.c] = USD;
      writeI64(this.amountWords, this.c++, (usdCents === 0 ? 1 : usdCents) * 1e6);
    }
    this.collateralOffsets[row + 1] = this.c;
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
      writeI64(this.entryWords, p, entryTicks * model.tickRaw[i]);
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

  /** Portfolio MM approximation (docs/methodology.md §5): per bucket the worst covered scenario loss, at least its floor. */
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

/** The largest seed the generator takes (the CLI's `--seed` too). */
export const MAX_SEED = 2 ** 31 - 1;

/**
 * The largest synthetic venue the command line makes (generate, demo, bench): it is loaded whole,
 * and its books average about 8.5 positions an account, so one load (MAX_ROWS positions) ends
 * near 14 million accounts.
 */
export const MAX_SYNTHETIC_ACCOUNTS = 10_000_000;

/** The synthetic venue of `accounts` accounts drawn from `seed`: its reference data, and its accounts as columns. */
export function generateVenue(options: { accounts: number; seed: number }): { venue: VenueReference; columns: AccountColumns } {
  const { accounts, seed } = checkedOptions(options);
  const { venue, writer } = startVenue(accounts, seed, accounts);
  return { venue, columns: { ...drawBatch(writer, 0, accounts), parent: writer.parent } };
}

/**
 * A batch of accounts of a venue drawn a batch at a time, named as generateVenue's (`acc-<index>`).
 * Its columns hold no parents, as a sub-account's parent may be in an earlier batch: `parents`
 * names each account's, null for none.
 */
export interface AccountBatch { columns: AccountColumns; parents: (string | null)[] }

/**
 * generateVenue's venue with its accounts drawn `batch` at a time (the same draws, so the same
 * accounts), so that a consumer writing each batch out holds one batch in memory, and can stop
 * early. Each batch's columns are overwritten by the next one's.
 */
export function generateVenueInBatches(options: { accounts: number; seed: number }, batch: number): { venue: VenueReference; batches: Generator<AccountBatch> } {
  const { accounts, seed } = checkedOptions(options);
  const { venue, writer } = startVenue(accounts, seed, Math.min(batch, accounts));
  const noParents = new Int32Array(batch).fill(-1);
  function* batches(): Generator<AccountBatch> {
    for (let first = 0; first < accounts; first += batch) {
      const count = Math.min(batch, accounts - first);
      const columns = drawBatch(writer, first, count);
      const ids = Array.from({ length: count }, (_, k) => defaultAccountId(first + k));
      const parents = Array.from(writer.parent.subarray(first, first + count), (parent) => (parent < 0 ? null : defaultAccountId(parent)));
      yield { columns: { ...columns, ids, parent: noParents.subarray(0, count) }, parents };
    }
  }
  return { venue, batches: batches() };
}

function checkedOptions(options: { accounts: number; seed: number }): { accounts: number; seed: number } {
  const { accounts, seed } = optionsOf(options, "options", ["accounts", "seed"]);
  if (!Number.isSafeInteger(accounts) || (accounts as number) < 0 || (accounts as number) > MAX_ACCOUNTS) fail("OUT_OF_RANGE", "options.accounts", `an integer in [0, ${MAX_ACCOUNTS}]`);
  if (!Number.isSafeInteger(seed) || (seed as number) < 0 || (seed as number) > MAX_SEED) fail("OUT_OF_RANGE", "options.seed", `an integer in [0, ${MAX_SEED}]`);
  return { accounts: accounts as number, seed: seed as number };
}

/** The reference data of a venue of `accounts` accounts, and a writer for its accounts, `batch` at a time, drawn from `seed`. */
function startVenue(accounts: number, seed: number, batch: number): { venue: VenueReference; writer: AccountWriter } {
  const { venue, model } = buildReference(accounts);
  const rng = xoroshiro128plus(seed);
  for (let k = 0; k < 32; k++) rng.next(); // the first outputs echo the seed
  return { venue, writer: new AccountWriter(accounts, batch, model, rng) };
}

/** Draws accounts `first` … `first + count − 1`: their columns, parents left to the caller. */
function drawBatch(w: AccountWriter, first: number, count: number): Omit<AccountColumns, "parent"> {
  w.restart(first);
  for (let a = first; a < first + count; a++) w.account(a);
  return {
    count, mode: w.mode.subarray(0, count),
    positionOffsets: w.positionOffsets.subarray(0, count + 1),
    positionInstrument: w.positionInstrument.subarray(0, w.p),
    positionLots: w.positionLots.subarray(0, w.p),
    positionEntry: w.positionEntry.subarray(0, w.p),
    collateralOffsets: w.collateralOffsets.subarray(0, count + 1),
    collateralAsset: w.collateralAsset.subarray(0, w.c),
    collateralAmount: w.collateralAmount.subarray(0, w.c),
  };
}
