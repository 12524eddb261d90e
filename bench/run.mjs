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
// positionsPerAccount is null, and accounts 0, for cases that walk no accounts. checkOrder and
// checkOrderRaw are timed call by call (20,000 calls: median and p99Ms per call); the worker
// cases recompute through ShardedEngine with one worker and with two.
//
// Baselines of the portfolio recompute, on the same accounts and the engine's own risk arrays
// (bench/baselines/): a native C kernel compiled at run time (skipped with a reason when no
// compiler is present), a plain JS kernel in f64 (inexact: its error against the engine is
// reported), and the BigInt twin of tests/reference timed on a sample and scaled per account.
// The baselines compute MM only (the twin also equity); the engine's recompute also computes
// equity, status and the venue totals, and re-prepares every instrument (marks, risk arrays,
// greeks).
import { parseArgs } from "node:util";
import { cpus } from "node:os";
import Benchmark from "benchmark";
import { MarginEngine, generateVenue, parseDecimal, PRICE_SCALE } from "../build/index.js";
import { ShardedEngine } from "../build/sharded-engine.js";
import { referenceVenueRisk } from "../tests/reference/standard-margin.mjs";
import { kernelInputs, twinVenue } from "./baselines/kernel-inputs.mjs";
import { createF64Kernel, relativeError } from "./baselines/js-f64.mjs";
import { runNativeKernel } from "./baselines/native.mjs";

const { values } = parseArgs({
  options: {
    accounts: { type: "string", default: "1000000" },
    seed: { type: "string", default: "1" },
    json: { type: "boolean", default: false },
    "max-time": { type: "string", default: "0.5" },
    "twin-sample": { type: "string", default: "2000" },
  },
});
const accounts = Number(values.accounts);
const seed = Number(values.seed);
const maxTime = Number(values["max-time"]);
const twinSample = Number(values["twin-sample"]);
const log = (line) => process.stderr.write(line + "\n");
if (!Number.isSafeInteger(accounts) || accounts < 1) throw new RangeError(`--accounts must be a positive integer, got ${values.accounts}`);
if (!(maxTime > 0)) throw new RangeError(`--max-time must be a positive number of seconds, got ${values["max-time"]}`);
if (!Number.isSafeInteger(twinSample) || twinSample < 1) throw new RangeError(`--twin-sample must be a positive integer, got ${values["twin-sample"]}`);

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
const stats = engine.stats();
const bytesPerAccount = stats.liveBytes / accounts;
log(`live state ${(stats.liveBytes / 2 ** 20).toFixed(1)} MiB (${bytesPerAccount.toFixed(1)} bytes/account at ${positionsPerAccount.toFixed(2)} positions), wasm memory ${(stats.memoryBytes / 2 ** 20).toFixed(1)} MiB, module ${stats.wasmBytes} bytes`);

/** The same accounts, all in portfolio mode, in an engine of the given build and scenario grid. */
async function portfolioEngine(simd, grid) {
  const params = grid === undefined ? venue.params : { ...venue.params, grid };
  const portfolio = await MarginEngine.fromVenue({ ...venue, params, accounts: [] }, { simd });
  portfolio.loadColumns(portfolioColumns);
  return portfolio;
}
const portfolioSimd = await portfolioEngine(true);
const portfolioScalar = await portfolioEngine(false);
const portfolioWide = await portfolioEngine(true, "wide");
const scenarios = portfolioSimd.scenarioGrid().length;
const portfolioCase = { positionsPerAccount, scenarios, bytesPerAccount };

measure("standard recompute", () => engine.recompute(), { positionsPerAccount, bytesPerAccount });
measure("portfolio recompute", () => portfolioSimd.recompute(), portfolioCase);
measure("portfolio recompute scalar", () => portfolioScalar.recompute(), portfolioCase);
measure("portfolio recompute wide", () => portfolioWide.recompute(), { ...portfolioCase, scenarios: portfolioWide.scenarioGrid().length });

// ---- baselines of the portfolio recompute: same accounts, same grid, the engine's risk arrays ----
portfolioSimd.recompute();
const exact = portfolioSimd.riskColumns().maintenanceMargin;
const inputs = kernelInputs(portfolioSimd, venue, portfolioColumns);
const baselineCase = { positionsPerAccount, scenarios, bytesPerAccount: inputs.bytesPerAccount };

const native = runNativeKernel(inputs, { minReps: 5, maxSeconds: maxTime });
if (native.skipped) {
  log(`native C skipped: ${native.skipped}`);
  skipped.push({ name: "native C", reason: native.skipped });
} else {
  let mismatches = 0;
  for (let a = 0; a < accounts; a++) if (native.maintenanceMargin[a] !== exact[a]) mismatches++;
  // and a sample through the per-account API, evaluated afresh
  const step = Math.max(1, Math.floor(accounts / 1000));
  let sampled = 0, sampleMismatches = 0;
  for (let a = 0; a < accounts; a += step, sampled++) {
    if (portfolioSimd.accountRaw(`acc-${a}`).maintenanceMargin !== native.maintenanceMargin[a]) sampleMismatches++;
  }
  log(`native C: ${fmt(mismatches)} of ${fmt(accounts)} accounts differ from the engine's MM (accountRaw sample: ${sampleMismatches} of ${fmt(sampled)})`);
  record("native C", native.samplesMs, {
    ...baselineCase, compiler: `${native.compiler} -O3 -march=native`, checkedAccounts: accounts, mismatches,
    sampleCheckedAccounts: sampled, sampleMismatches,
  });
}

const f64Kernel = createF64Kernel(inputs);
const f64Error = relativeError(f64Kernel(), exact);
log(`JS f64: relative error against the exact MM max ${f64Error.maxRelativeError.toExponential(2)}, mean ${f64Error.meanRelativeError.toExponential(2)} (${fmt(f64Error.comparedAccounts)} accounts with MM > 0; ${f64Error.zeroMarginMismatches} with MM 0 where f64 gives ≥ 0.5 µ)`);
measure("JS f64", () => f64Kernel(), { ...baselineCase, ...f64Error });

// The BigInt twin, called as the differential tests call it (a venue-file object in, so each
// call also parses the sample's decimal strings and computes equity), on accounts spread over
// the venue; its time per account is scaled to the full count.
const twin = twinVenue(portfolioSimd, venue, portfolioColumns, twinSample);
const twinCount = twin.accountIndex.length;
const twinResult = referenceVenueRisk(twin.venue, inputs.twinTables);
let twinMismatches = 0;
twinResult.accounts.forEach((row, k) => {
  if (row.maintenanceMargin !== exact[twin.accountIndex[k]]) twinMismatches++;
});
log(`BigInt twin: ${twinMismatches} of ${fmt(twinCount)} sampled accounts differ from the engine's MM`);
{
  const bench = new Benchmark("BigInt twin", () => referenceVenueRisk(twin.venue, inputs.twinTables), BENCH_OPTIONS);
  bench.run();
  if (bench.error) throw bench.error;
  const scale = accounts / twinCount;
  log(`BigInt twin: timed on ${fmt(twinCount)} accounts and scaled ×${scale.toFixed(2)} per account to ${fmt(accounts)} (the figure below is scaled)`);
  record("BigInt twin (scaled)", bench.stats.sample.map((s) => s * 1000 * scale), {
    positionsPerAccount, scenarios, scaled: true, sampleAccounts: twinCount, scaleFactor: scale,
    checkedAccounts: twinCount, mismatches: twinMismatches,
  });
}

measure("loadColumns", () => engine.loadColumns(standardColumns), { positionsPerAccount, bytesPerAccount });

// The same accounts keeping only their perpetuals and futures: the folded linear path alone.
function linearOnly() {
  const linear = venue.instruments.map((i) => i.kind !== "option");
  const offsets = new Uint32Array(accounts + 1), keep = [];
  for (let a = 0; a < accounts; a++) {
    for (let p = columns.positionOffsets[a]; p < columns.positionOffsets[a + 1]; p++) if (linear[columns.positionInstrument[p]]) keep.push(p);
    offsets[a + 1] = keep.length;
  }
  const pick = (array) => array.constructor.from(keep, (p) => array[p]);
  return { ...columns, mode: new Uint8Array(accounts).fill(1), positionOffsets: offsets, positionInstrument: pick(columns.positionInstrument), positionLots: pick(columns.positionLots), positionEntry: pick(columns.positionEntry) };
}
const linearColumns = linearOnly();
const linearEngine = await MarginEngine.fromVenue({ ...venue, accounts: [] });
linearEngine.loadColumns(linearColumns);
const linearPerAccount = linearColumns.positionOffsets[accounts] / accounts;
measure("portfolio recompute linear-only", () => linearEngine.recompute(), { positionsPerAccount: linearPerAccount, scenarios, bytesPerAccount });

// Snapshot and restore of the portfolio engine (restore: decode, reference data, validated load).
const snapshotBytes = portfolioSimd.snapshot();
const snapshotCase = { positionsPerAccount, bytesPerAccount: snapshotBytes.byteLength / accounts, snapshotBytes: snapshotBytes.byteLength };
measure("snapshot", () => portfolioSimd.snapshot(), snapshotCase);
await measureAsync("restore", () => MarginEngine.restore(snapshotBytes), snapshotCase);

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

// Risk-array rebuild: a tick re-prepares the ticked underlying's instruments (marks, risk
// arrays, greeks), measured on the venue's reference data with no accounts; the tick refresh
// is the same tick on the portfolio engine, which then re-evaluates every account the exposure
// index names and moves the totals (the cases above are done with that engine by now).
const tick = Date.parse(venue.now) + 1000;
const btcInstruments = venue.instruments.filter((i) => i.underlying === "BTC").length;
const reference = await MarginEngine.fromVenue({ ...venue, accounts: [] });
let referencePrice = 65000;
measure("risk-array rebuild", () => {
  reference.setPrice("BTC", String((referencePrice += 1)), tick);
  reference.lotGreeks("BTC-PERP");
}, { accounts: 0, scenarios, instruments: btcInstruments });
let chainPrice = 65000;
measure("risk-array rebuild 10k options", () => {
  chain.setPrice("BTC", String((chainPrice += 1)), tick);
  chain.lotGreeks("O0");
}, { accounts: 0, scenarios, instruments: 10_000 });
let price = 65000;
measure("tick refresh", () => {
  portfolioSimd.setPrice("BTC", String((price += 1)), tick);
  portfolioSimd.lotGreeks("BTC-PERP");
}, { ...portfolioCase, instruments: btcInstruments });
// The queue a venue re-reads on every tick: status scan, exact health order of the members.
const queueLength = portfolioSimd.queueOrder().accounts.length;
measure("queue refresh", () => portfolioSimd.queueOrder(), { ...portfolioCase, queueLength });
measure("tick + queue refresh", () => {
  portfolioSimd.setPrice("BTC", String((price += 1)), tick);
  portfolioSimd.queueOrder();
}, { ...portfolioCase, instruments: btcInstruments, queueLength });

// Pre-trade check from JS on an 8-position portfolio account, through the string API and the
// raw one (indexes, lots, raw price): each call timed on its own, so the median and the 99th
// percentile are per call (benchmark.js reports means of cycles).
{
  let target = 0;
  while (target < accounts - 1 && columns.positionOffsets[target + 1] - columns.positionOffsets[target] !== 8) target++;
  const held = columns.positionInstrument[columns.positionOffsets[target]];
  const instrument = venue.instruments[held];
  const order = { account: `acc-${target}`, instrument: instrument.id, qty: instrument.lotSize, price: instrument.mark };
  const rawPrice = parseDecimal(instrument.mark, PRICE_SCALE, "price");
  const bookSize = columns.positionOffsets[target + 1] - columns.positionOffsets[target];
  for (const [name, check] of [
    ["checkOrder", () => portfolioSimd.checkOrder(order)],
    ["checkOrderRaw", () => portfolioSimd.checkOrderRaw(target, held, 1, rawPrice)],
  ]) {
    const calls = 20_000, times = new Float64Array(calls);
    for (let k = 0; k < 2_000; k++) check();
    for (let k = 0; k < calls; k++) {
      const start = process.hrtime.bigint();
      check();
      times[k] = Number(process.hrtime.bigint() - start) / 1e6;
    }
    const sorted = Float64Array.from(times).sort();
    const p99Ms = sorted[Math.floor(calls * 0.99)];
    log(`${name} on ${order.account} (${bookSize} positions): p50 ${(sorted[calls >> 1] * 1000).toFixed(2)} µs, p99 ${(p99Ms * 1000).toFixed(2)} µs`);
    record(name, Array.from(times), { accounts: 1, positionsPerAccount: bookSize, scenarios, p99Ms });
  }
}

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

// ---- the JS boundary: a venue file's text in, formatted accounts out ----
// fromVenue of a venue file's text against JSON.parse of the same text, and accounts() against
// JSON.stringify of the array it returned: the generator's venue with min(--accounts, 100,000)
// accounts, written by toVenue(). The samples of each pair alternate, so a drift of the
// machine's speed weighs on both sides alike; the two pairs run one after the other.
{
  const boundaryAccounts = Math.min(accounts, 100_000);
  const source = boundaryAccounts === accounts ? { venue, columns } : generateVenue({ accounts: boundaryAccounts, seed });
  const writer = await MarginEngine.fromVenue({ ...source.venue, accounts: [] });
  writer.loadColumns(source.columns);
  const text = JSON.stringify(writer.toVenue());
  const boundaryCase = { accounts: boundaryAccounts, positionsPerAccount: source.columns.positionOffsets[boundaryAccounts] / boundaryAccounts, textBytes: text.length };
  log(`boundary: a venue file of ${fmt(boundaryAccounts)} accounts, ${fmt(text.length)} characters`);
  /** Samples of two functions, alternating, at least 5 each and over at least 2 × --max-time. */
  async function alternate(first, second) {
    const samples = [[], []];
    for (const start = performance.now(); samples[0].length < 5 || performance.now() - start < 2 * maxTime * 1000;) {
      for (const [k, fn] of [first, second].entries()) {
        const begin = performance.now();
        await fn();
        samples[k].push(performance.now() - begin);
      }
    }
    return samples;
  }
  let loaded;
  const [parsed, loads] = await alternate(() => JSON.parse(text), async () => { loaded = await MarginEngine.fromVenue(text); });
  record("JSON.parse", parsed, boundaryCase);
  record("fromVenue", loads, boundaryCase);
  let described = loaded.accounts();
  const [formatted, serialized] = await alternate(() => { described = loaded.accounts(); }, () => JSON.stringify(described));
  record("accounts()", formatted, boundaryCase);
  record("JSON.stringify", serialized, boundaryCase);
}

const ratios = {};
for (const [name, baseline] of [
  ["loadColumns", "standard recompute"],
  ["portfolio recompute scalar", "portfolio recompute"],
  ["portfolio recompute", "standard recompute"],
  ["portfolio recompute", "portfolio recompute linear-only"],
  ["portfolio recompute wide", "portfolio recompute"],
  ["portfolio recompute", "native C"],
  ["JS f64", "portfolio recompute"],
  ["BigInt twin (scaled)", "portfolio recompute"],
  ["JS f64", "native C"],
  ["restore", "loadColumns"],
  ["tick refresh", "portfolio recompute"],
  ["tick + queue refresh", "portfolio recompute"],
  ["queue refresh", "portfolio recompute"],
  ["checkOrder", "checkOrderRaw"],
  ["portfolio recompute 1 worker", "portfolio recompute 2 workers"],
  ["fromVenue", "JSON.parse"],
  ["accounts()", "JSON.stringify"],
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
