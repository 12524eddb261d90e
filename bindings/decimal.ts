// Exact decimal strings ↔ fixed-point bigints. Money never passes through a JS number.
import { fail } from "./errors.js";

export const PRICE_SCALE = 8;
export const MONEY_SCALE = 6;
export const FRACTION_SCALE = 9;

const DECIMAL = /^-?\d+(\.\d+)?$/;

/** Parses a decimal string into raw units at `scale` decimals; rejects anything inexact. */
export function parseDecimal(value: unknown, scale: number, field: string): bigint {
  if (typeof value !== "string") {
    if (typeof value === "number" && !Number.isFinite(value)) fail("INVALID_NUMBER", field, `${value} is not a finite number`);
    fail("MALFORMED", field, `expected a decimal string, got ${typeof value}`);
  }
  if (!DECIMAL.test(value)) fail("INVALID_NUMBER", field, `"${value}" is not a decimal number`);
  const negative = value.startsWith("-");
  const [whole, fraction = ""] = (negative ? value.slice(1) : value).split(".");
  if (fraction.length > scale) fail("PRECISION", field, `"${value}" has more than ${scale} decimals`);
  const digits = whole + fraction.padEnd(scale, "0");
  // up to 15 digits a double holds the integer exactly, and BigInt(number) is far cheaper than parsing
  const raw = digits.length <= 15 ? BigInt(Number(digits)) : BigInt(digits);
  return negative ? -raw : raw;
}

/** Formats raw units at `scale` decimals canonically: no exponent, no trailing zeros. */
export function formatDecimal(raw: bigint, scale: number): string {
  const negative = raw < 0n;
  const digits = (negative ? -raw : raw).toString().padStart(scale + 1, "0");
  const whole = digits.slice(0, digits.length - scale);
  const fraction = digits.slice(digits.length - scale).replace(/0+$/, "");
  return (negative ? "-" : "") + whole + (fraction ? "." + fraction : "");
}

/** Parses and checks `low ≤ raw ≤ high` (bounds in raw units). */
export function parseBounded(value: unknown, scale: number, field: string, low: bigint, high: bigint, rule: string): bigint {
  const raw = parseDecimal(value, scale, field);
  if (raw < low || raw > high) fail("OUT_OF_RANGE", field, `${value} is outside ${rule}`);
  return raw;
}

/** ISO-8601 timestamp → ms since the epoch. */
export function parseTime(value: unknown, field: string): number {
  if (typeof value !== "string") fail("MALFORMED", field, "expected an ISO-8601 timestamp string");
  const ms = Date.parse(value);
  if (!Number.isFinite(ms) || !/^\d{4}-\d\d-\d\dT/.test(value)) fail("MALFORMED", field, `"${value}" is not an ISO-8601 timestamp`);
  return ms;
}

export function formatTime(ms: number): string {
  return new Date(ms).toISOString().replace(".000Z", "Z");
}

/** ⌈n / d⌉ for d > 0 (a requirement or a fee owed rounds up). */
export function ceilDiv(n: bigint, d: bigint): bigint {
  const q = n / d;
  return q * d < n ? q + 1n : q;
}

/** ⌊n / d⌋ for d > 0 (equity and credits round down). */
export function floorDiv(n: bigint, d: bigint): bigint {
  const q = n / d;
  return q * d > n ? q - 1n : q;
}
