// The liquidation twin (methodology §6): the queue order by exact rational health, and the
// sizing of a partial liquidation, on top of the reference margin model.
import { referenceVenueRisk, guardedMark } from "./standard-margin.mjs";
import { parseDecimal, formatDecimal, ceilDiv } from "./decimal.mjs";

const F = 10n ** 9n;

/** Queue order: liquidatable and bankrupt accounts, ascending equity / MM (MM = 0 first), larger MM, then index. */
export function referenceQueue(results) {
  const members = results.map((r, index) => ({ ...r, index })).filter((r) => r.status === "liquidatable" || r.status === "bankrupt");
  const compare = (x, y) => {
    const xi = x.maintenanceMargin === 0n, yi = y.maintenanceMargin === 0n;
    if (xi !== yi) return xi ? -1 : 1;
    if (!xi) {
      const l = x.equity * y.maintenanceMargin, r = y.equity * x.maintenanceMargin;
      if (l !== r) return l < r ? -1 : 1;
    }
    if (x.maintenanceMargin !== y.maintenanceMargin) return x.maintenanceMargin > y.maintenanceMargin ? -1 : 1;
    return x.index - y.index;
  };
  return members.sort(compare).map((r) => r.index);
}

/**
 * Sizing of one liquidatable account: positions by standalone standard MM (largest first, then
 * instrument order), closed whole until the next needs only part; the fewest whole lots such
 * that equity − fee ≥ ⌈MM × (1 + buffer)⌉, found by the same bisection.
 */
export function referenceSizing(venue, account, tables) {
  const params = venue.params ?? {};
  const buffer = F + parseDecimal(params.liquidationBuffer ?? "0.1", 9);
  const feeRate = parseDecimal(params.liquidationFee ?? "0.005", 9);
  const dev = parseDecimal(params.maxMarkDeviation ?? "0.05", 9);
  const instrumentOrder = new Map(venue.instruments.map((i, k) => [i.id, k]));
  const byId = new Map(venue.instruments.map((i) => [i.id, i]));
  const spot = new Map(venue.underlyings.map((u) => [u.id, parseDecimal(u.spot, 8)]));
  const used = new Set(account.positions.map((p) => p.instrument));
  const slim = { ...venue, instruments: venue.instruments.filter((i) => used.has(i.id)) };
  const evaluate = (positions, mode = account.mode, collateral = account.collateral) =>
    referenceVenueRisk({ ...slim, accounts: [{ ...account, mode, collateral, positions }] }, tables).accounts[0];
  const lotSize = (id) => parseDecimal(byId.get(id).lotSize, 8);
  const markUsed = (id) => {
    const i = byId.get(id);
    return guardedMark(i, spot.get(i.underlying), dev, i.kind === "option" ? tables.optionModelValue(id) : 0n);
  };
  const fee = (id, lots) => ceilDiv(BigInt(Math.abs(lots)) * lotSize(id) * markUsed(id) * feeRate, 10n ** 19n);

  const start = evaluate(account.positions);
  const equity = start.equity, payable = equity > 0n ? equity : 0n;
  const held = account.positions.map((p) => ({ ...p, lots: Number(parseDecimal(p.qty, 8) / lotSize(p.instrument)) }));
  const standalone = new Map(held.map((p) => [p.instrument, evaluate([p], "standard", {}).maintenanceMargin]));
  held.sort((x, y) => {
    const mx = standalone.get(x.instrument), my = standalone.get(y.instrument);
    return mx !== my ? (mx > my ? -1 : 1) : instrumentOrder.get(x.instrument) - instrumentOrder.get(y.instrument);
  });
  const lots = new Map(held.map((p) => [p.instrument, p.lots]));
  let fees = 0n;
  const restored = (extra) => {
    const positions = held.map((p) => ({ ...p, qty: formatDecimal(BigInt(lots.get(p.instrument)) * lotSize(p.instrument), 8) }));
    const { maintenanceMargin } = evaluate(positions);
    const total = fees + extra;
    return equity - (total < payable ? total : payable) >= ceilDiv(maintenanceMargin * buffer, F);
  };
  const orders = [];
  for (const p of held) {
    const side = Math.sign(p.lots), size = Math.abs(p.lots);
    lots.set(p.instrument, 0);
    if (!restored(fee(p.instrument, size))) {
      orders.push({ instrument: p.instrument, lots: -p.lots });
      fees += fee(p.instrument, size);
      continue;
    }
    let low = 1, high = size;
    while (low < high) {
      const mid = Math.floor((low + high) / 2);
      lots.set(p.instrument, side * (size - mid));
      if (restored(fee(p.instrument, mid))) high = mid;
      else low = mid + 1;
    }
    orders.push({ instrument: p.instrument, lots: -side * low });
    break;
  }
  return orders;
}
