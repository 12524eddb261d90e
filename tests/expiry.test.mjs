// Expiry (docs/methodology.md §13): once the oracle clock reaches an expiry the contract no longer
// trades and is valued at the index (an option at its payoff); settleExpired closes it into the
// settlement balance by exactly its equity term. Expected cash is computed here with BigInt from
// the venue's own numbers, independently of the engine.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { readFileSync } from "node:fs";
import { MarginEngine } from "../build/index.js";
import { expectMarginError } from "./helpers/margin-error.mjs";

const NOW = Date.parse("2026-11-24T00:00:00Z");
const EXPIRY = "2026-11-26T00:00:00Z";
const SECOND = 1000, HOUR = 3600 * SECOND;

/** The example venue with its option (now struck at 60,000, in the money) and future expiring two days after now, and a put. */
function venue() {
  const v = JSON.parse(readFileSync(new URL("../examples/venue.json", import.meta.url), "utf8"));
  v.instruments[1] = { ...v.instruments[1], id: "BTC-C60000", strike: "60000", mark: "5050", expiry: EXPIRY };
  v.instruments[2] = { ...v.instruments[2], expiry: EXPIRY };
  v.instruments.push({ id: "BTC-P70000", kind: "option", underlying: "BTC", right: "put", strike: "70000", expiry: EXPIRY, lotSize: "0.1", mark: "5020" });
  v.accounts[0].positions[1].instrument = "BTC-C60000";
  v.accounts[2].positions[0].instrument = "BTC-C60000";
  v.accounts[1].positions.push({ instrument: "BTC-P70000", qty: "-0.3", entry: "5000" });
  v.accounts.push({ id: "dan", collateral: { BTC: "1" }, positions: [{ instrument: "BTC-P70000", qty: "0.7", entry: "4990" }] });
  return v;
}

const floorDiv = (n, d) => (n >= 0n ? n / d : -((-n + d - 1n) / d));
const raw = (text) => {
  const [whole, fraction = ""] = text.replace("-", "").split(".");
  const value = BigInt(whole + fraction.padEnd(8, "0"));
  return text.startsWith("-") ? -value : value;
};

/** Cash (money, 1e6) each position of `v` settles to at index `index` (raw 1e8). */
function expectedCash(v, index) {
  const cash = new Map();
  for (const account of v.accounts) {
    for (const p of account.positions) {
      const row = v.instruments.find((i) => i.id === p.instrument);
      if (row.kind === "perp") continue;
      const qty = raw(p.qty);
      const value = row.kind === "future"
        ? floorDiv(qty * (index - raw(p.entry)), 10n ** 10n)
        : floorDiv(qty * (row.right === "call" ? (index > raw(row.strike) ? index - raw(row.strike) : 0n) : (raw(row.strike) > index ? raw(row.strike) - index : 0n)), 10n ** 10n);
      cash.set(account.id, (cash.get(account.id) ?? 0n) + value);
    }
  }
  return cash;
}

/** Ticks both feeds past the expiry: BTC's index ends at 64,000. */
function pastExpiry(engine) {
  for (const [t, price] of [[20 * HOUR, "64500"], [40 * HOUR, "64200"], [48 * HOUR, "64000"]]) {
    engine.setPrice("BTC", price, NOW + t, "feedA");
    engine.setPrice("BTC", price, NOW + t, "feedB");
  }
}

test("before its expiry an option is valued by Black-76; from it on, at its payoff, and a future at the index", async () => {
  const engine = await MarginEngine.fromVenue(venue());
  assert.ok(engine.optionModelValue("BTC-C60000") > 502_300_000_000n, "time value before expiry");
  const putBefore = engine.optionModelValue("BTC-P70000");
  pastExpiry(engine);
  assert.is(engine.underlyingIndex("BTC"), 6_400_000_000_000n);
  assert.is(engine.optionModelValue("BTC-C60000"), 400_000_000_000n);
  assert.is(engine.optionModelValue("BTC-P70000"), 600_000_000_000n);
  assert.ok(putBefore > 500_000_000_000n && putBefore !== 499_750_000_000n, "the put had time value");
  assert.equal(engine.lotGreeks("BTC-C60000"), { delta: 100_000_000n, gamma: 0n, vega: 0n, theta: 0n });
  // bob: 500 USD, 0.2 perp, short 0.3 put: equity = 500 + perp PnL + (−0.3 × 6,000)
  const bob = engine.accountRaw("bob");
  // the perp's 65,010 mark is within 5 % of 64,000, so it stands: 0.2 × (65,010 − 66,000) = −198
  const perp = floorDiv(20_000_000n * (6_501_000_000_000n - 6_600_000_000_000n), 10n ** 10n);
  assert.is(bob.equity, 500_000_000n + perp - 1_800_000_000n);
});

test("expired contracts no longer trade: orders are refused and positions can only shrink", async () => {
  const engine = await MarginEngine.fromVenue(venue());
  const order = { account: "bob", instrument: "BTC-C60000", qty: "0.1", price: "5000" };
  assert.is.not(engine.checkOrder(order).reason, "EXPIRED");
  pastExpiry(engine);
  for (const [instrument, qty] of [["BTC-C60000", "0.1"], ["BTC-C60000", "-0.1"], ["BTC-20261225", "0.001"], ["BTC-P70000", "0.1"]]) {
    const check = engine.checkOrder({ ...order, instrument, qty });
    assert.equal([check.accepted, check.reason], [false, "EXPIRED"], `${instrument} ${qty}`);
  }
  assert.is.not(engine.checkOrder({ ...order, instrument: "BTC-PERP", qty: "0.001", price: "64000" }).reason, "EXPIRED");
  const before = engine.snapshot();
  await expectMarginError(() => engine.setPosition("bob", "BTC-C60000", "0.1", "5000"), { code: "EXPIRED", field: "qty" });
  await expectMarginError(() => engine.setPosition("alice", "BTC-C60000", "3", "5000"), { code: "EXPIRED", field: "qty" });
  // the expiry is after the venue's now but not after the oracle clock, which the refusal names
  const late = await expectMarginError(() => engine.upsertInstrument({ ...venue().instruments[1], id: "BTC-C60000-NEW" }), { code: "EXPIRED", field: "instrument.expiry" });
  assert.is(late.detail, `${EXPIRY} is not after the oracle clock (${new Date(NOW + 48 * HOUR).toISOString().replace(".000Z", "Z")})`);
  // shrinking keeps the side: alice's long 2 cannot turn into a short, carol's short 1 into a long
  for (const [account, qty] of [["alice", "-2"], ["alice", "-0.1"], ["carol", "1"], ["carol", "0.1"]]) {
    await expectMarginError(() => engine.setPosition(account, "BTC-C60000", qty, "4000"), { code: "EXPIRED", field: "qty" });
  }
  assert.equal(engine.snapshot(), before);
  engine.setPosition("alice", "BTC-C60000", "1", "1100");
  engine.setPosition("carol", "BTC-C60000", "-0.5", "1300");
  assert.equal(engine.toVenue().accounts.find((a) => a.id === "carol").positions.find((p) => p.instrument === "BTC-C60000"), { instrument: "BTC-C60000", qty: "-0.5", entry: "1300" });
});

test("settleExpired closes every expired position into the settlement balance: each account's equity is unchanged to the µ-unit", async () => {
  const v = venue();
  const engine = await MarginEngine.fromVenue(v);
  pastExpiry(engine);
  const ids = v.accounts.map((a) => a.id);
  const before = new Map(ids.map((id) => [id, engine.accountRaw(id).equity]));
  const totalBefore = engine.runningTotals().equity;
  const usdBefore = new Map(ids.map((id) => [id, engine.toVenue().accounts.find((a) => a.id === id).collateral.USD ?? "0"]));
  const report = engine.settleExpired(engine.clock());
  assert.equal(report.instruments.map((i) => i.id).sort(), ["BTC-20261225", "BTC-C60000", "BTC-P70000"]);
  assert.ok(report.instruments.every((i) => i.index === "64000"));
  assert.equal(report.deferred, []);
  const cash = expectedCash(v, 6_400_000_000_000n);
  for (const id of ids) {
    assert.is(engine.accountRaw(id).equity, before.get(id), `${id}'s equity`);
    const account = engine.toVenue().accounts.find((a) => a.id === id);
    assert.ok(account.positions.every((p) => p.instrument === "BTC-PERP"), `${id} holds no expired contract`);
    const usd = raw(account.collateral.USD ?? "0");
    assert.is(usd - raw(usdBefore.get(id)), (cash.get(id) ?? 0n) * 100n, `${id}'s settlement cash`);
    const paid = report.positions.filter((p) => p.account === id).reduce((sum, p) => sum + raw(p.amount) / 100n, 0n);
    assert.is(paid, cash.get(id) ?? 0n, `${id}'s reported cash`);
  }
  assert.is(engine.runningTotals().equity, totalBefore);
  assert.is(engine.totals().equity, (await MarginEngine.restore(engine.snapshot())).totals().equity);
  // nothing left to settle
  assert.equal(engine.settleExpired(engine.clock()), { instruments: [], positions: [], deferred: [] });
});

test("settleExpired moves the clock itself, and defers an underlying with no fresh price", async () => {
  const v = venue();
  const engine = await MarginEngine.fromVenue(v);
  // an hour later every feed is stale: nothing is settled at a price nobody saw
  const report = engine.settleExpired(NOW + 72 * HOUR);
  assert.is(engine.clock(), NOW + 72 * HOUR);
  assert.equal(engine.staleUnderlyings(), ["BTC"]);
  assert.equal(report.positions, []);
  assert.equal(report.deferred.sort(), ["BTC-20261225", "BTC-C60000", "BTC-P70000"]);
  assert.is(engine.checkOrder({ account: "bob", instrument: "BTC-C60000", qty: "0.1", price: "1" }).reason, "EXPIRED");
  // fresh prints from both feeds (one of two is no quorum), then settlement at them; the clock never goes back
  engine.setPrice("BTC", "63000", NOW + 72 * HOUR + SECOND, "feedA");
  assert.equal(engine.staleUnderlyings(), ["BTC"]);
  engine.setPrice("BTC", "63000", NOW + 72 * HOUR + SECOND, "feedB");
  const settled = engine.settleExpired(NOW);
  assert.is(engine.clock(), NOW + 72 * HOUR + SECOND);
  assert.is(settled.instruments.length, 3);
  assert.ok(settled.instruments.every((i) => i.index === "63000"));
  await expectMarginError(() => engine.settleExpired(Number.NaN), { code: "INVALID_NUMBER", field: "now" });
  await expectMarginError(() => engine.settleExpired(8.64e15), { code: "OUT_OF_RANGE", field: "now" });
});

test("a restored engine values and settles expired contracts as the original", async () => {
  const engine = await MarginEngine.fromVenue(venue());
  pastExpiry(engine);
  const restored = await MarginEngine.restore(engine.snapshot());
  assert.equal(restored.accounts(), engine.accounts());
  assert.equal(restored.settleExpired(engine.clock() + 1), engine.settleExpired(engine.clock() + 1));
  assert.equal(restored.snapshot(), engine.snapshot());
});

test.run();
