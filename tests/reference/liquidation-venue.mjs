// Seeded small venues for the liquidation pass: books under water and bankrupt, loans against
// collateral (with and without positions), loans of a crypto asset, profitable opponents for ADL,
// and, at random, the liquidation caps, instruments' depth, discounts and a fund from empty to
// deep — small enough that the twin can value every account at every step.
import { xoroshiro128plus } from "pure-rand/generator/xoroshiro128plus";
import { uniformInt } from "pure-rand/distribution/uniformInt";
import { formatDecimal } from "./decimal.mjs";

const NOW = "2026-11-24T00:00:00Z";
const EXPIRY = "2027-03-26T08:00:00Z";

export function liquidationVenue(seed, { accounts = 40, options = false } = {}) {
  const rng = xoroshiro128plus(seed);
  const int = (lo, hi) => uniformInt(rng, lo, hi);
  const chance = (p) => int(0, 999) < p * 1000;
  const pick = (list) => list[int(0, list.length - 1)];
  const decimal = (value, scale) => formatDecimal(BigInt(Math.round(value * 10 ** scale)), scale);

  const underlyings = Array.from({ length: int(1, 2) }, (_, u) => ({ id: `U${u}`, spot: pick([150, 3500, 65000]) * (0.9 + int(0, 200) / 1000), vol: 0.5 + int(0, 50) / 100 }));
  const assets = [{ id: "USD", price: "1", haircut: "0" }];
  for (const u of underlyings) assets.push({ id: `${u.id}C`, price: decimal(u.spot, 2), haircut: decimal(int(0, 300) / 1000, 3), underlying: u.id });
  assets.push({ id: "GOLD", price: "2000", haircut: decimal(int(0, 200) / 1000, 3) });

  const instruments = [];
  /** Depth of 20 to 2,000 lots' notional. */
  const liquidity = (lotValue) => (chance(0.5) ? { liquidity: { notional: decimal(lotValue * int(20, 2000), 2), slippage: decimal(int(0, 80) / 1000, 3) } } : {});
  for (const u of underlyings) {
    const lotSize = u.spot > 10000 ? "0.01" : u.spot > 1000 ? "0.1" : "1";
    const lotValue = Number(lotSize) * u.spot;
    const tiers = [{ upTo: decimal(u.spot * 20, 0), imf: "0.05", mmf: "0.025" }, { upTo: decimal(u.spot * 200, 0), imf: "0.1", mmf: "0.05" }];
    const mark = (k) => decimal(u.spot * (1 + (int(-20, 20) / 1000) * k), 2);
    instruments.push({ id: `${u.id}-PERP`, kind: "perp", underlying: u.id, lotSize, mark: mark(1), tiers, ...liquidity(lotValue) });
    instruments.push({ id: `${u.id}-FUT`, kind: "future", underlying: u.id, expiry: EXPIRY, lotSize, mark: mark(1), tiers, ...liquidity(lotValue) });
    if (options) {
      for (const [right, m] of [["call", 1.1], ["put", 0.9]]) {
        const strike = decimal(u.spot * m, 0);
        instruments.push({ id: `${u.id}-${right}`, kind: "option", underlying: u.id, right, strike, expiry: EXPIRY, lotSize, mark: decimal(u.spot * 0.06, 2), ...liquidity(lotValue / 10) });
      }
    }
  }

  const params = { maxMarkDeviation: "0.05" };
  if (chance(0.5)) params.collateralLiquidationDiscount = decimal(int(0, 100) / 1000, 3);
  if (chance(0.3)) params.liquidationFee = decimal(int(0, 20) / 1000, 3);
  if (chance(0.3)) params.liquidationBuffer = decimal(int(0, 300) / 1000, 3);
  const u0 = underlyings[0], scale = u0.spot, lotValue = u0.spot * (u0.spot > 10000 ? 0.01 : u0.spot > 1000 ? 0.1 : 1);
  if (chance(0.4)) params.maxLiquidationNotionalPerAccount = decimal(lotValue * int(20, 1000), 2);
  if (chance(0.4)) params.maxLiquidationNotionalPerPass = decimal(lotValue * int(200, 8000), 2);
  if (chance(0.3)) params.maxInsuranceLossPerPass = decimal(int(1, 5000), 2);

  const rows = [];
  for (let a = 0; a < accounts; a++) {
    const positions = [], collateral = {};
    const kind = int(0, 9);
    const linear = instruments.filter((i) => i.kind !== "option");
    if (kind >= 2) {
      const pool = [...(options && chance(0.5) ? instruments : linear)];
      for (let k = int(1, 3); k > 0 && pool.length > 0; k--) {
        const row = pool.splice(int(0, pool.length - 1), 1)[0];
        const u = underlyings.find((x) => x.id === row.underlying);
        const lots = int(1, 300) * (chance(0.5) ? 1 : -1);
        const drift = 1 + int(-120, 120) / 1000;
        const entry = row.kind === "option" ? decimal(u.spot * 0.06 * drift, 2) : decimal(Number(row.mark) * drift, 2);
        positions.push({ instrument: row.id, qty: formatDecimal(BigInt(lots) * BigInt(Math.round(Number(row.lotSize) * 1e8)), 8), entry });
      }
    }
    const notional = positions.reduce((s, x) => s + Math.abs(Number(x.qty)) * Number(x.entry), 0) + 1000;
    // margin from about 1 % to 30 % of the notional: some books start under water
    const cash = notional * (int(-20, 300) / 1000);
    if (kind <= 1 || chance(0.3)) {
      // a loan against crypto collateral (kind ≤ 1: no positions at all), or a loan of the crypto itself
      const asset = pick(assets.slice(1));
      const price = Number(asset.price), value = notional * (0.5 + int(0, 100) / 100);
      if (chance(0.75)) {
        collateral[asset.id] = decimal(value / price, 6);
        collateral.USD = decimal(-value * (0.7 + int(0, 400) / 1000) + cash * 0.1, 2);
      } else {
        collateral[asset.id] = decimal(-value / price / 2, 6);
        collateral.USD = decimal(value * (0.5 + int(0, 100) / 200) + cash, 2);
      }
    } else {
      collateral.USD = decimal(cash, 2);
    }
    if (collateral.USD === "0" || collateral.USD === "-0") delete collateral.USD;
    rows.push({ id: `a${a}`, mode: chance(options ? 0.4 : 0.2) ? "portfolio" : "standard", collateral, positions });
  }

  if (chance(0.25)) {
    // whales inside every limit whose close-out realizes more than a balance may hold: the first's
    // loan buy-back brings its balance back within the limit, the second's loss leaves it beyond
    // until its deficit is settled; and an account holding 16 assets and no USD, under water but
    // not bankrupt, whose partial liquidation would need a 17th balance (skipped, put back)
    const perp = instruments[0], loan = assets[1];
    const fillers = Array.from({ length: 16 }, (_, k) => ({ id: `Z${k}`, price: "1", haircut: "0" }));
    assets.push(...fillers);
    const stuckLots = 10n * BigInt(Math.round(Number(perp.lotSize) * 1e8));
    // equity 16 × v − 5 % of the notional = 1.25 %, half its 2.5 % maintenance margin
    const each = decimal((10 * Number(perp.lotSize) * Number(perp.mark) * 0.0625) / 16, 2);
    const lots = Math.floor(4e9 / (Number(perp.lotSize) * Number(perp.mark)));
    const qty = formatDecimal(BigInt(lots) * BigInt(Math.round(Number(perp.lotSize) * 1e8)), 8);
    rows.push({
      id: "whale", mode: "standard",
      collateral: { USD: "9000000000", [loan.id]: decimal(-1.2e10 / Number(loan.price), 4) },
      positions: [{ instrument: perp.id, qty, entry: decimal(Number(perp.mark) / 2, 2) }],
    }, {
      id: "sunk", mode: "standard", collateral: { USD: "-9000000000" },
      positions: [{ instrument: perp.id, qty, entry: decimal(Number(perp.mark) * 1.5, 2) }],
    }, {
      id: "stuck", mode: "standard", collateral: Object.fromEntries(fillers.map((f) => [f.id, each])),
      positions: [{ instrument: perp.id, qty: formatDecimal(stuckLots, 8), entry: decimal(Number(perp.mark) * 1.05, 2) }],
    });
  }

  const venue = {
    now: NOW, settlement: "USD", params, assets,
    underlyings: underlyings.map((u) => ({ id: u.id, spot: decimal(u.spot, 2), vol: decimal(u.vol, 2), rate: "0" })),
    instruments, accounts: rows,
    insuranceFund: pick(["0", "50", decimal(scale / 10, 2), decimal(scale * 2, 2), "100000000"]),
  };
  // some accounts are sub-accounts of an earlier one (drawn last, so the books above stay as they were)
  for (let a = 1; a < rows.length; a++) {
    if (!chance(0.2)) continue;
    const parent = rows[int(0, a - 1)];
    if (parent.parent === undefined) rows[a].parent = parent.id;
  }
  return venue;
}
