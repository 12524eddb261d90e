// Reference rows (underlyings, assets, instruments) parsed from venue-file objects with exact
// decimal arithmetic. Each parser checks one row completely and returns raw fixed-point values.
import { parseBounded, parseTime } from "./decimal.js";
import type { ScanState } from "./scan-range.js";
import { fail } from "./errors.js";
import {
  MAX_PRICE, MIN_LOT_SIZE, MAX_LOT_SIZE, MAX_TIERS, MAX_TIER_BOUND, ONE, MAX_VOL,
  KIND_PERP, KIND_FUTURE, KIND_CALL, KIND_PUT,
} from "./core/constants.generated.js";
import type { PriceSource } from "./oracle.js";

export interface Tier { upTo: bigint; imf: bigint; mmf: bigint }
export interface UnderlyingRow {
  id: string; spot: bigint | null; vol: bigint; rate: bigint; sources: PriceSource[];
  index: bigint; stale: boolean; priceTime: number;
  /** The dynamic scan range's state, when `dynamicMargin` is on. */
  scan?: ScanState;
}
export interface AssetRow { id: string; price: bigint; haircut: bigint; underlying: string | null; priceTime: number }
export interface InstrumentRow {
  id: string; kind: number; underlying: string; lotSize: bigint; mark: bigint;
  strike: bigint; expiry: number; iv: bigint; tiers: Tier[]; priceTime: number;
}

export function asObject(value: unknown, field: string): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) fail("MALFORMED", field, "expected an object");
  return value as Record<string, unknown>;
}

export function asArray(value: unknown, field: string): unknown[] {
  if (!Array.isArray(value)) fail("MALFORMED", field, "expected an array");
  return value;
}

export function asId(value: unknown, field: string): string {
  if (typeof value !== "string" || value.length === 0 || value.length > 128) fail("MALFORMED", field, "expected a non-empty id string of at most 128 characters");
  return value;
}

export const parsePrice = (value: unknown, field: string) =>
  parseBounded(value, 8, field, 1n, MAX_PRICE, "(0, 10000000000]");

export function parseUnderlying(value: unknown, field: string, now: number): Omit<UnderlyingRow, "index" | "stale"> {
  const row = asObject(value, field);
  const sources: PriceSource[] = row.sources === undefined ? [] : asArray(row.sources, `${field}.sources`).map((s, k) => {
    const source = asObject(s, `${field}.sources[${k}]`);
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
  if (row.spot === undefined && sources.length === 0) fail("MALFORMED", `${field}.spot`, "an underlying needs a spot or sources");
  return {
    id: asId(row.id, `${field}.id`),
    spot: row.spot === undefined ? null : parsePrice(row.spot, `${field}.spot`),
    vol: parseBounded(row.vol, 9, `${field}.vol`, 1n, MAX_VOL, "(0, 10]"),
    rate: row.rate === undefined ? 0n : parseBounded(row.rate, 9, `${field}.rate`, -ONE, ONE, "[-1, 1]"),
    sources,
    priceTime: now,
  };
}

export function parseAsset(value: unknown, field: string, settlement: string, now: number): AssetRow {
  const row = asObject(value, field);
  const id = asId(row.id, `${field}.id`);
  const price = parsePrice(row.price, `${field}.price`);
  const haircut = parseBounded(row.haircut ?? "0", 9, `${field}.haircut`, 0n, ONE - 1n, "[0, 1)");
  if (id === settlement && (price !== 100_000_000n || haircut !== 0n)) {
    fail("OUT_OF_RANGE", `${field}.price`, "the settlement asset has price 1 and haircut 0");
  }
  return { id, price, haircut, underlying: row.underlying === undefined ? null : asId(row.underlying, `${field}.underlying`), priceTime: now };
}

function parseTiers(value: unknown, field: string): Tier[] {
  const rows = asArray(value, field);
  if (rows.length < 1 || rows.length > MAX_TIERS) fail("OUT_OF_RANGE", field, `a linear instrument needs 1 to ${MAX_TIERS} tiers`);
  let previous = 0n;
  return rows.map((r, k) => {
    const tier = asObject(r, `${field}[${k}]`);
    const upTo = parseBounded(tier.upTo, 6, `${field}[${k}].upTo`, 1n, MAX_TIER_BOUND, "(0, 10000000000]");
    if (upTo <= previous) fail("OUT_OF_RANGE", `${field}[${k}].upTo`, "tier bounds must increase");
    previous = upTo;
    const imf = parseBounded(tier.imf, 9, `${field}[${k}].imf`, 0n, ONE, "[0, 1]");
    const mmf = parseBounded(tier.mmf, 9, `${field}[${k}].mmf`, 0n, imf, "[0, imf]");
    return { upTo, imf, mmf };
  });
}

export function parseInstrument(value: unknown, field: string, now: number, atLoad: boolean): InstrumentRow {
  const row = asObject(value, field);
  const id = asId(row.id, `${field}.id`);
  const kindName = row.kind;
  if (kindName !== "perp" && kindName !== "future" && kindName !== "option") fail("MALFORMED", `${field}.kind`, 'expected "perp", "future" or "option"');
  const lotSize = parseBounded(row.lotSize, 8, `${field}.lotSize`, MIN_LOT_SIZE, MAX_LOT_SIZE, "[0.00000001, 10000]");
  const base = { id, underlying: asId(row.underlying, `${field}.underlying`), lotSize, mark: parsePrice(row.mark, `${field}.mark`), priceTime: now };
  const expiry = kindName === "perp" ? 0 : parseTime(row.expiry, `${field}.expiry`);
  if (kindName !== "perp" && atLoad && expiry <= now) fail("EXPIRED", `${field}.expiry`, `${row.expiry} is not after now`);
  if (kindName !== "option") {
    return { ...base, kind: kindName === "perp" ? KIND_PERP : KIND_FUTURE, strike: 0n, expiry, iv: 0n, tiers: parseTiers(row.tiers, `${field}.tiers`) };
  }
  if (row.right !== "call" && row.right !== "put") fail("MALFORMED", `${field}.right`, 'expected "call" or "put"');
  return {
    ...base,
    kind: row.right === "call" ? KIND_CALL : KIND_PUT,
    strike: parsePrice(row.strike, `${field}.strike`),
    expiry,
    iv: row.iv === undefined ? 0n : parseBounded(row.iv, 9, `${field}.iv`, 1n, MAX_VOL, "(0, 10]"),
    tiers: [],
  };
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

