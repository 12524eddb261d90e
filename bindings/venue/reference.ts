// Reference rows (underlyings, assets, instruments) parsed from venue-file objects with exact
// decimal arithmetic. Each parser checks one row completely and returns raw fixed-point values.
import { ceilDiv, formatDecimal, maxBig, parseBounded, rangeText, FRACTION_SCALE, MONEY_SCALE, PRICE_ONE, PRICE_SCALE } from "../core/decimal.js";
import { fail } from "../core/errors.js";
import { asArray, asArrayCopy, asId, asRecord, copyElements } from "../core/json.js";
import {
  KIND_CALL, KIND_FUTURE, KIND_PERP, KIND_PUT, MAX_COLLATERAL_VALUE, MAX_FUND, MAX_POSITION_NOTIONAL, MAX_PRICE, MIN_LOT_SIZE, MAX_LOT_SIZE, MAX_SOURCES, MAX_TIERS,
  MAX_RATE_YEARS, MAX_TIER_BOUND, ONE, MAX_VOL, QTY_PRICE_TO_MONEY, YEAR_MS,
} from "../core/constants.generated.js";
import { formatTime, parseTime } from "../core/time.js";
import type { PriceSource } from "./oracle.js";

export interface Tier { upTo: bigint; imf: bigint; mmf: bigint }
/** An underlying as defined; the engine adds its index, staleness and scan state. */
export interface UnderlyingSpec {
  id: string; spot: bigint | null; vol: bigint; rate: bigint; sources: PriceSource[]; priceTime: number;
}
export interface AssetRow { id: string; price: bigint; haircut: bigint; underlying: string | null; priceTime: number }
export interface InstrumentRow {
  id: string; kind: number; underlying: string; lotSize: bigint; mark: bigint;
  strike: bigint; expiry: number; iv: bigint; tiers: Tier[]; priceTime: number;
  /** The market depth liquidations may use per pass (docs/methodology.md §10), or null: unlimited, at the mark. */
  liquidity: Liquidity | null;
}
/** Notional (money) one liquidation pass may close on an instrument, and the price impact at that size (fraction). */
export interface Liquidity { notional: bigint; slippage: bigint }

const parsePrice = (value: unknown, field: string) =>
  parseBounded(value, PRICE_SCALE, field, 1n, MAX_PRICE, rangeText(1n, MAX_PRICE, PRICE_SCALE));

/** An option's premium (mark, entry, order price): a worthless far strike is worth 0. */
export const parsePremium = (value: unknown, field: string) =>
  parseBounded(value, PRICE_SCALE, field, 0n, MAX_PRICE, rangeText(0n, MAX_PRICE, PRICE_SCALE));

/** A fill price for an instrument of `kind`: an option's premium may be 0, any other price is > 0. */
export const parseFillPrice = (kind: number, value: unknown, field: string) =>
  (kind >= KIND_CALL ? parsePremium : parsePrice)(value, field);

export function parseUnderlying(value: unknown, field: string, now: number): UnderlyingSpec {
  const row = asRecord(value, field);
  const sources: PriceSource[] = row.sources == null ? [] : asArrayCopy(row.sources, `${field}.sources`, MAX_SOURCES, "sources").map((s, k) => {
    const source = asRecord(s, `${field}.sources[${k}]`);
    return {
      id: asId(source.id, `${field}.sources[${k}].id`),
      price: parsePrice(source.price, `${field}.sources[${k}].price`),
      time: parseTime(source.time, `${field}.sources[${k}].time`),
    };
  });
  const ids = new Set<string>();
  sources.forEach((s, k) => {
    if (ids.has(s.id)) fail("DUPLICATE_ID", `${field}.sources[${k}].id`, `source "${s.id}" appears twice`);
    ids.add(s.id);
  });
  if (row.spot == null && sources.length === 0) fail("MALFORMED", `${field}.spot`, "an underlying needs a spot or sources");
  return {
    id: asId(row.id, `${field}.id`),
    spot: row.spot == null ? null : parsePrice(row.spot, `${field}.spot`),
    vol: parseBounded(row.vol, FRACTION_SCALE, `${field}.vol`, 1n, MAX_VOL, rangeText(1n, MAX_VOL, FRACTION_SCALE)),
    rate: row.rate == null ? 0n : parseBounded(row.rate, FRACTION_SCALE, `${field}.rate`, -ONE, ONE, "[-1, 1]"),
    sources,
    priceTime: now,
  };
}

export function parseAsset(value: unknown, field: string, settlement: string, now: number): AssetRow {
  const row = asRecord(value, field);
  const id = asId(row.id, `${field}.id`);
  const price = parsePrice(row.price, `${field}.price`);
  const haircut = parseBounded(row.haircut ?? "0", FRACTION_SCALE, `${field}.haircut`, 0n, ONE - 1n, "[0, 1)");
  if (id === settlement && price !== PRICE_ONE) fail("OUT_OF_RANGE", `${field}.price`, "the settlement asset has price 1 and haircut 0");
  if (id === settlement && haircut !== 0n) fail("OUT_OF_RANGE", `${field}.haircut`, "the settlement asset has price 1 and haircut 0");
  if (id === settlement && row.underlying != null) fail("MALFORMED", `${field}.underlying`, "the settlement asset is priced at 1, never by an underlying");
  return { id, price, haircut, underlying: row.underlying == null ? null : asId(row.underlying, `${field}.underlying`), priceTime: now };
}

/** Whether a tier's `rate` is below the one before it somewhere: the charge is then not convex in the notional. */
export function ratesFall(tiers: Tier[], rate: "imf" | "mmf"): boolean {
  return tiers.some((tier, k) => k > 0 && tier[rate] < tiers[k - 1][rate]);
}

function parseTiers(value: unknown, field: string): Tier[] {
  const given = asArray(value, field), count = given.length;
  if (count < 1 || count > MAX_TIERS) fail("OUT_OF_RANGE", field, `a linear instrument needs 1 to ${MAX_TIERS} tiers`);
  let previous = 0n;
  return copyElements(given, count).map((r, k) => {
    const tier = asRecord(r, `${field}[${k}]`);
    const upTo = parseBounded(tier.upTo, MONEY_SCALE, `${field}[${k}].upTo`, 1n, MAX_TIER_BOUND, rangeText(1n, MAX_TIER_BOUND, MONEY_SCALE));
    if (upTo <= previous) fail("OUT_OF_RANGE", `${field}[${k}].upTo`, "tier bounds must increase");
    previous = upTo;
    const imf = parseBounded(tier.imf, FRACTION_SCALE, `${field}[${k}].imf`, 0n, ONE, "[0, 1]");
    const mmf = parseBounded(tier.mmf, FRACTION_SCALE, `${field}[${k}].mmf`, 0n, imf, "[0, imf]");
    return { upTo, imf, mmf };
  });
}

/** An instrument row; a future's or option's expiry must be after `now`, the time `nowName` names in a refusal. */
export function parseInstrument(value: unknown, field: string, now: number, nowName: "now" | "the oracle clock"): InstrumentRow {
  const row = asRecord(value, field);
  const id = asId(row.id, `${field}.id`);
  const kindName = row.kind;
  if (kindName !== "perp" && kindName !== "future" && kindName !== "option") fail("MALFORMED", `${field}.kind`, 'expected "perp", "future" or "option"');
  const lotSize = parseBounded(row.lotSize, PRICE_SCALE, `${field}.lotSize`, MIN_LOT_SIZE, MAX_LOT_SIZE, `[${formatDecimal(MIN_LOT_SIZE, PRICE_SCALE)}, ${formatDecimal(MAX_LOT_SIZE, PRICE_SCALE)}]`);
  const mark = (kindName === "option" ? parsePremium : parsePrice)(row.mark, `${field}.mark`);
  const base = {
    id, underlying: asId(row.underlying, `${field}.underlying`), lotSize, mark, priceTime: now,
    liquidity: row.liquidity == null ? null : parseLiquidity(row.liquidity, `${field}.liquidity`),
  };
  const expiry = kindName === "perp" ? 0 : parseTime(row.expiry, `${field}.expiry`);
  if (kindName !== "perp" && expiry <= now) fail("EXPIRED", `${field}.expiry`, `${row.expiry} is not after ${nowName} (${formatTime(now)})`);
  if (kindName !== "option") {
    return { ...base, kind: kindName === "perp" ? KIND_PERP : KIND_FUTURE, strike: 0n, expiry, iv: 0n, tiers: parseTiers(row.tiers, `${field}.tiers`) };
  }
  if (row.right !== "call" && row.right !== "put") fail("MALFORMED", `${field}.right`, 'expected "call" or "put"');
  return {
    ...base,
    kind: row.right === "call" ? KIND_CALL : KIND_PUT,
    strike: parsePrice(row.strike, `${field}.strike`),
    expiry,
    iv: row.iv == null ? 0n : parseBounded(row.iv, FRACTION_SCALE, `${field}.iv`, 1n, MAX_VOL, rangeText(1n, MAX_VOL, FRACTION_SCALE)),
    tiers: [],
  };
}

function parseLiquidity(value: unknown, field: string): Liquidity {
  const row = asRecord(value, field);
  return {
    notional: parseBounded(row.notional, MONEY_SCALE, `${field}.notional`, 1n, MAX_FUND, rangeText(1n, MAX_FUND, MONEY_SCALE)),
    slippage: parseBounded(row.slippage, FRACTION_SCALE, `${field}.slippage`, 0n, ONE - 1n, "[0, 1)"),
  };
}

/**
 * The `priceTime` an upserted row gives, as a venue file's row would: absent, the oracle clock (or
 * the price held, when printed later: a row's print time never goes back); else a time at or after
 * `now`, no older than the price of the row it replaces (`held`), at most maxClockSkew ahead of the
 * oracle clock.
 */
export function upsertPriceTime(given: unknown, field: string, bounds: { now: number; clock: number; skewMs: number; held: number | undefined }): number {
  if (given == null) return Math.max(bounds.clock, bounds.held ?? bounds.clock);
  const time = parseTime(given, field);
  if (time < bounds.now) fail("OUT_OF_RANGE", field, "is before now");
  if (bounds.held !== undefined && time < bounds.held) fail("OUT_OF_RANGE", field, "older than the price held");
  if (time > bounds.clock + bounds.skewMs) fail("OUT_OF_RANGE", field, "more than maxClockSkew ahead of the oracle clock");
  return time;
}

/** Puts `row` in place of the row with its id, or after the others (its index kept in `ids`). */
export function replaceRow<T extends { id: string }>(rows: T[], ids: Map<string, number>, row: T): void {
  const at = ids.get(row.id);
  if (at === undefined) {
    ids.set(row.id, rows.length);
    rows.push(row);
  } else {
    rows[at] = row;
  }
}

/** Maps ids to row indices, rejecting duplicates. */
export function indexIds(rows: { id: string }[], field: string): Map<string, number> {
  const map = new Map<string, number>();
  rows.forEach((r, k) => {
    if (map.has(r.id)) fail("DUPLICATE_ID", `${field}[${k}].id`, `"${r.id}" is defined twice`);
    map.set(r.id, k);
  });
  return map;
}

/**
 * True when `lots` (a magnitude) of an instrument pass the notional limit at the largest of its
 * mark, strike, its underlying's index and any further price given (an entry, an order price).
 */
export function beyondNotional(lots: bigint, row: InstrumentRow, index: bigint, ...prices: bigint[]): boolean {
  const bound = [row.mark, row.strike, index, ...prices].reduce(maxBig);
  return lots * row.lotSize * bound > MAX_POSITION_NOTIONAL * QTY_PRICE_TO_MONEY;
}

/** True when `amount` (a magnitude, 1e8) of an asset at `price` passes the collateral value limit. */
export function beyondCollateralValue(amount: bigint, price: bigint): boolean {
  return amount * price > MAX_COLLATERAL_VALUE * QTY_PRICE_TO_MONEY;
}

// The refusals of a price at which a held position or balance would pass its limit, naming the
// instrument or asset; the sharded engine reads the name back to tell which of its shards'
// refusals one engine would meet first.
export const positionBeyondLimit = (instrument: string): string => `an open position in "${instrument}" would exceed the notional limit`;
export const balanceBeyondLimit = (asset: string): string => `a balance of "${asset}" would exceed the collateral value limit`;

const POSITION = /^an open position in "([\s\S]*)" would exceed the notional limit$/;
const BALANCE = /^a balance of "([\s\S]*)" would exceed the collateral value limit$/;

/** The instrument or asset a refusal's detail names as held past its limit, or null for another refusal. */
export function heldBeyondLimit(detail: string): { kind: "instrument" | "asset"; id: string } | null {
  const position = POSITION.exec(detail);
  if (position !== null) return { kind: "instrument", id: position[1] };
  const balance = BALANCE.exec(detail);
  return balance === null ? null : { kind: "asset", id: balance[1] };
}

/** True once `clock` has reached a future's or option's expiry (perpetuals never expire). */
export function isExpiredAt(row: InstrumentRow, clock: number): boolean {
  return row.kind !== KIND_PERP && row.expiry <= clock;
}

/**
 * Fails at `field` when an option (any other row passes) would be priced with |rate| × years from
 * `now` to its expiry above MAX_RATE_YEARS; exact, in rate units × milliseconds. `subject` names
 * the option in the message when the field is its underlying's.
 */
export function assertRateHorizon(row: InstrumentRow, rate: bigint, now: number, field: string, subject = "the option"): void {
  if (row.kind < KIND_CALL) return;
  const span = BigInt(Math.max(row.expiry - now, 0)), magnitude = rate < 0n ? -rate : rate;
  if (magnitude * span <= MAX_RATE_YEARS * YEAR_MS) return;
  const years = formatDecimal(ceilDiv(span * ONE, YEAR_MS), FRACTION_SCALE);
  fail("OUT_OF_RANGE", field, `${subject} expires ${years} years after now at rate ${formatDecimal(rate, FRACTION_SCALE)}: |rate| × years to expiry must be at most ${formatDecimal(MAX_RATE_YEARS, FRACTION_SCALE)}`);
}
