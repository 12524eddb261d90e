// Liquidation price (docs/methodology.md §12): per underlying an account holds, the nearest index price
// at which it becomes liquidatable, every other price held still. The linear marks of that
// underlying move with its index (in proportion), option marks are re-guarded against the
// moved model value. A side of at most SCAN_SPAN price units (1e-8) is tried unit by unit from
// the index out: exact whatever the book. A wider one is bisected on whole units, each step an
// exact evaluation: for a linear book whose rates rise by tier, equity less MM is concave in the
// price but for the marks' and money's rounding, so each side crosses once, to within those
// steps, and its far end tells whether it does. A book with options, or with tier rates that
// fall, or a portfolio account's under correlation holding more than u, can cross more than once,
// and into a region that ends before the far end: each side is first sampled at SAMPLES evenly
// spaced prices, and the nearest liquidatable sample bracketed.
import { KIND_CALL, MAX_PRICE, MODE_PORTFOLIO } from "../core/constants.generated.js";
import { maxBig } from "../core/decimal.js";
import { Col, type ColumnViews } from "../module/views.js";
import type { WasmExports } from "../module/wasm.js";
import { ratesFall } from "../venue/reference.js";
import type { Catalog } from "./catalog.js";

/** The search stays within ±99 % of the index, and within the price limit. */
const LOW = 1n, HIGH = 199n, PERCENT = 100n;
/** Prices sampled on each side of an option book's index before bisecting (a liquidatable region narrower than a step can be missed). */
const SAMPLES = 16n;
/**
 * A side of at most this many price units is tried unit by unit from the index out. Marks move by
 * whole units and money by whole µ, and at an index of few units those steps can make equity
 * less MM cross back and forth far from the crossing a bisection finds.
 */
const SCAN_SPAN = 2048n;

export class LiquidationPriceSearch {
  constructor(
    private readonly wasm: WasmExports,
    private readonly views: ColumnViews,
    private readonly catalog: Catalog,
  ) {}

  /**
   * The nearest price of underlying `u` at which account `a` is liquidatable, or null within ±99 %;
   * `held` is every underlying the account holds a position on or a balance priced by (u among them).
   */
  find(a: number, u: number, held: ReadonlySet<number>): bigint | null {
    const v = this.views, index = v.i64(Col.UnderlyingIndex)[u];
    // only what evaluating the account reads moves: its linear instruments on u (and u's assets)
    const start = v.i32(Col.AccountPositionStart)[a], book = v.u16(Col.PositionInstrument).slice(start, start + v.u8(Col.AccountPositionCount)[a]);
    const linear = Array.from(book).filter((i) => this.catalog.instruments[i].kind < KIND_CALL && this.catalog.underlyingOf(i) === u)
      .map((i) => [i, this.catalog.instruments[i].mark] as const);
    const liquidatable = (price: bigint): boolean => {
      this.views.i64(Col.UnderlyingIndex)[u] = price;
      for (const [i, mark] of linear) this.views.i64(Col.InstrumentMark)[i] = (mark * price) / index;
      this.wasm.prepareAccountOn(a, u);
      this.wasm.evaluateAccount(a);
      return this.views.u8(Col.AccountStatus)[a] >= 2;
    };
    const sampled = this.crossesMoreThanOnce(a, u, held);
    /** The liquidatable price next to the crossing nearest the index on the side ending at `end`, or null. */
    const side = (end: bigint): bigint | null => {
      const step = end > index ? 1n : -1n;
      if ((end - index) * step <= SCAN_SPAN) {
        for (let price = index + step; price !== end + step; price += step) if (liquidatable(price)) return price;
        return null;
      }
      if (!sampled) return liquidatable(end) ? this.boundary(end, index, liquidatable) : null;
      let safe = index;
      for (let k = 1n; k <= SAMPLES; k++) {
        const price = index + ((end - index) * k) / SAMPLES;
        if (liquidatable(price)) return this.boundary(price, safe, liquidatable);
        safe = price;
      }
      return null;
    };
    try {
      if (liquidatable(index)) return index;
      // below an index of 100 units, 1 % of it rounds to 0: the side then ends at the least price, 1 unit
      const low = maxBig((index * LOW) / PERCENT, 1n), high = (index * HIGH) / PERCENT;
      const below = low < index ? side(low) : null;
      const above = index < MAX_PRICE ? side(high < MAX_PRICE ? high : MAX_PRICE) : null;
      if (below === null || above === null) return below ?? above;
      return index - below <= above - index ? below : above;
    } finally {
      this.views.i64(Col.UnderlyingIndex)[u] = index;
      for (const [i, mark] of linear) this.views.i64(Col.InstrumentMark)[i] = mark;
      this.wasm.prepareAccountOn(a, u);
      this.wasm.evaluateAccount(a);
    }
  }

  /**
   * Whether account a's book on underlying u may cross more than once on a side: it holds an
   * option on u, or a linear instrument whose maintenance rates fall from one tier to the next
   * (MM is then no longer convex in the price), or it is a portfolio account under correlation
   * holding something priced by another underlying (a negative correlation, or a matrix that is
   * not positive semi-definite, can make the correlated MM bend the other way in u's bucket loss).
   */
  private crossesMoreThanOnce(a: number, u: number, held: ReadonlySet<number>): boolean {
    const v = this.views;
    if (this.catalog.params.correlation !== null && v.u8(Col.AccountMode)[a] === MODE_PORTFOLIO && held.size > 1) return true;
    const start = v.i32(Col.AccountPositionStart)[a], end = start + v.u8(Col.AccountPositionCount)[a];
    const instruments = v.u16(Col.PositionInstrument), underlyings = v.i32(Col.InstrumentUnderlying);
    for (let p = start; p < end; p++) {
      const i = instruments[p];
      if (underlyings[i] !== u) continue;
      const row = this.catalog.instruments[i];
      if (row.kind >= KIND_CALL || ratesFall(row.tiers, "mmf")) return true;
    }
    return false;
  }

  /** Bisection between a liquidatable price and a safe one: the liquidatable price next to the boundary. */
  private boundary(liquid: bigint, safe: bigint, liquidatable: (price: bigint) => boolean): bigint {
    while (liquid - safe > 1n || safe - liquid > 1n) {
      const mid = (liquid + safe) / 2n;
      if (liquidatable(mid)) liquid = mid;
      else safe = mid;
    }
    return liquid;
  }
}
