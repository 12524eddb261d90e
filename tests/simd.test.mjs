// The SIMD and scalar builds of the module compute identical results: every account's risk,
// buckets and greeks, and the venue totals, on random venues rich in portfolio accounts.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { statSync } from "node:fs";
import { MarginEngine, generateVenue } from "../build/index.js";
import { randomVenue } from "./reference/random-venue.mjs";

async function both(venue) {
  const simd = await MarginEngine.fromVenue(venue, { simd: true });
  const scalar = await MarginEngine.fromVenue(venue, { simd: false });
  assert.ok(simd.stats().simd && !scalar.stats().simd, "one engine of each build");
  return [simd, scalar];
}

test("stats() gives the size of the build the engine runs, each module as compiled", async () => {
  const [simd, scalar] = await both({ now: "2026-11-24T00:00:00Z" });
  assert.is(simd.stats().wasmBytes, statSync(new URL("../build/margin-core.wasm", import.meta.url)).size);
  assert.is(scalar.stats().wasmBytes, statSync(new URL("../build/margin-core.scalar.wasm", import.meta.url)).size);
});

test("random edge-case venues: SIMD = scalar", async () => {
  for (let seed = 101; seed <= 120; seed++) {
    const venue = randomVenue(seed, { accounts: 150 });
    const [simd, scalar] = await both(venue);
    assert.is(JSON.stringify(simd.accounts()), JSON.stringify(scalar.accounts()), `seed ${seed}`);
    assert.equal(simd.totals(), scalar.totals(), `seed ${seed} totals`);
    for (const a of venue.accounts.filter((x) => x.mode === "portfolio")) {
      assert.equal(simd.accountBuckets(a.id), scalar.accountBuckets(a.id), `seed ${seed} ${a.id} buckets`);
    }
  }
});

test("a generated venue: SIMD = scalar after a full recompute", async () => {
  const { venue, columns } = generateVenue({ accounts: 5000, seed: 3 });
  const engines = await Promise.all([true, false].map((simd) => MarginEngine.fromVenue({ ...venue, accounts: [] }, { simd })));
  for (const engine of engines) {
    engine.loadColumns(columns);
    engine.recompute();
  }
  assert.equal(engines[0].totals(), engines[1].totals());
  assert.ok(engines[0].totals().statusCounts.liquidatable > 0);
});

test.run();
