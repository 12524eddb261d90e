// Greek aggregation (docs/methodology.md §7): Σ lots × the module's per-lot greeks per underlying,
// exact, for an account's book or the venue's net open interest.
import { formatDecimal, FRACTION_SCALE, MONEY_SCALE } from "../core/decimal.js";
import { idRecord, setId } from "../core/records.js";
import { formatUnits, readI64, wordsOf } from "../core/units.js";
import { Col, type ColumnViews } from "../module/views.js";
import type { WasmExports } from "../module/wasm.js";
import type { Catalog } from "./catalog.js";
import type { Greeks } from "./types.js";

export const GREEK_COLUMNS = [Col.LotDelta, Col.LotGamma, Col.LotVega, Col.LotTheta] as const;
/** Delta and gamma in base units (1e9), vega and theta in money (1e6). */
const GREEK_SCALES = [FRACTION_SCALE, FRACTION_SCALE, MONEY_SCALE, MONEY_SCALE] as const;
/**
 * An underlying's sums take the number path when Σ |lots| × max |per-lot greek| over its
 * positions, computed in doubles, is at most 2^52: that sum's rounding (≤ 64 terms) keeps the true
 * value below 2^53, so every product and partial sum is an integer a double holds exactly.
 */
const EXACT_BOUND = 2 ** 52;

export class GreekSums {
  constructor(
    private readonly wasm: WasmExports,
    private readonly views: ColumnViews,
    private readonly catalog: Catalog,
  ) {}

  /** A reader of accounts' greeks over the columns as they are now (results must be current). */
  reader(): AccountGreeks {
    return new AccountGreeks(this.views, this.catalog);
  }

  /** The venue's net greeks per underlying with open positions. */
  ofVenue(): Record<string, Greeks> {
    this.wasm.sumNetLots();
    const net = this.views.i64(Col.InstrumentNetLots);
    const columns = GREEK_COLUMNS.map((c) => this.views.i64(c));
    const sums = new Map<number, bigint[]>();
    this.catalog.instruments.forEach((_, i) => {
      if (net[i] === 0n) return;
      const u = this.catalog.underlyingOf(i);
      const sum = sums.get(u) ?? [0n, 0n, 0n, 0n];
      columns.forEach((column, k) => { sum[k] += net[i] * column[i]; });
      sums.set(u, sum);
    });
    const out = idRecord<Greeks>();
    for (const u of [...sums.keys()].sort((x, y) => x - y)) {
      const [delta, gamma, vega, theta] = sums.get(u)!.map((x, k) => formatDecimal(x, GREEK_SCALES[k]));
      setId(out, this.catalog.underlyings[u].id, { delta, gamma, vega, theta });
    }
    return out;
  }
}

/**
 * Accounts' greeks per underlying held, read from the position columns: sums in doubles where
 * they are exact (EXACT_BOUND), in BigInt for an underlying where they might not be. Made once
 * for a batch of accounts: the views and the scratch per underlying are reused.
 */
export class AccountGreeks {
  private readonly start: Int32Array;
  private readonly count: Uint8Array;
  private readonly instrument: Uint16Array;
  private readonly lots: Int32Array;
  private readonly underlyingOf: Int32Array;
  private readonly greeks: BigInt64Array[];
  private readonly words: Int32Array[];
  /** Per underlying: the four sums and the bound (−1: not held by the account being read). */
  private readonly sums: Float64Array;
  private readonly bound: Float64Array;
  private readonly held: number[] = [];

  constructor(views: ColumnViews, private readonly catalog: Catalog) {
    this.start = views.i32(Col.AccountPositionStart);
    this.count = views.u8(Col.AccountPositionCount);
    this.instrument = views.u16(Col.PositionInstrument);
    this.lots = views.i32(Col.PositionLots);
    this.underlyingOf = views.i32(Col.InstrumentUnderlying);
    this.greeks = GREEK_COLUMNS.map((c) => views.i64(c));
    this.words = this.greeks.map(wordsOf);
    const underlyings = catalog.underlyings.length;
    this.sums = new Float64Array(4 * underlyings);
    this.bound = new Float64Array(underlyings).fill(-1);
  }

  /** Account `a`'s greeks per underlying it holds, in underlying order. */
  of(a: number): Record<string, Greeks> {
    const { instrument, lots, underlyingOf, sums, bound, held } = this;
    const [delta, gamma, vega, theta] = this.words;
    const start = this.start[a], end = start + this.count[a];
    held.length = 0;
    for (let p = start; p < end; p++) {
      const n = lots[p];
      if (n === 0) continue;
      const i = instrument[p], u = underlyingOf[i];
      if (bound[u] < 0) {
        bound[u] = 0;
        sums[4 * u] = sums[4 * u + 1] = sums[4 * u + 2] = sums[4 * u + 3] = 0;
        held.push(u);
      }
      const d = readI64(delta, i), g = readI64(gamma, i), v = readI64(vega, i), t = readI64(theta, i);
      sums[4 * u] += n * d;
      sums[4 * u + 1] += n * g;
      sums[4 * u + 2] += n * v;
      sums[4 * u + 3] += n * t;
      bound[u] += Math.abs(n) * Math.max(Math.abs(d), Math.abs(g), Math.abs(v), Math.abs(t));
    }
    // books are kept in underlying order, so this insertion sort rarely moves anything
    for (let k = 1; k < held.length; k++) {
      const u = held[k];
      let j = k;
      for (; j > 0 && held[j - 1] > u; j--) held[j] = held[j - 1];
      held[j] = u;
    }
    const out = idRecord<Greeks>();
    for (const u of held) {
      setId(out, this.catalog.underlyings[u].id, bound[u] <= EXACT_BOUND
        ? {
          delta: formatUnits(sums[4 * u], FRACTION_SCALE), gamma: formatUnits(sums[4 * u + 1], FRACTION_SCALE),
          vega: formatUnits(sums[4 * u + 2], MONEY_SCALE), theta: formatUnits(sums[4 * u + 3], MONEY_SCALE),
        }
        : this.exact(start, end, u));
      bound[u] = -1;
    }
    return out;
  }

  /** One underlying's sums in BigInt, over positions [start, end). */
  private exact(start: number, end: number, u: number): Greeks {
    const sum = [0n, 0n, 0n, 0n];
    for (let p = start; p < end; p++) {
      const i = this.instrument[p];
      if (this.underlyingOf[i] !== u) continue;
      const n = BigInt(this.lots[p]);
      for (let k = 0; k < 4; k++) sum[k] += n * this.greeks[k][i];
    }
    const [delta, gamma, vega, theta] = sum.map((x, k) => formatDecimal(x, GREEK_SCALES[k]));
    return { delta, gamma, vega, theta };
  }
}
