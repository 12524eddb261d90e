// Venues and steps for the suite's cases beyond the generated venue itself.
import { MarginEngine } from "../build/index.js";

/**
 * A BTC venue of `count` instruments — a perpetual and options — of which a handful are held
 * (the perpetual and four options, by ten portfolio accounts): what a price print costs should
 * not depend on the instruments nobody holds.
 */
export async function heldFewVenue(now, count) {
  const expiry = (days) => new Date(Date.parse(now) + days * 86_400_000).toISOString();
  const instruments = [{ id: "BTC-PERP", kind: "perp", underlying: "BTC", lotSize: "0.001", mark: "65000", tiers: [{ upTo: "1000000", imf: "0.01", mmf: "0.005" }] }];
  for (let k = 1; k < count; k++) {
    instruments.push({
      id: `O${k}`, kind: "option", underlying: "BTC", right: k % 2 ? "put" : "call",
      strike: String(40_000 + 10 * (k >> 1)), expiry: expiry(1 + (k % 180)), lotSize: "0.1", mark: "1000", iv: "0.6",
    });
  }
  const held = ["BTC-PERP", "O1", "O2", "O3", "O4"];
  const accounts = Array.from({ length: 10 }, (_, a) => ({
    id: `a${a}`, mode: "portfolio", collateral: { USD: String(100_000 + 1000 * a) },
    positions: held.map((instrument, k) => ({ instrument, qty: instrument === "BTC-PERP" ? String(((a + k) % 5) - 2 || 1) : ((a + k) % 3 === 0 ? "-0.1" : "0.2"), entry: instrument === "BTC-PERP" ? "64000" : "900" })),
  }));
  const engine = await MarginEngine.fromVenue({ now, underlyings: [{ id: "BTC", spot: "65000", vol: "0.6" }], instruments, accounts });
  engine.recompute();
  return { engine, instruments: count, held: held.length, time: Date.parse(now), price: 65000 };
}

/** A BTC print, then one account's margin: the step `setPrice N instruments` times. */
export function printThenMargin(venue) {
  venue.time += 1;
  venue.price += venue.price > 66_000 ? -700 : 7;
  venue.engine.setPrice("BTC", String(venue.price), venue.time);
  return venue.engine.accountRaw("a3");
}

/** The account columns keeping only the positions on instruments `keep` accepts (given the venue's instrument row). */
export function keepPositions(venue, accountColumns, keep) {
  const count = accountColumns.positionOffsets.length - 1, offsets = new Uint32Array(count + 1), kept = [];
  for (let a = 0; a < count; a++) {
    for (let p = accountColumns.positionOffsets[a]; p < accountColumns.positionOffsets[a + 1]; p++) {
      if (keep(venue.instruments[accountColumns.positionInstrument[p]])) kept.push(p);
    }
    offsets[a + 1] = kept.length;
  }
  const pick = (array) => array.constructor.from(kept, (p) => array[p]);
  return {
    ...accountColumns, positionOffsets: offsets, positionInstrument: pick(accountColumns.positionInstrument),
    positionLots: pick(accountColumns.positionLots), positionEntry: pick(accountColumns.positionEntry),
  };
}
