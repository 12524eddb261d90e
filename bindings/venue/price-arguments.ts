// A price update's arguments judged on their own, before any venue state: the engine and the
// sharded engine share them, so a call with several bad arguments is named at the same one.
import { asId } from "../core/json.js";
import { checkTimestamp } from "../core/time.js";
import { parsePremium } from "./reference.js";

export interface PriceArguments { id: string; raw: bigint; time: number; source: string | undefined }

/** Price, timestamp, source, id, in that order. The price may be 0 here: only the target decides (an option's premium). */
export function priceArguments(id: unknown, price: unknown, timestamp: unknown, source: unknown): PriceArguments {
  const raw = parsePremium(price, "price");
  const time = checkTimestamp(timestamp, "timestamp");
  // an id no venue can hold (empty, or past MAX_ID_LENGTH) is malformed, as in every other call, not unknown
  const named = source === undefined || source === null ? undefined : asId(source, "source");
  return { id: asId(id, "id"), raw, time, source: named };
}
