// A price update's arguments judged on their own, before any venue state: the engine and the
// sharded engine share them, so a call with several bad arguments is named at the same one.
import { fail } from "../core/errors.js";
import { checkTimestamp } from "../core/time.js";
import { parsePremium } from "./reference.js";

export interface PriceArguments { id: string; raw: bigint; time: number; source: string | undefined }

/** Price, timestamp, source, id, in that order. The price may be 0 here: only the target decides (an option's premium). */
export function priceArguments(id: unknown, price: unknown, timestamp: unknown, source: unknown): PriceArguments {
  const raw = parsePremium(price, "price");
  const time = checkTimestamp(timestamp, "timestamp");
  if (source !== undefined && source !== null && typeof source !== "string") fail("MALFORMED", "source", "expected a source id string");
  if (typeof id !== "string") fail("MALFORMED", "id", `expected an id string, got ${id === null ? "null" : typeof id}`);
  return { id, raw, time, source: source ?? undefined };
}
