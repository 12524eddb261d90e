// The main job (`npm start`): a synthetic venue loaded through the bulk columns path and
// margined, then a market crash replayed tick by tick through multi-source oracles — one feed
// goes silent, one prints a bad price the deviation filter must drop, and ETH loses every feed
// for a while — with a liquidation pass after every tick. The venue is the generated one with
// liquidation caps and market depth sized to it, so the replay meets every rule of a pass.
import { SingleBar, Presets } from "cli-progress";
import { MarginEngine } from "../engine.js";
import { generateVenue, type VenueReference } from "./generate.js";
import { moneyText } from "./money-text.js";
import { replayCrash, type CrashPlan, type Print } from "./crash.js";
import { renderReport, type CrashReport } from "./report.js";

export interface DemoOptions {
  accounts: number; seed: number; ticks?: number; insuranceFund?: string; json?: boolean;
  /** Also render the HTML report. */
  report?: boolean;
  /** Where progress goes (default: process.stderr); a progress bar is drawn only on a terminal. */
  progress?: { write(text: string): unknown };
}

/** What a run produced: the summary for stdout (a table, or one line of JSON) and the HTML report if asked for. */
export interface DemoOutput { summary: string; report?: string }

const TICK_MS = 10_000;
/** Fraction of its starting price each underlying loses by the end of the replay. */
const CRASH = { BTC: 0.35, ETH: 0.4, SOL: 0.3 } as const;
const FEEDS = { BTC: ["feedA", "feedB", "feedC"], ETH: ["feedA", "feedB"], SOL: ["feedA", "feedB"] } as const;
type Underlying = keyof typeof CRASH;

/** The price path: a fall that accelerates, then settles (smoothstep over the first 80 %). */
export function priceAt(start: number, drop: number, tick: number, ticks: number): number {
  const x = Math.min(1, tick / (0.8 * ticks));
  return start * (1 - drop * x * x * (3 - 2 * x));
}

/** A price rounded to the venue's tick size for it, as a decimal string. */
function onTick(price: number): string {
  const step = price >= 1000 ? 0.5 : price >= 100 ? 0.05 : 0.01;
  return (Math.round(price / step) * step).toFixed(2);
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

/**
 * The demo's liquidation settings, scaled to the venue: 1,000,000 USD per account and 250 USD per
 * account of the venue per pass, fund payouts of 25 USD per account per pass, and a depth per
 * instrument of 100 USD per account (linear, 0.5 % impact at full depth) or 10 USD (options, 2 %).
 */
function demoLiquidationSettings(venue: VenueReference, accounts: number): VenueReference {
  const scaled = (usd: number) => String(Math.max(1, usd * accounts));
  return {
    ...venue,
    params: {
      ...venue.params,
      maxLiquidationNotionalPerAccount: "1000000",
      maxLiquidationNotionalPerPass: scaled(250),
      maxInsuranceLossPerPass: scaled(25),
    },
    instruments: venue.instruments.map((i) => ({
      ...i, liquidity: i.kind === "option" ? { notional: scaled(10), slippage: "0.02" } : { notional: scaled(100), slippage: "0.005" },
    })),
  };
}

function timed<T>(progress: NonNullable<DemoOptions["progress"]>, stages: [string, number][], name: string, work: () => T): T {
  progress.write(`${name}…\n`);
  const start = performance.now();
  const result = work();
  stages.push([name, performance.now() - start]);
  return result;
}

export async function runDemo({ accounts, seed, ticks = 60, report = false, insuranceFund, json = false, progress = process.stderr }: DemoOptions): Promise<DemoOutput> {
  const stages: [string, number][] = [];
  const generated = timed(progress, stages, `generate ${accounts.toLocaleString("en-US")} accounts (seed ${seed})`, () => generateVenue({ accounts, seed }));
  const venue = demoLiquidationSettings(generated.venue, accounts);
  const start = Date.parse(venue.now);
  const spots = Object.fromEntries(venue.underlyings.map((u) => [u.id as string, Number(u.spot)])) as Record<Underlying, number>;
  const underlyings = venue.underlyings.map((u) => ({
    ...u,
    sources: FEEDS[u.id as Underlying].map((feed) => ({ id: feed, price: u.spot, time: venue.now })),
  }));
  const engine = await MarginEngine.fromVenue({ ...venue, underlyings, insuranceFund: insuranceFund ?? venue.insuranceFund, accounts: [] });
  timed(progress, stages, "load columns", () => engine.loadColumns(generated.columns));
  timed(progress, stages, "recompute margin (standard and portfolio)", () => engine.recompute());
  const before = engine.totals();

  const plan: CrashPlan = {
    underlyings: Object.keys(CRASH), ticks, startMs: start + TICK_MS, tickMs: TICK_MS,
    prints(tick) {
      const out: Print[] = [];
      for (const u of Object.keys(CRASH) as Underlying[]) {
        const fair = priceAt(spots[u], CRASH[u], tick, ticks);
        for (const [feed, price] of prints(u, fair, tick, ticks)) out.push({ id: u, price: onTick(price), source: feed });
      }
      return out;
    },
  };
  progress.write(`crash replay: ${ticks} ticks of ${TICK_MS / 1000} s, BTC −35 %, ETH −40 %, SOL −30 %\n`);
  // the cursor is left shown: the replay runs without yielding, so after Ctrl-C nothing could show it again
  const bar = new SingleBar({ format: "replay [{bar}] {value}/{total} ticks | queue {queue} | fund {fund}", stream: progress as NodeJS.WritableStream, hideCursor: false }, Presets.shades_classic);
  bar.start(ticks, 0, { queue: 0, fund: engine.fund() });
  const replayStart = performance.now();
  const outcome = replayCrash(engine, plan, (row) => bar.update(row.tick, { queue: row.queueLength, fund: row.insuranceFund }));
  bar.stop();
  stages.push([`crash replay (${ticks} ticks)`, performance.now() - replayStart]);
  const { summary } = outcome;
  if (!summary.conserved) throw new Error("a liquidation pass moved money it did not account for");

  const totals = engine.totals();
  const stats = engine.stats();
  const tickTimes = outcome.ticks.map((r) => r.ms).sort((a, b) => a - b);
  const count = (n: number) => n.toLocaleString("en-US");
  const usd = (text: string) => moneyText(text, venue.settlement);
  const tick0 = outcome.ticks[0];
  const table: [string, string][] = [
    ["accounts", count(totals.accounts)],
    ["positions", count(stats.positions)],
    ...Object.entries(before.statusCounts).map(([s, n]): [string, string] => [`  ${s} before the crash`, `${count(n)} (${((100 * n) / Math.max(1, before.accounts)).toFixed(2)}%)`]),
    ["equity before", usd(before.equity)],
    ["maintenance margin before", usd(before.maintenanceMargin)],
    ["liquidation events (entries traded or settled)", count(summary.liquidationEvents)],
    ["distinct accounts liquidated", count(summary.distinctAccountsLiquidated)],
    ["distinct accounts closed out bankrupt", count(summary.distinctAccountsBankrupt)],
    ["collateral trades (sales, loan buy-backs)", count(summary.collateralSales)],
    ["insurance fund at the start", usd(summary.fundStart)],
    ["  paid out at tick 0 (pre-crash clearing)", usd(tick0.insurancePaid)],
    ["fees, price impact and discounts to the fund", usd(summary.feesToFund)],
    ["insurance paid", usd(summary.insurancePaid)],
    ["ADL fills", count(summary.adlFills)],
    ["  beyond the opponent's equity", count(summary.adlFillsBeyondEquity)],
    ["socialized loss (ADL)", usd(summary.socializedLoss)],
    ["  of which at tick 0", usd(tick0.socializedThisTick)],
    ["bad debt written off", usd(summary.badDebt)],
    ["insurance fund at the end", usd(summary.fundEnd)],
    ["skip records (a limit kept an account back)", count(summary.skipped)],
    ["liquidatable with nothing to do at the end", count(summary.liquidatableWithoutOrdersAtEnd)],
    ["oracle prints ignored (deviation)", count(outcome.ticks.reduce((n, r) => n + r.ignoredSources, 0))],
    ["ticks with a stale underlying", count(outcome.ticks.filter((r) => r.staleUnderlyings.length > 0).length)],
    ...Object.entries(totals.statusCounts).map(([s, n]): [string, string] => [`  ${s} after`, count(n)]),
    ["Σ equity + fund conserved by every pass", summary.conserved ? "yes (up to the haircut released and the bad debt written off)" : "NO"],
    ["live state", `${(stats.liveBytes / 2 ** 20).toFixed(1)} MiB (${Math.round(stats.liveBytes / Math.max(1, totals.accounts))} bytes/account)`],
    ["wasm memory", `${(stats.memoryBytes / 2 ** 20).toFixed(1)} MiB`],
    ["tick (refresh + queue + pass) median", `${tickTimes[tickTimes.length >> 1].toFixed(1)} ms`],
    ...stages.map(([name, ms]): [string, string] => [`time: ${name}`, `${ms.toFixed(1)} ms`]),
  ];
  const width = Math.max(...table.map(([k]) => k.length));
  const text = json ? JSON.stringify(summary) + "\n" : table.map(([k, v]) => `${k.padEnd(width)}  ${v}`).join("\n") + "\n";
  if (!report) return { summary: text };
  const params = venue.params as Record<string, string>;
  const page: CrashReport = {
    title: "margin-core crash replay", accounts, seed, generatedAt: new Date().toISOString(), currency: venue.settlement,
    summary, table, ticks: outcome.ticks,
    caps: { perPass: params.maxLiquidationNotionalPerPass ?? null, perAccount: params.maxLiquidationNotionalPerAccount ?? null, insuranceLossPerPass: params.maxInsuranceLossPerPass ?? null },
  };
  return { summary: text, report: renderReport(page) };
}
