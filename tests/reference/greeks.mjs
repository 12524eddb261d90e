// The BigInt twin of greek aggregation (docs/methodology.md §7): per account and underlying, and per
// underlying over the venue, Σ lots × per-lot greek, exact. Per-lot greeks come from the module
// (`lotGreeks(id)`), because they are the one rounded f64 step.
import { parseDecimal, formatDecimal } from "./decimal.mjs";

const SCALES = { delta: 9, gamma: 9, vega: 6, theta: 6 };

function add(into, underlying, lots, perLot) {
  const sum = into.get(underlying) ?? { delta: 0n, gamma: 0n, vega: 0n, theta: 0n };
  for (const key of Object.keys(SCALES)) sum[key] += lots * perLot[key];
  into.set(underlying, sum);
}

function format(sums, order) {
  const out = {};
  for (const id of order) {
    const sum = sums.get(id);
    if (sum) out[id] = Object.fromEntries(Object.entries(sum).map(([k, v]) => [k, formatDecimal(v, SCALES[k])]));
  }
  return out;
}

export function referenceGreeks(venue, lotGreeks) {
  const instruments = new Map(venue.instruments.map((i) => [i.id, i]));
  const order = venue.underlyings.map((u) => u.id);
  const venueSums = new Map();
  const netLots = new Map();
  const accounts = venue.accounts.map((account) => {
    const sums = new Map();
    for (const position of account.positions ?? []) {
      const instrument = instruments.get(position.instrument);
      const lots = parseDecimal(position.qty, 8) / parseDecimal(instrument.lotSize, 8);
      add(sums, instrument.underlying, lots, lotGreeks(instrument.id));
      netLots.set(instrument.id, (netLots.get(instrument.id) ?? 0n) + lots);
    }
    return { id: account.id, greeks: format(sums, order) };
  });
  for (const [id, lots] of netLots) if (lots !== 0n) add(venueSums, instruments.get(id).underlying, lots, lotGreeks(id));
  return { accounts, totals: format(venueSums, order) };
}
