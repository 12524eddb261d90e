// Seeded random venues that lean on the hard places: notionals at tier edges (and one raw unit
// either side), lots and notionals at their limits, loans, extreme haircuts, marks far outside
// the guard band, deep ITM/OTM options, 64-position books and 16-asset wallets.
import { xoroshiro128plus } from "pure-rand/generator/xoroshiro128plus";
import { uniformInt } from "pure-rand/distribution/uniformInt";
import { uniformBigInt } from "pure-rand/distribution/uniformBigInt";
import { formatDecimal, ceilDiv, floorDiv, max, min } from "./decimal.mjs";

const NOW = "2026-11-24T00:00:00Z";
const F = 10n ** 9n;
const MAX_PRICE = 10n ** 18n;
const MAX_LOTS = 900_000_000n;
const MAX_NOTIONAL = 10n ** 26n;     // qty (1e8) × price (1e8)
const MAX_AMOUNT = 10n ** 18n;
const MAX_COLLATERAL_VALUE = 10n ** 27n;
const SPOTS = [1n, 12_345n, 100_000_000n, 15_000_000_000n, 350_000_000_000n, 6_500_000_000_000n, 100_000_000_000_000n, MAX_PRICE];
const LOT_SIZES = [1n, 100_000n, 1_000_000n, 10_000_000n, 100_000_000n, 10_000_000_000n, 1_000_000_000_000n];
const HAIRCUTS = [0n, 50_000_000n, 500_000_000n, 999_999_999n];

/** Days to expiry, cut to what an option's rate allows: |rate| × days / 365 ≤ 1 (docs/limits.md). */
function withinRateHorizon(days, rate) {
  const magnitude = rate < 0n ? -rate : rate;
  return magnitude === 0n ? days : Math.max(1, Math.min(days, Number((365n * F) / magnitude)));
}

export function randomVenue(seed, { accounts = 200 } = {}) {
  const rng = xoroshiro128plus(seed);
  const int = (lo, hi) => uniformInt(rng, lo, hi);
  const big = (lo, hi) => uniformBigInt(rng, lo, hi);
  const pick = (list) => list[int(0, list.length - 1)];
  const chance = (p) => int(0, 999_999) < p * 1_000_000;
  const priceText = (raw) => formatDecimal(raw, 8);
  const fractionText = (raw) => formatDecimal(raw, 9);

  // Reference data ----------------------------------------------------------------------------
  const underlyings = Array.from({ length: int(1, 4) }, (_, u) => {
    const spot = chance(0.2) ? pick(SPOTS) : big(1n, MAX_PRICE / big(1n, 10n ** 12n));
    return { id: `U${u}`, spot, vol: big(1n, 10n * F), rate: big(-F, F) };
  });
  const params = {};
  if (chance(0.5)) params.maxMarkDeviation = fractionText(big(0n, F / 2n));
  if (chance(0.3)) {
    const optIm = big(0n, F);
    params.optIm = fractionText(optIm);
    params.optImMin = fractionText(big(0n, optIm));
    params.optMm = fractionText(big(0n, F));
  }
  if (underlyings.length > 1 && chance(0.4)) {
    // symmetric, |ρ| ≤ 1; not always positive semi-definite, which aggregates to 0
    params.correlation = {};
    underlyings.forEach((a, i) => underlyings.slice(i + 1).forEach((b) => {
      if (chance(0.8)) (params.correlation[a.id] ??= {})[b.id] = fractionText(big(-F / 2n, F));
    }));
  }
  const dev = params.maxMarkDeviation ? BigInt(params.maxMarkDeviation.replace(".", "").padEnd(10, "0")) / 10n : 50_000_000n;

  const assets = [{ id: "USD", price: 100_000_000n, haircut: 0n, underlying: null }];
  for (let k = int(0, 15); k > 0; k--) {
    const u = chance(0.4) ? pick(underlyings) : null;
    assets.push({ id: `A${assets.length}`, price: u ? u.spot : big(1n, MAX_PRICE / big(1n, 10n ** 10n)), haircut: chance(0.5) ? pick(HAIRCUTS) : big(0n, F - 1n), underlying: u?.id ?? null });
  }

  const instruments = [];
  for (const u of underlyings) {
    const linear = int(1, 4), options = int(0, 8) + (chance(0.1) ? 40 : 0);
    for (let k = 0; k < linear; k++) {
      let bound = 0n;
      const count = chance(0.2) ? pick([16, 64]) : int(1, 5);
      const tiers = Array.from({ length: count }, () => {
        bound += big(1n, 10n ** 16n / BigInt(Math.max(count, 16))); // the brackets stay under the 1e10 bound (1e16 at scale 1e6)
        const imf = big(0n, F);
        return { upTo: bound, imf, mmf: big(0n, imf) };
      });
      const far = chance(0.3);
      const mark = max(1n, min(MAX_PRICE, u.spot + (u.spot * big(far ? -F / 2n : -dev, far ? F / 2n : dev)) / F));
      instruments.push({ id: `${u.id}-L${k}`, underlying: u, kind: chance(0.5) ? "perp" : "future", lotSize: pick(LOT_SIZES), mark, strike: 0n, tiers });
    }
    for (let k = 0; k < options; k++) {
      const strike = max(1n, min(MAX_PRICE, (u.spot * big(F / 10n, 3n * F)) / F));
      const right = chance(0.5) ? "call" : "put";
      const intrinsic = max(0n, right === "call" ? u.spot - strike : strike - u.spot);
      const mark = chance(0.3) ? max(1n, intrinsic - big(0n, intrinsic / 2n)) : chance(0.3) ? min(MAX_PRICE, intrinsic + u.spot) : max(1n, intrinsic + big(0n, u.spot / 10n));
      instruments.push({ id: `${u.id}-O${k}`, underlying: u, kind: "option", right, lotSize: pick(LOT_SIZES), mark, strike, tiers: [], expiryDays: withinRateHorizon(int(1, 720), u.rate), iv: chance(0.7) ? big(1n, 5n * F) : null });
    }
  }

  // Accounts -----------------------------------------------------------------------------------
  /** A whole-lot size inside the notional limit, often at a tier edge or at the limit itself. */
  function lotsFor(instrument, entry) {
    const bound = [instrument.mark, entry, instrument.underlying.spot, instrument.strike].reduce(max);
    const perLot = instrument.lotSize * bound;
    const limit = min(MAX_LOTS, MAX_NOTIONAL / perLot);
    if (limit < 1n) return 0n;
    if (instrument.kind !== "option" && chance(0.4)) {
      const index = instrument.underlying.spot;
      const markUsed = min(max(instrument.mark, ceilDiv(index * (F - dev), F)), floorDiv(index * (F + dev), F));
      const edge = pick(instrument.tiers).upTo * 10n ** 10n; // a bound, at scale 1e16
      const lots = edge / (instrument.lotSize * markUsed) + BigInt(int(-1, 1));
      if (lots >= 1n && lots <= limit) return lots;
    }
    if (chance(0.1)) return limit;
    return big(1n, min(limit, chance(0.5) ? 1000n : limit));
  }

  const accountRows = [];
  for (let a = 0; a < accounts; a++) {
    const positions = [];
    const count = chance(0.05) ? 64 : int(0, 8);
    const pool = [...instruments];
    while (positions.length < count && pool.length > 0) {
      const instrument = pool.splice(int(0, pool.length - 1), 1)[0];
      const entry = chance(0.2) ? big(1n, MAX_PRICE) : min(MAX_PRICE, max(1n, instrument.mark + (instrument.mark * big(-F / 5n, F / 5n)) / F));
      const lots = lotsFor(instrument, entry);
      if (lots === 0n) continue;
      positions.push({ instrument: instrument.id, qty: priceText((chance(0.5) ? -lots : lots) * instrument.lotSize), entry: priceText(entry) });
    }
    const collateral = {};
    const wallet = [...assets];
    for (let k = chance(0.05) ? 16 : int(0, 3); k > 0 && wallet.length > 0; k--) {
      const asset = wallet.splice(int(0, wallet.length - 1), 1)[0];
      const limit = min(MAX_AMOUNT, MAX_COLLATERAL_VALUE / asset.price);
      if (limit < 1n) continue;
      const amount = chance(0.1) ? limit : big(1n, min(limit, chance(0.5) ? 10n ** 12n : limit));
      collateral[asset.id] = priceText(chance(0.15) ? -amount : amount);
    }
    const row = { id: `a${a}`, mode: chance(0.3) ? "portfolio" : "standard", collateral, positions };
    if (a > 0 && chance(0.05) && !accountRows[0].parent) row.parent = "a0";
    accountRows.push(row);
  }

  const now = Date.parse(NOW);
  return {
    now: NOW, settlement: "USD", params,
    assets: assets.map((a) => ({ id: a.id, price: priceText(a.price), haircut: fractionText(a.haircut), ...(a.underlying ? { underlying: a.underlying } : {}) })),
    underlyings: underlyings.map((u) => ({ id: u.id, spot: priceText(u.spot), vol: fractionText(u.vol), rate: fractionText(u.rate) })),
    instruments: instruments.map((i) => {
      const common = { id: i.id, underlying: i.underlying.id, lotSize: priceText(i.lotSize), mark: priceText(i.mark) };
      const tiers = i.tiers.map((t) => ({ upTo: formatDecimal(t.upTo, 6), imf: fractionText(t.imf), mmf: fractionText(t.mmf) }));
      if (i.kind === "perp") return { ...common, kind: "perp", tiers };
      if (i.kind === "future") return { ...common, kind: "future", expiry: new Date(now + 90 * 86_400_000).toISOString(), tiers };
      return { ...common, kind: "option", right: i.right, strike: priceText(i.strike), expiry: new Date(now + i.expiryDays * 86_400_000).toISOString(), ...(i.iv ? { iv: fractionText(i.iv) } : {}) };
    }),
    accounts: accountRows,
    insuranceFund: "1000000",
  };
}
