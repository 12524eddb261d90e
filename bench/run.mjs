// The benchmark suite: `npm run bench -- [--accounts N] [--json]`. Every figure is a median of
// benchmark.js samples taken in this process; ratios compare figures from this same run.
import { parseArgs } from "node:util";
import { cpus } from "node:os";
import Benchmark from "benchmark";
import { MarginEngine, generateVenue } from "../build/index.js";

const { values } = parseArgs({
  options: { accounts: { type: "string", default: "1000000" }, seed: { type: "string", default: "1" }, json: { type: "boolean", default: false } },
});
const accounts = Number(values.accounts);
const seed = Number(values.seed);
const log = (line) => { if (!values.json) process.stderr.write(line + "\n"); };

/** Runs `fn` as a benchmark.js case and reports the median and minimum of its samples. */
function measure(name, fn, extra = {}) {
  const bench = new Benchmark(name, fn, { minSamples: 5, maxTime: 3, initCount: 1 });
  bench.run();
  const samples = [...bench.stats.sample].sort((a, b) => a - b);
  const result = {
    name, accounts, medianMs: samples[samples.length >> 1] * 1000, minMs: samples[0] * 1000, samples: samples.length, ...extra,
  };
  log(`${name.padEnd(28)} median ${result.medianMs.toFixed(2)} ms  min ${result.minMs.toFixed(2)} ms  (${result.samples} samples)`);
  return result;
}

log(`generating ${accounts.toLocaleString("en-US")} accounts (seed ${seed})…`);
const { venue, columns } = generateVenue({ accounts, seed });
const positionsPerAccount = columns.positionOffsets[accounts] / accounts;
// The standard case holds every account in standard mode; the portfolio cases below, every one in portfolio mode.
const standardColumns = { ...columns, mode: new Uint8Array(accounts) };
const engine = await MarginEngine.fromVenue({ ...venue, accounts: [] });
engine.loadColumns(standardColumns);
const stats = engine.stats();
const bytesPerAccount = stats.liveBytes / accounts;
log(`live state ${(stats.liveBytes / 2 ** 20).toFixed(1)} MiB (${bytesPerAccount.toFixed(1)} bytes/account at ${positionsPerAccount.toFixed(2)} positions), wasm memory ${(stats.memoryBytes / 2 ** 20).toFixed(1)} MiB, module ${stats.wasmBytes} bytes`);

/** The same accounts, all in portfolio mode, in an engine of the given build. */
async function portfolioEngine(simd) {
  const portfolio = await MarginEngine.fromVenue({ ...venue, accounts: [] }, { simd });
  portfolio.loadColumns({ ...columns, mode: new Uint8Array(accounts).fill(1) });
  return portfolio;
}
const portfolioSimd = await portfolioEngine(true);
const portfolioScalar = await portfolioEngine(false);
const scenarios = portfolioSimd.scenarioGrid().length;
const instruments = venue.instruments.length;

const results = [
  measure("standard recompute", () => engine.recompute(), { positionsPerAccount, scenarios: 0, bytesPerAccount }),
  measure("portfolio recompute", () => portfolioSimd.recompute(), { positionsPerAccount, scenarios, bytesPerAccount }),
  measure("portfolio recompute scalar", () => portfolioScalar.recompute(), { positionsPerAccount, scenarios, bytesPerAccount }),
  measure("loadColumns", () => engine.loadColumns(standardColumns), { positionsPerAccount, scenarios: 0, bytesPerAccount }),
];
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
results.push(measure("portfolio recompute linear-only", () => linearEngine.recompute(), { positionsPerAccount: linearPerAccount, scenarios, bytesPerAccount }));

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

// Risk-array rebuild: a price tick re-prepares every instrument (marks, risk arrays, greeks).
const tick = Date.parse(venue.now) + 1000;
let price = 65000;
results.push(measure("risk-array rebuild", () => {
  portfolioSimd.setPrice("BTC", String((price += 1)), tick);
  portfolioSimd.lotGreeks("BTC-PERP");
}, { instruments, scenarios }));
let chainPrice = 65000;
results.push(measure("risk-array rebuild 10k options", () => {
  chain.setPrice("BTC", String((chainPrice += 1)), tick);
  chain.lotGreeks("O0");
}, { instruments: 10_000, scenarios }));
const median = (name) => results.find((r) => r.name === name).medianMs;
const report = {
  host: { node: process.version, cpu: cpus()[0]?.model ?? "unknown", cores: cpus().length },
  module: { wasmBytes: stats.wasmBytes, liveBytes: stats.liveBytes, memoryBytes: stats.memoryBytes },
  results,
  ratios: {
    "loadColumns/standard recompute": median("loadColumns") / median("standard recompute"),
    "portfolio recompute scalar/portfolio recompute": median("portfolio recompute scalar") / median("portfolio recompute"),
    "portfolio recompute/standard recompute": median("portfolio recompute") / median("standard recompute"),
    "portfolio recompute/portfolio recompute linear-only": median("portfolio recompute") / median("portfolio recompute linear-only"),
  },
};
log(Object.entries(report.ratios).map(([k, v]) => `${k}: ${v.toFixed(2)}`).join("\n"));
if (values.json) process.stdout.write(JSON.stringify(report, null, 2) + "\n");
