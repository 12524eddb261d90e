// Exact decimal strings ↔ fixed-point bigints. Money never passes through a JS number.
import { MINUS, NINE, POINT, ZERO } from "./chars.js";
import { fail } from "./errors.js";

import { MONEY_SCALE, PRICE_SCALE } from "./constants.generated.js";

/** Decimal places of prices (and lot sizes and amounts), money and fractions. */
export { PRICE_SCALE, MONEY_SCALE, FRACTION_SCALE } from "./constants.generated.js";

/** 1 at price scale (a price, lot size or amount of one unit). */
export const PRICE_ONE = 10n ** BigInt(PRICE_SCALE);
/** Money (1e6) → an amount of the settlement asset (1e8). */
export const MONEY_TO_AMOUNT = 10n ** BigInt(PRICE_SCALE - MONEY_SCALE);

/** Integers of up to 15 digits are exact in a double: BigInt(number) then beats parsing text. */
const EXACT_DIGITS = 15;

/**
 * Significant digits of raw units beyond which `parseWithinLimits` refuses: 10^40 passes every
 * bound in docs/limits.md (the widest is below 10^19), so a longer value is out of range whatever
 * its digits, and it is refused without building a BigInt of them.
 */
const LIMITED_DIGITS = 40;

/**
 * Parses a decimal string (`-?digits(.digits)?`) into raw units at `scale` decimals; rejects
 * anything inexact. One pass over the characters, no intermediate strings. Exact for any length.
 */
export function parseDecimal(value: unknown, scale: number, field = "value"): bigint {
  return readDecimal(value, scale, field, Infinity)!;
}

/**
 * parseDecimal for a field with a bound in docs/limits.md: a value of more than LIMITED_DIGITS
 * significant digits is `OUT_OF_RANGE` as soon as its characters are checked, so a hostile
 * string of millions of digits costs a scan, not a BigInt conversion.
 */
export function parseWithinLimits(value: unknown, scale: number, field: string): bigint {
  const raw = readDecimal(value, scale, field, LIMITED_DIGITS);
  return raw ?? fail("OUT_OF_RANGE", field, `more than ${LIMITED_DIGITS} significant digits: beyond every limit (docs/limits.md)`);
}

/** Raw units of a decimal string, or null when they have more than `maxDigits` significant digits. */
function readDecimal(value: unknown, scale: number, field: string, maxDigits: number): bigint | null {
  if (typeof value !== "string") {
    if (typeof value === "number" && !Number.isFinite(value)) fail("INVALID_NUMBER", field, `${value} is not a finite number`);
    fail("MALFORMED", field, `expected a decimal string, got ${typeof value}`);
  }
  checkScale(scale);
  const negative = value.charCodeAt(0) === MINUS;
  const start = negative ? 1 : 0, length = value.length;
  let point = -1, small = 0, significant = -1;
  for (let k = start; k < length; k++) {
    const c = value.charCodeAt(k);
    if (c === POINT && point < 0) point = k;
    else if (c >= ZERO && c <= NINE) {
      small = small * 10 + (c - ZERO);
      if (significant < 0 && c !== ZERO && point < 0) significant = k;
    } else fail("INVALID_NUMBER", field, `"${value}" is not a decimal number`);
  }
  const wholeEnd = point < 0 ? length : point;
  if (wholeEnd === start || point === length - 1) fail("INVALID_NUMBER", field, `"${value}" is not a decimal number`);
  const decimals = point < 0 ? 0 : length - point - 1;
  if (decimals > scale) fail("PRECISION", field, `"${value}" has more than ${scale} decimals`);
  // leading zeros are not digits of the raw units: a whole part of zeros leaves at most `scale`
  const from = significant < 0 ? wholeEnd : significant, digits = wholeEnd - from + scale;
  if (digits > maxDigits) return null;
  const raw = digits <= EXACT_DIGITS
    ? BigInt(small * 10 ** (scale - decimals))
    : BigInt(value.slice(from, wholeEnd) + (point < 0 ? "" : value.slice(point + 1)) + "0".repeat(scale - decimals));
  return negative ? -raw : raw;
}

/** Formats raw units at `scale` decimals canonically: no exponent, no trailing zeros. */
export function formatDecimal(raw: bigint | number, scale: number): string {
  // from UI code a number or a string arrives here too: checked, not printed as "0.000001.5"
  if (typeof raw !== "bigint") raw = rawUnits(raw);
  checkScale(scale);
  const negative = raw < 0n;
  const digits = (negative ? -raw : raw).toString().padStart(scale + 1, "0");
  const whole = digits.slice(0, digits.length - scale);
  const fraction = digits.slice(digits.length - scale).replace(/0+$/, "");
  return (negative ? "-" : "") + whole + (fraction ? "." + fraction : "");
}

/** A count of decimals as the exported converters take it: whole, in [0, 64]. */
function checkScale(scale: number): void {
  if (!Number.isInteger(scale) || scale < 0 || scale > 64) fail("OUT_OF_RANGE", "decimals", "expected a whole number of decimals in [0, 64]");
}

/** Raw units given as a number: a safe integer is exact (−0 is 0); anything else is refused. */
function rawUnits(raw: unknown): bigint {
  if (typeof raw !== "number") return fail("MALFORMED", "raw", `expected a bigint of raw units, got ${typeof raw}`);
  if (!Number.isSafeInteger(raw)) fail("INVALID_NUMBER", "raw", `${raw} is not a whole number of raw units within ±(2^53 − 1); pass a bigint`);
  return BigInt(raw);
}

/** Parses and checks `low ≤ raw ≤ high` (bounds in raw units). */
export function parseBounded(value: unknown, scale: number, field: string, low: bigint, high: bigint, rule: string): bigint {
  const raw = readDecimal(value, scale, field, LIMITED_DIGITS);
  if (raw === null || raw < low || raw > high) fail("OUT_OF_RANGE", field, `${value} is outside ${rule}`);
  return raw;
}

/** The range [low, high] of raw units at `scale` as a refusal names it: "(0, high]" when low is one unit. */
export function rangeText(low: bigint, high: bigint, scale: number): string {
  const top = formatDecimal(high, scale);
  return low === 1n ? `(0, ${top}]` : `[${formatDecimal(low, scale)}, ${top}]`;
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

/** The larger of two raw values. */
export function maxBig(a: bigint, b: bigint): bigint {
  return a > b ? a : b;
}
