// The benchmark suite: `npm run bench -- [--accounts N] [--seed S] [--json] [--max-time SECONDS]
// [--twin-sample N]` (`npm run -s` keeps npm's own banner off stdout). Every figure is a median
// of samples (at least 5, over at least --max-time seconds, default 0.5) taken in this process
// on the same generated accounts; every ratio compares two figures of this same run. Progress
// and checks go to stderr; stdout holds a table of cases and ratios, or with --json only the report:
//
//   { host: { node, cpu, cores }, module: {…}, results: [{ name, accounts, positionsPerAccount,
//     scenarios, medianMs, minMs, samples, bytesPerAccount, …extra }], ratios: { "<name>/<baseline>": x },
//     skipped: [{ name, reason }] }
//
// bytesPerAccount is the size per account of what the case works on: the engine's live state
// for its own cases, the snapshot for snapshot/restore, the flat input arrays for the native C
// and JS f64 baselines; null where no per-account figure applies (risk-array rebuilds, the twin).
// positionsPerAccount is null, and accounts 0, for cases that walk no accounts. checkOrder,
// checkOrderRaw, the setPrice cases and the new and edited account cases are timed call by call
// (median and p99Ms per call); the worker cases recompute through ShardedEngine with one worker
// and with two.
//
// The cases a headline ratio compares are measured in alternation (bench/interleave.mjs): the
// portfolio recompute with its scalar, wide, linear-only and BTC-positions variants, the native C and JS f64
// baselines and the tick refresh; the standard recompute with its native C baseline. Those
// samples, and the crash tick's (measured after them, each from a restored state), are single
// runs timed in the process's CPU time (`clock: "cpu"` in the report); the other cases are
// benchmark.js samples in wall time.
//
// Baselines (bench/baselines/), on the same accounts and the engine's own risk arrays, each by
// the engine's algorithm: a native C kernel compiled at run time (skipped with a reason when no
// compiler is present) computing every account's equity, IM, MM and status and the totals, as
// the recompute does, in portfolio and in standard mode; a plain JavaScript kernel over doubles
// computing portfolio MM, exact by the same guarded-integer reasoning; and the BigInt twin of
// tests/reference, timed on a sample and scaled per account. Every baseline is checked against
// the engine on every account it computes (the counts, 0, are in the report); any mismatch ends the
// run with an error, before a ratio.
import { MAX_SYNTHETIC_ACCOUNTS } from "../build/generate.js";
import { benchOptions, accountsOption, seedOption } from "./arguments.mjs";
import { cpus } from "node:os";
import Benchmark from "benchmark";
import { MarginEngine, generateVenue, parseDecimal, MONEY_SCALE } from "../build/index.js";
import { ShardedEngine } from "../build/sharded-engine.js";
import { referenceVenueRisk } from "../tests/reference/standard-margin.mjs";
import { kernelInputs, twinVenue } from "./baselines/kernel-inputs.mjs";
import { createF64Kernel } from "./baselines/js-f64.mjs";
import { nativeKernel } from "./baselines/native.mjs";
import { interleave, timeOnce } from "./interleave.mjs";
import { keepPositions } from "./cases.mjs";
import { perCallCases } from "./per-call.mjs";
import { boundaryCases } from "./boundary.mjs";

// --accounts, --seed and --json as `margin-core bench` takes them (it runs this script)
const { values } = benchOptions("npm run bench --", {
  accounts: accountsOption(1_000_000, "accounts in the benchmark venue"),
  seed: seedOption,
  json: { help: "print only the JSON report on stdout (default: a table)" },
  "max-time": { value: "SECONDS", number: [0.001, 3600], default: 0.5, help: "least time benchmark.js samples each of its cases for" },
  "twin-sample": { value: "N", integer: [1, MAX_SYNTHETIC_ACCOUNTS], default: 2000, help: "accounts the BigInt twin is timed on (at most --accounts), scaled per account" },
});
const { accounts, seed, "max-time": maxTime, "twin-sample": twinSample } = values;
const log = (line) => process.stderr.write(line + "\n");

const BENCH_OPTIONS = { minSamples: 5, maxTime, initCount: 1 };
const results = [];
const skipped = [];
const fmt = (n) => n.toLocaleString("en-US");

/** A result row from samples in milliseconds; every row carries every field of the report shape. */
function record(name, samplesMs, extra = {}) {
  const sorted = [...samplesMs].sort((a, b) => a - b);
  const result = {
    name, accounts, positionsPerAccount: null, scenarios: 0,
    medianMs: sorted[sorted.length >> 1], minMs: sorted[0], samples: sorted.length, bytesPerAccount: null, ...extra,
  };
  log(`${name.padEnd(32)} median ${result.medianMs.toFixed(3)} ms  min ${result.minMs.toFixed(3)} ms  (${result.samples} samples)`);
  results.push(result);
  return result;
}

/** Runs `fn` as a benchmark.js case (seconds per call in its samples). */
function measure(name, fn, extra = {}) {
  const bench = new Benchmark(name, fn, BENCH_OPTIONS);
  bench.run();
  if (bench.error) throw bench.error;
  return record(name, bench.stats.sample.map((s) => s * 1000), extra);
}

/** The same for a function returning a promise (a deferred benchmark.js case). */
function measureAsync(name, fn, extra = {}) {
  return new Promise((resolve, reject) => {
    const bench = new Benchmark(name, {
      ...BENCH_OPTIONS,
      defer: true,
      fn: (deferred) => fn().then(() => deferred.resolve(), reject),
      onComplete: () => (bench.error ? reject(bench.error) : resolve(record(name, bench.stats.sample.map((s) => s * 1000), extra))),
    });
    bench.run();
  });
}

log(`generating ${fmt(accounts)} accounts (seed ${seed})…`);
const { venue, columns } = generateVenue({ accounts, seed });
const positionsPerAccount = columns.positionOffsets[accounts] / accounts;
// The standard case holds every account in standard mode; the portfolio cases below, every one in portfolio mode.
const standardColumns = { ...columns, mode: new Uint8Array(accounts) };
const portfolioColumns = { ...columns, mode: new Uint8Array(accounts).fill(1) };
const engine = await MarginEngine.fromVenue({ ...venue, accounts: [] });
engine.loadColumns(standardColumns);
engine.recompute();
const stats = engine.stats();
const bytesPerAccount = stats.liveBytes / accounts;
log(`live state ${(stats.liveBytes / 2 ** 20).toFixed(1)} MiB (${bytesPerAccount.toFixed(1)} bytes/account at ${positionsPerAccount.toFixed(2)} positions), wasm memory ${(stats.memoryBytes / 2 ** 20).toFixed(1)} MiB, module ${stats.wasmBytes} bytes`);

/** The same accounts, all in portfolio mode (or as given), in an engine of the given build and scenario grid. */
async function portfolioEngine(simd, grid, columnsOf = portfolioColumns) {
  const params = grid === undefined ? venue.params : { ...venue.params, grid };
  const portfolio = await MarginEngine.fromVenue({ ...venue, params, accounts: [] }, { simd });
  portfolio.loadColumns(columnsOf);
  portfolio.recompute();
  return portfolio;
}
const portfolioSimd = await portfolioEngine(true);
const portfolioScalar = await portfolioEngine(false);
const portfolioWide = await portfolioEngine(true, "wide");
// ticks move prices: they get an engine of their own, so the baselines are checked against the loaded state
const tickEngine = await portfolioEngine(true);
const portfolioBytes = portfolioSimd.stats().liveBytes / accounts;
const scenarios = portfolioSimd.scenarioGrid().length;
const portfolioCase = { positionsPerAccount, scenarios, bytesPerAccount: portfolioBytes };
log(`portfolio mode: live state ${(portfolioBytes).toFixed(1)} bytes/account (the tick cache included)`);

// perpetuals and futures alone: the folded linear path; BTC positions alone: the groups a BTC tick
// recomputes, walked from scratch — the floor of what a tick that redoes those groups can cost
const linearColumns = keepPositions(venue, portfolioColumns, (i) => i.kind !== "option");
const linearEngine = await portfolioEngine(true, undefined, linearColumns);
const btcEngine = await portfolioEngine(true, undefined, keepPositions(venue, portfolioColumns, (i) => i.underlying === "BTC"));
const linearPerAccount = linearColumns.positionOffsets[accounts] / accounts;

// ---- baselines: the same accounts, the engine's own risk arrays and grid ----
const portfolioInputs = kernelInputs(portfolioSimd, venue, portfolioColumns);
const standardInputs = kernelInputs(engine, venue, standardColumns);
const baselineCase = { positionsPerAccount, scenarios, bytesPerAccount: portfolioInputs.bytesPerAccount };
const nativePortfolio = nativeKernel(portfolioInputs);
const nativeStandard = nativePortfolio.skipped ? nativePortfolio : nativeKernel(standardInputs);
const f64Kernel = createF64Kernel(portfolioInputs);

// A crash tick on the portfolio venue, each sample from the same state: BTC falls 2 % in one
// print (about twice the steepest 10-second step of the crash demo), then the queue is read and
// one liquidation pass runs.
// The generated venue starts with about 6.5 % of accounts already liquidatable, so that tick's
// pass also works off the standing queue; "crash tick, cleared queue" is the same tick on a venue
// whose standing queue one pass has cleared first, as an exchange's would be between ticks.
const crashSnapshot = portfolioSimd.snapshot();
const clearedSnapshot = await (async () => {
  const cleared = await MarginEngine.restore(crashSnapshot);
  cleared.liquidate();
  return cleared.snapshot();
})();
const crashTime = Date.parse(venue.now) + 1000;
let crashEngine = null;
const crashQueues = new Map();
function crashCase(name, snapshot) {
  return {
    name,
    setup: async () => {
      crashEngine = await MarginEngine.restore(snapshot);
      crashEngine.totals();
    },
    sample: () => timeOnce(() => {
      crashEngine.setPrice("BTC", String(65000 * 0.98), crashTime);
      crashQueues.set(name, crashEngine.queueOrder().accounts.length);
      crashEngine.liquidate();
    }),
  };
}
let price = 65000;
const tick = Date.parse(venue.now) + 1000;

/** The native baseline as an interleaved case: each batch one run of the binary, the checks on its last output. */
function nativeCase(name, kernel) {
  let last = null;
  return {
    name, batch: 3, last: () => last,
    sampleBatch: (n) => {
      last = kernel.run({ minReps: n, maxSeconds: 0, maxReps: n });
      if (last.skipped) throw new Error(last.skipped);
      return last.samplesMs;
    },
  };
}

log("portfolio group: recompute and its variants, the baselines and the ticks, in alternation…");
const portfolioGroup = [
  { name: "portfolio recompute", sample: () => timeOnce(() => portfolioSimd.recompute()) },
  { name: "portfolio recompute scalar", sample: () => timeOnce(() => portfolioScalar.recompute()) },
  { name: "portfolio recompute wide", sample: () => timeOnce(() => portfolioWide.recompute()) },
  { name: "portfolio recompute linear-only", sample: () => timeOnce(() => linearEngine.recompute()) },
  { name: "portfolio recompute BTC positions", sample: () => timeOnce(() => btcEngine.recompute()) },
  { name: "JS f64", sample: () => timeOnce(() => f64Kernel.run()) },
  { name: "tick refresh", sample: () => timeOnce(() => { tickEngine.setPrice("BTC", String((price += 1)), tick); tickEngine.lotGreeks("BTC-PERP"); }) },
];
if (!nativePortfolio.skipped) portfolioGroup.push(nativeCase("native C", nativePortfolio));
const portfolioSamples = await interleave(portfolioGroup, { rounds: 5, batch: 3 });
// the crash tick on its own, after: its restores and liquidation allocate enough to keep V8's
// helper threads collecting, which would count in the samples around it
log("crash tick…");
const crashSamples = await interleave([crashCase("crash tick", crashSnapshot), crashCase("crash tick, cleared queue", clearedSnapshot)], { rounds: 5, batch: 1 });

log("standard group: recompute and its native baseline, in alternation…");
const standardGroup = [{ name: "standard recompute", sample: () => timeOnce(() => engine.recompute()) }];
if (!nativeStandard.skipped) standardGroup.push(nativeCase("native C standard", nativeStandard));
const standardSamples = await interleave(standardGroup, { rounds: 5, batch: 3 });

record("standard recompute", standardSamples.get("standard recompute"), { positionsPerAccount, bytesPerAccount, clock: "cpu" });
record("portfolio recompute", portfolioSamples.get("portfolio recompute"), { ...portfolioCase, clock: "cpu" });
record("portfolio recompute scalar", portfolioSamples.get("portfolio recompute scalar"), { ...portfolioCase, clock: "cpu" });
record("portfolio recompute wide", portfolioSamples.get("portfolio recompute wide"), { ...portfolioCase, scenarios: portfolioWide.scenarioGrid().length, clock: "cpu" });
record("portfolio recompute linear-only", portfolioSamples.get("portfolio recompute linear-only"), { ...portfolioCase, positionsPerAccount: linearPerAccount, bytesPerAccount: linearEngine.stats().liveBytes / accounts, clock: "cpu" });
const btcInstruments = venue.instruments.filter((i) => i.underlying === "BTC").length;
record("portfolio recompute BTC positions", portfolioSamples.get("portfolio recompute BTC positions"), { ...portfolioCase, positionsPerAccount: btcEngine.stats().positions / accounts, bytesPerAccount: btcEngine.stats().liveBytes / accounts, clock: "cpu" });
record("tick refresh", portfolioSamples.get("tick refresh"), { ...portfolioCase, instruments: btcInstruments, clock: "cpu" });
for (const name of ["crash tick", "crash tick, cleared queue"]) {
  record(name, crashSamples.get(name), { ...portfolioCase, move: "-0.02", queueLength: crashQueues.get(name), clock: "cpu" });
}

// every baseline checked against the engine on every account it computes: a disagreement ends
// the run with an error (its ratios would compare different computations)
const disagreements = [];
for (const [name, kernel, caseOf, samples, reference, inputs] of [
  ["native C", nativePortfolio, baselineCase, portfolioSamples, portfolioSimd, portfolioInputs],
  ["native C standard", nativeStandard, { positionsPerAccount, bytesPerAccount: standardInputs.bytesPerAccount }, standardSamples, engine, standardInputs],
]) {
  if (kernel.skipped) {
    log(`${name} skipped: ${kernel.skipped}`);
    skipped.push({ name, reason: kernel.skipped });
    continue;
  }
  const out = (name === "native C" ? portfolioGroup : standardGroup).find((c) => c.name === name).last();
  const want = reference.riskColumns(), shown = reference.totals();
  const totals = Object.fromEntries(["equity", "initialMargin", "maintenanceMargin"].map((k) => [k, parseDecimal(shown[k], MONEY_SCALE, k)]));
  let mismatches = 0;
  for (let a = 0; a < accounts; a++) {
    if (out.equity[a] !== want.equity[a] || out.maintenanceMargin[a] !== want.maintenanceMargin[a] || out.status[a] !== want.status[a]) mismatches++;
  }
  const totalsMatch = ["equity", "initialMargin", "maintenanceMargin"].every((k) => out.totals[k] === totals[k]);
  // IM is not a column: every account's through the per-account API, evaluated afresh
  let imMismatches = 0;
  for (let a = 0; a < accounts; a++) if (reference.accountRaw(`acc-${a}`).initialMargin !== out.initialMargin[a]) imMismatches++;
  log(`${name}: ${fmt(mismatches)} of ${fmt(accounts)} accounts differ from the engine (equity, MM, status), totals ${totalsMatch ? "equal" : "DIFFER"}; IM: ${fmt(imMismatches)} of ${fmt(accounts)} differ`);
  if (mismatches > 0 || imMismatches > 0 || !totalsMatch) disagreements.push(name);
  record(name, samples.get(name), {
    ...caseOf, clock: "cpu", compiler: kernel.compiler, checkedAccounts: accounts, mismatches, imMismatches, totalsMatch,
  });
  kernel.close();
}
{
  const want = portfolioSimd.riskColumns().maintenanceMargin;
  f64Kernel.run();
  let mismatches = 0;
  for (let a = 0; a < accounts; a++) if (f64Kernel.maintenanceMargin(a) !== want[a]) mismatches++;
  log(`JS f64: ${fmt(mismatches)} of ${fmt(accounts)} accounts' MM differ from the engine; ${fmt(f64Kernel.counts.exactBuckets)} buckets took the BigInt path`);
  if (mismatches > 0) disagreements.push("JS f64");
  record("JS f64", portfolioSamples.get("JS f64"), { ...baselineCase, clock: "cpu", checkedAccounts: accounts, mismatches, exactBuckets: f64Kernel.counts.exactBuckets });
}

// The BigInt twin, called as the differential tests call it (a venue-file object in, so each
// call also parses the sample's decimal strings and computes equity), on accounts spread over
// the venue; its time per account is scaled to the full count.
{
  const exact = portfolioSimd.riskColumns().maintenanceMargin;
  const twin = twinVenue(portfolioSimd, venue, portfolioColumns, twinSample);
  const twinCount = twin.accountIndex.length;
  const twinResult = referenceVenueRisk(twin.venue, portfolioInputs.twinTables);
  let twinMismatches = 0;
  twinResult.accounts.forEach((row, k) => {
    if (row.maintenanceMargin !== exact[twin.accountIndex[k]]) twinMismatches++;
  });
  log(`BigInt twin: ${twinMismatches} of ${fmt(twinCount)} sampled accounts differ from the engine's MM`);
  if (twinMismatches > 0) disagreements.push("BigInt twin");
  const bench = new Benchmark("BigInt twin", () => referenceVenueRisk(twin.venue, portfolioInputs.twinTables), BENCH_OPTIONS);
  bench.run();
  if (bench.error) throw bench.error;
  const scale = accounts / twinCount;
  log(`BigInt twin: timed on ${fmt(twinCount)} accounts and scaled ×${scale.toFixed(2)} per account to ${fmt(accounts)} (the figure below is scaled)`);
  record("BigInt twin (scaled)", bench.stats.sample.map((s) => s * 1000 * scale), {
    positionsPerAccount, scenarios, scaled: true, sampleAccounts: twinCount, scaleFactor: scale,
    checkedAccounts: twinCount, mismatches: twinMismatches,
  });
}

if (disagreements.length > 0) {
  process.stderr.write(`error: ${disagreements.join(", ")} disagreed with the engine (above); no ratios reported\n`);
  process.exit(2);
}

measure("loadColumns", () => engine.loadColumns(standardColumns), { positionsPerAccount, bytesPerAccount });

// Snapshot and restore of the portfolio engine (restore: decode, reference data, validated load).
const snapshotCase = { positionsPerAccount, bytesPerAccount: crashSnapshot.byteLength / accounts, snapshotBytes: crashSnapshot.byteLength };
measure("snapshot", () => portfolioSimd.snapshot(), snapshotCase);
await measureAsync("restore", () => MarginEngine.restore(crashSnapshot), snapshotCase);

/** 10,000 options on one underlying, for the cost of rebuilding risk arrays after a tick. */
async function optionChain(count) {
  const instruments = Array.from({ length: count }, (_, k) => ({
    id: `O${k}`, kind: "option", underlying: "BTC", right: k % 2 ? "put" : "call",
    strike: String(30_000 + 10 * (k >> 1)), expiry: new Date(Date.parse(venue.now) + (1 + (k % 180)) * 86_400_000).toISOString(),
    lotSize: "0.1", mark: "100", iv: "0.6",
  }));
  return MarginEngine.fromVenue({ now: venue.now, underlyings: [{ id: "BTC", spot: "65000", vol: "0.6" }], instruments });
}
const chain = await optionChain(10_000);

// Risk-array rebuild: a tick re-prepares the ticked underlying's instruments (marks, risk arrays,
// greeks) — those someone holds when the venue has accounts, and an instrument when it is read —
// measured on the venue's reference data with no accounts, reading every BTC instrument's greeks.
const reference = await MarginEngine.fromVenue({ ...venue, accounts: [] });
const btcIds = venue.instruments.filter((i) => i.underlying === "BTC").map((i) => i.id);
let referencePrice = 65000;
measure("risk-array rebuild", () => {
  reference.setPrice("BTC", String((referencePrice += 1)), tick);
  for (const id of btcIds) reference.lotGreeks(id);
}, { accounts: 0, scenarios, instruments: btcInstruments });
let chainPrice = 65000;
measure("risk-array rebuild 10k options", () => {
  chain.setPrice("BTC", String((chainPrice += 1)), tick);
  for (let k = 0; k < 10_000; k++) chain.lotGreeks(`O${k}`);
}, { accounts: 0, scenarios, instruments: 10_000 });
// The queue a venue re-reads on every tick: status scan, exact health order of the members.
const queueLength = tickEngine.queueOrder().accounts.length;
measure("queue refresh", () => tickEngine.queueOrder(), { ...portfolioCase, queueLength });
measure("tick + queue refresh", () => {
  tickEngine.setPrice("BTC", String((price += 1)), tick);
  tickEngine.queueOrder();
}, { ...portfolioCase, instruments: btcInstruments, queueLength });

// Calls timed one by one: pre-trade checks, a print then one margin, a new account.
await perCallCases({ engine: portfolioSimd, venue, columns, accounts, scenarios, log, record });

// Sharding over worker threads: the same portfolio accounts recomputed by one worker and by
// two (each its own module instance); both pay the same message round trip.
for (const shards of [1, 2]) {
  const sharded = await ShardedEngine.create({ ...venue, accounts: [] }, portfolioColumns, { shards });
  try {
    await measureAsync(`portfolio recompute ${shards} worker${shards > 1 ? "s" : ""}`, () => sharded.recompute(), { ...portfolioCase, shards });
  } finally {
    await sharded.close();
  }
}

// ---- the JS boundary: a venue file's text in, formatted accounts out (bench/boundary.mjs) ----
await boundaryCases({ accounts, seed, venue, columns, maxTime, log, record });

const ratios = {};
for (const [name, baseline] of [
  ["loadColumns", "standard recompute"],
  ["portfolio recompute scalar", "portfolio recompute"],
  ["portfolio recompute", "standard recompute"],
  ["portfolio recompute", "portfolio recompute linear-only"],
  ["portfolio recompute wide", "portfolio recompute"],
  ["portfolio recompute", "native C"],
  ["standard recompute", "native C standard"],
  ["JS f64", "portfolio recompute"],
  ["BigInt twin (scaled)", "portfolio recompute"],
  ["JS f64", "native C"],
  ["restore", "loadColumns"],
  ["tick refresh", "portfolio recompute"],
  ["tick refresh", "portfolio recompute BTC positions"],
  ["portfolio recompute BTC positions", "portfolio recompute"],
  ["crash tick", "portfolio recompute"],
  ["crash tick, cleared queue", "portfolio recompute"],
  ["tick + queue refresh", "portfolio recompute"],
  ["queue refresh", "portfolio recompute"],
  ["checkOrder", "checkOrderRaw"],
  ["setPrice 10k instruments", "setPrice 100 instruments"],
  ["new account", "edited account"],
  ["portfolio recompute 1 worker", "portfolio recompute 2 workers"],
  ["fromVenue", "JSON.parse"],
  ["accounts()", "JSON.stringify"],
  ["accounts() again", "JSON.parse of accounts()"],
]) {
  const a = results.find((r) => r.name === name), b = results.find((r) => r.name === baseline);
  if (!a || !b) continue;
  const ratio = a.medianMs / b.medianMs;
  if (Number.isFinite(ratio) && ratio > 0) ratios[`${name}/${baseline}`] = ratio;
}
const report = {
  host: { node: process.version, cpu: cpus()[0]?.model ?? "unknown", cores: cpus().length },
  module: { wasmBytes: stats.wasmBytes, liveBytes: stats.liveBytes, memoryBytes: stats.memoryBytes },
  results,
  ratios,
  skipped,
};
log(Object.entries(report.ratios).map(([k, v]) => `${k}: ${v.toFixed(2)}`).join("\n"));
if (values.json) {
  process.stdout.write(JSON.stringify(report, null, 2) + "\n");
} else {
  console.table(results.map((r) => ({ name: r.name, accounts: r.accounts, "median ms": +r.medianMs.toPrecision(4), "min ms": +r.minMs.toPrecision(4), samples: r.samples, "bytes/account": r.bytesPerAccount === null ? "" : +r.bytesPerAccount.toFixed(1) })));
  console.table(Object.entries(ratios).map(([ratio, x]) => ({ ratio, "×": +x.toFixed(3) })));
}
