// The order ticket: instrument, side, quantity and price in; checkOrder's verdict, the max order
// and IM and equity before → after out.
import type { AccountRisk, OrderRejection, OrderSide } from "../../engine.js";
import { byId, el, markInvalid } from "./dom.js";
import { grouped } from "./format.js";
import type { EvaluateReply, LoadReply, OrderTicket } from "./protocol.js";

/** A quantity or price as the ticket takes it: digits and one point, no sign (the side sets it). */
const UNSIGNED_DECIMAL = /^\d+(\.\d+)?$/;

/** Each rejection in words: every code has its line (a code added to the engine fails the build here). */
const REASONS: Record<OrderRejection, string> = {
  INSUFFICIENT_MARGIN: "Rejected: insufficient margin (equity after < IM after)",
  STALE_PRICE: "Rejected: the underlying's price is stale",
  ACCOUNT_BANKRUPT: "Rejected: the account is bankrupt, or would be after this order",
  OVER_TIER_LIMIT: "Rejected: the position would pass the last tier",
  EXPIRED: "Rejected: the contract has expired and trades no more until it is settled",
};

export class Ticket {
  private side: OrderSide = "buy";
  private readonly instrument = byId<HTMLInputElement>("order-instrument");
  private marks = new Map<string, string>();
  private readonly qty = byId<HTMLInputElement>("order-qty");
  private readonly price = byId<HTMLInputElement>("order-price");
  private max: string | null = null;
  /** The venue whose instruments the list holds: a venue loaded after it, however alike, fills it again. */
  private venue: LoadReply | null = null;

  constructor(onChange: () => void) {
    const sides = { buy: byId("order-buy"), sell: byId("order-sell") };
    for (const side of ["buy", "sell"] as const) {
      sides[side].addEventListener("click", () => {
        this.side = side;
        for (const s of ["buy", "sell"] as const) {
          sides[s].classList.toggle("active", s === side);
          sides[s].setAttribute("aria-pressed", String(s === side));
        }
        onChange();
      });
    }
    this.instrument.addEventListener("input", () => {
      const mark = this.marks.get(this.instrument.value.trim());
      markInvalid(this.instrument, mark === undefined);
      // an unlisted instrument is checked too: the verdict names it, and no earlier order's check stays shown
      if (mark !== undefined) this.price.value = mark;
      onChange();
    });
    for (const field of [this.qty, this.price]) field.addEventListener("input", () => onChange());
    byId("order-use-max").addEventListener("click", () => {
      if (this.max === null) return;
      this.qty.value = this.max;
      onChange();
    });
  }

  /**
   * Fills the page's one instrument list (a datalist the ticket and the positions table share: a
   * select per field would lay out every option again), and picks one the account holds.
   */
  setVenue(venue: LoadReply, preferred: string | undefined): void {
    const list = byId("instrument-ids");
    if (this.venue !== venue) {
      list.replaceChildren(...venue.instruments.map((row) => el("option", { value: row.id }, `${row.underlying} ${row.kind}`)));
      this.venue = venue;
      this.marks = new Map(venue.instruments.map((row) => [row.id, row.mark]));
    }
    const choice = preferred ?? venue.instruments[0]?.id;
    markInvalid(this.instrument, false);
    this.instrument.value = choice ?? "";
    this.price.value = choice === undefined ? "" : this.marks.get(choice)!;
    this.qty.value = "";
  }

  /** The ticket as an order (quantity "0" when empty), or null when a field is not a decimal. */
  order(): OrderTicket | null {
    const qty = this.qty.value.trim() || "0", price = this.price.value.trim();
    markInvalid(this.qty, !UNSIGNED_DECIMAL.test(qty));
    markInvalid(this.price, !UNSIGNED_DECIMAL.test(price));
    return this.problem() === null ? { instrument: this.instrument.value.trim(), side: this.side, qty, price } : null;
  }

  /** The first field that keeps the ticket from being an order, said for the verdict; null when it is one. */
  private problem(): string | null {
    const instrument = this.instrument.value.trim();
    if (!this.marks.has(instrument)) return `Choose an instrument${instrument === "" ? "" : `: no "${instrument}"`}`;
    if (!UNSIGNED_DECIMAL.test(this.qty.value.trim() || "0")) return "The quantity is not a decimal (digits and one point; the side sets its sign)";
    if (!UNSIGNED_DECIMAL.test(this.price.value.trim())) return "The price is not a decimal (digits and one point)";
    return null;
  }

  /** No account to check against (a venue without accounts): the fields emptied, no earlier check shown. */
  clear(): void {
    for (const field of [this.instrument, this.qty, this.price]) field.value = "";
    this.render(null, null);
    byId("order-verdict").textContent = "No account to check an order against";
  }

  /** The account as edited cannot be evaluated: no order is checked against it, and no earlier check stays shown. */
  notChecked(): void {
    this.render(null, null);
  }

  /** `risk` null: the account could not be evaluated. */
  render(result: EvaluateReply["order"], risk: AccountRisk | null): void {
    const verdict = byId("order-verdict");
    this.max = result?.max ?? null;
    byId("order-max").textContent = this.max === null ? "—" : grouped(this.max);
    const empty = this.qty.value.trim() === "";
    verdict.className = "verdict";
    verdict.removeAttribute("data-reason");
    if (risk === null) {
      verdict.textContent = "Not checked: the account as edited cannot be evaluated";
    } else if (result === null) {
      verdict.textContent = this.problem() ?? "Enter a quantity and a price";
    } else if (result.check === null) {
      verdict.textContent = `Invalid order: ${result.error}`;
      verdict.classList.add("rejected");
      verdict.dataset.reason = "INVALID";
    } else if (empty) {
      verdict.textContent = "Enter a quantity";
    } else {
      verdict.textContent = result.check.accepted ? "Accepted" : REASONS[result.check.reason!];
      verdict.classList.add(result.check.accepted ? "accepted" : "rejected");
      verdict.dataset.reason = result.check.reason ?? "ACCEPTED";
    }
    const check = result?.check && !empty && risk !== null ? result.check : null;
    byId("order-im").textContent = check ? `${grouped(check.initialMarginBefore)} → ${grouped(check.initialMarginAfter)}` : "—";
    byId("order-equity").textContent = check ? `${grouped(risk!.equity)} → ${grouped(check.equityAfter)}` : "—";
  }
}
