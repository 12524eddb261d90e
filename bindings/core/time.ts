// Timestamps: ISO-8601 text at the boundary, ms since the epoch inside.
import { fail } from "./errors.js";

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
