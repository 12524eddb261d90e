// Governance what-if on a venue file (`margin-core whatif`): the venue against itself under a
// parameter proposal (engine.whatIf), and optionally the same crash replayed under both — every
// underlying's index falling by `drop` along the demo's path, a liquidation pass a tick.
import { formatDecimal, FRACTION_SCALE, PRICE_SCALE } from "../core/decimal.js";
import { fail } from "../core/errors.js";
import { MAX_TIME_MS } from "../core/time.js";
import { MarginEngine, type WhatIfReport } from "../engine.js";
import { replayCrash, type CrashOutcome, type CrashPlan } from "./crash.js";
import { priceAt } from "./demo.js";
import type { CrashSummary } from "./tally.js";

export interface CrashComparison {
  ticks: number;
  /** Fraction each underlying's index loses, as a decimal string. */
  drop: string;
  current: CrashSummary;
  proposed: CrashSummary;
}

export interface WhatIfOutcome { report: WhatIfReport & { crash?: CrashComparison }; replays?: { current: CrashOutcome; proposed: CrashOutcome } }

const TICK_MS = 10_000;

/**
 * The crash: each underlying from its index now to (1 − drop) of it (drop a raw fraction, 1e9), rounded to whole price units.
 * An underlying priced by oracle sources gets the price from every one of them, so its median is it.
 */
function crashPlan(venue: Record<string, unknown>, engine: MarginEngine, drop: bigint, ticks: number): CrashPlan {
  const underlyings = (venue.underlyings as { id: string; sources?: { id: string }[] }[]) ?? [];
  // the venue's clock is its `now`, or its latest oracle source when that is later
  const start = engine.clock() + TICK_MS;
  const index = new Map(underlyings.map((u) => [u.id, engine.underlyingIndex(u.id)]));
  return {
    underlyings: underlyings.map((u) => u.id), ticks, startMs: start, tickMs: TICK_MS,
    prints(tick) {
      // the path's shape is a double; it becomes an exact fraction (1e9) before it touches a price
      const keep = BigInt(Math.round(priceAt(1, Number(drop) / 1e9, tick, ticks) * 1e9));
      return underlyings.flatMap((u) => {
        const raw = (index.get(u.id)! * keep) / 1_000_000_000n, price = formatDecimal(raw > 0n ? raw : 1n, PRICE_SCALE);
        const sources = u.sources ?? [];
        return sources.length === 0 ? [{ id: u.id, price }] : sources.map((source) => ({ id: u.id, price, source: source.id }));
      });
    },
  };
}

export async function whatIf(text: string, params: unknown, options: { top: number; crash?: { drop: bigint; ticks: number } }): Promise<WhatIfOutcome> {
  const engine = await MarginEngine.fromVenue(text);
  const report: WhatIfReport & { crash?: CrashComparison } = await engine.whatIf(params, { top: options.top });
  if (options.crash === undefined) return { report };
  const { drop, ticks } = options.crash;
  // tick t prints at the clock + (t + 1) × 10 s: the last of them must be a time a price can carry
  const fit = Math.floor((MAX_TIME_MS - engine.clock()) / TICK_MS) - 1;
  if (ticks > fit) {
    fail("OUT_OF_RANGE", "--ticks", `${ticks} ticks of 10 s after the venue's clock, ${new Date(engine.clock()).toISOString()}, end past ${new Date(MAX_TIME_MS).toISOString()}; at most ${Math.max(0, fit)} fit`);
  }
  const venue = JSON.parse(text) as Record<string, unknown>;
  const current = await MarginEngine.restore(engine.snapshot());
  const proposed = await engine.withParams(params);
  const replays = {
    current: replayCrash(current, crashPlan(venue, current, drop, ticks)),
    proposed: replayCrash(proposed, crashPlan(venue, proposed, drop, ticks)),
  };
  report.crash = { ticks, drop: formatDecimal(drop, FRACTION_SCALE), current: replays.current.summary, proposed: replays.proposed.summary };
  return { report, replays };
}
