// Seeded venues at the edges of docs/limits.md for the liquidation pass: spots from 10^-6 to
// 8 × 10^9, lot sizes from 10^-8 to 10^4, positions up to their notional bound, depths from one
// µ-unit to 10^12 with slippage up to 0.999999999, caps from one µ-unit, the largest fee and
// buffer, loans of an asset priced by an underlying, and settlement balances near either bound.
// Accounts come without cash: `cashFor` sets each one's equity at a drawn multiple of its MM.
import { xoroshiro128plus } from "pure-rand/generator/xoroshiro128plus";
import { uniformInt } from "pure-rand/distribution/uniformInt";
import { formatDecimal } from "./decimal.mjs";

const NOW = "2026-11-24T00:00:00Z";
const EXPIRY = "2027-03-26T08:00:00Z";
const MAX_PRICE = 10n ** 18n;
const MAX_BALANCE = 10n ** 18n;

function draws(seed) {
  const rng = xoroshiro128plus(seed);
  const int = (lo, hi) => uniformInt(rng, lo, hi);
  const unit = () => int(0, 2 ** 30 - 1) / 2 ** 30;
  const uni = (lo, hi) => lo + (hi - lo) * unit();
  const logUniform = (lo, hi) => Math.exp(uni(Math.log(lo), Math.log(hi)));
  return { int, unit, uni, logUniform, chance: (p) => unit() < p, pick: (list) => list[int(0, list.length - 1)] };
}

const raw = (x) => BigInt(Math.round(x));
const clamp = (x, lo, hi) => (x < lo ? lo : x > hi ? hi : x);
const d6 = (x) => formatDecimal(x, 6), d8 = (x) => formatDecimal(x, 8), d9 = (x) => formatDecimal(x, 9);
const priceOf = (x) => clamp(raw(x * 1e8), 100n, MAX_PRICE);

/** The venue of `seed` (no cash yet) and, per account, the equity/MM ratio `cashFor` aims at. */
export function edgeLiquidationVenue(seed) {
  const { int, uni, logUniform, chance, pick } = draws(seed);
  const withOptions = chance(0.2);
  const underlyings = Array.from({ length: int(1, 2) }, (_, u) => {
    const spot = pick([() => logUniform(1e-6, 1e10), () => logUniform(1e6, 1e10), () => logUniform(1e-6, 1), () => logUniform(10, 1e5)])();
    // two moves of up to +10 % keep it within the price bound
    return { id: `U${u}`, spot: priceOf(Math.min(spot, 8e9)) };
  });
  const cap = () => pick([() => "0.000001", () => d6(raw(logUniform(1, 1e18))), () => d6(raw(logUniform(1e6, 1e12))), () => "1000000000000"])();
  const params = {
    maxMarkDeviation: pick(["0.05", "0.2", "0"]),
    liquidationFee: pick(["0", "0.1", "0.005", "0.000000001", d9(raw(uni(0, 1e8)))]),
    liquidationBuffer: pick(["0", "10", "0.1", d9(raw(uni(0, 1e10)))]),
  };
  if (chance(0.25)) params.maxLiquidationNotionalPerAccount = cap();
  if (chance(0.25)) params.maxLiquidationNotionalPerPass = cap();
  if (chance(0.2)) params.maxInsuranceLossPerPass = cap();
  if (chance(0.3)) params.collateralLiquidationDiscount = d9(raw(uni(0, 2e8)));

  const instruments = [];
  for (const u of underlyings) {
    const spot = Number(u.spot) / 1e8;
    for (let k = int(1, 4); k > 0; k--) {
      const kind = withOptions && chance(0.3) ? "option" : pick(["perp", "future"]);
      const lotSize = clamp(raw(pick([() => logUniform(1e-8, 1e4), () => 1e4, () => 1e-8, () => logUniform(1e-3, 10)])() * 1e8), 1n, 10n ** 12n);
      const row = { id: `${u.id}-${kind}${k}`, kind, underlying: u.id, lotSize: d8(lotSize) };
      if (kind !== "perp") row.expiry = EXPIRY;
      if (kind === "option") {
        Object.assign(row, { right: pick(["call", "put"]), strike: d8(priceOf(spot * uni(0.5, 1.5))), mark: d8(raw(spot * uni(0, 0.3) * 1e8)) });
      } else {
        const mmf = pick([0.005, 0.05, 0.2, 0.5, 1]);
        row.mark = d8(priceOf(spot * uni(0.97, 1.03)));
        row.tiers = [{ upTo: d6(clamp(raw(logUniform(1e-6, 1e10) * 1e6), 1n, 10n ** 16n)), imf: String(Math.min(1, 2 * mmf)), mmf: String(mmf) }];
        if (row.tiers[0].upTo !== "10000000000" && chance(0.5)) row.tiers.push({ upTo: "10000000000", imf: "1", mmf: String(Math.min(1, 2 * mmf)) });
      }
      if (chance(0.5)) {
        const lotMoney = (Number(lotSize) * spot) / 100;
        const depth = pick([() => 1n, () => raw(logUniform(1, 1e18)), () => 10n ** 18n, () => clamp(raw(lotMoney * logUniform(0.5, 5000)), 1n, 10n ** 18n)])();
        row.liquidity = { notional: d6(depth), slippage: pick(["0", "0.999999999", "0.000000001", d9(raw(uni(0, 1e9 - 1))), d9(raw(uni(0, 1e8)))]) };
      }
      instruments.push({ row, lotSize, spot });
    }
  }

  const assets = [{ id: "USD", price: "1", haircut: "0" }];
  const loanAsset = chance(0.3);
  if (loanAsset) assets.push({ id: "UC", price: "1", haircut: d9(raw(uni(0, 5e8))), underlying: "U0" });
  const accounts = [], targets = [];
  for (let a = int(3, 10); a > 0; a--) {
    const pool = [...instruments], positions = [];
    for (let k = int(1, Math.min(4, pool.length)); k > 0; k--) {
      const { row, lotSize, spot } = pool.splice(int(0, pool.length - 1), 1)[0];
      // within the position notional bound at any price a move of ±10 % can reach
      const top = Math.max(spot, Number(row.mark), row.strike ? Number(row.strike) : 0) * 1.35;
      const most = Math.min(pick([3000, 300, 30, 2000]), Math.floor(9.5e9 / ((Number(lotSize) / 1e8) * top)));
      if (most < 1) continue;
      const lots = (chance(0.3) ? most : int(1, most)) * (chance(0.5) ? 1 : -1);
      const entry = row.kind === "option" ? d8(raw(Number(row.mark) * uni(0.7, 1.3) * 1e8)) : d8(priceOf(Number(row.mark) * uni(0.8, 1.2)));
      positions.push({ instrument: row.id, qty: d8(BigInt(lots) * lotSize), entry });
    }
    accounts.push({ id: `a${accounts.length}`, mode: chance(0.35) ? "portfolio" : "standard", collateral: {}, positions });
    const near = uni(0, 1);
    targets.push({ ratio: uni(-0.4, 1.15), loan: loanAsset && chance(0.25), nearBound: near < 0.08, nearFloor: near > 0.92, room: BigInt(int(0, 1e6)) * 10n ** 8n });
  }
  const venue = {
    now: NOW, settlement: "USD", params, assets,
    underlyings: underlyings.map((u) => ({ id: u.id, spot: d8(u.spot), vol: pick(["0.5", "1", "0.05"]), rate: "0" })),
    instruments: instruments.map((i) => i.row), accounts,
    insuranceFund: pick(["0", "1", "1000000", "999999000000", "1000000000000", d6(raw(logUniform(1, 1e16)))]),
  };
  return { venue, targets, moves: [1000n, BigInt(int(900, 1100)), BigInt(int(900, 1100))] };
}

/**
 * Collateral putting account a's equity at `target.ratio` × its MM, given its equity and MM
 * without cash (money): USD, part of it as a loan or holding of the underlying-priced asset, or
 * a USD balance near its bound offset by a GLD loan, or near −its bound offset by GLD held.
 */
export function cashFor(venue, target, equity, maintenance) {
  const collateral = {};
  let cash = ((maintenance * BigInt(Math.round(target.ratio * 1e6))) / 1000000n - equity) * 100n;
  if (target.loan) {
    const spot = BigInt(Math.round(Number(venue.underlyings[0].spot) * 1e8));
    const bound = (10n ** 17n * 10n ** 4n) / spot / 2n;
    const part = clamp(cash / 2n, -bound, bound);
    if (part !== 0n) collateral.UC = d8(part);
    cash -= part;
  }
  if (target.nearBound) {
    const usd = MAX_BALANCE - target.room, loan = (usd - cash) / 1000n;
    if (loan > 0n && loan * 1000n <= 10n ** 19n) {
      if (!venue.assets.some((x) => x.id === "GLD")) venue.assets.push({ id: "GLD", price: "1000", haircut: "0" });
      collateral.GLD = d8(-loan);
      cash = usd;
    }
  }
  if (target.nearFloor) {
    const usd = target.room - MAX_BALANCE, held = (cash - usd) / 1000n;
    if (held > 0n && held * 1000n <= 10n ** 19n) {
      if (!venue.assets.some((x) => x.id === "GLD")) venue.assets.push({ id: "GLD", price: "1000", haircut: "0" });
      collateral.GLD = d8(held);
      cash = usd;
    }
  }
  cash = clamp(cash, -MAX_BALANCE, MAX_BALANCE);
  if (cash !== 0n) collateral.USD = d8(cash);
  return collateral;
}
