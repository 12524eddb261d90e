// snapshot() → restore() → snapshot() reproduces the bytes, and the restored engine computes
// the same risk; toVenue() round-trips through fromVenue().
import { test } from "uvu";
import * as assert from "uvu/assert";
import { readFileSync } from "node:fs";
import { MarginEngine } from "../build/index.js";

const VENUE = readFileSync(new URL("../examples/venue.json", import.meta.url), "utf8");
const T1 = Date.parse("2026-11-24T00:00:05Z");

test("snapshot → restore → snapshot is byte-identical", async () => {
  const engine = await MarginEngine.fromVenue(VENUE);
  const bytes = engine.snapshot();
  const restored = await MarginEngine.restore(bytes);
  assert.equal(restored.snapshot(), bytes);
  assert.equal(restored.accounts(), engine.accounts());
  assert.equal(restored.totals(), engine.totals());
});

test("after incremental changes the snapshot still round-trips", async () => {
  const engine = await MarginEngine.fromVenue(VENUE);
  engine.upsertAccount({ id: "dave", mode: "portfolio" });
  engine.upsertAccount({ id: "erin", parent: "bob" });
  engine.setCollateral("dave", "USD", "2500.5");
  engine.setCollateral("dave", "BTC", "-0.01");
  engine.setPosition("dave", "BTC-20261225", "0.25", "64000");
  engine.setPosition("dave", "BTC-PERP", "-0.3", "65500");
  engine.setPosition("bob", "BTC-20261225-70000-C", "-0.5", "1200"); // grows bob's book past its loaded size
  engine.setPosition("alice", "BTC-PERP", "0", "1");                 // closes a position
  engine.setPrice("BTC", "63000", T1, "feedA");
  engine.setPrice("BTC-PERP", "62950", T1);
  const bytes = engine.snapshot();
  const restored = await MarginEngine.restore(bytes);
  assert.equal(restored.snapshot(), bytes);
  assert.equal(restored.accounts(), engine.accounts());
  assert.is(restored.account("erin").parent, "bob");
  assert.equal(engine.account("bob").subAccounts, ["erin"]);
});

test("a restored engine refuses the prices the original refuses: largest holdings of closed positions, and the same instrument named", async () => {
  const venue = {
    now: "2026-11-24T00:00:00Z",
    underlyings: [{ id: "X", spot: "100", vol: "0.5" }],
    instruments: ["XQ", "XP"].map((id) => ({ id, kind: "perp", underlying: "X", lotSize: "1", mark: "100", tiers: [{ upTo: "10000000000", imf: "0.1", mmf: "0.05" }] })),
    accounts: [{ id: "w", collateral: { USD: "10000000000" } }, { id: "v", collateral: { USD: "10000000000" } }],
  };
  const refusal = (engine) => {
    try {
      engine.setPrice("X", "200", Date.parse(venue.now) + 1000);
      return "accepted";
    } catch (error) {
      return error.message;
    }
  };
  // 9 × 10^7 lots held then closed: at 200 that holding would pass the 10^10 notional limit
  const closed = await MarginEngine.fromVenue(venue);
  closed.setPosition("w", "XP", "90000000", "100");
  closed.setPosition("w", "XP", "0", "100");
  const closedCopy = await MarginEngine.restore(closed.snapshot());
  assert.is(refusal(closedCopy), refusal(closed));
  assert.match(refusal(closed), /OUT_OF_RANGE at price: an open position in "XP"/);
  // two holdings past the limit, opened in the other order than the instruments are listed
  const both = await MarginEngine.fromVenue(venue);
  both.setPosition("v", "XP", "90000000", "100");
  both.setPosition("w", "XQ", "90000000", "100");
  const bothCopy = await MarginEngine.restore(both.snapshot());
  assert.is(refusal(bothCopy), refusal(both));
  assert.equal(bothCopy.snapshot(), both.snapshot());
});

test("toVenue → fromVenue reproduces the state", async () => {
  const engine = await MarginEngine.fromVenue(VENUE);
  engine.setPosition("carol", "BTC-PERP", "1.5", "64000");
  const again = await MarginEngine.fromVenue(JSON.stringify(engine.toVenue()));
  assert.equal(again.snapshot(), engine.snapshot());
  assert.equal(again.accounts(), engine.accounts());
});

test("toVenue after prints past maxClockSkew, and after a stale underlying's row is replaced, loads back with the same clock, indexes and results", async () => {
  const NOW = Date.parse("2026-11-24T00:00:00Z");
  const same = async (engine, label) => {
    const copy = await MarginEngine.fromVenue(JSON.stringify(engine.toVenue()));
    assert.is(copy.clock(), engine.clock(), `${label}: clock`);
    assert.is(copy.underlyingIndex("BTC"), engine.underlyingIndex("BTC"), `${label}: index`);
    assert.equal(copy.staleUnderlyings(), engine.staleUnderlyings(), `${label}: stale`);
    assert.equal(copy.totals(), engine.totals(), `${label}: totals`);
    assert.equal(copy.toVenue(), engine.toVenue(), `${label}: venue`);
  };
  // a print every 12 hours on both feeds, for a day and a half
  const printed = await MarginEngine.fromVenue(VENUE);
  for (let h = 12; h <= 36; h += 12) {
    printed.setPrice("BTC", "65010", NOW + h * 3_600_000, "feedA");
    printed.setPrice("BTC", "64995", NOW + h * 3_600_000, "feedB");
  }
  assert.is(printed.toVenue().clock, "2026-11-25T12:00:00Z");
  await same(printed, "after prints");
  // feeds that disagree leave BTC stale; its row replaced at the later clock keeps its spot as index
  const stale = await MarginEngine.fromVenue(VENUE);
  stale.setPrice("BTC", "60000", NOW + 30_000, "feedB");
  stale.upsertUnderlying({ id: "BTC", spot: "65000", vol: "0.55", rate: "0",
    sources: [{ id: "feedA", price: "65010", time: "2026-11-23T23:59:58Z" }, { id: "feedB", price: "60000", time: "2026-11-24T00:00:30Z" }] });
  stale.upsertAccount({ id: "z" });
  // worth just under the 10^11 collateral bound at 65,000: at 65,010 it would pass it
  stale.setCollateral("z", "BTC", "1538461.53846153");
  assert.equal([stale.underlyingIndex("BTC"), stale.staleUnderlyings()], [6_500_000_000_000n, ["BTC"]]);
  await same(stale, "stale underlying");
  // feeds that age out leave BTC stale at their last median, 65,002.5, not at its spot of 70,000
  const aged = await MarginEngine.fromVenue(VENUE);
  aged.upsertUnderlying({ id: "BTC", spot: "70000", vol: "0.55", rate: "0", sources: [
    { id: "feedA", price: "65010", time: "2026-11-23T23:59:58Z" }, { id: "feedB", price: "64995", time: "2026-11-23T23:59:59Z" }] });
  aged.settleExpired(NOW + 120_000);
  aged.upsertAccount({ id: "z" });
  aged.setCollateral("z", "BTC", "1538402.36913964");
  assert.equal([aged.underlyingIndex("BTC"), aged.staleUnderlyings()], [6_500_250_000_000n, ["BTC"]]);
  await same(aged, "aged out");
  const venue = JSON.parse(VENUE);
  for (const clock of ["2026-11-23T23:59:59Z", "not a time"]) {
    try {
      await MarginEngine.fromVenue({ ...venue, clock });
      assert.unreachable(`clock ${clock} accepted`);
    } catch (error) {
      assert.is(error.field, "clock", error.message);
    }
  }
});

test("a position's qty and entry come back exactly", async () => {
  const engine = await MarginEngine.fromVenue(VENUE);
  const alice = engine.toVenue().accounts.find((a) => a.id === "alice");
  assert.equal(alice.positions, [
    { instrument: "BTC-PERP", qty: "-0.5", entry: "64000" },
    { instrument: "BTC-20261225-70000-C", qty: "2", entry: "1100" },
  ]);
  assert.equal(alice.collateral, { USD: "10000", BTC: "0.5" });
});

test.run();
