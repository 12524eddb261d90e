// The one refusal a single engine would give, from its shards' outcomes. Each shard stops at its
// first failing check; one engine, meeting the same checks over all the accounts in one order,
// stops at the earliest any shard met. So the shards' refusals are compared by where that order
// meets them, then by shard index: the same input always names the same field.
import { MarginError } from "../core/errors.js";
import type { AccountColumns } from "../venue/account-columns.js";
import { heldBeyondLimit } from "../venue/reference.js";

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

/** Where the reference data places each instrument and asset priced by an underlying: [underlying, row], in the engine's order. */
export interface ReferenceOrder { instruments: Map<string, [number, number]>; assets: Map<string, [number, number]> }

type Row = { id: string; underlying?: string | null };

/** The reference order of a venue as `toVenue()` writes it (every row list, in the engine's order). */
export function referenceOrder(venue: Record<string, unknown>): ReferenceOrder {
  const underlyings = new Map((venue.underlyings as Row[]).map((u, k) => [u.id, k]));
  const placed = (rows: Row[]) => new Map(rows.flatMap((row, k): [string, [number, number]][] => {
    const u = row.underlying === undefined || row.underlying === null ? undefined : underlyings.get(row.underlying);
    return u === undefined ? [] : [[row.id, [u, k]]];
  }));
  return { instruments: placed(venue.instruments as Row[]), assets: placed(venue.assets as Row[]) };
}

/**
 * A price's refusal. Every shard holds the same reference data and clock, so only the holding
 * limits can refuse on some shards and not others, and a refusal of anything else is the same on
 * every shard that gets to it. One engine checks, in order: the clock move, underlying by
 * underlying, each one's positions in instrument order and then its balances in asset order (at
 * timestamp); the reference checks; the new price's own holdings, positions then balances (at
 * price). A holding refusal names its instrument or asset, which places it.
 */
export function priceRefusal(outcomes: PromiseSettledResult<unknown>[], reference: ReferenceOrder): { error: unknown } | null {
  return earliest(outcomes, (error) => {
    const held = heldBeyondLimit(error.detail);
    if (held === null) return { error, order: [1] };
    // a print on an instrument or on an asset priced on its own checks that row alone, the same
    // refusal on every shard that gives one: it needs no place in the order
    const [u, row] = (held.kind === "instrument" ? reference.instruments : reference.assets).get(held.id) ?? [Infinity, Infinity];
    const place = [held.kind === "instrument" ? 0 : 1, row];
    return { error, order: error.field === "timestamp" ? [0, u, ...place] : [2, ...place] };
  });
}

export interface ShardPart { members: Int32Array; columns: AccountColumns }

/**
 * A bulk load's refusal, named at the rows of the batch as given. The layout was judged whole
 * before the shards loaded; each shard's module then judges its rows in the passes of
 * validateStaged (assembly/store/staging.ts): modes by account, row counts by account
 * (positions, then balances), positions by row, balances by row, duplicates by account
 * (positions, then balances). A shard's local order is the batch's order over its accounts.
 */
export function loadRefusal(outcomes: PromiseSettledResult<unknown>[], columns: AccountColumns, plan: ShardPart[]): { error: unknown } | null {
  return earliest(outcomes, (error, shard) => inBatch(error, columns, plan[shard]));
}

function inBatch(error: MarginError, columns: AccountColumns, { members, columns: local }: ShardPart): Placed {
  const match = /^columns\.(\w+)\[(\d+)\]$/.exec(error.field);
  // the venue, or the memory the load needs: judged before any row, alike on every shard
  if (match === null) return { error, order: [0] };
  const name = match[1], row = Number(match[2]);
  let global: number, order: Order;
  if (name === "mode") {
    global = members[row];
    order = [1, global];
  } else if (name === "positionOffsets" || name === "collateralOffsets") {
    // row a + 1 ends account a's rows: too many of them for one account
    const a = members[row - 1];
    global = a + 1;
    order = [2, a, name === "positionOffsets" ? 0 : 1];
  } else {
    const positions = name.startsWith("position");
    const localOffsets = positions ? local.positionOffsets : local.collateralOffsets;
    const k = accountOfRow(row, localOffsets, members.length), a = members[k];
    global = (positions ? columns.positionOffsets : columns.collateralOffsets)[a] + (row - localOffsets[k]);
    order = error.code === "DUPLICATE_ID" ? [5, a, positions ? 0 : 1] : [positions ? 3 : 4, global];
  }
  return { error: new MarginError(error.code, `columns.${name}[${global}]`, error.detail), order };
}

/** The account (of `count`) whose rows hold `row`: the last one starting at or before it. */
function accountOfRow(row: number, offsets: Uint32Array, count: number): number {
  let low = 0, high = count - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if (offsets[middle] <= row) low = middle;
    else high = middle - 1;
  }
  return low;
}
