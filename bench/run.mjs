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
const engine = await MarginEngine.fromVenue({ ...venue, accounts: [] });
engine.loadColumns(columns);
const stats = engine.stats();
const bytesPerAccount = stats.liveBytes / accounts;
log(`live state ${(stats.liveBytes / 2 ** 20).toFixed(1)} MiB (${bytesPerAccount.toFixed(1)} bytes/account at ${positionsPerAccount.toFixed(2)} positions), wasm memory ${(stats.memoryBytes / 2 ** 20).toFixed(1)} MiB, module ${stats.wasmBytes} bytes`);

const results = [
  measure("standard recompute", () => engine.recompute(), { positionsPerAccount, scenarios: 0, bytesPerAccount }),
  measure("loadColumns", () => engine.loadColumns(columns), { positionsPerAccount, scenarios: 0, bytesPerAccount }),
];
const report = {
  host: { node: process.version, cpu: cpus()[0]?.model ?? "unknown", cores: cpus().length },
  module: { wasmBytes: stats.wasmBytes, liveBytes: stats.liveBytes, memoryBytes: stats.memoryBytes },
  results,
  ratios: { "loadColumns/standard recompute": results[1].medianMs / results[0].medianMs },
};
if (values.json) process.stdout.write(JSON.stringify(report, null, 2) + "\n");
