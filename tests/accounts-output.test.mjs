// accounts() formats results straight from the result columns (bindings/engine/present.ts, the
// number path of core/units.ts, greeks summed in doubles under an exactness bound): every field of
// every account is the twin's, on random venues that put lots, notionals and balances at their
// limits and on a venue whose greek sums pass 2^53; pages read back the whole; and
// `margin-core margin` streams exactly the document accounts() and totals() describe.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { MarginEngine, generateVenue } from "../build/index.js";
import { formatDecimal } from "./reference/decimal.mjs";
import { referenceGreeks } from "./reference/greeks.mjs";
import { referenceVenueRisk } from "./reference/standard-margin.mjs";
import { randomVenue } from "./reference/random-venue.mjs";
import { expectMarginError } from "./helpers/margin-error.mjs";
import { engineTables } from "./helpers/engine-tables.mjs";

const BIN = new URL("../bin/margin-core.js", import.meta.url).pathname;
const work = mkdtempSync(join(tmpdir(), "margin-core-accounts-"));


/** accounts() against the twin: money, ratio, status and greeks of every account. */
async function compareWithTwin(venue, label) {
  const engine = await MarginEngine.fromVenue(venue);
  const risk = referenceVenueRisk(venue, engineTables(engine));
  const greeks = referenceGreeks(venue, (id) => engine.lotGreeks(id));
  const got = engine.accounts();
  assert.is(got.length, risk.accounts.length, `${label}: account count`);
  got.forEach((account, a) => {
    const want = risk.accounts[a];
    const expected = {
      id: want.id,
      equity: formatDecimal(want.equity, 6), initialMargin: formatDecimal(want.initialMargin, 6),
      maintenanceMargin: formatDecimal(want.maintenanceMargin, 6), status: want.status,
      marginRatio: want.equity > 0n ? Number(want.maintenanceMargin) / Number(want.equity) : null,
      greeks: greeks.accounts[a].greeks,
    };
    const actual = {
      id: account.id, equity: account.equity, initialMargin: account.initialMargin, maintenanceMargin: account.maintenanceMargin,
      status: account.status, marginRatio: account.marginRatio, greeks: account.greeks,
    };
    if (JSON.stringify(actual) !== JSON.stringify(expected)) assert.unreachable(`${label} ${want.id}: ${JSON.stringify(actual)}\ntwin ${JSON.stringify(expected)}`);
  });
  return { engine, got };
}

test("every account of random edge-case venues, as the twin gives it", async () => {
  for (let seed = 1; seed <= 6; seed++) await compareWithTwin(randomVenue(1000 + seed, { accounts: 300 }), `seed ${seed}`);
});

test("greek sums past 2^53 come out exact (the BigInt path)", async () => {
  const venue = {
    now: "2026-11-24T00:00:00Z",
    underlyings: [{ id: "X", spot: "0.001", vol: "0.5" }, { id: "Y", spot: "100", vol: "0.8" }],
    instruments: [
      { id: "X-PERP", kind: "perp", underlying: "X", lotSize: "9999.99999999", mark: "0.001", tiers: [{ upTo: "10000000000", imf: "0.5", mmf: "0.25" }] },
      { id: "X-FUT", kind: "future", underlying: "X", lotSize: "9999.99999997", mark: "0.001", expiry: "2027-01-01T00:00:00Z", tiers: [{ upTo: "10000000000", imf: "0.5", mmf: "0.25" }] },
      { id: "Y-C", kind: "option", underlying: "Y", right: "call", strike: "100", expiry: "2027-06-01T00:00:00Z", lotSize: "0.01", mark: "10", iv: "0.8" },
    ],
    accounts: [
      { id: "huge", collateral: { USD: "1000000" }, positions: [
        { instrument: "X-PERP", qty: "8999999989991.00000001", entry: "0.001" },
        { instrument: "X-FUT", qty: "-8999999899973.0000003", entry: "0.001" },
        { instrument: "Y-C", qty: "0.07", entry: "10" },
      ] },
      { id: "small", collateral: { USD: "1000" }, positions: [{ instrument: "Y-C", qty: "-0.03", entry: "10" }] },
    ],
  };
  const { engine, got } = await compareWithTwin(venue, "past 2^53");
  // lots × per-lot delta is about 9e21 raw for each future: summed in doubles, the net is wrong
  const perLot = ["X-PERP", "X-FUT"].map((id) => engine.lotGreeks(id).delta);
  const lots = [899_999_999n, -899_999_990n];
  const exact = lots[0] * perLot[0] + lots[1] * perLot[1];
  const inDoubles = Number(lots[0]) * Number(perLot[0]) + Number(lots[1]) * Number(perLot[1]);
  assert.ok(BigInt(inDoubles) !== exact, "the venue defeats a plain double sum");
  assert.is(got[0].greeks.X.delta, formatDecimal(exact, 9));
  assert.is(engine.account("huge").greeks.X.delta, formatDecimal(exact, 9));
  assert.equal(Object.keys(got[0].greeks), ["X", "Y"]);
});

test("accounts of a generated venue: accounts() is account() for each, pages read back the whole", async () => {
  const { venue, columns } = generateVenue({ accounts: 1500, seed: 4 });
  const engine = await MarginEngine.fromVenue({ ...venue, accounts: [] });
  engine.loadColumns(columns);
  const all = engine.accounts();
  const withPrices = engine.accounts({ liquidationPrices: true, offset: 700, limit: 40 });
  for (const a of [700, 701, 717, 739]) {
    assert.equal(withPrices[a - 700], engine.account(`acc-${a}`), `acc-${a}`);
    const { liquidationPrice, ...rest } = withPrices[a - 700];
    assert.equal(rest, all[a]);
  }
  const paged = [];
  for (let offset = 0; offset < 1500; offset += 400) paged.push(...engine.accounts({ offset, limit: 400 }));
  assert.is(JSON.stringify(paged), JSON.stringify(all));
  assert.equal(engine.accounts({ offset: 1500 }), []);
  assert.equal(engine.accounts({ offset: 10, limit: 0 }), []);
  assert.is(engine.accounts({ offset: 1499, limit: 9 }).length, 1);
  assert.is(JSON.stringify(engine.accounts(null)), JSON.stringify(engine.accounts()));
  assert.not.ok("liquidationPrice" in engine.accounts({ limit: 1 })[0]);
  expectMarginError(() => engine.accounts({ offset: -1 }), { code: "OUT_OF_RANGE", field: "options.offset" });
  expectMarginError(() => engine.accounts({ limit: 1.5 }), { code: "OUT_OF_RANGE", field: "options.limit" });
  for (const limit of [NaN, -Infinity, "10", 10n]) expectMarginError(() => engine.accounts({ limit }), { code: "OUT_OF_RANGE", field: "options.limit" });
  // any integer ≥ 0, however large, is clipped to the accounts that exist; Infinity is no bound
  assert.equal(engine.accounts({ offset: 2 ** 53 }), []);
  assert.equal(engine.accounts({ offset: 1e300, limit: Infinity }), []);
  assert.is(engine.accounts({ offset: 1400, limit: 2 ** 60 }).length, 100);
  assert.is(engine.accounts({ limit: Infinity }).length, 1500);
  expectMarginError(() => engine.accounts({ liquidationPrices: "yes" }), { code: "MALFORMED", field: "options.liquidationPrices" });
});

test("margin-core margin streams the document accounts() and totals() describe, and stops quietly when the reader does", async () => {
  // 2,500 accounts over several pages and write chunks; most hold no position, since a
  // liquidation price is a search per account and underlying held
  const { venue, columns } = generateVenue({ accounts: 2500, seed: 6 });
  const generated = await MarginEngine.fromVenue({ ...venue, accounts: [] });
  generated.loadColumns(columns);
  const file = join(work, "venue.json");
  const text = generated.toVenue();
  text.accounts.forEach((account, a) => { if (a % 100 !== 0) account.positions = []; });
  writeFileSync(file, JSON.stringify(text));
  const engine = await MarginEngine.fromVenue(text);
  const run = spawnSync(process.execPath, [BIN, "margin", file], { encoding: "utf8", maxBuffer: 1 << 28 });
  assert.is(run.status, 0, run.stderr);
  const { equity, initialMargin, maintenanceMargin, statusCounts, greeks } = engine.totals();
  const expected = JSON.stringify({ accounts: engine.accounts({ liquidationPrices: true }), totals: { equity, initialMargin, maintenanceMargin, statusCounts, greeks } }) + "\n";
  assert.ok(run.stdout === expected, `the streamed document differs (${run.stdout.length} against ${expected.length} characters)`);
  const head = spawnSync("sh", ["-c", `"${process.execPath}" "${BIN}" margin "${file}" | head -c 10`], { encoding: "utf8" });
  assert.is(head.stdout, '{"accounts');
  assert.is(head.stderr, "");
});

test.run();
