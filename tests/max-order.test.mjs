// engine.maxOrder: the largest whole-lot order checkOrder accepts. Small venues (big lots, so the
// notional limit allows only hundreds of lots) are searched exhaustively, lot by lot, with
// checkOrderRaw, and the answer must be exactly the brute force's for every account, instrument,
// side and price tried: standard and portfolio books, shorts that flip, stale oracles, bankrupt
// accounts, tiered linear instruments, prices better and worse than the mark.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { readFileSync } from "node:fs";
import { xoroshiro128plus } from "pure-rand/generator/xoroshiro128plus";
import { uniformInt } from "pure-rand/distribution/uniformInt";
import { MarginEngine, MarginError } from "../build/index.js";
import { expectMarginError } from "./helpers/margin-error.mjs";
import { formatDecimal, parseDecimal } from "./reference/decimal.mjs";

const VENUES = Number(process.env.MAX_ORDER_VENUES ?? 6);
const price = (text) => parseDecimal(text, 8);

/** A venue whose lots are large enough that every position is limited to a few hundred lots. */
function smallVenue(seed) {
  const rng = xoroshiro128plus(seed);
  const int = (lo, hi) => uniformInt(rng, lo, hi);
  const pick = (list) => list[int(0, list.length - 1)];
  const spot = 50_000 + int(0, 30_000);
  const stale = int(0, 3) === 0;
  const tiers = () => {
    const rows = [], n = int(1, 3);
    let upTo = 0, imf = int(10, 300);
    for (let k = 0; k < n; k++) {
      upTo += int(5, 60) * 1_000_000;
      rows.push({ upTo: String(upTo), imf: formatDecimal(BigInt(imf), 3), mmf: formatDecimal(BigInt(Math.ceil(imf / 2)), 3) });
      imf = Math.min(1000, Math.max(1, imf + int(-150, 150))); // rates may fall from one tier to the next
    }
    return rows;
  };
  const instruments = [
    { id: "PERP", kind: "perp", underlying: "BTC", lotSize: String(pick([50, 100, 250])), mark: String(spot + int(-300, 300)), tiers: tiers() },
    { id: "FUT", kind: "future", underlying: "BTC", expiry: "2026-12-25T08:00:00Z", lotSize: String(pick([100, 200])), mark: String(spot + int(0, 900)), tiers: tiers() },
    { id: "CALL", kind: "option", underlying: "BTC", right: "call", strike: String(spot + int(-5000, 15000)), expiry: "2026-12-25T08:00:00Z", lotSize: String(pick([40, 100])), mark: String(int(500, 6000)), iv: "0.6" },
    { id: "PUT", kind: "option", underlying: "BTC", right: "put", strike: String(spot - int(-5000, 15000)), expiry: "2027-01-29T08:00:00Z", lotSize: String(pick([40, 100])), mark: String(int(300, 5000)), iv: "0.65" },
  ];
  const accounts = Array.from({ length: 6 }, (_, k) => {
    const positions = [];
    for (const row of instruments) {
      if (int(0, 2) === 0) continue;
      positions.push({ instrument: row.id, qty: String(int(-12, 12) * Number(row.lotSize) || Number(row.lotSize)), entry: String(Number(row.mark) + int(-200, 200)) });
    }
    const usd = k === 5 ? -int(1, 50) * 1_000_000 : int(0, 400) * 100_000; // the last one is (nearly always) bankrupt
    return { id: `acc${k}`, mode: k % 2 ? "portfolio" : "standard", collateral: { USD: String(usd), BTC: String(int(0, 20)) }, positions };
  });
  const sourceTime = stale ? "2026-11-20T00:00:00Z" : "2026-11-23T23:59:59Z";
  return {
    now: "2026-11-24T00:00:00Z",
    settlement: "USD",
    params: { takerFee: formatDecimal(BigInt(int(0, 5)), 4) },
    assets: [{ id: "USD", price: "1", haircut: "0" }, { id: "BTC", price: String(spot), haircut: "0.1", underlying: "BTC" }],
    underlyings: [{ id: "BTC", spot: String(spot), vol: "0.6", rate: "0", sources: [{ id: "feed", price: String(spot), time: sourceTime }] }],
    instruments,
    accounts,
  };
}

/** The largest lots in (0, the first quantity the check refuses to judge) that the check accepts, or 0. */
function bruteForce(engine, a, i, sign, raw) {
  let best = 0;
  for (let lots = 1; ; lots++) {
    let check;
    try {
      check = engine.checkOrderRaw(a, i, sign * lots, raw);
    } catch (error) {
      if (!(error instanceof MarginError) || error.code !== "OUT_OF_RANGE") throw error;
      return best;
    }
    if (check.accepted) best = lots;
  }
}

test("maxOrder equals an exhaustive lot-by-lot search on small venues", async () => {
  let cases = 0, positive = 0, beyondFirstRun = 0, rejectedAll = 0;
  for (let seed = 1; seed <= VENUES; seed++) {
    const venue = smallVenue(seed);
    const engine = await MarginEngine.fromVenue(venue);
    venue.accounts.forEach((account, a) => {
      venue.instruments.forEach((row, i) => {
        const lotSize = price(row.lotSize);
        for (const side of ["buy", "sell"]) {
          for (const factor of [80n, 100n, 103n, 125n]) { // prices better and worse than the mark
            const raw = (price(row.mark) * factor) / 100n;
            const expected = bruteForce(engine, a, i, side === "buy" ? 1 : -1, raw);
            const answer = engine.maxOrder(account.id, row.id, side, formatDecimal(raw, 8));
            assert.is(answer, formatDecimal(BigInt(expected) * lotSize, 8), `seed ${seed} ${account.id} ${row.id} ${side} @ ${formatDecimal(raw, 8)}`);
            cases++;
            if (expected > 0) positive++;
            else rejectedAll++;
            // an answer past the first refusal: the accepted quantities were not one run from 1
            if (expected > 1 && !engine.checkOrderRaw(a, i, side === "buy" ? 1 : -1, raw).accepted) beyondFirstRun++;
          }
        }
      });
    });
  }
  // the cases are varied: most have an answer, some have none
  assert.ok(cases >= VENUES * 6 * 4 * 8, `${cases} cases`);
  assert.ok(positive > cases / 3 && rejectedAll > 10, `${positive} with an answer, ${rejectedAll} without`);
  console.log(`  maxOrder: ${cases} cases, ${positive} with an answer, ${beyondFirstRun} whose one lot is refused`);
});

test("tier rates that fall and rise again: the answer in an early tier is found past a later one", async () => {
  // buying at 60,000 against a 65,000 mark gains 5,000 a lot; IM per lot is 650 in the 0.01 tiers
  // and 32,500 in the 0.5 tier, so the slack rises, falls below zero, and rises again (not enough)
  const venue = {
    now: "2026-11-24T00:00:00Z",
    underlyings: [{ id: "BTC", spot: "65000", vol: "0.5" }],
    instruments: [{ id: "PERP", kind: "perp", underlying: "BTC", lotSize: "1", mark: "65000", tiers: [
      { upTo: "650000", imf: "0.01", mmf: "0.005" }, { upTo: "1300000", imf: "0.5", mmf: "0.25" }, { upTo: "3250000", imf: "0.01", mmf: "0.005" }] }],
    accounts: [{ id: "a", collateral: { USD: "1000" } }],
  };
  const engine = await MarginEngine.fromVenue(venue);
  const expected = bruteForce(engine, 0, 0, 1, price("60000"));
  assert.is(expected, 11);
  assert.is(engine.maxOrder("a", "PERP", "buy", "60000"), "11");
});

test("maxOrder as the first call, on a restored copy and right after a print: the last tier is judged at the current mark", async () => {
  // 15.384 BTC at 65,000 is the last lot within the 1,000,000 tier; at 50,000, 20 BTC is
  const venue = {
    now: "2026-11-24T00:00:00Z",
    underlyings: [{ id: "BTC", spot: "65000", vol: "0.55" }],
    instruments: [{ id: "BTC-PERP", kind: "perp", underlying: "BTC", lotSize: "0.001", mark: "65000",
      tiers: [{ upTo: "100000", imf: "0.02", mmf: "0.01" }, { upTo: "1000000", imf: "0.05", mmf: "0.025" }] }],
    accounts: [
      { id: "rich", collateral: { USD: "10000000" } },
      { id: "other", collateral: { USD: "1000" }, positions: [{ instrument: "BTC-PERP", qty: "0.01", entry: "65000" }] },
    ],
  };
  const fresh = await MarginEngine.fromVenue(venue);
  assert.is(fresh.maxOrder("rich", "BTC-PERP", "buy", "65000"), "15.384", "before anything else was read");
  assert.is(fresh.checkOrder({ account: "rich", instrument: "BTC-PERP", qty: "15.385", price: "65000" }).reason, "OVER_TIER_LIMIT");
  const restored = await MarginEngine.restore(fresh.snapshot());
  assert.is(restored.maxOrder("rich", "BTC-PERP", "buy", "65000"), "15.384", "on a restored copy");
  const time = Date.parse(venue.now) + 1000;
  fresh.setPrice("BTC-PERP", "50000", time);
  fresh.setPrice("BTC", "50000", time);
  assert.is(fresh.maxOrder("rich", "BTC-PERP", "buy", "50000"), "20", "right after the print");
});

test("maxOrder on the example venue: the answer passes and one lot more does not", async () => {
  const engine = await MarginEngine.fromVenue(readFileSync(new URL("../examples/venue.json", import.meta.url), "utf8"));
  const bob = engine.maxOrder("bob", "BTC-PERP", "buy", "65010");
  assert.is(bob, "0.032");
  const ok = engine.checkOrder({ account: "bob", instrument: "BTC-PERP", qty: bob, price: "65010" });
  const over = engine.checkOrder({ account: "bob", instrument: "BTC-PERP", qty: "0.033", price: "65010" });
  assert.ok(ok.accepted);
  assert.is(over.reason, "INSUFFICIENT_MARGIN");
  // selling first closes bob's 0.2 long (risk-reducing), then opens a short
  const sell = engine.maxOrder("bob", "BTC-PERP", "sell", "65010");
  assert.ok(parseDecimal(sell, 8) > parseDecimal("0.2", 8), sell);
  assert.ok(engine.checkOrder({ account: "bob", instrument: "BTC-PERP", qty: `-${sell}`, price: "65010" }).accepted);
  assert.not.ok(engine.checkOrder({ account: "bob", instrument: "BTC-PERP", qty: `-${formatDecimal(parseDecimal(sell, 8) + parseDecimal("0.001", 8), 8)}`, price: "65010" }).accepted);
});

test("an option bought above its mark leaves IM as it was, but its premium may not bankrupt the account", async () => {
  const engine = await MarginEngine.fromVenue(readFileSync(new URL("../examples/venue.json", import.meta.url), "utf8"));
  const call = "BTC-20261225-70000-C"; // mark 1234.5, lots of 0.1; bob's equity is 302, his IM 260.04
  const order = (qty, price) => engine.checkOrder({ account: "bob", instrument: call, qty, price });
  // q lots at 2000 leave 302 − q × 0.1 × (2000 − 1234.5) = 302 − 76.55 q: three lots, not four
  assert.equal(order("0.3", "2000"), { accepted: true, reason: null, initialMarginBefore: "260.04", initialMarginAfter: "260.04", equityAfter: "72.35" });
  const four = order("0.4", "2000");
  assert.is(four.reason, "ACCOUNT_BANKRUPT");
  assert.is(four.equityAfter, "-4.2");
  assert.is(engine.maxOrder("bob", call, "buy", "2000"), "0.3");
  const bob = engine.accounts().findIndex((a) => a.id === "bob");
  assert.is(bruteForce(engine, bob, engine.instrumentIndex(call), 1, price("2000")), 3);
  // ten billion for one lot: refused, where IM alone would have let it through
  assert.is(order("0.1", "10000000000").reason, "ACCOUNT_BANKRUPT");
  assert.is(engine.maxOrder("bob", call, "buy", "10000000000"), "0");
});

test("the notional limit counts a held entry, and the last tier bounds a hedge too: checkOrder and maxOrder agree", async () => {
  const tiers = [{ upTo: "10000", imf: "0.1", mmf: "0.05" }];
  const engine = await MarginEngine.fromVenue({
    now: "2026-11-24T00:00:00Z",
    underlyings: [{ id: "X", spot: "50000", vol: "0.5" }, { id: "Y", spot: "100", vol: "0.5" }],
    instruments: [
      { id: "X-PERP", kind: "perp", underlying: "X", lotSize: "1", mark: "50000", tiers: [{ upTo: "10000000000", imf: "0", mmf: "0" }] },
      { id: "Y-PERP", kind: "perp", underlying: "Y", lotSize: "1", mark: "100", tiers },
      { id: "Y-FUT", kind: "future", underlying: "Y", expiry: "2027-03-26T08:00:00Z", lotSize: "1", mark: "100", tiers: [{ upTo: "10000000", imf: "0.1", mmf: "0.05" }] },
    ],
    accounts: [
      // long 1 X at an entry of 100,000: 1e10 / 100,000 = 100,000 lots at most, so 99,999 more
      { id: "held", collateral: { USD: "1000000" }, positions: [{ instrument: "X-PERP", qty: "1", entry: "100000" }] },
      // short 1,000 Y futures: buying Y-PERP hedges them, but its last tier (10,000 USD) is 100 lots
      { id: "hedge", mode: "portfolio", collateral: { USD: "1000000" }, positions: [{ instrument: "Y-FUT", qty: "-1000", entry: "100" }] },
    ],
  });
  assert.is(engine.maxOrder("held", "X-PERP", "buy", "50000"), "99999");
  assert.is(engine.checkOrder({ account: "held", instrument: "X-PERP", qty: "99999", price: "50000" }).accepted, true);
  expectMarginError(() => engine.checkOrder({ account: "held", instrument: "X-PERP", qty: "100000", price: "50000" }), { code: "OUT_OF_RANGE", field: "order.qty" });
  assert.is(engine.maxOrder("hedge", "Y-PERP", "buy", "100"), "100");
  assert.is(engine.checkOrder({ account: "hedge", instrument: "Y-PERP", qty: "100", price: "100" }).accepted, true);
  assert.is(engine.checkOrder({ account: "hedge", instrument: "Y-PERP", qty: "500", price: "100" }).reason, "OVER_TIER_LIMIT");
});

test("lots worth a fraction of a µ-unit: a run of accepted sales from the first lot is found though the slack is ragged", async () => {
  const engine = await MarginEngine.fromVenue({
    now: "2026-11-24T00:00:00Z",
    underlyings: [{ id: "U", spot: "255", vol: "0.5" }],
    instruments: [{ id: "C", kind: "option", underlying: "U", right: "call", strike: "255", expiry: "2027-01-01T00:00:00Z", lotSize: "0.00001", mark: "0.63495" }],
    accounts: [{ id: "a", mode: "portfolio", collateral: { USD: "0.00102" } }],
  });
  const price = "44.46650062", sale = (lots) => engine.checkOrder({ account: "a", instrument: "C", qty: (-lots / 1e5).toFixed(5), price }).accepted;
  let last = 0;
  for (let lots = 1; lots <= 3000; lots++) if (sale(lots)) last = lots;
  assert.is(last, 2346);
  assert.ok(sale(1) && sale(1200) && !sale(2347));
  assert.is(engine.maxOrder("a", "C", "sell", price), "0.02346");
});

test("maxOrder rejects bad arguments with one MarginError and changes nothing", async () => {
  const engine = await MarginEngine.fromVenue(readFileSync(new URL("../examples/venue.json", import.meta.url), "utf8"));
  const before = engine.snapshot();
  expectMarginError(() => engine.maxOrder("nobody", "BTC-PERP", "buy", "65000"), { code: "UNKNOWN_ID", field: "order.account" });
  expectMarginError(() => engine.maxOrder("bob", "NOPE", "buy", "65000"), { code: "UNKNOWN_ID", field: "order.instrument" });
  expectMarginError(() => engine.maxOrder("bob", "BTC-PERP", "long", "65000"), { code: "MALFORMED", field: "order.side" });
  expectMarginError(() => engine.maxOrder("bob", "BTC-PERP", "buy", "-1"), { code: "OUT_OF_RANGE", field: "order.price" });
  engine.maxOrder("alice", "BTC-20261225-70000-C", "sell", "1234.5");
  assert.equal(engine.snapshot(), before);
});

test.run();
