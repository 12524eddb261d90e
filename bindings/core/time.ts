// Timestamps: ISO-8601 text with an explicit zone at the boundary, integer ms since the epoch
// inside. Parsing is pure integer arithmetic on the text (real calendar dates only), so nothing
// depends on the host's time zone or on Date.parse's leniency.
import { fail } from "./errors.js";

/** The earliest time accepted: 1970-01-01T00:00:00Z. */
export const MIN_TIME_MS = 0;
/** The latest time accepted: 9999-12-31T23:59:59.999Z, the last a four-digit ISO-8601 year can write. */
export const MAX_TIME_MS = 253_402_300_799_999;

/** The fraction may have any number of digits, as ISO 8601 allows: past the third they must be zeros (parseTime). */
const ISO = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(Z|([+-])(\d{2}):(\d{2}))$/;

/** Days from 1970-01-01 to a proleptic Gregorian date (H. Hinnant's days_from_civil). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/**
 * `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)` → ms since the epoch. The date must exist
 * (`2026-11-31` does not), the zone must be given, and a fraction finer than a millisecond must
 * be zeros past the third digit (a time is never rounded on the way in).
 */
export function parseTime(value: unknown, field: string): number {
  if (typeof value !== "string") fail("MALFORMED", field, "expected an ISO-8601 timestamp string");
  const m = ISO.exec(value);
  if (m === null) fail("MALFORMED", field, `"${value}" is not an ISO-8601 timestamp with a zone (YYYY-MM-DDTHH:MM:SSZ or ±HH:MM)`);
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) fail("MALFORMED", field, `"${value}": no such date`);
  if (hour > 23 || minute > 59 || second > 59) fail("MALFORMED", field, `"${value}": no such time of day`);
  const fraction = m[7] ?? "";
  if (/[1-9]/.test(fraction.slice(3))) fail("PRECISION", field, `"${value}" is finer than a millisecond`);
  let ms = (daysFromCivil(year, month, day) * 86_400 + hour * 3600 + minute * 60 + second) * 1000 + Number(fraction.slice(0, 3).padEnd(3, "0"));
  if (m[8] !== "Z") {
    const offsetHours = Number(m[10]), offsetMinutes = Number(m[11]);
    if (offsetHours > 23 || offsetMinutes > 59) fail("MALFORMED", field, `"${value}": no such zone offset`);
    ms -= (m[9] === "-" ? -1 : 1) * (offsetHours * 60 + offsetMinutes) * 60_000;
  }
  if (ms < MIN_TIME_MS || ms > MAX_TIME_MS) fail("OUT_OF_RANGE", field, `"${value}" is outside [1970-01-01T00:00:00Z, 9999-12-31T23:59:59.999Z]`);
  return ms;
}

/** A timestamp given as ms since the epoch: a whole number of ms within the accepted times. */
export function checkTimestamp(value: unknown, field: string): number {
  if (typeof value !== "number") fail("MALFORMED", field, `expected ms since the epoch (a number), got ${value === null ? "null" : typeof value}`);
  if (!Number.isFinite(value)) fail("INVALID_NUMBER", field, `${value} is not a finite time`);
  if (!Number.isInteger(value)) fail("PRECISION", field, `${value} is not a whole number of ms`);
  if (value < MIN_TIME_MS || value > MAX_TIME_MS) fail("OUT_OF_RANGE", field, `${value} is outside [0, ${MAX_TIME_MS}] (1970 to 9999-12-31T23:59:59.999Z)`);
  return value;
}

export function formatTime(ms: number): string {
  return new Date(ms).toISOString().replace(".000Z", "Z");
}
