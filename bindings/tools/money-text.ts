// Money for people: an exact decimal string rounded (half away from zero) to a few decimals, with
// thousands separators and the currency — computed on the digits, never through a JS number.
import { formatDecimal, MONEY_SCALE, parseDecimal } from "../core/decimal.js";

/** `"943721787.905314"` → `"943,721,787.91 USD"`. */
export function moneyText(text: string, currency: string, decimals = 2): string {
  const raw = parseDecimal(text, MONEY_SCALE, "money");
  const unit = 10n ** BigInt(MONEY_SCALE - decimals);
  const magnitude = raw < 0n ? -raw : raw;
  const rounded = (magnitude + unit / 2n) / unit;
  const [whole, fraction = ""] = formatDecimal(rounded, decimals).split(".");
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  const digits = decimals > 0 ? `${grouped}.${fraction.padEnd(decimals, "0")}` : grouped;
  return `${raw < 0n && rounded !== 0n ? "-" : ""}${digits} ${currency}`;
}
