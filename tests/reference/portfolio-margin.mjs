// The BigInt twin of portfolio margin (docs/methodology.md §5). The module's risk arrays and
// scenario grid are inputs (they are the f64 step); everything after is exact aggregation.
import { floorDiv, ceilDiv } from "./decimal.mjs";
import { correlatedMaintenance } from "./correlation.mjs";

const F = 10n ** 9n;
const TO_MONEY = 10n ** 10n;
const TO_MONEY_FRACTION = 10n ** 19n;

/**
 * `book` lists the account's collateral values by underlying and its positions with their
 * instrument rows; `grid(underlying)` gives each bucket's scenario rows; returns { initialMargin, maintenanceMargin, buckets: Map(underlying → { loss, binding }) }.
 */
export function portfolioMargin(book, grid, params) {
  const buckets = new Map();
  const bucket = (u) => {
    if (!buckets.has(u)) buckets.set(u, { exposure: 0n, pnl: grid(u).map(() => 0n), minimum: 0n });
    return buckets.get(u);
  };
  if (params.shockCollateral) {
    for (const { underlying, value } of book.collateral) if (underlying) bucket(underlying).exposure += value;
  }
  for (const { instrument, q, lots, riskArray } of book.positions) {
    const b = bucket(instrument.underlying);
    if (instrument.kind !== "option") {
      b.exposure += floorDiv(q * instrument.markUsed, TO_MONEY);
      continue;
    }
    riskArray.forEach((r, s) => { b.pnl[s] += lots * r; });
    if (q < 0n) b.minimum += ceilDiv(-q * instrument.index * params.shortOptionMin, TO_MONEY_FRACTION);
  }
  let maintenance = 0n;
  const result = new Map();
  for (const [u, b] of buckets) {
    let worst = 0n, binding = -1;
    grid(u).forEach((scenario, s) => {
      const pnl = floorDiv(b.exposure * scenario.move, F) + b.pnl[s];
      const loss = scenario.cover === F ? -pnl : ceilDiv(-pnl * scenario.cover, F);
      if (loss > worst) { worst = loss; binding = s; }
    });
    if (b.minimum > worst) { worst = b.minimum; binding = -1; }
    result.set(u, { loss: worst, binding });
    maintenance += worst;
  }
  if (params.correlation && buckets.size > 1) {
    maintenance = correlatedMaintenance(new Map([...result].map(([u, b]) => [u, b.loss])), params.correlation);
  }
  return { maintenanceMargin: maintenance, initialMargin: ceilDiv(maintenance * params.imMultiplier, F), buckets: result };
}
