// Greek aggregation (docs/methodology.md §7): Σ lots × the module's per-lot greeks per underlying,
// as exact bigints, for an account's book or the venue's net open interest.
import { formatDecimal, FRACTION_SCALE, MONEY_SCALE } from "../core/decimal.js";
import { Col, type ColumnViews } from "../module/views.js";
import type { WasmExports } from "../module/wasm.js";
import type { Catalog } from "./catalog.js";
import type { Held } from "./accounts.js";
import type { Greeks } from "./types.js";

export const GREEK_COLUMNS = [Col.LotDelta, Col.LotGamma, Col.LotVega, Col.LotTheta] as const;
/** Delta and gamma in base units (1e9), vega and theta in money (1e6). */
const GREEK_SCALES = [FRACTION_SCALE, FRACTION_SCALE, MONEY_SCALE, MONEY_SCALE] as const;

export class GreekSums {
  constructor(
    private readonly wasm: WasmExports,
    private readonly views: ColumnViews,
    private readonly catalog: Catalog,
  ) {}

  /** An account's greeks per underlying it holds. */
  ofBook(book: Held[]): Record<string, Greeks> {
    return this.sum(book.map((h): [number, bigint] => [h.instrument, BigInt(h.lots)]));
  }

  /** The venue's net greeks per underlying with open positions. */
  ofVenue(): Record<string, Greeks> {
    this.wasm.sumNetLots();
    const net = this.views.i64(Col.InstrumentNetLots);
    return this.sum(this.catalog.instruments.map((_, i): [number, bigint] => [i, net[i]]));
  }

  /** Σ lots × per-lot greeks per underlying, over (instrument, lots) pairs. */
  private sum(entries: [number, bigint][]): Record<string, Greeks> {
    const columns = GREEK_COLUMNS.map((c) => this.views.i64(c));
    const sums = new Map<string, bigint[]>();
    for (const [i, lots] of entries) {
      if (lots === 0n) continue;
      const underlying = this.catalog.instruments[i].underlying;
      const sum = sums.get(underlying) ?? [0n, 0n, 0n, 0n];
      columns.forEach((column, k) => { sum[k] += lots * column[i]; });
      sums.set(underlying, sum);
    }
    const out: Record<string, Greeks> = {};
    for (const u of this.catalog.underlyings) {
      const sum = sums.get(u.id);
      if (sum) {
        const [delta, gamma, vega, theta] = sum.map((x, k) => formatDecimal(x, GREEK_SCALES[k]));
        out[u.id] = { delta, gamma, vega, theta };
      }
    }
    return out;
  }
}
