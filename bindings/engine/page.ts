// A page of accounts as the paged calls take it (`accounts`, `venueAccounts`): an offset and a limit.
import { optionalCount } from "../core/json.js";

/** Accounts [from, to) of `count` that `offset` (default 0) and `limit` (default all) select, clipped to those that exist; null means the default. */
export function pageOf(options: { offset?: unknown; limit?: unknown } | null | undefined, count: number): { from: number; to: number } {
  const offset = optionalCount(options?.offset, "options.offset", 0), limit = optionalCount(options?.limit, "options.limit", Infinity);
  const from = Math.min(offset, count);
  return { from, to: Math.min(count, from + limit) };
}
