// A seeded, deterministic synthetic venue: BTC, ETH and SOL with perpetuals, quarterly futures
// and option chains, and accounts written straight into bulk-load columns (no per-row objects).
// Collateral is sized from each book's approximate maintenance margin so that a realistic share
// of accounts sits near or under maintenance. Same seed, same bytes.
import { xoroshiro128plus } from "pure-rand/generator/xoroshiro128plus";
import { uniformInt } from "pure-rand/distribution/uniformInt";
import { uniformFloat64 } from "pure-rand/distribution/uniformFloat64";
import type { AccountColumns } from "./account-columns.js";

export type { AccountColumns };

/** The venue file minus its accounts (contract §2 shapes, decimal strings). */
export interface VenueReference {
  now: string;
  settlement: string;
  params: Record<string, unknown>;
  assets: Record<string, unknown>[];
  underlyings: Record<string, unknown>[];
  instruments: Record<string, unknown>[];
  insuranceFund: string;
}

const NOW = "2026-11-24T00:00:00Z";
const NOW_MS = Date.parse(NOW);
const YEAR_MS = 365 * 86_400_000;
const PRICE = 1e8;
const MAX_POSITIONS = 16;
const MAX_COLLATERAL = 3;

interface UnderlyingSpec {
  id: string; spot: number; vol: number; haircut: string;
  perpLot: number; optionLot: number; strikeStep: number; tick: number;
  /** Tier bounds (USD) with initial and maintenance rates, exchange-style. */
  tiers: [number, number, number][];
}

const UNDERLYINGS: UnderlyingSpec[] = [
  { id: "BTC", spot: 65000, vol: 0.55, haircut: "0.05", perpLot: 0.001, optionLot: 0.1, strikeStep: 1000, tick: 0.5,
    tiers: [[1e6, 0.01, 0.005], [5e6, 0.02, 0.01], [2e7, 0.05, 0.025], [1e8, 0.1, 0.05], [1e9, 0.2, 0.1]] },
  { id: "ETH", spot: 3500, vol: 0.65, haircut: "0.08", perpLot: 0.01, optionLot: 1, strikeStep: 50, tick: 0.05,
    tiers: [[5e5, 0.02, 0.01], [2e6, 0.04, 0.02], [1e7, 0.08, 0.04], [5e8, 0.2, 0.1]] },
  { id: "SOL", spot: 150, vol: 0.85, haircut: "0.15", perpLot: 0.1, optionLot: 10, strikeStep: 5, tick: 0.01,
    tiers: [[2e5, 0.04, 0.02], [1e6, 0.08, 0.04], [3e8, 0.25, 0.125]] },
];
const FUTURE_EXPIRIES = ["2026-12-25T08:00:00Z", "2027-03-26T08:00:00Z", "2027-06-25T08:00:00Z"];
const OPTION_EXPIRIES = ["2026-12-01T08:00:00Z", "2026-12-25T08:00:00Z", "2027-03-26T08:00:00Z", "2027-05-21T08:00:00Z"];
const STRIKE_MONEYNESS = [0.6, 0.7, 0.8, 0.9, 0.95, 1, 1.05, 1.1, 1.2, 1.3, 1.4];

/** Per-instrument figures the account generator needs, as plain numbers. */
interface InstrumentModel {
  underlying: number; kind: "perp" | "future" | "call" | "put";
  lotSize: number; mark: number; strike: number; mmf: number;
}

/** Standard normal CDF (Abramowitz & Stegun 7.1.26 via erf); only shapes synthetic marks. */
function normalCdf(x: number): number {
  const t = 1 / (1 + 0.3275911 * Math.abs(x) / Math.SQRT2);
  const erf = 1 - t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429)))) * Math.exp(-(x * x) / 2);
  return x >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
}

function black76(call: boolean, spot: number, strike: number, years: number, vol: number): number {
  const d1 = (Math.log(spot / strike) + (vol * vol * years) / 2) / (vol * Math.sqrt(years));
  const d2 = d1 - vol * Math.sqrt(years);
  return call ? spot * normalCdf(d1) - strike * normalCdf(d2) : strike * normalCdf(-d2) - spot * normalCdf(-d1);
}

/** A decimal string of `value` rounded to `step` (steps are powers of ten or halves). */
function decimal(value: number, step: number): string {
  const decimals = Math.max(0, Math.ceil(-Math.log10(step) - 1e-9));
  return (Math.round(value / step) * step).toFixed(decimals);
}

function buildReference(): { venue: VenueReference; models: InstrumentModel[] } {
  const instruments: Record<string, unknown>[] = [];
  const models: InstrumentModel[] = [];
  UNDERLYINGS.forEach((u, ui) => {
    const tiers = u.tiers.map(([upTo, imf, mmf]) => ({ upTo: String(upTo), imf: String(imf), mmf: String(mmf) }));
    const perpMark = decimal(u.spot * 1.0002, u.tick);
    instruments.push({ id: `${u.id}-PERP`, kind: "perp", underlying: u.id, lotSize: String(u.perpLot), mark: perpMark, tiers });
    models.push({ underlying: ui, kind: "perp", lotSize: u.perpLot, mark: Number(perpMark), strike: 0, mmf: u.tiers[0][2] });
    for (const expiry of FUTURE_EXPIRIES) {
      const years = (Date.parse(expiry) - NOW_MS) / YEAR_MS;
      const mark = decimal(u.spot * (1 + 0.06 * years), u.tick);
      instruments.push({ id: `${u.id}-${expiry.slice(0, 10).replaceAll("-", "")}`, kind: "future", underlying: u.id, expiry, lotSize: String(u.perpLot), mark, tiers });
      models.push({ underlying: ui, kind: "future", lotSize: u.perpLot, mark: Number(mark), strike: 0, mmf: u.tiers[0][2] });
    }
    for (const expiry of OPTION_EXPIRIES) {
      const years = (Date.parse(expiry) - NOW_MS) / YEAR_MS;
      for (const moneyness of STRIKE_MONEYNESS) {
        const strike = Math.round((u.spot * moneyness) / u.strikeStep) * u.strikeStep;
        const iv = u.vol * (1 + 0.3 * Math.abs(Math.log(strike / u.spot)));
        for (const right of ["call", "put"] as const) {
          const value = Math.max(black76(right === "call", u.spot, strike, years, iv), u.tick);
          const mark = decimal(value, u.tick);
          instruments.push({
            id: `${u.id}-${expiry.slice(0, 10).replaceAll("-", "")}-${strike}-${right === "call" ? "C" : "P"}`,
            kind: "option", underlying: u.id, right, strike: String(strike), expiry, lotSize: String(u.optionLot), mark, iv: iv.toFixed(4),
          });
          models.push({ underlying: ui, kind: right, lotSize: u.optionLot, mark: Number(mark), strike, mmf: 0 });
        }
      }
    }
  });
  return {
    models,
    venue: {
      now: NOW, settlement: "USD", params: {},
      assets: [
        { id: "USD", price: "1", haircut: "0" },
        { id: "USDC", price: "1", haircut: "0.01" },
        ...UNDERLYINGS.map((u) => ({ id: u.id, price: String(u.spot), haircut: u.haircut, underlying: u.id })),
      ],
      underlyings: UNDERLYINGS.map((u) => ({ id: u.id, spot: String(u.spot), vol: String(u.vol), rate: "0" })),
      instruments,
      insuranceFund: "25000000",
    },
  };
}

const USD = 0, USDC = 1, FIRST_CRYPTO_ASSET = 2;

/** Draws a health target (equity / approximate MM) giving the status mix of a stressed venue. */
function drawHealth(u: number): number {
  if (u < 0.005) return -0.5;                     // bankrupt
  if (u < 0.05) return 0.3 + (u / 0.05) * 0.65;   // under maintenance
  if (u < 0.13) return 1.05 + ((u - 0.05) / 0.08) * 0.6; // between maintenance and initial
  return 2.5 + 30 * ((u - 0.13) / 0.87) ** 3;     // healthy, long tail
}

export function generateVenue({ accounts, seed }: { accounts: number; seed: number }): { venue: VenueReference; columns: AccountColumns } {
  const { venue, models } = buildReference();
  const rng = xoroshiro128plus(seed);
  const random = () => uniformFloat64(rng);
  const byUnderlying = UNDERLYINGS.map((_, ui) => models.flatMap((m, i) => (m.underlying === ui ? [i] : [])));

  const mode = new Uint8Array(accounts);
  const parent = new Int32Array(accounts).fill(-1);
  const positionOffsets = new Uint32Array(accounts + 1);
  const collateralOffsets = new Uint32Array(accounts + 1);
  const positionInstrument = new Uint16Array(accounts * MAX_POSITIONS);
  const positionLots = new Int32Array(accounts * MAX_POSITIONS);
  const positionEntry = new BigInt64Array(accounts * MAX_POSITIONS);
  const collateralAsset = new Uint8Array(accounts * MAX_COLLATERAL);
  const collateralAmount = new BigInt64Array(accounts * MAX_COLLATERAL);
  const held = new Set<number>();
  let p = 0, c = 0;

  for (let a = 0; a < accounts; a++) {
    mode[a] = random() < 0.3 ? 1 : 0;
    if (a > 0 && random() < 0.02) {
      const candidate = uniformInt(rng, 0, a - 1);
      parent[a] = parent[candidate] >= 0 ? parent[candidate] : candidate;
    }
    const home = random() < 0.5 ? 0 : random() < 0.6 ? 1 : 2;
    const scale = 20_000 * Math.exp(2 * (random() - 0.5) * 2.3); // equity scale, ~2k to ~200k USD
    const leverage = 1 + 19 * random() ** 3;
    const count = uniformInt(rng, 1, MAX_POSITIONS);
    let pnlAndValue = 0, maintenance = 0;
    held.clear();
    for (let k = 0; k < count; k++) {
      const ui = random() < 0.75 ? home : uniformInt(rng, 0, UNDERLYINGS.length - 1);
      const pool = byUnderlying[ui];
      let instrument: number;
      do {
        const r = random();
        instrument = r < 0.3 ? pool[0] : r < 0.45 ? pool[uniformInt(rng, 1, 3)] : pool[uniformInt(rng, 4, pool.length - 1)];
      } while (held.has(instrument));
      held.add(instrument);
      const m = models[instrument];
      const spot = UNDERLYINGS[ui].spot;
      const linear = m.kind === "perp" || m.kind === "future";
      const notional = (scale * leverage * (0.3 + random())) / count;
      const lotValue = m.lotSize * (linear ? m.mark : spot);
      const size = Math.max(1, Math.round(notional / lotValue));
      const lots = random() < 0.5 ? -size : size;
      const qty = lots * m.lotSize;
      const tick = UNDERLYINGS[ui].tick;
      const entry = Math.max(tick, Math.round((m.mark * (1 + 0.1 * (random() - 0.5) * (linear ? 1 : 4))) / tick) * tick);
      positionInstrument[p] = instrument;
      positionLots[p] = lots;
      positionEntry[p] = BigInt(Math.round(entry * PRICE));
      p++;
      if (linear) {
        pnlAndValue += qty * (m.mark - entry);
        maintenance += Math.abs(qty) * m.mark * m.mmf;
      } else {
        pnlAndValue += qty * m.mark;
        if (lots < 0) maintenance += Math.abs(qty) * (0.075 * spot + m.mark);
      }
    }
    positionOffsets[a + 1] = p;

    // Collateral: equity = health × approximate MM; crypto and USDC take a share of it.
    const equity = drawHealth(random()) * Math.max(maintenance, 50);
    let collateralValue = equity - pnlAndValue;
    if (random() < 0.25) {
      const u = UNDERLYINGS[home];
      const share = Math.max(0, collateralValue) * 0.4 * random();
      const units = Math.floor((share / (u.spot * (1 - Number(u.haircut)))) * 1e6) / 1e6;
      if (units > 0) {
        collateralAsset[c] = FIRST_CRYPTO_ASSET + home;
        collateralAmount[c++] = BigInt(Math.round(units * PRICE));
        collateralValue -= units * u.spot * (1 - Number(u.haircut));
      }
    }
    if (random() < 0.2 && collateralValue > 0) {
      const usdc = Math.floor(collateralValue * 0.5 * random());
      if (usdc > 0) {
        collateralAsset[c] = USDC;
        collateralAmount[c++] = BigInt(usdc) * BigInt(PRICE);
        collateralValue -= usdc * 0.99;
      }
    }
    const cents = Math.round(collateralValue * 100);
    if (cents !== 0) {
      collateralAsset[c] = USD;
      collateralAmount[c++] = BigInt(cents) * 1_000_000n;
    }
    collateralOffsets[a + 1] = c;
  }

  return {
    venue,
    columns: {
      count: accounts, mode, parent, positionOffsets,
      positionInstrument: positionInstrument.subarray(0, p),
      positionLots: positionLots.subarray(0, p),
      positionEntry: positionEntry.subarray(0, p),
      collateralOffsets,
      collateralAsset: collateralAsset.subarray(0, c),
      collateralAmount: collateralAmount.subarray(0, c),
    },
  };
}
