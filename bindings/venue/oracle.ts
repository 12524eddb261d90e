// The index of an underlying from its oracle sources (docs/methodology.md §11): the median of sources
// updated within maxPriceAge of `now`, after dropping sources more than maxSourceDeviation
// from that median, while those left are more than half of the sources. An even count takes the
// mean of the two middle prices, rounded down.
import { ONE } from "../core/constants.generated.js";
import { fail } from "../core/errors.js";
import type { Params } from "./params.js";

export interface PriceSource { id: string; price: bigint; time: number }

function median(prices: bigint[]): bigint {
  const sorted = [...prices].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2n;
}

/**
 * The latest of `clock` and the sources' times, where prints of them would move the oracle clock;
 * fails at `field`[k].time for a source more than `skewMs` ahead of `clock` (`clockName` names it).
 */
export function latestSourceTime(sources: PriceSource[], clock: number, skewMs: number, field: string, clockName: string): number {
  let latest = clock;
  sources.forEach((source, k) => {
    if (source.time > clock + skewMs) fail("OUT_OF_RANGE", `${field}[${k}].time`, `more than maxClockSkew (${skewMs / 1000} s) ahead of ${clockName}`);
    if (source.time > latest) latest = source.time;
  });
  return latest;
}

/** The median of every source regardless of age: a stale underlying's last known index. */
export function lastKnownIndex(sources: PriceSource[]): bigint {
  return median(sources.map((s) => s.price));
}

/**
 * Whether each source counts towards the index at `now`: fresh, and within maxSourceDeviation of
 * the fresh sources' median. The counted ones make the index while they are more than half.
 */
export function countedSources(sources: PriceSource[], now: number, params: Params): boolean[] {
  const fresh = sources.map((s) => s.time <= now && now - s.time <= params.maxPriceAgeMs);
  const freshPrices = sources.filter((_, k) => fresh[k]).map((s) => s.price);
  if (freshPrices.length === 0) return fresh;
  const center = median(freshPrices);
  return sources.map((s, k) => {
    const distance = s.price > center ? s.price - center : center - s.price;
    return fresh[k] && distance * ONE <= params.maxSourceDeviation * center;
  });
}

/**
 * The index, or null — the underlying is stale — unless more than half of its sources are fresh
 * and within maxSourceDeviation of the fresh sources' median. A quorum, not any fresh source: a
 * single feed whose print is dated ahead of the others moves the clock past them and ages them
 * out, and it must not then be the index alone (nor two feeds far apart pick one of them).
 */
export function indexFromSources(sources: PriceSource[], now: number, params: Params): bigint | null {
  const counted = countedSources(sources, now, params);
  const kept = sources.filter((_, k) => counted[k]).map((s) => s.price);
  return 2 * kept.length <= sources.length ? null : median(kept);
}
