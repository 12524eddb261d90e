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
// Risk-array rebuild: a price tick re-prepares every instrument (marks, risk arrays, greeks).
const tick = Date.parse(venue.now) + 1000;
let price = 65000;
results.push(measure("risk-array rebuild", () => {
  portfolioSimd.setPrice("BTC", String((price += 1)), tick);
  portfolioSimd.lotGreeks("BTC-PERP");
}, { instruments, scenarios }));
const median = (name) => results.find((r) => r.name === name).medianMs;
const report = {
  host: { node: process.version, cpu: cpus()[0]?.model ?? "unknown", cores: cpus().length },
  module: { wasmBytes: stats.wasmBytes, liveBytes: stats.liveBytes, memoryBytes: stats.memoryBytes },
  results,
  ratios: {
    "loadColumns/standard recompute": median("loadColumns") / median("standard recompute"),
    "portfolio recompute scalar/portfolio recompute": median("portfolio recompute scalar") / median("portfolio recompute"),
    "portfolio recompute/standard recompute": median("portfolio recompute") / median("standard recompute"),
  },
};
log(Object.entries(report.ratios).map(([k, v]) => `${k}: ${v.toFixed(2)}`).join("\n"));
if (values.json) process.stdout.write(JSON.stringify(report, null, 2) + "\n");
