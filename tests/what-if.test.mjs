// Governance what-if (docs/methodology.md §14): the venue under proposed parameters against the
// same venue loaded afresh with them — transitions, Δ totals and the accounts pushed under — and
// the engine asked never changes; the CLI replays the same crash under both and writes a page
// that opens in Chromium with no console error.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { MarginEngine, generateVenue } from "../build/index.js";
import { browserLaunchOptions, openReadyFile } from "./helpers/chromium.mjs";
import { expectMarginError } from "./helpers/margin-error.mjs";
import { parseDecimal } from "./reference/decimal.mjs";

const work = mkdtempSync(join(tmpdir(), "margin-core-whatif-"));
const BIN = new URL("../bin/margin-core.js", import.meta.url).pathname;
const STATUSES = ["healthy", "restricted", "liquidatable", "bankrupt"];

async function generated(accounts, seed) {
  const { venue, columns } = generateVenue({ accounts, seed });
  const engine = await MarginEngine.fromVenue({ ...venue, accounts: [] });
  engine.loadColumns(columns);
  return engine.toVenue();
}

test("unchanged parameters: no transition, no change, and the engine is untouched", async () => {
  const venue = await generated(3000, 11);
  const engine = await MarginEngine.fromVenue({ ...venue, params: { optMm: "0.08" } });
  const bytes = engine.snapshot();
  for (const proposal of [{}, { optMm: "0.08" }, { optMm: "0.080" }]) {
    const report = await engine.whatIf(proposal);
    assert.equal(report.transitions, [], JSON.stringify(proposal));
    assert.equal(report.delta, { equity: "0", initialMargin: "0", maintenanceMargin: "0" });
    assert.equal([report.worsened, report.accounts], [0, []]);
    assert.equal(report.statusCounts.before, report.statusCounts.after);
  }
  assert.equal(engine.snapshot(), bytes);
});

test("an edit made while whatIf is pending, or by a getter of the proposal, shows in neither side of the report", async () => {
  const engine = await MarginEngine.fromVenue(readFileSync(new URL("../examples/venue.json", import.meta.url), "utf8"));
  const asked = (await MarginEngine.restore(engine.snapshot())).totals();
  const pending = engine.whatIf({});
  engine.setPosition("bob", "BTC-PERP", "0.4", "66000");
  const report = await pending;
  assert.equal([report.transitions, report.delta], [[], { equity: "0", initialMargin: "0", maintenanceMargin: "0" }]);
  assert.equal(report.totals.before, { equity: asked.equity, initialMargin: asked.initialMargin, maintenanceMargin: asked.maintenanceMargin });
  // the proposal is read after the venue is taken: its getter's edit is not the proposal's doing either
  const edited = engine.snapshot();
  const proposal = { get optMm() { engine.setPosition("bob", "BTC-PERP", "0.2", "66000"); return "0.075"; } };
  const again = await engine.whatIf(proposal);
  const proposed = await (await MarginEngine.restore(edited)).whatIf({ optMm: "0.075" });
  assert.equal(again, proposed);
});

test("a proposal's transitions, Δ totals and accounts are those of the venue loaded afresh under it", async () => {
  const venue = await generated(3000, 12);
  const proposal = { optMm: "0.1", maxMarkDeviation: "0.02", imMultiplier: "1.4", priceScan: "0.2" };
  const engine = await MarginEngine.fromVenue(venue);
  const bytes = engine.snapshot();
  const report = await engine.whatIf(proposal, { top: 5 });
  assert.equal(engine.snapshot(), bytes, "whatIf never changes the engine");

  const fresh = await MarginEngine.fromVenue({ ...venue, params: proposal });
  const before = engine.accounts(), after = fresh.accounts();
  const counts = new Map();
  const worse = [];
  before.forEach((b, a) => {
    const from = STATUSES.indexOf(b.status), to = STATUSES.indexOf(after[a].status);
    if (from === to) return;
    const key = `${b.status}>${after[a].status}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
    if (to > from && to >= 1) worse.push(b.id);
  });
  const expected = STATUSES.flatMap((from) => STATUSES.filter((to) => counts.has(`${from}>${to}`)).map((to) => ({ from, to, count: counts.get(`${from}>${to}`) })));
  assert.equal(report.transitions, expected);
  assert.ok(report.transitions.some((t) => t.from === "restricted" && t.to === "liquidatable"), JSON.stringify(report.transitions));
  const money = (s) => parseDecimal(s, 6);
  const [t0, t1] = [engine.totals(), fresh.totals()];
  for (const key of ["equity", "initialMargin", "maintenanceMargin"]) {
    assert.is(money(report.delta[key]), money(t1[key]) - money(t0[key]), key);
    assert.equal([report.totals.before[key], report.totals.after[key]], [t0[key], t1[key]]);
  }
  assert.is(report.worsened, worse.length);
  const index = new Map(before.map((b, k) => [b.id, k]));
  const rise = (id) => money(after[index.get(id)].maintenanceMargin) - money(before[index.get(id)].maintenanceMargin);
  const ranked = [...worse].sort((x, y) => (rise(x) !== rise(y) ? (rise(x) > rise(y) ? -1 : 1) : index.get(x) - index.get(y)));
  assert.equal(report.accounts.map((a) => a.id), ranked.slice(0, 5));
  for (const a of report.accounts) {
    const [b, f] = [before[index.get(a.id)], after[index.get(a.id)]];
    assert.equal(a.before, { status: b.status, equity: b.equity, initialMargin: b.initialMargin, maintenanceMargin: b.maintenanceMargin });
    assert.equal(a.after, { status: f.status, equity: f.equity, initialMargin: f.initialMargin, maintenanceMargin: f.maintenanceMargin });
    assert.is(money(a.maintenanceMarginChange), rise(a.id));
  }
  assert.equal(report.params, { before: venue.params, after: proposal });
});

test("withParams: null restores a default; the copy liquidates on its own; a bad proposal names its field", async () => {
  const venue = await generated(800, 13);
  const engine = await MarginEngine.fromVenue({ ...venue, params: { optMm: "0.1", liquidationFee: "0.01" } });
  const bytes = engine.snapshot();
  const copy = await engine.withParams({ optMm: null, maxLiquidationNotionalPerPass: "100000" });
  assert.equal(copy.toVenue().params, { liquidationFee: "0.01", maxLiquidationNotionalPerPass: "100000" });
  const defaults = await MarginEngine.fromVenue({ ...venue, params: { liquidationFee: "0.01", maxLiquidationNotionalPerPass: "100000" } });
  assert.equal(copy.riskColumns(), defaults.riskColumns());
  const pass = copy.liquidate();
  assert.ok(Number(pass.liquidatedNotional) <= 100000 && pass.queue.length > 0);
  assert.equal(engine.snapshot(), bytes, "the copy's pass leaves the original alone");
  for (const [proposal, code, field] of [
    [{ optMm: "1.5" }, "OUT_OF_RANGE", "params.optMm"],
    [{ colour: "red" }, "UNKNOWN_ID", "params.colour"],
    [{ maxInsuranceLossPerPass: "0" }, "OUT_OF_RANGE", "params.maxInsuranceLossPerPass"],
    [{ collateralLiquidationDiscount: "1" }, "OUT_OF_RANGE", "params.collateralLiquidationDiscount"],
    [["optMm"], "MALFORMED", "params"],
  ]) {
    await expectMarginError(() => engine.whatIf(proposal), { code, field, label: JSON.stringify(proposal) });
  }
  assert.equal(engine.snapshot(), bytes);
});

test("withParams under dynamic margin: turned on, it starts as a fresh venue; new bounds move the carried range into them", async () => {
  const venue = await generated(600, 21);
  const plain = await MarginEngine.fromVenue(venue);
  const switchedOn = await plain.withParams({ dynamicMargin: true });
  const freshOn = await MarginEngine.fromVenue({ ...venue, params: { dynamicMargin: true } });
  assert.equal(switchedOn.riskColumns(), freshOn.riskColumns(), "dynamic margin switched on by a proposal = loaded with it");
  assert.is(switchedOn.scanRange("BTC"), freshOn.scanRange("BTC"));

  const dynamic = await MarginEngine.fromVenue({ ...venue, params: { dynamicMargin: true } });
  const carried = dynamic.scanRange("BTC");
  // a floor above the carried range lifts it to the floor; a cap below it brings it down to the cap
  assert.ok(carried < 300_000_000n, `carried ${carried}`);
  const floored = await dynamic.withParams({ priceScan: "0.3" });
  assert.is(floored.scanRange("BTC"), 300_000_000n);
  const capped = await dynamic.withParams({ priceScan: "0.05", extremeMultiple: "10" });
  assert.ok(capped.scanRange("BTC") <= 100_000_000n, `the ±100 % cap at 10× moves: ${capped.scanRange("BTC")}`);
  assert.ok((await dynamic.whatIf({ priceScan: "0.3" })).delta.maintenanceMargin !== "0", "a higher floor moves margin");
  const off = await dynamic.withParams({ dynamicMargin: false });
  assert.equal(off.riskColumns(), plain.riskColumns(), "switched off = the static venue");
});

test("oracle parameters in a proposal judge every underlying's sources again, as a venue loaded under them would", async () => {
  const venue = {
    now: "2026-11-24T00:00:00Z",
    params: { maxMarkDeviation: "0" }, // the perpetual is marked at the index, so MM follows it
    underlyings: [{ id: "BTC", vol: "0.5", sources: [
      { id: "A", price: "64000", time: "2026-11-23T23:59:10Z" },
      { id: "B", price: "65000", time: "2026-11-24T00:00:00Z" },
      { id: "C", price: "65600", time: "2026-11-24T00:00:00Z" }] }],
    instruments: [{ id: "P", kind: "perp", underlying: "BTC", lotSize: "1", mark: "65000", tiers: [{ upTo: "10000000000", imf: "0.5", mmf: "0.25" }] }],
    accounts: [{ id: "w", collateral: { USD: "1000000" }, positions: [{ instrument: "P", qty: "10", entry: "65000" }] }],
  };
  const engine = await MarginEngine.fromVenue(venue);
  const bytes = engine.snapshot();
  assert.is(engine.underlyingIndex("BTC"), 6_500_000_000_000n, "the median of three");
  const cases = [
    // A (50 s old) leaves the window: the median of B and C
    [{ maxPriceAge: "30" }, 6_530_000_000_000n, []],
    // B and C are each 0.46 % from their median: within 0.1 % none is kept, and BTC keeps its index, stale
    [{ maxPriceAge: "30", maxSourceDeviation: "0.001" }, 6_500_000_000_000n, ["BTC"]],
  ];
  for (const [proposal, index, stale] of cases) {
    const proposed = await engine.withParams(proposal);
    assert.is(proposed.underlyingIndex("BTC"), index, JSON.stringify(proposal));
    assert.equal(proposed.staleUnderlyings(), stale);
    const reloaded = await MarginEngine.fromVenue(JSON.stringify(proposed.toVenue()));
    assert.is(reloaded.underlyingIndex("BTC"), index);
    assert.equal(reloaded.staleUnderlyings(), stale);
    assert.equal(reloaded.accountRaw("w"), proposed.accountRaw("w"));
    const report = await engine.whatIf(proposal);
    const moved = parseDecimal(proposed.totals().maintenanceMargin, 6) - parseDecimal(engine.totals().maintenanceMargin, 6);
    assert.is(parseDecimal(report.delta.maintenanceMargin, 6), moved);
  }
  // 10 × 300 × mmf 0.25
  assert.is((await engine.whatIf({ maxPriceAge: "30" })).delta.maintenanceMargin, "750");
  assert.equal((await engine.withParams({ maxPriceAge: "30", maxSourceDeviation: "0.001" })).checkOrder({ account: "w", instrument: "P", qty: "1", price: "65000" }).reason, "STALE_PRICE");
  // an index under which a held position passes the notional limit refuses the proposal
  const full = await MarginEngine.fromVenue({ ...venue, accounts: [{ id: "w", collateral: { USD: "10000000000" }, positions: [{ instrument: "P", qty: "153800", entry: "65000" }] }] });
  const before = full.snapshot();
  await expectMarginError(() => full.withParams({ maxPriceAge: "30" }), { code: "OUT_OF_RANGE", field: "params" });
  await expectMarginError(() => full.whatIf({ maxPriceAge: "30" }), { code: "OUT_OF_RANGE", field: "params" });
  assert.equal(full.snapshot(), before);
  assert.equal(engine.snapshot(), bytes);
});

test("a proposal's keys are checked as own keys: \"__proto__\" is an unknown parameter", async () => {
  const engine = await MarginEngine.fromVenue(await generated(50, 2));
  await expectMarginError(() => engine.whatIf(JSON.parse('{"__proto__":{"optIm":"0.9"}}')), { code: "UNKNOWN_ID", field: "params.__proto__" });
});

test("margin-core whatif: the proposal, the same crash under both side by side, and a page Chromium opens cleanly", async () => {
  const venue = join(work, "venue.json"), proposal = join(work, "proposal.json"), page = join(work, "whatif.html");
  writeFileSync(venue, JSON.stringify(await generated(1500, 14)));
  writeFileSync(proposal, JSON.stringify({ liquidationFee: "0.01", maxInsuranceLossPerPass: "500", optMm: "0.09" }));
  const run = spawnSync(process.execPath, [BIN, "whatif", venue, "--params", proposal, "--top", "3", "--crash", "--ticks", "12", "--drop", "0.3", "--report", page], { encoding: "utf8" });
  assert.is(run.status, 0, run.stderr);
  const out = JSON.parse(run.stdout);
  assert.equal(Object.keys(out), ["params", "accountCount", "transitions", "statusCounts", "delta", "totals", "worsened", "accounts", "crash"]);
  assert.equal([out.crash.ticks, out.crash.drop], [12, "0.3"]);
  for (const side of [out.crash.current, out.crash.proposed]) {
    assert.is(side.conserved, true);
    assert.is(side.adlFillsBeyondEquity, 0);
  }
  assert.is(out.crash.current.fundStart, "3000");
  assert.ok(out.crash.proposed.feesToFund !== out.crash.current.feesToFund, "a higher fee shows in the replay");
  const bad = spawnSync(process.execPath, [BIN, "whatif", venue, "--params", venue], { encoding: "utf8" });
  assert.is(bad.status, 2);
  assert.match(bad.stderr, /^error: UNKNOWN_ID at params\.now: /);
  for (const [args, message] of [
    [[venue], "error: MALFORMED at argv: --params is required\n"],
    [[venue, "--params", proposal, "--drop", "0.2"], "error: MALFORMED at argv: --drop and --ticks go with --crash\n"],
    [[venue, "--params", proposal, "--crash", "--drop", "1"], "error: OUT_OF_RANGE at --drop: 1 is outside (0, 1)\n"],
  ]) {
    const refused = spawnSync(process.execPath, [BIN, "whatif", ...args], { encoding: "utf8" });
    assert.equal([refused.status, refused.stdout, refused.stderr], [2, "", message]);
  }
  const help = spawnSync(process.execPath, [BIN, "whatif", "--help"], { encoding: "utf8" });
  assert.match(help.stdout, "usage: margin-core whatif VENUE.json --params PROPOSAL.json");

  const browser = await chromium.launch(browserLaunchOptions());
  try {
    const { page: tab, errors } = await openReadyFile(browser, page);
    assert.equal(errors, []);
    assert.is(await tab.locator("#crash tbody tr").count(), 11);
    assert.is(await tab.locator("#accounts tbody tr").count(), Math.min(3, out.worsened));
    for (const id of ["chart-fund", "chart-bad-debt", "chart-socialized", "chart-notional"]) assert.ok(await tab.locator(`#${id} canvas`).count() > 0, id);
  } finally {
    await browser.close();
  }
});

test("margin-core whatif --crash on a venue priced by oracle sources: every source prints the crash", () => {
  const venue = new URL("../examples/venue.json", import.meta.url).pathname, proposal = join(work, "fee.json");
  writeFileSync(proposal, JSON.stringify({ liquidationFee: "0.01" }));
  const run = spawnSync(process.execPath, [BIN, "whatif", venue, "--params", proposal, "--crash", "--ticks", "5"], { encoding: "utf8" });
  assert.is(run.status, 0, run.stderr);
  const { crash } = JSON.parse(run.stdout);
  for (const side of [crash.current, crash.proposed]) {
    assert.is(side.conserved, true);
    // a 35 % fall of BTC's median liquidates the accounts long BTC
    assert.ok(side.liquidationEvents > 0 && side.distinctAccountsLiquidated > 0, JSON.stringify(side));
  }
  assert.ok(parseDecimal(crash.proposed.feesToFund, 6) > parseDecimal(crash.current.feesToFund, 6), "the higher fee shows");
});

test("margin-core whatif --drop is written as the fraction given: no exponent in the JSON, no float residue on the page", () => {
  const venue = new URL("../examples/venue.json", import.meta.url).pathname, proposal = join(work, "im.json"), page = join(work, "drop.html");
  writeFileSync(proposal, JSON.stringify({ optIm: "0.2" }));
  const tiny = spawnSync(process.execPath, [BIN, "whatif", venue, "--params", proposal, "--crash", "--ticks", "2", "--drop", "0.000000001"], { encoding: "utf8" });
  assert.is(tiny.status, 0, tiny.stderr);
  assert.is(JSON.parse(tiny.stdout).crash.drop, "0.000000001");
  const seven = spawnSync(process.execPath, [BIN, "whatif", venue, "--params", proposal, "--crash", "--ticks", "2", "--drop", "0.07", "--report", page], { encoding: "utf8" });
  assert.is(seven.status, 0, seven.stderr);
  assert.is(JSON.parse(seven.stdout).crash.drop, "0.07");
  assert.match(readFileSync(page, "utf8"), "(every index −7 % over 2 ticks)");
  // the same fraction, not the same characters: trailing zeros go, as docs/api.md says
  const padded = spawnSync(process.execPath, [BIN, "whatif", venue, "--params", proposal, "--crash", "--ticks", "2", "--drop", "0.0700"], { encoding: "utf8" });
  assert.is(padded.status, 0, padded.stderr);
  assert.equal(JSON.parse(padded.stdout).crash, JSON.parse(seven.stdout).crash);
});

test.after(() => rmSync(work, { recursive: true, force: true }));

test.run();
