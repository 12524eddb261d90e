// A page of accounts as the paged calls take it (`accounts`, `venueAccounts`): an offset and a limit.
import { fail } from "../core/errors.js";

/** Accounts [from, to) of `count` that `offset` (default 0) and `limit` (default all) select, clipped to those that exist; null means the default. */
export function pageOf(options: { offset?: unknown; limit?: unknown } | null | undefined, count: number): { from: number; to: number } {
  const offset = options?.offset ?? 0, limit = options?.limit ?? Infinity;
  if (!Number.isSafeInteger(offset) || (offset as number) < 0) fail("OUT_OF_RANGE", "options.offset", "expected an integer ≥ 0");
  if (limit !== Infinity && (!Number.isSafeInteger(limit) || (limit as number) < 0)) fail("OUT_OF_RANGE", "options.limit", "expected an integer ≥ 0");
  const from = Math.min(offset as number, count);
  return { from, to: Math.min(count, from + (limit as number)) };
}
