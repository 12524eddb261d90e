// One point of the scale curve, run in its own process so each size starts from a clean heap:
// generate N accounts, load them into an engine whose wasm memory is sized up front, recompute
// `samples` times, tick one underlying, refresh the queue; prints one JSON line on stdout.
import { parseArgs } from "node:util";
import { MarginEngine, generateVenue } from "../build/index.js";

const { values } = parseArgs({ options: { accounts: { type: "string" }, samples: { type: "string", default: "5" }, seed: { type: "string", default: "1" } } });
const accounts = Number(values.accounts), samples = Number(values.samples);
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const time = (fn) => {
  const start = performance.now();
  fn();
  return performance.now() - start;
};

let started = performance.now();
const { venue, columns } = generateVenue({ accounts, seed: Number(values.seed) });
const generateMs = performance.now() - started;
const positions = columns.positionOffsets[accounts], collaterals = columns.collateralOffsets[accounts];
const initialMemory = MarginEngine.memoryEstimate({ accounts, positions, collaterals });
const engine = await MarginEngine.fromVenue({ ...venue, accounts: [] }, { initialMemory });
const loadMs = time(() => engine.loadColumns(columns));
const recomputeMs = Array.from({ length: samples }, () => time(() => engine.recompute()));
let price = 65000;
const tick = Date.parse(venue.now) + 1000;
const tickMs = Array.from({ length: samples }, () => time(() => {
  engine.setPrice("BTC", String((price -= 10)), tick);
  engine.queueOrder();
}));
const stats = engine.stats();
process.stdout.write(JSON.stringify({
  accounts, positionsPerAccount: positions / accounts, collateralsPerAccount: collaterals / accounts,
  generateMs, loadMs, recomputeMedianMs: median(recomputeMs), recomputeMinMs: Math.min(...recomputeMs),
  tickQueueMedianMs: median(tickMs), samples,
  liveBytesPerAccount: stats.liveBytes / accounts, memoryBytes: stats.memoryBytes, initialMemory,
}) + "\n");
