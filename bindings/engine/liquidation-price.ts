// Liquidation price (docs/methodology.md §12): per underlying an account holds, the nearest index price
// at which it becomes liquidatable, every other price held still. The linear marks of that
// underlying move with its index (in proportion), option marks are re-guarded against the
// moved model value. The boundary is found by bisection on whole price units (1e-8), each step
// an exact evaluation, so for a linear book it is the exact crossing; an option book can cross
// more than once, and the search reports the crossing it brackets nearest the index.
import { KIND_CALL } from "../core/constants.generated.js";
import { Col, type ColumnViews } from "../module/views.js";
import type { WasmExports } from "../module/wasm.js";
import type { Catalog } from "./catalog.js";

/** The search stays within ±99 % of the index. */
const LOW = 1n, HIGH = 199n, PERCENT = 100n;

export class LiquidationPriceSearch {
  constructor(
    private readonly wasm: WasmExports,
    private readonly views: ColumnViews,
    private readonly catalog: Catalog,
  ) {}

  /** The nearest price of underlying `u` at which account `a` is liquidatable, or null within ±99 %. */
  find(a: number, u: number): bigint | null {
    const index = this.views.i64(Col.UnderlyingIndex)[u];
    const linear = this.catalog.instruments.flatMap((row, i) => (row.kind < KIND_CALL && this.views.i32(Col.InstrumentUnderlying)[i] === u ? [[i, row.mark] as const] : []));
    const liquidatable = (price: bigint): boolean => {
      this.views.i64(Col.UnderlyingIndex)[u] = price;
      for (const [i, mark] of linear) this.views.i64(Col.InstrumentMark)[i] = (mark * price) / index;
      this.wasm.prepareUnderlyingOnly(u);
      this.wasm.evaluateAccount(a);
      return this.views.u8(Col.AccountStatus)[a] >= 2;
    };
    try {
      if (liquidatable(index)) return index;
      const low = (index * LOW) / PERCENT, high = (index * HIGH) / PERCENT;
      const below = low >= 1n && liquidatable(low) ? this.boundary(low, index, liquidatable) : null;
      const above = liquidatable(high) ? this.boundary(high, index, liquidatable) : null;
      if (below === null || above === null) return below ?? above;
      return index - below <= above - index ? below : above;
    } finally {
      this.views.i64(Col.UnderlyingIndex)[u] = index;
      for (const [i, mark] of linear) this.views.i64(Col.InstrumentMark)[i] = mark;
      this.wasm.prepareUnderlyingOnly(u);
      this.wasm.evaluateAccount(a);
    }
  }

  /** Bisection between a liquidatable price and the (safe) index: the liquidatable price next to the boundary. */
  private boundary(liquid: bigint, safe: bigint, liquidatable: (price: bigint) => boolean): bigint {
    while (liquid - safe > 1n || safe - liquid > 1n) {
      const mid = (liquid + safe) / 2n;
      if (liquidatable(mid)) liquid = mid;
      else safe = mid;
    }
    return liquid;
  }
}
