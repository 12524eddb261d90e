// A crash replayed on an engine: each tick prints its prices, runs one liquidation pass and
// records what the pass did; at the end a dry-run pass tells what would still be left to do.
// Tick 0 prints the starting prices, so its pass clears what was already under water before
// anything moved. Shared by `margin-core demo` and `margin-core whatif --crash`.
import { formatDecimal, MONEY_SCALE, parseDecimal, PRICE_SCALE } from "../core/decimal.js";
import type { MarginEngine } from "../engine.js";
import type { CrashTick } from "./report.js";
import { LiquidationTally, type CrashSummary } from "./tally.js";

/** A price to set at a tick: an underlying's index (or one oracle source of it). */
export interface Print { id: string; price: string; source?: string }

export interface CrashPlan {
  /** The underlyings whose index each tick records. */
  underlyings: string[];
  ticks: number;
  /** Time of tick 0, and between ticks (ms). */
  startMs: number;
  tickMs: number;
  /** The prints of a tick. */
  prints(tick: number): Print[];
}

export interface CrashOutcome { ticks: CrashTick[]; summary: CrashSummary }

/** The prints of sources the engine leaves out of their underlying's index (fresh, so too far from the median). */
function ignoredPrints(engine: MarginEngine, prints: Print[]): number {
  const held = new Map<string, Map<string, boolean>>();
  let ignored = 0;
  for (const p of prints) {
    if (p.source === undefined) continue;
    let counted = held.get(p.id);
    if (counted === undefined) held.set(p.id, (counted = new Map(engine.oracleSources(p.id).map((s) => [s.id, s.counted]))));
    if (counted.get(p.source) === false) ignored++;
  }
  return ignored;
}

export function replayCrash(engine: MarginEngine, plan: CrashPlan, onTick?: (row: CrashTick) => void): CrashOutcome {
  const underlyings = plan.underlyings;
  const tally = new LiquidationTally(engine.stats().accounts, engine.fundRaw());
  const rows: CrashTick[] = [];
  const money = (x: bigint) => formatDecimal(x, MONEY_SCALE);
  let socialized = 0n, badDebt = 0n;
  for (let tick = 0; tick <= plan.ticks; tick++) {
    const started = performance.now();
    const time = plan.startMs + tick * plan.tickMs;
    const prints = plan.prints(tick);
    // contracts whose expiry the clock passes are settled at the index before the tick's prints
    engine.settleExpired(time);
    for (const p of prints) engine.setPrice(p.id, p.price, time, p.source);
    const ignored = ignoredPrints(engine, prints);
    const stale = engine.staleUnderlyings();
    const before = engine.runningTotals().equity + engine.fundRaw();
    const pass = engine.liquidate();
    const moved = engine.runningTotals().equity + engine.fundRaw() - before;
    const figures = tally.add(pass, moved);
    socialized += figures.socializedLoss;
    badDebt += figures.badDebt;
    const row: CrashTick = {
      tick, timeMs: time,
      prices: Object.fromEntries(underlyings.map((u) => [u, formatDecimal(engine.underlyingIndex(u), PRICE_SCALE)])),
      staleUnderlyings: stale, ignoredSources: ignored,
      queueLength: pass.queue.length, deferred: pass.queue.filter((q) => q.deferred).length,
      liquidations: figures.events, bankruptcies: figures.bankrupt, skipped: figures.skipped,
      liquidatedNotional: money(figures.liquidatedNotional), largestAccountNotional: money(figures.largestAccountNotional),
      fees: money(figures.feesToFund), insurancePaid: money(figures.insurancePaid),
      adlFills: figures.adlFills, collateralSales: figures.collateralSales,
      socializedThisTick: money(figures.socializedLoss), badDebtThisTick: money(figures.badDebt),
      socializedLoss: money(socialized), badDebt: money(badDebt),
      insuranceFund: pass.insuranceFund, conserved: moved === figures.badDebt + parseDecimal(pass.haircutReleased, MONEY_SCALE, "haircutReleased"),
      ms: performance.now() - started,
    };
    rows.push(row);
    onTick?.(row);
  }
  return { ticks: rows, summary: tally.summary(engine.fundRaw(), engine.liquidationQueue()) };
}
