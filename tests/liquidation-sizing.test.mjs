// Partial liquidation closes the fewest whole lots that restore the account (docs/methodology.md
// §10) where the slack is not concave in the lots closed: maintenance rates that fall at a tier
// bound, and a negative correlation between buckets. Each answer is checked against every count
// tried in turn, each count's MM taken from a fresh engine holding what the close would leave.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { xoroshiro128plus } from "pure-rand/generator/xoroshiro128plus";
import { uniformInt } from "pure-rand/distribution/uniformInt";
import { MarginEngine } from "../build/index.js";
import { parseDecimal } from "./reference/decimal.mjs";
import { referencePass } from "./reference/liquidation-pass.mjs";
import { engineTables } from "./helpers/engine-tables.mjs";

const NOW = "2026-11-24T00:00:00Z";
const F = 10n ** 9n;
const ceilDiv = (n, d) => (n + d - 1n) / d;

/** The liquidation twin's orders (instrument, signed lots) for the first entry of a pass on the engine's venue. */
function twinOrders(engine) {
  return referencePass(engine.toVenue(), engineTables(engine)).entries[0].orders.map((o) => [o.instrument, o.lots]);
}

/**
 * The fewest lots of `id` (held `lots`, a long, lot size 1 at a mark of `mark` money) whose close
 * restores "acc": E − impact − fee ≥ ⌈MM' × (1 + buffer)⌉, the impact against a depth of
 * `depth` money at `slippage` (none when 0) as §10 prices a first fill; null when none does.
 */
async function fewestByTrial(venue, id, lots, mark, buffer, feeRate, depth = 0n, slippage = 0n) {
  const equity = (await MarginEngine.fromVenue(venue)).accountRaw("acc").equity;
  const markPrice = mark * 100n; // money (1e6) to price (1e8) units
  for (let k = 1; k <= lots; k++) {
    const copy = await MarginEngine.fromVenue(venue);
    copy.setPosition("acc", id, String(lots - k), venue.accounts[0].positions.find((p) => p.instrument === id).entry);
    const mm = copy.accountRaw("acc").maintenanceMargin;
    const notional = BigInt(k) * mark;
    const fee = ceilDiv(notional * feeRate, F);
    const gap = depth === 0n ? 0n : ceilDiv(markPrice * slippage * notional, depth * F);
    const impact = ceilDiv(BigInt(k) * 10n ** 8n * gap, 10n ** 10n);
    if ((equity - impact - fee) * F >= mm * (F + buffer)) return k;
  }
  return null;
}

test("tiers whose maintenance rate falls: one lot restores, and one lot is what is closed", async () => {
  const venue = {
    now: NOW, params: { liquidationBuffer: "0", liquidationFee: "0.008" },
    underlyings: [{ id: "X", spot: "100", vol: "0.5" }],
    instruments: [{
      id: "X-PERP", kind: "perp", underlying: "X", lotSize: "1", mark: "100",
      tiers: [{ upTo: "700", imf: "0.5", mmf: "0.184" }, { upTo: "100000000", imf: "0.5", mmf: "0.018" }],
      liquidity: { notional: "23900", slippage: "0.149" },
    }],
    accounts: [{ id: "acc", collateral: { USD: "184" }, positions: [{ instrument: "X-PERP", qty: "38", entry: "100" }] }],
  };
  const engine = await MarginEngine.fromVenue(venue);
  // MM 700 × 0.184 + 3,100 × 0.018 = 184.6 against equity 184
  assert.is(engine.account("acc").maintenanceMargin, "184.6");
  const entry = engine.liquidate().queue[0];
  // one lot: notional 100, gap ⌈100 × 0.149 × 100 / 23,900⌉ in price units, fee 0.8; MM 37 lots = 182.8
  assert.equal(entry.orders.map((o) => [o.instrument, o.qty, o.price]), [["X-PERP", "-1", "99.9376569"]]);
  assert.is(entry.fee, "0.8");
  assert.is(entry.priceImpact, "0.062344");
  assert.is(engine.account("acc").maintenanceMargin, "182.8");
  assert.is(engine.account("acc").status, "restricted");
  assert.equal(twinOrders(await MarginEngine.fromVenue(venue)), [["X-PERP", -1n]]);
});

test("a negative correlation: the 8 BTC lots that restore are closed, not the whole book", async () => {
  const venue = {
    now: NOW, params: { correlation: { BTC: { ETH: "-1" } }, maxMarkDeviation: "0", liquidationFee: "0" },
    underlyings: [{ id: "BTC", spot: "50000", vol: "0.5" }, { id: "ETH", spot: "3000", vol: "0.5" }],
    instruments: [
      { id: "BTC-PERP", kind: "perp", underlying: "BTC", lotSize: "1", mark: "50000", tiers: [{ upTo: "100000000", imf: "0.1", mmf: "0.05" }] },
      { id: "BTC-C", kind: "option", underlying: "BTC", right: "call", strike: "55000", expiry: "2026-12-24T00:00:00Z", lotSize: "1", mark: "2000" },
      { id: "ETH-PERP", kind: "perp", underlying: "ETH", lotSize: "1", mark: "3000", tiers: [{ upTo: "100000000", imf: "0.1", mmf: "0.05" }] },
    ],
    accounts: [{
      id: "acc", mode: "portfolio", collateral: { USD: "13000" },
      positions: [{ instrument: "BTC-PERP", qty: "20", entry: "50000" }, { instrument: "BTC-C", qty: "-10", entry: "2000" }, { instrument: "ETH-PERP", qty: "-189", entry: "3000" }],
    }],
  };
  // sized first, by standalone MM: BTC-PERP 50,000 × 20 × 0.05 = 50,000 against ETH's 28,350
  assert.is(await fewestByTrial(venue, "BTC-PERP", 20, 50_000_000_000n, 100_000_000n, 0n), 8);
  const engine = await MarginEngine.fromVenue(venue);
  assert.is(engine.account("acc").status, "liquidatable");
  const entry = engine.liquidate().queue[0];
  assert.equal(entry.orders.map((o) => [o.instrument, o.qty]), [["BTC-PERP", "-8"]]);
  assert.is(engine.account("acc").status, "healthy");
  assert.equal(twinOrders(await MarginEngine.fromVenue(venue)), [["BTC-PERP", -8n]]);
});

test("correlations all ≥ 0 but no positive semi-definite matrix: the 24 A lots that restore are closed, not all 29 and a B lot", async () => {
  // A~B = A~C = 1, B~C = 0: MM = √((L_A + L_B + L_C)² − 2 L_B L_C), concave in A's loss
  const venue = {
    now: NOW, params: { correlation: { A: { B: "1", C: "1" } }, maxMarkDeviation: "0", liquidationFee: "0", liquidationBuffer: "0" },
    underlyings: ["A", "B", "C"].map((id) => ({ id, spot: "100", vol: "0.5" })),
    instruments: ["A", "B", "C"].map((id) => ({
      id: `${id}-PERP`, kind: "perp", underlying: id, lotSize: "1", mark: "100", tiers: [{ upTo: "9000000000", imf: "0.1", mmf: "0.05" }],
      ...(id === "A" ? { liquidity: { notional: "7828.26", slippage: "0.3" } } : {}),
    })),
    accounts: [{
      id: "acc", mode: "portfolio", collateral: { USD: "480.367667" },
      positions: [{ instrument: "A-PERP", qty: "29", entry: "100" }, { instrument: "B-PERP", qty: "7", entry: "100" }, { instrument: "C-PERP", qty: "7", entry: "100" }],
    }],
  };
  assert.is(await fewestByTrial(venue, "A-PERP", 29, 100_000_000n, 0n, 0n, 7_828_260_000n, 300_000_000n), 24);
  const engine = await MarginEngine.fromVenue(venue);
  const entry = engine.liquidate().queue[0];
  assert.equal(entry.orders.map((o) => [o.instrument, o.qty, o.price]), [["A-PERP", "-24", "90.80255382"]]);
  assert.is(entry.priceImpact, "220.738709");
  assert.is(engine.account("acc").status, "restricted");
  assert.equal(twinOrders(await MarginEngine.fromVenue(venue)), [["A-PERP", -24n]]);
});

test("random falling tier rates against depth: the lots closed are the fewest that restore", async () => {
  const rng = xoroshiro128plus(20261203);
  const int = (low, high) => uniformInt(rng, low, high);
  let partial = 0;
  for (let n = 0; n < 60; n++) {
    // a high rate up to a bound inside the position, a low one past it: MM' concave in the lots closed
    const lots = int(20, 60), bound = int(3, 15) * 100;
    const tiers = [
      { upTo: String(bound), imf: "0.5", mmf: String(int(100, 250) / 1000) },
      { upTo: "100000000", imf: "0.5", mmf: String(int(5, 30) / 1000) },
    ];
    const buffer = int(0, 50) / 1000, fee = int(2, 10) / 1000;
    // a depth of at least the whole position's notional, so that every lot may go
    const depth = lots * 100 * int(2, 10), slippage = int(50, 300) / 1000;
    const venue = {
      now: NOW, params: { liquidationBuffer: String(buffer), liquidationFee: String(fee) },
      underlyings: [{ id: "X", spot: "100", vol: "0.5" }],
      instruments: [{ id: "X-PERP", kind: "perp", underlying: "X", lotSize: "1", mark: "100", tiers, liquidity: { notional: String(depth), slippage: String(slippage) } }],
      accounts: [{ id: "acc", collateral: { USD: "0" }, positions: [{ instrument: "X-PERP", qty: String(lots), entry: "100" }] }],
    };
    // equity just under MM, so that the account is liquidatable and solvent
    const mm = (await MarginEngine.fromVenue(venue)).accountRaw("acc").maintenanceMargin;
    venue.accounts[0].collateral.USD = String(Number(mm - 1n - BigInt(int(0, Number(mm / 50n)))) / 1e6);
    const engine = await MarginEngine.fromVenue(venue);
    if (engine.account("acc").status !== "liquidatable") continue;
    const expected = await fewestByTrial(
      venue, "X-PERP", lots, 100_000_000n, parseDecimal(String(buffer), 9), parseDecimal(String(fee), 9),
      BigInt(depth) * 1_000_000n, parseDecimal(String(slippage), 9),
    );
    const closed = engine.liquidate().queue[0].orders.map((o) => -Number(o.qty));
    assert.equal(closed, [expected ?? lots], `venue ${n}: ${JSON.stringify(tiers)}, ${lots} lots`);
    if (expected !== null && expected < lots) partial++;
  }
  assert.ok(partial >= 10, `${partial} partial closes`);
});

test("a trade of zero notional uses up a cap's one-lot exception: the next lot past the cap waits", async () => {
  for (const [cap, twinCap] of [["maxLiquidationNotionalPerPass", "pass"], ["maxLiquidationNotionalPerAccount", "account"]]) {
    const venue = {
      now: NOW, params: { [cap]: "20", maxMarkDeviation: "0" }, insuranceFund: "1000",
      underlyings: [{ id: "BTC", spot: "50000", vol: "0.5" }],
      instruments: [
        { id: "BTC-PERP", kind: "perp", underlying: "BTC", lotSize: "0.001", mark: "50000", tiers: [{ upTo: "10000000", imf: "0.1", mmf: "0.05" }] },
        { id: "FAR-C", kind: "option", underlying: "BTC", right: "call", strike: "500000", expiry: "2026-12-24T00:00:00Z", lotSize: "0.01", mark: "0" },
      ],
      // bankrupt, so closed out: the worthless short call first (the larger standalone MM), at notional 0,
      // then a 50 USD lot of the perpetual, past a cap of 20 that the first trade has touched
      accounts: [{ id: "x", collateral: { USD: "-100" }, positions: [{ instrument: "FAR-C", qty: "-1", entry: "0" }, { instrument: "BTC-PERP", qty: "0.002", entry: "50000" }] }],
    };
    const engine = await MarginEngine.fromVenue(venue);
    const entry = engine.liquidate().queue[0];
    assert.equal(entry.orders.map((o) => [o.instrument, o.qty]), [["FAR-C", "1"]], twinCap);
    assert.is(entry.notional, "0", twinCap);
    assert.ok(entry.cutShort, twinCap);
    assert.equal(twinOrders(await MarginEngine.fromVenue(venue)), [["FAR-C", 100n]], twinCap);
  }
});

test.run();
