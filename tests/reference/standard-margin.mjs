// The BigInt twin of the standard-margin kernels: docs/methodology.md §2–6, one line per rule,
// over exact bigints. Slow and obvious on purpose; the differential tests hold the module to it.
import { parseDecimal as dec, floorDiv, ceilDiv, max, min } from "./decimal.mjs";
import { portfolioMargin } from "./portfolio-margin.mjs";
import { correlationOf } from "./correlation.mjs";

const F = 10n ** 9n;              // fraction scale
const TO_MONEY = 10n ** 10n;      // quantity (1e8) × price (1e8) → money (1e6)
const TO_MONEY_FRACTION = 10n ** 19n;

const price = (s) => dec(s, 8);
const fraction = (s) => dec(s, 9);
const money = (s) => dec(s, 6);

/** The index of an underlying: its spot (oracle sources are not modelled here). */
function indexOf(underlying) {
  return price(underlying.spot);
}

/** Methodology §2: linear marks within index × (1 ± dev); option marks within [intrinsic, model × (1 + dev)]. */
export function guardedMark(instrument, index, dev, modelValue) {
  const mark = price(instrument.mark);
  if (instrument.kind !== "option") {
    const low = ceilDiv(index * (F - dev), F);
    const high = floorDiv(index * (F + dev), F);
    return min(max(mark, low), high);
  }
  const strike = price(instrument.strike);
  const intrinsic = max(0n, instrument.right === "call" ? index - strike : strike - index);
  const cap = floorDiv(modelValue * (F + dev), F);
  return max(min(mark, cap), intrinsic);
}

/** Methodology §3: collateral value, rounded down; a loan counts 1 + haircut. */
function collateralValue(amount, assetPrice, haircut) {
  const factor = amount >= 0n ? F - haircut : F + haircut;
  return floorDiv(amount * assetPrice * factor, TO_MONEY_FRACTION);
}

/** Methodology §4: marginal brackets, ⌈Σ part × rate / F⌉, the last rate beyond the last bound. */
function tierCharge(notional, tiers, rateKey) {
  let sum = 0n;
  let floor = 0n;
  tiers.forEach((tier, k) => {
    const bound = k === tiers.length - 1 ? notional : min(notional, money(tier.upTo));
    if (bound > floor) {
      sum += (bound - floor) * fraction(tier[rateKey]);
      floor = bound;
    }
  });
  return ceilDiv(sum, F);
}

/** Methodology §4: a short option's IM and MM for |q| base units (scale 1e8). */
function shortOptionCharges(size, instrument, index, mark, params) {
  const strike = price(instrument.strike);
  const otm = max(0n, instrument.right === "call" ? strike - index : index - strike);
  const unitIm = max(params.optIm * index - otm * F, params.optImMin * index) + mark * F;
  const unitMm = params.optMm * index + mark * F;
  let im = ceilDiv(size * unitIm, TO_MONEY_FRACTION);
  let mm = ceilDiv(size * unitMm, TO_MONEY_FRACTION);
  if (instrument.right === "put") {
    const cap = ceilDiv(size * strike, TO_MONEY);
    im = min(im, cap);
    mm = min(mm, cap);
  }
  return { im, mm };
}

function statusOf(equity, im, mm) {
  if (equity < 0n) return "bankrupt";
  if (equity < mm) return "liquidatable";
  if (equity < im) return "restricted";
  return "healthy";
}

/**
 * Equity, IM, MM and status of every account of a venue-file object. The module supplies its
 * f64 tables: `optionModelValue(id)` (raw, scale 1e8), and for portfolio accounts `riskArray(id)`
 * and `grid` (an underlying id → its scenario rows).
 */
export function referenceVenueRisk(venue, { optionModelValue, riskArray, grid }) {
  const given = venue.params ?? {};
  const params = {
    dev: fraction(given.maxMarkDeviation ?? "0.05"),
    optIm: fraction(given.optIm ?? "0.15"),
    optImMin: fraction(given.optImMin ?? "0.10"),
    optMm: fraction(given.optMm ?? "0.075"),
    shockCollateral: given.shockCollateral ?? true,
    imMultiplier: fraction(given.imMultiplier ?? "1.25"),
    shortOptionMin: fraction(given.shortOptionMin ?? "0.01"),
    correlation: correlationOf(given),
  };
  const settlement = venue.settlement ?? "USD";
  const underlyings = new Map((venue.underlyings ?? []).map((u) => [u.id, indexOf(u)]));
  const assets = new Map((venue.assets ?? []).map((a) => [a.id, {
    underlying: a.underlying ?? null,
    price: a.underlying ? underlyings.get(a.underlying) : price(a.price),
    haircut: a.id === settlement ? 0n : fraction(a.haircut ?? "0"),
  }]));
  if (!assets.has(settlement)) assets.set(settlement, { price: 10n ** 8n, haircut: 0n });
  const instruments = new Map((venue.instruments ?? []).map((i) => {
    const index = underlyings.get(i.underlying);
    const model = i.kind === "option" ? optionModelValue(i.id) : 0n;
    return [i.id, { ...i, index, lotSize: price(i.lotSize), markUsed: guardedMark(i, index, params.dev, model) }];
  }));

  const accounts = (venue.accounts ?? []).map((account) => {
    let equity = 0n, im = 0n, mm = 0n;
    const book = { collateral: [], positions: [] };
    for (const [assetId, amount] of Object.entries(account.collateral ?? {})) {
      const asset = assets.get(assetId);
      const value = collateralValue(dec(amount, 8), asset.price, asset.haircut);
      equity += value;
      book.collateral.push({ underlying: asset.underlying, value });
    }
    for (const position of account.positions ?? []) {
      const instrument = instruments.get(position.instrument);
      const q = dec(position.qty, 8);
      const size = q < 0n ? -q : q;
      const mark = instrument.markUsed;
      if (account.mode === "portfolio") {
        book.positions.push({ instrument, q, lots: q / instrument.lotSize, riskArray: instrument.kind === "option" ? riskArray(instrument.id) : [] });
        equity += floorDiv(q * (instrument.kind === "option" ? mark : mark - price(position.entry)), TO_MONEY);
        continue;
      }
      if (instrument.kind !== "option") {
        equity += floorDiv(q * (mark - price(position.entry)), TO_MONEY);
        const notional = ceilDiv(size * mark, TO_MONEY);
        im += tierCharge(notional, instrument.tiers, "imf");
        mm += tierCharge(notional, instrument.tiers, "mmf");
      } else {
        equity += floorDiv(q * mark, TO_MONEY);
        if (q < 0n) {
          const charges = shortOptionCharges(size, instrument, instrument.index, mark, params);
          im += charges.im;
          mm += charges.mm;
        }
      }
    }
    let buckets = null;
    if (account.mode === "portfolio") {
      const portfolio = portfolioMargin(book, grid, params);
      im = portfolio.initialMargin;
      mm = portfolio.maintenanceMargin;
      buckets = portfolio.buckets;
    }
    return { id: account.id, equity, initialMargin: im, maintenanceMargin: mm, status: statusOf(equity, im, mm), buckets };
  });

  const sum = (key) => accounts.reduce((total, a) => total + a[key], 0n);
  return {
    accounts,
    totals: { equity: sum("equity"), initialMargin: sum("initialMargin"), maintenanceMargin: sum("maintenanceMargin") },
  };
}
