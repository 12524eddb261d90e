// Display of exact decimal strings: digits grouped by thousands, every decimal kept.
import { formatDecimal, MONEY_SCALE, parseDecimal } from "../../core/decimal.js";

/** "-1234567.5" → "-1,234,567.5": the same number, exactly, with its thousands grouped. */
export function grouped(decimal: string): string {
  const negative = decimal.startsWith("-");
  const [whole, fraction] = (negative ? decimal.slice(1) : decimal).split(".");
  const withCommas = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return (negative ? "-" : "") + withCommas + (fraction === undefined ? "" : `.${fraction}`);
}

/** Raw money (1e6) as a grouped decimal. */
export function money(raw: bigint): string {
  return grouped(formatDecimal(raw, MONEY_SCALE));
}

/** a − b of two money decimals, exactly. */
export function moneyDifference(a: string, b: string): string {
  return grouped(formatDecimal(parseDecimal(a, MONEY_SCALE, "a") - parseDecimal(b, MONEY_SCALE, "b"), MONEY_SCALE));
}

/** A display-only ratio as a percentage with two decimals (never used for money). */
export function percent(ratio: number | null): string {
  return ratio === null ? "—" : `${(ratio * 100).toFixed(2)} %`;
}
