// Scale curves: `npm run bench:scale -- [--sizes 10000,100000,1000000,10000000] [--samples 5]`.
// Each size runs in its own process (bench/scale-point.mjs) with wasm memory sized up front;
// the points go to bench/results/scale.json and a self-contained chart, bench/results/scale.html
// (uPlot inlined): time per recompute, per tick + queue refresh and bytes per account against N.
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { MAX_SYNTHETIC_ACCOUNTS } from "../build/generate.js";
import { benchOptions, integerIn } from "./arguments.mjs";

const { values, refuse } = benchOptions("npm run bench:scale --", {
  sizes: { value: "N,N,…", default: "10000,100000,1000000,10000000", help: `the venue sizes, in accounts, each 1 … ${MAX_SYNTHETIC_ACCOUNTS.toLocaleString("en-US")}` },
  samples: { value: "K", integer: [1, 1000], default: 5, help: "recomputes and ticks timed at each size, their median reported" },
});
const sizes = values.sizes.split(",").map((size) => integerIn(size, [1, MAX_SYNTHETIC_ACCOUNTS]));
if (sizes.includes(undefined)) refuse(`--sizes must list integers in [1, ${MAX_SYNTHETIC_ACCOUNTS}], got ${values.sizes}`);
const point = new URL("./scale-point.mjs", import.meta.url).pathname;
const results = new URL("./results/", import.meta.url).pathname;

const points = [];
for (const accounts of sizes) {
  process.stderr.write(`${accounts.toLocaleString("en-US")} accounts… `);
  // the generated columns live in JS memory beside the engine: give the heap room at 10M
  const run = spawnSync(process.execPath, ["--max-old-space-size=16384", point, "--accounts", String(accounts), "--samples", String(values.samples)], { encoding: "utf8", maxBuffer: 1 << 20 });
  if (run.status !== 0) throw new Error(`scale point ${accounts} failed: ${run.stderr}`);
  const p = JSON.parse(run.stdout);
  process.stderr.write(`recompute ${p.recomputeMedianMs.toFixed(1)} ms, tick + queue ${p.tickQueueMedianMs.toFixed(1)} ms, ${p.liveBytesPerAccount.toFixed(1)} B/account, wasm memory ${(p.memoryBytes / 2 ** 30).toFixed(2)} GiB\n`);
  points.push(p);
}

const report = { host: { node: process.version, cpu: cpus()[0]?.model ?? "unknown", cores: cpus().length }, points };
mkdirSync(results, { recursive: true });
writeFileSync(`${results}scale.json`, JSON.stringify(report, null, 2) + "\n");
writeFileSync(`${results}scale.html`, chartPage(report));
process.stderr.write(`wrote ${results}scale.json and ${results}scale.html\n`);

function chartPage(data) {
  const uplot = (file) => readFileSync(new URL(`../node_modules/uplot/dist/${file}`, import.meta.url), "utf8");
  const json = JSON.stringify(data).replace(/</g, "\\u003c");
  return `<!doctype html><meta charset="utf-8"><title>margin-core scale</title>
<style>${uplot("uPlot.min.css")} body { font: 14px system-ui, sans-serif; margin: 24px; } .chart { margin-bottom: 24px; }</style>
<h1>margin-core: cost against accounts</h1>
<p>${data.host.cpu}, ${data.host.cores} cores, Node ${data.host.node}. Log–log axes; medians of ${data.points[0]?.samples} runs per point.</p>
<div id="time" class="chart"></div><div id="bytes" class="chart"></div>
<script>${uplot("uPlot.iife.min.js")}</script>
<script>
const data = ${json};
const n = data.points.map((p) => p.accounts);
const log = { distr: 3 };
new uPlot({ title: "ms per operation", width: 800, height: 360, scales: { x: { time: false, ...log }, y: log },
  axes: [{ label: "accounts" }, { label: "ms" }],
  series: [{}, { label: "full recompute", stroke: "#1f77b4", width: 2 }, { label: "tick + queue refresh", stroke: "#d62728", width: 2 }] },
  [n, data.points.map((p) => p.recomputeMedianMs), data.points.map((p) => p.tickQueueMedianMs)], document.getElementById("time"));
new uPlot({ title: "bytes per account", width: 800, height: 300, scales: { x: { time: false, ...log }, y: log },
  axes: [{ label: "accounts" }, { label: "bytes" }],
  series: [{}, { label: "live state", stroke: "#2ca02c", width: 2 }, { label: "wasm memory", stroke: "#9467bd", width: 2 }] },
  [n, data.points.map((p) => p.liveBytesPerAccount), data.points.map((p) => p.memoryBytes / p.accounts)], document.getElementById("bytes"));
</script>
`;
}
