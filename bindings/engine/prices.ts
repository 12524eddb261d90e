// Price updates: an underlying's index (directly or through one of its oracle sources), an
// instrument's mark, or an asset's own price; and the oracle clock that judges staleness
// (docs/methodology.md §11). Every check runs before anything changes.
import { fail } from "../core/errors.js";
import { formatDecimal, PRICE_SCALE, rangeText } from "../core/decimal.js";
import { countedSources, indexFromSources } from "../venue/oracle.js";
import { KIND_CALL, MAX_PRICE } from "../core/constants.generated.js";
import { priceArguments } from "../venue/price-arguments.js";
import { beyondNotional, positionBeyondLimit } from "../venue/reference.js";
import type { Catalog, UnderlyingRow } from "./catalog.js";
import type { OracleSource } from "./types.js";
import type { Expiry } from "./expiry.js";

export class Prices {
  constructor(private readonly catalog: Catalog, private readonly expiry: Expiry) {}

  /**
   * Every check of a price update, then the update itself as a function that cannot fail. The
   * arguments are judged first, on their own (the sharded engine judges them the same way before
   * any shard sees them). A timestamp is a whole ms, at most maxClockSkew ahead of the oracle
   * clock (so one bad feed cannot jump the clock and freeze the others), and never past what a
   * snapshot can write.
   */
  plan(id: unknown, price: unknown, timestamp: unknown, source?: unknown): () => void {
    const { id: key, raw, time: timestampMs, source: feed } = priceArguments(id, price, timestamp, source);
    const catalog = this.catalog;
    const ahead = catalog.clock + catalog.params.maxClockSkewMs;
    if (timestampMs > ahead) fail("OUT_OF_RANGE", "timestamp", `${timestampMs} is more than maxClockSkew (${catalog.params.maxClockSkewMs / 1000} s) ahead of the oracle clock ${catalog.clock}; settleExpired(now) moves the clock`);
    const target = catalog.find(key);
    if (target === undefined) fail("UNKNOWN_ID", "id", `no underlying, instrument or asset "${key}"`);
    if (raw === 0n && !("instrument" in target && catalog.instruments[target.instrument].kind >= KIND_CALL)) fail("OUT_OF_RANGE", "price", `0 is outside ${rangeText(1n, MAX_PRICE, PRICE_SCALE)}: only an option's premium may be 0`);
    if (!("underlying" in target) && feed !== undefined) fail("MALFORMED", "source", `"${key}" is not an underlying: only underlyings have oracle sources`);
    if ("underlying" in target) return this.planIndex(target.underlying, raw, timestampMs, feed);
    if ("instrument" in target) {
      const i = target.instrument, row = catalog.instruments[i];
      if (timestampMs < row.priceTime) fail("OUT_OF_RANGE", "timestamp", "older than the price held");
      if (beyondNotional(catalog.maxLotsHeld(i), { ...row, mark: raw }, catalog.underlying(row.underlying).index)) {
        fail("OUT_OF_RANGE", "price", positionBeyondLimit(row.id));
      }
      return () => {
        catalog.instruments[i] = { ...row, mark: raw, priceTime: timestampMs };
        catalog.syncMark(i);
      };
    }
    const a = target.asset, row = catalog.assets[a];
    if (row.underlying !== null) fail("MALFORMED", "id", `asset "${key}" is priced by underlying "${row.underlying}"`);
    if (row.id === catalog.settings.settlement) fail("OUT_OF_RANGE", "price", "the settlement asset is priced 1");
    if (timestampMs < row.priceTime) fail("OUT_OF_RANGE", "timestamp", "older than the price held");
    catalog.assertAssetPriceFits(a, raw, "price");
    return () => {
      catalog.assets[a] = { ...row, price: raw, priceTime: timestampMs };
      catalog.syncAssetPrice(a, row.price);
    };
  }

  /**
   * Adds or replaces an underlying. Its sources and its `priceTime` count as prints: a time more
   * than maxClockSkew ahead of the oracle clock is refused, and the latest one ahead of it moves the
   * clock, once every index the move re-derives has been checked against what is held.
   */
  upsertUnderlying(value: unknown): void {
    const catalog = this.catalog;
    const plan = catalog.planUnderlying(value);
    const movedBy = plan.clock > catalog.clock && plan.clock === plan.row.priceTime ? "underlying.priceTime" : "underlying.sources";
    this.checkClockMove(plan.clock, movedBy, plan.existing ?? -1);
    catalog.applyUnderlying(plan);
    this.advanceClock(plan.clock);
  }

  private planIndex(u: number, raw: bigint, timestampMs: number, source: string | undefined): () => void {
    const catalog = this.catalog, row = catalog.underlyings[u];
    this.checkClockMove(timestampMs, "timestamp", u);
    let next: UnderlyingRow;
    if (source !== undefined) {
      const s = row.sources.findIndex((x) => x.id === source);
      if (s < 0) fail("UNKNOWN_ID", "source", `underlying "${row.id}" has no source "${source}"`);
      if (timestampMs < row.sources[s].time) fail("OUT_OF_RANGE", "timestamp", "older than the price held");
      const sources = row.sources.map((x, k) => (k === s ? { ...x, price: raw, time: timestampMs } : x));
      const time = Math.max(catalog.clock, timestampMs);
      const index = indexFromSources(sources, time, catalog.params);
      if (index !== null) catalog.assertUnderlyingPriceFits(u, index, "price");
      next = {
        ...row, sources, index: index ?? row.index, stale: index === null, priceTime: Math.max(row.priceTime, timestampMs),
        scan: catalog.withSample(row.scan, index, time),
      };
    } else {
      if (timestampMs < row.priceTime) fail("OUT_OF_RANGE", "timestamp", "older than the price held");
      if (row.sources.length > 0) {
        fail("MALFORMED", "source", `underlying "${row.id}" is priced by its oracle sources (${row.sources.map((x) => x.id).join(", ")}): name the source`);
      }
      catalog.assertUnderlyingPriceFits(u, raw, "price");
      next = { ...row, spot: raw, index: raw, priceTime: timestampMs, scan: catalog.withSample(row.scan, raw, timestampMs) };
    }
    return () => {
      catalog.underlyings[u] = next;
      this.advanceClock(timestampMs);
      catalog.syncIndex(u);
    };
  }

  /**
   * Fails at `field` when moving the clock to `timestampMs` would re-derive some underlying's
   * index (other than `except`, whose new index is checked on its own) past what a held position
   * or balance may be worth: sources age out of the median, so the index can jump with the clock.
   */
  checkClockMove(timestampMs: number, field: string, except = -1): void {
    const catalog = this.catalog;
    if (timestampMs <= catalog.clock) return;
    for (const { u, index } of this.reindexed(timestampMs)) {
      if (u !== except && index !== null && index !== catalog.underlyings[u].index) catalog.assertUnderlyingPriceFits(u, index, field);
    }
  }

  /** The underlyings whose index or staleness the sources give differently at `time` (index null: no quorum of fresh sources). */
  private reindexed(time: number): { u: number; index: bigint | null }[] {
    const changed: { u: number; index: bigint | null }[] = [];
    this.catalog.underlyings.forEach((row, u) => {
      if (row.sources.length === 0) return;
      const index = indexFromSources(row.sources, time, this.catalog.params);
      if ((index ?? row.index) !== row.index || (index === null) !== row.stale) changed.push({ u, index });
    });
    return changed;
  }

  /** The venue's trusted time moves the clock: refused at `field` when an index would pass a held limit. */
  moveClock(timestampMs: number, field: string): void {
    this.checkClockMove(timestampMs, field);
    this.advanceClock(timestampMs);
  }

  /**
   * Moves the oracle clock to `timestampMs` (never back): sources older than maxPriceAge drop
   * out of their medians, and an underlying left without a quorum of fresh sources turns stale, keeping its
   * last index. Underlyings whose index or staleness changed are re-priced.
   */
  advanceClock(timestampMs: number): void {
    const catalog = this.catalog;
    if (timestampMs <= catalog.clock) return;
    const before = catalog.clock;
    catalog.clock = timestampMs;
    this.expiry.clockMoved(before, timestampMs);
    for (const { u, index } of this.reindexed(timestampMs)) {
      const row = catalog.underlyings[u];
      catalog.underlyings[u] = { ...row, index: index ?? row.index, stale: index === null, scan: catalog.withSample(row.scan, index, timestampMs) };
      catalog.syncIndex(u);
    }
  }

  /** Underlyings without a quorum of fresh oracle sources at the current clock. */
  staleUnderlyings(): string[] {
    return this.catalog.underlyings.filter((u) => u.stale).map((u) => u.id);
  }

  /** An underlying's oracle sources in the order it holds them, each marked counted or not at the oracle clock. */
  sources(id: string): OracleSource[] {
    const { sources } = this.catalog.underlyings[this.catalog.underlyingIndex(id)];
    const counted = countedSources(sources, this.catalog.clock, this.catalog.params);
    return sources.map((source, k) => ({ id: source.id, price: formatDecimal(source.price, PRICE_SCALE), time: source.time, counted: counted[k] }));
  }
}
