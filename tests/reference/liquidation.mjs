// The liquidation twin (docs/methodology.md §10): the queue order by exact rational health, and the
// sizing of a partial liquidation, on top of the reference margin model.
import { referenceVenueRisk, guardedMark } from "./standard-margin.mjs";
import { parseDecimal, formatDecimal, ceilDiv } from "./decimal.mjs";
import { restoringRun } from "./sizing-pieces.mjs";

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
 * Sizing of one liquidatable account (methodology §6, docs/methodology.md §10), written from the
 * rule alone: the account is restored when equity − fees ≥ ⌈MM × (1 + buffer)⌉, the fees
 * counted in full and MM the account's maintenance margin with the orders so far applied.
 * Positions are taken by standalone standard-method MM, largest first, ties by instrument order.
 * A position no close of which restores the account — searched in the pieces sizing-pieces.mjs
 * names, in each neither the piece's last close nor, where the slack falls over that last lot,
 * the one at its peak, found by bisecting on its slope — is closed whole, with its fee; the first
 * one some close of which does is reduced by the fewest whole lots that restore it, counted up
 * from one lot with no assumption that closing more lots restores more, and sizing stops there.
 * An account that no close restores ends flat.
 */
export function referenceSizing(venue, account, tables) {
  const params = venue.params ?? {};
  const buffer = F + parseDecimal(params.liquidationBuffer ?? "0.1", 9);
  const feeRate = parseDecimal(params.liquidationFee ?? "0.005", 9);
  const deviation = parseDecimal(params.maxMarkDeviation ?? "0.05", 9);
  const instruments = new Map(venue.instruments.map((row, k) => [row.id, { row, k }]));
  const spot = new Map(venue.underlyings.map((u) => [u.id, parseDecimal(u.spot, 8)]));
  const held = new Set(account.positions.map((p) => p.instrument));
  const slim = { ...venue, instruments: venue.instruments.filter((row) => held.has(row.id)) };
  const risk = (positions, mode = account.mode, collateral = account.collateral) =>
    referenceVenueRisk({ ...slim, accounts: [{ ...account, mode, collateral, positions }] }, tables).accounts[0];

  const lotSize = (id) => parseDecimal(instruments.get(id).row.lotSize, 8);
  const mark = (id) => {
    const row = instruments.get(id).row;
    return guardedMark(row, spot.get(row.underlying), deviation, row.kind === "option" ? tables.optionModelValue(id) : 0n);
  };
  /** ⌈lots × lotSize × mark × fee rate⌉ in money units. */
  const fee = (id, lots) => ceilDiv(BigInt(lots) * lotSize(id) * mark(id) * feeRate, 10n ** 19n);

  const equity = risk(account.positions).equity;
  /** A book's slack (lots per instrument, every position kept, some at 0) with these fees owed: (equity − fees) × F − MM × buffer. */
  const bookOf = (lots) => account.positions.map((p) => ({ ...p, qty: formatDecimal(BigInt(lots.get(p.instrument)) * lotSize(p.instrument), 8) }));
  const slackOf = (lots, fees) => (equity - fees) * F - risk(bookOf(lots)).maintenanceMargin * buffer;
  /** Whether it is restored: kept ≥ ⌈MM × buffer / F⌉. */
  const restored = (lots, fees) => slackOf(lots, fees) >= 0n;

  const lots = new Map(account.positions.map((p) => [p.instrument, Number(parseDecimal(p.qty, 8) / lotSize(p.instrument))]));
  const standalone = new Map(account.positions.map((p) => [p.instrument, risk([p], "standard", {}).maintenanceMargin]));
  const order = account.positions.map((p) => p.instrument).sort((x, y) => {
    const mx = standalone.get(x), my = standalone.get(y);
    if (mx !== my) return mx > my ? -1 : 1;
    return instruments.get(x).k - instruments.get(y).k;
  });

  const orders = [];
  let fees = 0n;
  for (const id of order) {
    const signed = lots.get(id), size = Math.abs(signed), side = Math.sign(signed);
    /** Whether closing `k` of the position's lots (and paying its fee) restores the account. */
    const slackAt = (k) => slackOf(new Map(lots).set(id, side * (size - k)), fees + fee(id, k));
    const closing = (k) => slackAt(k) >= 0n;
    // a run of restoring closes, searched as the rule states (docs/methodology.md §10)
    const run = restoringRun(venue, account, instruments.get(id).row, mark(id), BigInt(size), BigInt(size), risk(bookOf(lots)).buckets, (k) => slackAt(Number(k)));
    if (run === null) {
      orders.push({ instrument: id, lots: -signed });
      lots.set(id, 0);
      fees += fee(id, size);
      continue;
    }
    // the fewest lots that do: every count from 1 lot up, in turn (closing run.top holds, so
    // this ends by it; the tests' partial closes stay under 20,000 lots)
    let k = 1;
    while (!closing(k)) k++;
    orders.push({ instrument: id, lots: -side * k });
    break;
  }
  return orders;
}
