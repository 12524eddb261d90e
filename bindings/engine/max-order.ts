// The largest order that passes the pre-trade check (docs/methodology.md §12), in whole lots,
// found with O(log lots) trial evaluations instead of one per lot.
//
// Why a search on two curves is exact: along an order of q lots the account's IM is convex in q
// (a sum of tiered or per-contract charges of |position|, or a maximum of scenario losses that
// are linear in the position), and equity after the fill is linear in q less a fee that grows
// with q, so the margin slack (equity after − IM after) is concave. Its non-negative set is one
// run of quantities, and the risk-reducing set (IM after ≤ IM before, and for a solvent account
// equity after ≥ 0, linear in q) is one run from zero. The check accepts exactly the union of those two runs (with the stale-price and last-tier limits
// cutting the first), so the answer is the larger of their ends. Each end is found by
// bisection, and the answer is confirmed by the check itself. Tier rates may fall from one tier
// to the next; IM is then convex only within a tier, so the slack is searched tier by tier from
// the largest quantities down.
import { formatDecimal, PRICE_SCALE } from "../core/decimal.js";
import { fail } from "../core/errors.js";
import { asId } from "../core/json.js";
import { KIND_CALL, MAX_LOTS, MAX_POSITIONS_PER_ACCOUNT, STATUS_BANKRUPT } from "../core/constants.generated.js";
import { Col, type ColumnViews } from "../module/views.js";
import type { WasmExports } from "../module/wasm.js";
import { beyondNotional, parseFillPrice, ratesFall } from "../venue/reference.js";
import type { AccountBook } from "./accounts.js";
import type { Catalog } from "./catalog.js";
import type { Orders } from "./orders.js";
import type { RawOrderCheck } from "./types.js";

export class MaxOrder {
  constructor(
    private readonly wasm: WasmExports,
    private readonly views: ColumnViews,
    private readonly catalog: Catalog,
    private readonly book: AccountBook,
    private readonly orders: Orders,
  ) {}

  /** The largest quantity (base units, whole lots) of `side` at `price` that checkOrder accepts; "0" when none does. */
  find(accountId: unknown, instrumentId: unknown, side: unknown, priceText: unknown): string {
    const a = this.book.indexOf(asId(accountId, "order.account"), "order.account");
    const i = this.catalog.instrumentIndex(asId(instrumentId, "order.instrument"), "order.instrument");
    if (side !== "buy" && side !== "sell") fail("MALFORMED", "order.side", 'expected "buy" or "sell"');
    const price = parseFillPrice(this.catalog.instruments[i].kind, priceText, "order.price");
    return formatDecimal(BigInt(this.maxLots(a, i, side === "buy" ? 1 : -1, price)) * this.catalog.instruments[i].lotSize, PRICE_SCALE);
  }

  /** The largest whole number of lots in direction `sign` (+1 buy, −1 sell) that the check accepts, or 0. */
  maxLots(a: number, i: number, sign: 1 | -1, price: bigint): number {
    const row = this.catalog.instruments[i];
    const underlying = this.catalog.underlying(row.underlying);
    // the tier bounds below read the guarded mark: prepared at the current prices before any check
    this.orders.prepare(i);
    const held = this.wasm.heldPosition(a, i);
    const h = sign * this.wasm.trialHeldLots(); // the held position seen from the order's side
    if (!held && this.views.u8(Col.AccountPositionCount)[a] >= MAX_POSITIONS_PER_ACCOUNT) return 0;

    // quantities the check can judge at all: |position after| within the notional limit (a held entry bounds it too)
    const entry = held ? this.wasm.trialHeldEntry() : price;
    const limit = largestWithin(Number(MAX_LOTS), (lots) => !beyondNotional(BigInt(lots), row, underlying.index, price, entry));
    // and an order itself is at most MAX_LOTS (closing a short first could otherwise ask for more)
    const low = Math.max(1, -limit - h), high = Math.min(limit - h, Number(MAX_LOTS));
    if (high < low) return 0;

    const checks = new Map<number, RawOrderCheck>();
    const check = (q: number): RawOrderCheck => {
      let c = checks.get(q);
      if (c === undefined) checks.set(q, (c = this.orders.checkRaw(a, i, sign * q, price)));
      return c;
    };
    const slack = (q: number): bigint => check(q).equityAfter - check(q).initialMarginAfter;
    const candidates: number[] = [];

    // every order: (linear) refused once it grows the position past the last tier
    let top = high;
    if (row.kind < KIND_CALL && row.tiers.length > 0) {
      const lastTier = largestWithin(limit, (lots) => !this.orders.beyondLastTier(i, lots));
      top = Math.min(high, Math.max(Math.abs(h), lastTier) - h);
    }
    if (top < low) return 0;
    // risk-adding orders: refused on a stale underlying
    if (!underlying.stale) {
      const ends = this.segmentEnds(i, h, limit, low, top);
      for (let s = ends.length - 1; s >= 0; s--) {
        const end = lastNonNegative(slack, s === 0 ? low : ends[s - 1] + 1, ends[s]);
        if (end === null) continue;
        candidates.push(end);
        break;
      }
    }
    // risk-reducing orders: accepted unless the account is bankrupt, before or after, and the slack
    // is negative. A solvent account's order passes while equity after stays ≥ 0 (it would, were the
    // slack ≥ 0): equity after is linear in q, so that is a run from zero; a bankrupt one's needs the slack.
    const reduces = (q: number): boolean => check(q).initialMarginAfter <= check(q).initialMarginBefore;
    if (reduces(low)) {
      const end = lastTrue(reduces, low, top);
      if (check(end).accepted) candidates.push(end);
      else if (this.views.u8(Col.AccountStatus)[a] === STATUS_BANKRUPT) {
        const bankruptEnd = lastNonNegative(slack, low, end);
        if (bankruptEnd !== null) candidates.push(bankruptEnd);
      } else {
        const solvent = (q: number): boolean => check(q).equityAfter >= 0n;
        if (solvent(low)) candidates.push(lastTrue(solvent, low, end));
      }
    }
    return Math.max(0, ...candidates.filter((q) => check(q).accepted));
  }

  /**
   * The ends of the runs of q in [low, top] on which the slack is concave, ascending, `top` last:
   * one run, unless a linear instrument's tier rates fall somewhere; then a run ends wherever the
   * position after the order crosses a tier bound or zero.
   */
  private segmentEnds(i: number, h: number, limit: number, low: number, top: number): number[] {
    const tiers = this.catalog.instruments[i].tiers;
    if (!ratesFall(tiers, "imf")) return [top];
    const ends = new Set<number>([-h]); // the position after the order is flat
    for (let k = 0; k + 1 < tiers.length; k++) {
      const bound = largestWithin(limit, (lots) => !this.orders.beyondTier(i, lots, k)); // |position| in tiers 0..k
      ends.add(bound - h); // growing: the last quantity still within tier k
      ends.add(-h - bound - 1); // shrinking from a short: the last quantity still past it
    }
    return [...[...ends].filter((q) => q >= low && q < top).sort((a, b) => a - b), top];
  }
}

/** The largest n in [0, high] with `within(n)`, for a predicate true up to some point (within(0) holds). */
function largestWithin(high: number, within: (n: number) => boolean): number {
  return lastTrue(within, 0, high);
}

/** The last q in [low, high] where a predicate that is true then false holds (`holds(low)` is true). */
function lastTrue(holds: (q: number) => boolean, low: number, high: number): number {
  if (holds(high)) return high;
  let yes = low, no = high;
  while (no - yes > 1) {
    const mid = yes + Math.floor((no - yes) / 2);
    if (holds(mid)) yes = mid;
    else no = mid;
  }
  return yes;
}

/**
 * The last q in [low, high] with f(q) ≥ 0 for a concave f, or null: find its peak, then bisect the
 * falling side. f is concave up to its roundings (a µ-unit or so a term): where a lot is worth
 * less than that, neighbouring values compare by rounding and the peak search can end off the
 * run; a run that starts at `low` is then still found from there.
 */
function lastNonNegative(f: (q: number) => bigint, low: number, high: number): number | null {
  if (high < low) return null;
  if (f(high) >= 0n) return high;
  let left = low, right = high;
  while (left < right) {
    const mid = left + Math.floor((right - left) / 2);
    if (f(mid) >= f(mid + 1)) right = mid;
    else left = mid + 1;
  }
  const start = f(left) >= 0n ? left : f(low) >= 0n ? low : null;
  return start === null ? null : lastTrue((q) => f(q) >= 0n, start, high);
}
