// Our 64×64→128 multiply-divide against as-bignum's u128, same inputs, same process:
// `node bench/wide-multiply/run.mjs [--json]`. Exits non-zero if the two ever disagree.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Benchmark from "benchmark";
import { benchOptions } from "../arguments.mjs";

const { values } = benchOptions("node bench/wide-multiply/run.mjs", { json: { help: "print the report as JSON (default: one line)" } });
const root = new URL("../../", import.meta.url).pathname;
const out = join(mkdtempSync(join(tmpdir(), "wide-multiply-")), "kernels.wasm");
// compiled from its own folder: asc would otherwise read the engine's asconfig.json (entries, imported memory)
execFileSync(join(root, "node_modules/.bin/asc"), ["kernels.ts", "--outFile", out, "-O3", "--noAssert", "--runtime", "incremental"], { cwd: join(root, "bench/wide-multiply"), stdio: ["ignore", "ignore", "inherit"] });
const { instance } = await WebAssembly.instantiate(readFileSync(out), { env: { abort() { throw new Error("abort"); } } });
const kernels = instance.exports;

const N = 1_000_000;
kernels.fill(N, 0x9e3779b97f4a7c15n);
const mismatch = kernels.firstDisagreement(N);
if (mismatch !== -1) throw new Error(`the two routines disagree at input ${mismatch}`);

const figures = {};
for (const name of ["ours", "bignum"]) {
  const bench = new Benchmark(name, () => kernels[name](N), { minSamples: 7, maxTime: 3 });
  bench.run();
  const samples = [...bench.stats.sample].sort((a, b) => a - b);
  figures[name] = { nsPerOperation: (samples[samples.length >> 1] * 1e9) / N, samples: samples.length };
}
const report = { operations: N, ...figures, ratio: { "bignum/ours": figures.bignum.nsPerOperation / figures.ours.nsPerOperation } };
if (values.json) console.log(JSON.stringify(report, null, 2));
else console.log(`⌊a×b/d⌋, ${N.toLocaleString("en-US")} inputs: ours ${figures.ours.nsPerOperation.toFixed(2)} ns, as-bignum ${figures.bignum.nsPerOperation.toFixed(2)} ns, as-bignum/ours ${report.ratio["bignum/ours"].toFixed(1)}×`);
