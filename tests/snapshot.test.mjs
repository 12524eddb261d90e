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

test("toVenue → fromVenue reproduces the state", async () => {
  const engine = await MarginEngine.fromVenue(VENUE);
  engine.setPosition("carol", "BTC-PERP", "1.5", "64000");
  const again = await MarginEngine.fromVenue(JSON.stringify(engine.toVenue()));
  assert.equal(again.snapshot(), engine.snapshot());
  assert.equal(again.accounts(), engine.accounts());
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
