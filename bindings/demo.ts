// The main job (`npm start`): a synthetic venue built through the bulk columns path, a full
// margin recompute, and a summary of accounts per status, venue totals and stage times.
import { MarginEngine } from "./engine.js";
import { generateVenue } from "./generate.js";

export interface DemoOptions { accounts: number; seed: number }

function timed<T>(stages: [string, number][], name: string, work: () => T): T {
  process.stderr.write(`${name}…\n`);
  const start = performance.now();
  const result = work();
  stages.push([name, performance.now() - start]);
  return result;
}

export async function runDemo({ accounts, seed }: DemoOptions): Promise<void> {
  const stages: [string, number][] = [];
  const { venue, columns } = timed(stages, `generate ${accounts.toLocaleString("en-US")} accounts (seed ${seed})`, () => generateVenue({ accounts, seed }));
  const engine = await MarginEngine.fromVenue({ ...venue, accounts: [] });
  timed(stages, "load columns", () => engine.loadColumns(columns));
  timed(stages, "recompute margin (standard and portfolio)", () => engine.recompute());
  const totals = engine.totals();
  const stats = engine.stats();

  const rows: [string, string][] = [
    ["accounts", totals.accounts.toLocaleString("en-US")],
    ["positions", stats.positions.toLocaleString("en-US")],
    ...Object.entries(totals.statusCounts).map(([s, n]): [string, string] => [`  ${s}`, `${n.toLocaleString("en-US")} (${((100 * n) / Math.max(1, totals.accounts)).toFixed(2)}%)`]),
    ["equity", totals.equity],
    ["initial margin", totals.initialMargin],
    ["maintenance margin", totals.maintenanceMargin],
    ["live state", `${(stats.liveBytes / 2 ** 20).toFixed(1)} MiB (${Math.round(stats.liveBytes / Math.max(1, totals.accounts))} bytes/account)`],
    ["wasm memory", `${(stats.memoryBytes / 2 ** 20).toFixed(1)} MiB`],
    ...stages.map(([name, ms]): [string, string] => [`time: ${name}`, `${ms.toFixed(1)} ms`]),
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  process.stdout.write(rows.map(([k, v]) => `${k.padEnd(width)}  ${v}`).join("\n") + "\n");
}
