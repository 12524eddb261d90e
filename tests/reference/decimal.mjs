// Decimal strings ↔ bigint raw units, and bigint division with an explicit rounding — written
// independently of the engine's own parser so the twin shares no code with what it checks.

export function parseDecimal(text, scale) {
  const match = /^(-?)(\d+)(?:\.(\d+))?$/.exec(text);
  if (!match) throw new Error(`not a decimal: ${text}`);
  const [, sign, whole, fraction = ""] = match;
  if (fraction.length > scale) throw new Error(`too many decimals: ${text}`);
  const raw = BigInt(whole) * 10n ** BigInt(scale) + BigInt(fraction.padEnd(scale, "0") || "0");
  return sign ? -raw : raw;
}

export function formatDecimal(raw, scale) {
  const sign = raw < 0n ? "-" : "";
  const magnitude = raw < 0n ? -raw : raw;
  const unit = 10n ** BigInt(scale);
  const whole = magnitude / unit;
  const fraction = (magnitude % unit).toString().padStart(scale, "0").replace(/0+$/, "");
  return sign + whole.toString() + (fraction ? "." + fraction : "");
}

/** ⌊n / d⌋ for d > 0 (BigInt division truncates toward zero). */
export function floorDiv(n, d) {
  const q = n / d;
  return n % d !== 0n && n < 0n ? q - 1n : q;
}

/** ⌈n / d⌉ for d > 0. */
export function ceilDiv(n, d) {
  const q = n / d;
  return n % d !== 0n && n > 0n ? q + 1n : q;
}

export const max = (a, b) => (a > b ? a : b);
export const min = (a, b) => (a < b ? a : b);
