// The pre-trade check (docs/methodology.md §12): the account's IM and equity after an order fills,
// from one trial evaluation in the module. Never changes state.
import { ceilDiv, floorDiv, formatDecimal, MONEY_SCALE } from "../core/decimal.js";
import { fail } from "../core/errors.js";
import { asId, asObject } from "../core/json.js";
import { MAX_LOTS, MAX_POSITIONS_PER_ACCOUNT, MAX_PRICE } from "../core/limits.js";
import { Col, type ColumnViews } from "../module/views.js";
import type { WasmExports } from "../module/wasm.js";
import { lotsOf } from "../venue/accounts.js";
import { parsePrice } from "../venue/reference.js";
import type { AccountBook } from "./accounts.js";
import { beyondNotional, type Catalog } from "./catalog.js";
import type { Refresh } from "./refresh.js";
import { STATUS_NAMES } from "./results.js";
import type { OrderCheck, OrderRejection, RawOrderCheck } from "./types.js";

/** quantity (1e8) × price (1e8) → money (1e6), and × a fraction (1e9) as well. */
const QTY_PRICE_TO_MONEY = 10n ** 10n, QTY_PRICE_FRACTION_TO_MONEY = 10n ** 19n;
/** trialResult slots (assembly/index.ts). */
const TRIAL_HELD_LOTS = 0, TRIAL_HELD_ENTRY = 1, TRIAL_IM_BEFORE = 2, TRIAL_IM_AFTER = 3, TRIAL_EQUITY_AFTER = 4, TRIAL_STATUS_BEFORE = 5;

export class Orders {
  constructor(
    private readonly wasm: WasmExports,
    private readonly views: ColumnViews,
    private readonly catalog: Catalog,
    private readonly book: AccountBook,
    private readonly refresh: Refresh,
  ) {}

  check(order: unknown): OrderCheck {
    const request = asObject(order, "order");
    const a = this.book.indexOf(asId(request.account, "order.account"), "order.account");
    const i = this.catalog.instrumentIndex(asId(request.instrument, "order.instrument"));
    const check = this.checkRaw(a, i, lotsOf(request.qty, this.catalog.instruments[i].lotSize, "order.qty"), parsePrice(request.price, "order.price"));
    return {
      accepted: check.accepted,
      reason: check.reason,
      initialMarginBefore: formatDecimal(check.initialMarginBefore, MONEY_SCALE),
      initialMarginAfter: formatDecimal(check.initialMarginAfter, MONEY_SCALE),
      equityAfter: formatDecimal(check.equityAfter, MONEY_SCALE),
    };
  }

  checkRaw(a: number, i: number, lots: number, price: bigint): RawOrderCheck {
    if (!Number.isInteger(a) || a < 0 || a >= this.book.count()) fail("UNKNOWN_ID", "order.account", `no account index ${a}`);
    if (!Number.isInteger(i) || i < 0 || i >= this.catalog.instruments.length) fail("UNKNOWN_ID", "order.instrument", `no instrument index ${i}`);
    if (!Number.isSafeInteger(lots) || Math.abs(lots) > Number(MAX_LOTS)) fail("OUT_OF_RANGE", "order.qty", `more than ${MAX_LOTS} lots`);
    if (typeof price !== "bigint" || price <= 0n || price > MAX_PRICE) fail("OUT_OF_RANGE", "order.price", "outside (0, the price limit]");
    const row = this.catalog.instruments[i];
    this.refresh.refresh();
    const held = this.wasm.heldPosition(a, i);
    const heldLots = Number(this.wasm.trialResult(TRIAL_HELD_LOTS));
    const entry = held ? this.wasm.trialResult(TRIAL_HELD_ENTRY) : price;
    const after = heldLots + lots;
    const underlying = this.catalog.underlying(row.underlying);
    if (Math.abs(after) > Number(MAX_LOTS) || beyondNotional(BigInt(Math.abs(after)), row, underlying.index, price)) {
      fail("OUT_OF_RANGE", "order.qty", "the position would exceed the notional limit");
    }
    if (!held && this.views.u8(Col.AccountPositionCount)[a] >= MAX_POSITIONS_PER_ACCOUNT) {
      fail("OUT_OF_RANGE", "order.qty", `an account holds at most ${MAX_POSITIONS_PER_ACCOUNT} positions`);
    }
    // cash moved by the fill: a linear fill realizes (entry − price) on the lots at the held
    // entry; an option fill pays or receives its premium; the fee is owed (rounded up)
    const notional = BigInt(lots) * row.lotSize;
    const fill = row.kind <= 1 ? notional * (entry - price) : -notional * price;
    const takerFee = this.catalog.params.takerFee;
    const fee = takerFee === 0n ? 0n : ceilDiv((notional < 0n ? -notional : notional) * price * takerFee, QTY_PRICE_FRACTION_TO_MONEY);
    const cash = floorDiv(fill, QTY_PRICE_TO_MONEY) - fee;

    this.wasm.trialOrder(a, i, after, entry);
    const imBefore = this.wasm.trialResult(TRIAL_IM_BEFORE), imAfter = this.wasm.trialResult(TRIAL_IM_AFTER);
    const equityAfter = this.wasm.trialResult(TRIAL_EQUITY_AFTER) + cash;
    const statusBefore = Number(this.wasm.trialResult(TRIAL_STATUS_BEFORE));

    const reduces = imAfter <= imBefore;
    let reason: OrderRejection | null = null;
    if (!reduces && underlying.stale) reason = "STALE_PRICE";
    else if (!reduces && row.kind <= 1 && Math.abs(after) > Math.abs(heldLots) && this.beyondLastTier(i, after)) reason = "OVER_TIER_LIMIT";
    else if (equityAfter < imAfter && !reduces) reason = "INSUFFICIENT_MARGIN";
    else if (equityAfter < imAfter && STATUS_NAMES[statusBefore] === "bankrupt") reason = "ACCOUNT_BANKRUPT";
    return { accepted: reason === null, reason, initialMarginBefore: imBefore, initialMarginAfter: imAfter, equityAfter };
  }

  /** True when `lots` of a linear instrument at its guarded mark pass its last tier bound. */
  private beyondLastTier(i: number, lots: number): boolean {
    const tiers = this.catalog.instruments[i].tiers;
    if (tiers.length === 0) return false;
    const notional = BigInt(Math.abs(lots)) * this.catalog.instruments[i].lotSize * this.views.i64(Col.InstrumentMarkUsed)[i];
    return notional > tiers[tiers.length - 1].upTo * QTY_PRICE_TO_MONEY;
  }
}
