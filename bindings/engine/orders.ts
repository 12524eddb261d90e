// The pre-trade check (docs/methodology.md §12): the account's IM and equity after an order fills,
// from one trial evaluation in the module. The state is as it was afterwards (snapshot bytes
// equal). A trial on an instrument the account does not hold inserts the position for the
// evaluation; into a full book, that is a copy of the book past its arena's end with room for one
// more row (the book stays where it was), so the copy is held to maximumMemory like an edit.
import { ceilDiv, floorDiv, formatDecimal, MONEY_SCALE } from "../core/decimal.js";
import { fail } from "../core/errors.js";
import { asId, asObject, onlyKeys } from "../core/json.js";
import {
  KIND_CALL, MAX_LOTS, MAX_POSITIONS_PER_ACCOUNT, MAX_PRICE, QTY_PRICE_FRACTION_TO_MONEY, QTY_PRICE_TO_MONEY, STATUS_BANKRUPT,
} from "../core/constants.generated.js";
import { Col, type ColumnViews } from "../module/views.js";
import type { WasmExports } from "../module/wasm.js";
import { lotsOf } from "../venue/accounts.js";
import { beyondNotional, parseFillPrice } from "../venue/reference.js";
import type { AccountBook } from "./accounts.js";
import type { Catalog } from "./catalog.js";
import type { Expiry } from "./expiry.js";
import type { MemoryGuard } from "./memory.js";
import type { Refresh } from "./refresh.js";
import type { OrderCheck, OrderRejection, RawOrderCheck } from "./types.js";

export class Orders {
  constructor(
    private readonly wasm: WasmExports,
    private readonly views: ColumnViews,
    private readonly catalog: Catalog,
    private readonly book: AccountBook,
    private readonly refresh: Refresh,
    private readonly expiry: Expiry,
    private readonly memory: MemoryGuard,
  ) {}

  check(order: unknown): OrderCheck {
    const request = onlyKeys(asObject(order, "order"), "order", ["account", "instrument", "qty", "price"]);
    const a = this.book.indexOf(asId(request.account, "order.account"), "order.account");
    const i = this.catalog.instrumentIndex(asId(request.instrument, "order.instrument"), "order.instrument");
    const row = this.catalog.instruments[i];
    const price = parseFillPrice(row.kind, request.price, "order.price");
    const check = this.checkRaw(a, i, lotsOf(request.qty, row.lotSize, "order.qty"), price);
    return {
      accepted: check.accepted,
      reason: check.reason,
      initialMarginBefore: formatDecimal(check.initialMarginBefore, MONEY_SCALE),
      initialMarginAfter: formatDecimal(check.initialMarginAfter, MONEY_SCALE),
      equityAfter: formatDecimal(check.equityAfter, MONEY_SCALE),
    };
  }

  checkRaw(a: number, i: number, lots: number, price: bigint): RawOrderCheck {
    if (typeof a !== "number") fail("MALFORMED", "order.account", `expected an account index (a number), got ${typeof a}`);
    if (!Number.isInteger(a) || a < 0 || a >= this.book.count()) fail("UNKNOWN_ID", "order.account", `no account index ${String(a)}`);
    if (typeof i !== "number") fail("MALFORMED", "order.instrument", `expected an instrument index (a number), got ${typeof i}`);
    if (!Number.isInteger(i) || i < 0 || i >= this.catalog.instruments.length) fail("UNKNOWN_ID", "order.instrument", `no instrument index ${String(i)}`);
    if (typeof lots !== "number") fail("MALFORMED", "order.qty", `expected signed whole lots (a number), got ${typeof lots}`);
    if (!Number.isInteger(lots)) fail("NOT_WHOLE_LOTS", "order.qty", `expected whole lots, got ${lots}`);
    if (Math.abs(lots) > Number(MAX_LOTS)) fail("OUT_OF_RANGE", "order.qty", `expected whole lots, at most ${MAX_LOTS} either way`);
    if (typeof price !== "bigint") fail("MALFORMED", "order.price", `expected a raw price (a bigint at 1e8), got ${typeof price}`);
    const row = this.catalog.instruments[i];
    // an option's premium may be 0; a perpetual's or future's price may not
    const lowest = row.kind >= KIND_CALL ? 0n : 1n;
    if (price < lowest || price > MAX_PRICE) fail("OUT_OF_RANGE", "order.price", `outside ${lowest === 0n ? "[0" : "(0"}, the price limit]`);
    this.refresh.refresh();
    const held = this.wasm.heldPosition(a, i);
    const heldLots = this.wasm.trialHeldLots();
    const entry = held ? this.wasm.trialHeldEntry() : price;
    const after = heldLots + lots;
    const underlying = this.catalog.underlying(row.underlying);
    // the position after keeps a held entry, which bounds its notional as the order price does
    if (Math.abs(after) > Number(MAX_LOTS) || beyondNotional(BigInt(Math.abs(after)), row, underlying.index, price, entry)) {
      fail("OUT_OF_RANGE", "order.qty", "the position would exceed the notional limit");
    }
    if (!held && this.views.u8(Col.AccountPositionCount)[a] >= MAX_POSITIONS_PER_ACCOUNT) {
      fail("OUT_OF_RANGE", "order.qty", `an account holds at most ${MAX_POSITIONS_PER_ACCOUNT} positions`);
    }
    if (!held && after !== 0) this.memory.ensure(this.memory.trialInsert(a), "order.qty");
    // cash moved by the fill: a linear fill realizes (entry − price) on the lots at the held
    // entry; an option fill pays or receives its premium; the fee is owed (rounded up)
    const notional = BigInt(lots) * row.lotSize;
    const fill = row.kind < KIND_CALL ? notional * (entry - price) : -notional * price;
    const takerFee = this.catalog.params.takerFee;
    const fee = takerFee === 0n ? 0n : ceilDiv((notional < 0n ? -notional : notional) * price * takerFee, QTY_PRICE_FRACTION_TO_MONEY);
    const cash = floorDiv(fill, QTY_PRICE_TO_MONEY) - fee;

    this.wasm.trialOrder(a, i, after, entry);
    const imBefore = this.wasm.trialInitialMarginBefore(), imAfter = this.wasm.trialInitialMarginAfter();
    const equityAfter = this.wasm.trialEquityAfter() + cash;
    const statusBefore = this.wasm.trialStatusBefore();

    const reduces = imAfter <= imBefore;
    let reason: OrderRejection | null = null;
    // an expired contract no longer trades, whichever way the order goes, until it is settled
    if (this.expiry.isExpired(i)) reason = "EXPIRED";
    else if (!reduces && underlying.stale) reason = "STALE_PRICE";
    // the last tier bounds a linear position outright: a hedge that leaves IM as it was grows it no further
    else if (row.kind < KIND_CALL && Math.abs(after) > Math.abs(heldLots) && this.beyondLastTier(i, after)) reason = "OVER_TIER_LIMIT";
    else if (equityAfter < imAfter && !reduces) reason = "INSUFFICIENT_MARGIN";
    // a risk-reducing order may leave equity under IM, but not under zero: one that would (an
    // option bought far above its mark) is no reduction of risk
    else if (equityAfter < imAfter && (statusBefore === STATUS_BANKRUPT || equityAfter < 0n)) reason = "ACCOUNT_BANKRUPT";
    return { accepted: reason === null, reason, initialMarginBefore: imBefore, initialMarginAfter: imAfter, equityAfter };
  }

  /** Brings results and instrument `i`'s preparation (its guarded mark, read by the tier bounds) up to date. */
  prepare(i: number): void {
    this.refresh.refresh();
    this.wasm.ensurePrepared(i);
  }

  /** True when `lots` of a linear instrument at its guarded mark pass its last tier bound (`prepare(i)` first). */
  beyondLastTier(i: number, lots: number): boolean {
    return this.beyondTier(i, lots, this.catalog.instruments[i].tiers.length - 1);
  }

  /** True when `lots` of a linear instrument at its guarded mark pass tier k's bound. */
  beyondTier(i: number, lots: number, k: number): boolean {
    const tiers = this.catalog.instruments[i].tiers;
    if (tiers.length === 0) return false;
    const notional = BigInt(Math.abs(lots)) * this.catalog.instruments[i].lotSize * this.views.i64(Col.InstrumentMarkUsed)[i];
    return notional > tiers[k].upTo * QTY_PRICE_TO_MONEY;
  }
}
