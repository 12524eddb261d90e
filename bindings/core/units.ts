// Raw fixed-point units as doubles, where a double holds them exactly: the venue loader and the
// result formatter use this to skip a BigInt per field. Every function here either gives the
// exact answer or says it cannot (NaN, or a fallback through decimal.ts's BigInt path).
import { MINUS, NINE, POINT, ZERO } from "./chars.js";
import { formatDecimal } from "./decimal.js";

/** 10^k is exact in a double up to k = 22. */
export const POW10: readonly number[] = Array.from({ length: 23 }, (_, k) => 10 ** k);
const TWO_32 = 4294967296;
/**
 * Formatting takes the number path below 2^52: there Math.floor(v / 10^s) is the exact quotient
 * (its rounding error, under v·2^-53 / 10^s, stays below half the 1 / 10^s gap to the next
 * integer) and quotient × 10^s is exact, so the remainder is too.
 */
const FORMAT_LIMIT = 2 ** 52;

/**
 * Raw units at `scale` decimals of a decimal string (`-?digits(.digits)?`, as parseDecimal
 * accepts), or NaN when it is not one, has more than `scale` decimals, or its units are not a
 * safe integer. Digits accumulate in a double: exact while the value stays below 2^53, and a
 * value that passes 2^53 can only come out ≥ 2^53 (rounding is monotonic and 2^53 is a double),
 * so one comparison at the end tells the two apart. NaN sends the caller to parseDecimal, which
 * is exact for any length and names the error.
 */
export function unitsOf(value: unknown, scale: number): number {
  if (typeof value !== "string") return NaN;
  const length = value.length;
  const start = value.charCodeAt(0) === MINUS ? 1 : 0;
  let units = 0, point = -1;
  for (let k = start; k < length; k++) {
    const c = value.charCodeAt(k);
    if (c >= ZERO && c <= NINE) units = units * 10 + (c - ZERO);
    else if (c === POINT && point < 0) point = k;
    else return NaN;
  }
  const decimals = point < 0 ? 0 : length - point - 1;
  if (length === start || point === start || (point >= 0 && decimals === 0) || decimals > scale) return NaN;
  units *= POW10[scale - decimals];
  if (units > Number.MAX_SAFE_INTEGER) return NaN;
  return start === 1 ? -units : units;
}

/** Digit groups of width 1 to 3, zero-padded (after a point, or not), and with trailing zeros dropped. */
const PADDED = [1, 2, 3].map((w) => Array.from({ length: 10 ** w }, (_, g) => String(g).padStart(w, "0")));
const POINT_PADDED = PADDED.map((groups) => groups.map((g) => "." + g));
const TRIMMED = PADDED.map((groups) => groups.map((g) => g.replace(/0+$/, "")));
const POINT_TRIMMED = TRIMMED.map((groups) => groups.map((g) => "." + g));
/** Whole parts below 1,000, with and without a minus sign: most greeks and many amounts (no string made for them). */
const WHOLE = Array.from({ length: 1000 }, (_, k) => String(k));
const MINUS_WHOLE = WHOLE.map((w) => "-" + w);

/**
 * The canonical text of `units` (an integer) at `scale` decimals, exactly as formatDecimal writes
 * it: the whole part (from a table below 1,000), then the fraction three digits at a time from
 * tables (the point and the last group's trailing zeros included), joined by one concat — no
 * digit loop and, up to 9 decimals, no intermediate string. Magnitudes of 2^52 and more go
 * through formatDecimal.
 */
export function formatUnits(units: number, scale: number): string {
  const negative = units < 0;
  const magnitude = negative ? -units : units;
  if (!(magnitude < FORMAT_LIMIT)) return formatDecimal(BigInt(units), scale);
  const unit = POW10[scale];
  const whole = Math.floor(magnitude / unit);
  const fraction = magnitude - whole * unit;
  const head = whole < 1000 ? (negative ? MINUS_WHOLE : WHOLE)[whole] : negative ? "-" + whole : "" + whole;
  if (fraction === 0) return head;
  const groups = Math.ceil(scale / 3), first = scale - 3 * (groups - 1) - 1;
  if (groups === 1) return head + POINT_TRIMMED[first][fraction];
  if (groups === 2) {
    const g1 = Math.floor(fraction / 1000), g2 = fraction - g1 * 1000;
    return g2 === 0 ? head + POINT_TRIMMED[first][g1] : head.concat(POINT_PADDED[first][g1], TRIMMED[2][g2]);
  }
  if (groups === 3) {
    const g1 = Math.floor(fraction / 1e6), rest = fraction - g1 * 1e6;
    if (rest === 0) return head + POINT_TRIMMED[first][g1];
    const g2 = Math.floor(rest / 1000), g3 = rest - g2 * 1000;
    return g3 === 0
      ? head.concat(POINT_PADDED[first][g1], TRIMMED[2][g2])
      : head.concat(POINT_PADDED[first][g1], PADDED[2][g2], TRIMMED[2][g3]);
  }
  // more than 9 decimals: group by group
  let text = head, place = POW10[scale - first - 1], rest = fraction, width = first;
  for (let point = true; ; point = false) {
    const group = Math.floor(rest / place);
    rest -= group * place;
    if (rest === 0) return text + (point ? POINT_TRIMMED : TRIMMED)[width][group];
    text += (point ? POINT_PADDED : PADDED)[width][group];
    width = 2;
    place /= 1000;
  }
}

const FORMAT_LIMIT_RAW = BigInt(FORMAT_LIMIT);

/** Raw units as decimal text, exactly as formatDecimal writes them: the number path below 2^52. */
export function formatRaw(raw: bigint, scale: number): string {
  if (raw === 0n) return "0";
  return raw < FORMAT_LIMIT_RAW && raw > -FORMAT_LIMIT_RAW ? formatUnits(Number(raw), scale) : formatDecimal(raw, scale);
}

/** Typed arrays follow the host's byte order: where each i64 keeps its low 32-bit word. */
const LOW = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 0 : 1;
const HIGH = 1 - LOW;

/** The 32-bit words of an i64 array (same memory): element k is words 2k and 2k + 1. */
export function wordsOf(array: BigInt64Array): Int32Array {
  return new Int32Array(array.buffer, array.byteOffset, array.length * 2);
}

/**
 * Element `k` of an i64 array seen as words, as a double: exact when |value| ≤ 2^53 (high × 2^32
 * is exact and the sum is one rounding), otherwise a double of magnitude ≥ 2^53.
 */
export function readI64(words: Int32Array, k: number): number {
  return words[2 * k + HIGH] * TWO_32 + (words[2 * k + LOW] >>> 0);
}

/** Stores a safe integer into element `k` of an i64 array seen as words (no BigInt made). */
export function writeI64(words: Int32Array, k: number, value: number): void {
  const high = Math.floor(value / TWO_32);
  words[2 * k + LOW] = (value - high * TWO_32) | 0;
  words[2 * k + HIGH] = high | 0;
}

/** Element `k` of an i64 column as decimal text: the number path, or the BigInt one beyond 2^52. */
export function formatI64(array: BigInt64Array, words: Int32Array, k: number, scale: number): string {
  const value = readI64(words, k);
  return value < FORMAT_LIMIT && value > -FORMAT_LIMIT ? formatUnits(value, scale) : formatDecimal(array[k], scale);
}
