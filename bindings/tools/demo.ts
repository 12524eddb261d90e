// The main job (`npm start`): a synthetic venue loaded through the bulk columns path and
// margined, then a market crash replayed tick by tick through multi-source oracles — one feed
// goes silent, one prints a bad price the deviation filter must drop, and ETH loses every feed
// for a while — with a liquidation pass after every tick. Each tick checks that the pass only
// moved money (Σ equity + fund unchanged to the µ-unit).
import { writeFileSync } from "node:fs";
import { SingleBar, Presets } from "cli-progress";
import { MarginEngine } from "../engine.js";
import { generateVenue } from "./generate.js";
import { formatDecimal, parseDecimal, MONEY_SCALE } from "../core/decimal.js";
import { renderReport, type CrashReport, type CrashTick } from "./report.js";

export interface DemoOptions { accounts: number; seed: number; ticks?: number; report?: string }

const TICK_MS = 10_000;
/** Fraction of its starting price each underlying loses by the end of the replay. */
const CRASH = { BTC: 0.35, ETH: 0.4, SOL: 0.3 } as const;
const FEEDS = { BTC: ["feedA", "feedB", "feedC"], ETH: ["feedA", "feedB"], SOL: ["feedA", "feedB"] } as const;
type Underlying = keyof typeof CRASH;

/** The price path: a fall that accelerates, then settles (smoothstep over the first 80 %). */
function priceAt(start: number, drop: number, tick: number, ticks: number): number {
  const x = Math.min(1, tick / (0.8 * ticks));
  return start * (1 - drop * x * x * (3 - 2 * x));
}

/** Which feeds print at a tick, and at what price: the oracle incidents of the replay. */
function prints(u: Underlying, fair: number, tick: number, ticks: number): [string, number][] {
  const silentC = tick >= Math.round(ticks / 3) && tick < Math.round(ticks / 3) + 15;
  const ethOutage = tick >= Math.round(ticks / 2) && tick < Math.round(ticks / 2) + 9;
  const badPrint = tick === Math.round(ticks / 4);
  return FEEDS[u].flatMap((feed, k): [string, number][] => {
    if (u === "BTC" && feed === "feedC" && silentC) return [];
    if (u === "ETH" && ethOutage) return [];
    const skew = 1 + (k - 1) * 0.0004;
    if (u === "BTC" && feed === "feedB" && badPrint) return [[feed, fair * 0.75]];
    return [[feed, fair * skew]];
  });
}

function tickSize(price: number): number {
  return price >= 1000 ? 0.5 : price >= 100 ? 0.05 : 0.01;
}

function timed<T>(stages: [string, number][], name: string, work: () => T): T {
  process.stderr.write(`${name}…\n`);
  const start = performance.now();
  const result = work();
  stages.push([name, performance.now() - start]);
  return result;
}

export async function runDemo({ accounts, seed, ticks = 60, report }: DemoOptions): Promise<void> {
  const stages: [string, number][] = [];
  const { venue, columns } = timed(stages, `generate ${accounts.toLocaleString("en-US")} accounts (seed ${seed})`, () => generateVenue({ accounts, seed }));
  const start = Date.parse(venue.now);
  const spots = Object.fromEntries(venue.underlyings.map((u) => [u.id as string, Number(u.spot)])) as Record<Underlying, number>;
  const underlyings = venue.underlyings.map((u) => ({
    ...u,
    sources: FEEDS[u.id as Underlying].map((feed) => ({ id: feed, price: u.spot, time: venue.now })),
  }));
  // a fund of 2 USD an account runs dry early in the crash, so ADL has to step in
  const engine = await MarginEngine.fromVenue({ ...venue, underlyings, insuranceFund: String(2 * accounts), accounts: [] });
  timed(stages, "load columns", () => engine.loadColumns(columns));
  timed(stages, "recompute margin (standard and portfolio)", () => engine.recompute());
  const before = engine.totals();

  process.stderr.write(`crash replay: ${ticks} ticks of ${TICK_MS / 1000} s, BTC −35 %, ETH −40 %, SOL −30 %\n`);
  const bar = new SingleBar({ format: "replay [{bar}] {value}/{total} ticks | queue {queue} | fund {fund}", stream: process.stderr, hideCursor: true }, Presets.shades_classic);
  bar.start(ticks, 0, { queue: 0, fund: engine.fund() });
  const rows: CrashTick[] = [];
  let socialized = 0n, liquidated = 0, bankruptcies = 0, fills = 0, fees = 0n, ignoredTotal = 0, deferredTicks = 0;
  const replayStart = performance.now();
  for (let tick = 0; tick <= ticks; tick++) {
    const tickStart = performance.now();
    const time = start + (tick + 1) * TICK_MS;
    engine.settleExpired(time);
    const prices: Record<string, string> = {};
    let ignored = 0;
    for (const u of Object.keys(CRASH) as Underlying[]) {
      const fair = priceAt(spots[u], CRASH[u], tick, ticks);
      const printed = prints(u, fair, tick, ticks);
      for (const [feed, price] of printed) {
        const step = tickSize(price);
        engine.setPrice(u, (Math.round(price / step) * step).toFixed(2), time, feed);
      }
      // a print more than maxSourceDeviation from the median of the fresh ones is dropped
      if (printed.length >= 3) ignored += printed.filter(([, p]) => Math.abs(p / fair - 1) > 0.03).length;
      prices[u] = formatDecimal(engine.underlyingIndex(u), 8);
    }
    const stale = engine.staleUnderlyings();
    const sums = engine.runningTotals();
    const fundBefore = engine.fundRaw();
    const pass = engine.liquidate();
    const after = engine.runningTotals();
    const moved = after.equity - sums.equity + (engine.fundRaw() - fundBefore);
    if (moved !== 0n) throw new Error(`tick ${tick}: the liquidation pass moved ${moved} µ-units out of Σ equity + fund`);

    const deferred = pass.queue.filter((q) => q.deferred).length;
    const partial = pass.queue.filter((q) => !q.bankruptcy && q.orders.length > 0).length;
    const bankrupt = pass.queue.filter((q) => q.bankruptcy).length;
    const adl = pass.queue.reduce((n, q) => n + q.adl.length, 0);
    socialized += parseDecimal(pass.socializedLoss, MONEY_SCALE, "socializedLoss");
    fees += parseDecimal(pass.feesPaid, MONEY_SCALE, "feesPaid");
    liquidated += partial;
    bankruptcies += bankrupt;
    fills += adl;
    ignoredTotal += ignored;
    if (stale.length > 0) deferredTicks++;
    rows.push({
      tick, timeMs: time, prices, staleUnderlyings: stale, ignoredSources: ignored,
      queueLength: pass.queue.length, deferred, liquidations: partial, bankruptcies: bankrupt,
      fees: pass.feesPaid, insuranceFund: pass.insuranceFund, adlFills: adl,
      socializedLoss: formatDecimal(socialized, MONEY_SCALE), ms: performance.now() - tickStart,
    });
    bar.update(tick, { queue: pass.queue.length, fund: pass.insuranceFund });
  }
  bar.stop();
  stages.push([`crash replay (${ticks} ticks)`, performance.now() - replayStart]);

  const totals = engine.totals();
  const stats = engine.stats();
  const tickTimes = rows.map((r) => r.ms).sort((a, b) => a - b);
  const summary: [string, string][] = [
    ["accounts", totals.accounts.toLocaleString("en-US")],
    ["positions", stats.positions.toLocaleString("en-US")],
    ...Object.entries(before.statusCounts).map(([s, n]): [string, string] => [`  ${s} before the crash`, `${n.toLocaleString("en-US")} (${((100 * n) / Math.max(1, before.accounts)).toFixed(2)}%)`]),
    ["equity before", before.equity],
    ["maintenance margin before", before.maintenanceMargin],
    ["accounts liquidated (partial)", liquidated.toLocaleString("en-US")],
    ["bankruptcies closed out", bankruptcies.toLocaleString("en-US")],
    ["liquidation fees to the fund", formatDecimal(fees, MONEY_SCALE)],
    ["ADL fills", fills.toLocaleString("en-US")],
    ["socialized loss", formatDecimal(socialized, MONEY_SCALE)],
    ["insurance fund after", engine.fund()],
    ["oracle prints ignored (deviation)", String(ignoredTotal)],
    ["ticks with a stale underlying", String(deferredTicks)],
    ...Object.entries(totals.statusCounts).map(([s, n]): [string, string] => [`  ${s} after`, n.toLocaleString("en-US")]),
    ["Σ equity + fund conserved by every pass", "yes"],
    ["live state", `${(stats.liveBytes / 2 ** 20).toFixed(1)} MiB (${Math.round(stats.liveBytes / Math.max(1, totals.accounts))} bytes/account)`],
    ["wasm memory", `${(stats.memoryBytes / 2 ** 20).toFixed(1)} MiB`],
    ["tick (refresh + queue + pass) median", `${tickTimes[tickTimes.length >> 1].toFixed(1)} ms`],
    ...stages.map(([name, ms]): [string, string] => [`time: ${name}`, `${ms.toFixed(1)} ms`]),
  ];
  const width = Math.max(...summary.map(([k]) => k.length));
  process.stdout.write(summary.map(([k, v]) => `${k.padEnd(width)}  ${v}`).join("\n") + "\n");
  if (report !== undefined) {
    const page: CrashReport = { title: "margin-core crash replay", accounts, seed, generatedAt: new Date().toISOString(), summary, ticks: rows };
    writeFileSync(report, renderReport(page));
    process.stderr.write(`report written to ${report}\n`);
  }
}
