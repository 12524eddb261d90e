// The one refusal a single engine would give, from its shards' outcomes. Each shard stops at its
// first failing check; one engine, meeting the same checks over all the accounts in one order,
// stops at the earliest any shard met. So the shards' refusals are compared by where that order
// meets them, then by shard index: the same input always names the same field.
import { MarginError } from "../core/errors.js";

/** Where the engine's order of checks meets a refusal: compared element by element, smaller first. */
type Order = number[];

interface Placed { error: unknown; order: Order }

/** The refusal to report, or null when every shard succeeded. */
function earliest(outcomes: PromiseSettledResult<unknown>[], place: (error: MarginError, shard: number) => Placed): { error: unknown } | null {
  let best: Placed | null = null;
  outcomes.forEach((outcome, shard) => {
    if (outcome.status === "fulfilled") return;
    // a worker that failed outright is not the input's fault: it is reported before any refusal
    const placed = outcome.reason instanceof MarginError ? place(outcome.reason, shard) : { error: outcome.reason, order: [-1] };
    if (best === null || before(placed.order, best.order)) best = placed;
  });
  return best;
}

function before(x: Order, y: Order): boolean {
  for (let k = 0; k < Math.min(x.length, y.length); k++) if (x[k] !== y[k]) return x[k] < y[k];
  return x.length < y.length;
}

/**
 * A price's refusal. Every shard holds the same reference data and clock, so only the holding
 * limits can refuse on some shards and not others: the clock move's (at timestamp), checked
 * before anything else that can fail after it, then the new price's own (at price).
 */
export function priceRefusal(outcomes: PromiseSettledResult<unknown>[]): { error: unknown } | null {
  return earliest(outcomes, (error) => ({ error, order: [error.field === "timestamp" ? 0 : 1] }));
}
