// What the module prepared per instrument, read raw: risk arrays, per-lot greeks, model values.
import { KIND_CALL } from "../core/constants.generated.js";
import { fail } from "../core/errors.js";
import { Col, type ColumnViews } from "../module/views.js";
import type { Catalog } from "./catalog.js";
import { GREEK_COLUMNS } from "./greeks.js";
import type { Refresh } from "./refresh.js";
import type { RawGreeks } from "./types.js";

export class InstrumentResults {
  constructor(
    private readonly views: ColumnViews,
    private readonly catalog: Catalog,
    private readonly refresh: Refresh,
  ) {}

  /** P&L of one lot per scenario, raw money (zeros for linear instruments). */
  riskArray(instrumentId: string): bigint[] {
    const i = this.catalog.instrumentIndex(instrumentId);
    this.refresh.instrument(i);
    const n = this.catalog.params.grid.length;
    return Array.from(this.views.i64(Col.RiskArray).subarray(i * n, i * n + n));
  }

  /** Per-lot greeks: delta and gamma at 1e9, vega and theta at 1e6. */
  lotGreeks(instrumentId: string): RawGreeks {
    const i = this.catalog.instrumentIndex(instrumentId);
    this.refresh.instrument(i);
    const [delta, gamma, vega, theta] = GREEK_COLUMNS.map((c) => this.views.i64(c)[i]);
    return { delta, gamma, vega, theta };
  }

  /** The rounded Black-76 value per base unit of an option (raw, 1e8). */
  modelValue(instrumentId: string): bigint {
    const i = this.catalog.instrumentIndex(instrumentId);
    if (this.catalog.instruments[i].kind < KIND_CALL) fail("MALFORMED", "instrument", `"${instrumentId}" is not an option`);
    this.refresh.instrument(i);
    return this.views.i64(Col.InstrumentModelValue)[i];
  }
}
