// The selected account: its figures, one price slider per underlying it is exposed to (with its
// liquidation price and Greeks), and the editable positions and collateral.
import type { AccountRisk } from "../../engine.js";
import { formatDecimal, parseWithinLimits, PRICE_SCALE } from "../../core/decimal.js";
import { MAX_PRICE } from "../../core/constants.generated.js";
import { oneLine } from "../../core/errors.js";
import { byId, el, markInvalid, setText } from "./dom.js";
import { grouped, moneyDifference, percent } from "./format.js";
import type { LoadReply } from "./protocol.js";
import type { DraftAccount } from "./sandbox.js";

/** A decimal as the engine reads it: optional minus, digits, optional fraction. */
const DECIMAL = /^-?\d+(\.\d+)?$/;
/** A decimal that is zero, however written ("0", "-0.000"). */
const ZERO = /^-?0+(\.0+)?$/;

/**
 * A typed price the engine takes, in its canonical form ("070000.50" → "70000.5"), or null:
 * digits and at most 8 decimals, more than 0 and at most MAX_PRICE. Text of more significant
 * digits than any limit is refused unread (parseWithinLimits), and leading zeros are dropped, so
 * a pasted run of millions of digits costs one scan, here and after.
 */
function priceOf(text: string): string | null {
  if (!/^\d+(\.\d{1,8})?$/.test(text)) return null;
  try {
    const raw = parseWithinLimits(text, PRICE_SCALE, "price");
    return raw > 0n && raw <= MAX_PRICE ? formatDecimal(raw, PRICE_SCALE) : null;
  } catch {
    return null;
  }
}

export const SLIDER_PER_MILLE = 500;

/** A figure card's value: on one line at a font its length fits (page.css), breakable only between digit groups. */
function setFigure(node: HTMLElement, text: string, reference?: string): void {
  setText(node, text, reference);
  node.style.setProperty("--chars", String(text.length));
  node.replaceChildren(...text.split(",").flatMap((part, k, parts) => (k < parts.length - 1 ? [`${part},`, el("wbr")] : [part])));
}

export function renderFigures(risk: AccountRisk, reference: AccountRisk | null): void {
  setFigure(byId("equity"), grouped(risk.equity), reference ? grouped(reference.equity) : undefined);
  setFigure(byId("initial-margin"), grouped(risk.initialMargin), reference ? grouped(reference.initialMargin) : undefined);
  setFigure(byId("maintenance-margin"), grouped(risk.maintenanceMargin), reference ? grouped(reference.maintenanceMargin) : undefined);
  setFigure(byId("free-margin"), moneyDifference(risk.equity, risk.initialMargin), reference ? moneyDifference(reference.equity, reference.initialMargin) : undefined);
  setFigure(byId("margin-ratio"), percent(risk.marginRatio), reference ? percent(reference.marginRatio) : undefined);
  const status = byId("status");
  status.textContent = risk.status;
  status.className = `status ${risk.status}`;
}

/** Underlyings whose price moves this account: those of its instruments and of its priced collateral. */
export function exposures(venue: LoadReply, draft: DraftAccount): string[] {
  const ids = new Set<string>();
  for (const p of draft.positions) {
    const row = venue.instruments.find((i) => i.id === p.instrument);
    if (row) ids.add(row.underlying);
  }
  for (const [asset, amount] of Object.entries(draft.collateral)) {
    const row = venue.assets.find((a) => a.id === asset);
    if (row?.underlying && amount !== "0") ids.add(row.underlying);
  }
  return venue.underlyings.map((u) => u.id).filter((id) => ids.has(id));
}

export interface SliderHandlers { onSlide(underlying: string, perMille: number): void; onPrice(underlying: string, price: string): void; onReset(underlying: string): void }

/** One block per exposed underlying: slider and price field, liquidation price and Greeks. */
export function renderUnderlyings(venue: LoadReply, ids: string[], perMille: Record<string, number>, prices: Record<string, string>, handlers: SliderHandlers): void {
  const host = byId("underlyings");
  if (ids.length === 0) {
    host.replaceChildren(el("p", { class: "note" }, "This account has no price exposure."));
    return;
  }
  host.replaceChildren(...ids.map((id) => {
    const info = venue.underlyings.find((u) => u.id === id)!;
    const slider = el("input", { type: "range", min: String(-SLIDER_PER_MILLE), max: String(SLIDER_PER_MILLE), step: "1", value: String(perMille[id] ?? 0), "data-underlying": id, "aria-label": `${id} price move` });
    const price = el("input", { class: "price", inputmode: "decimal", value: prices[id], "data-price": id, "aria-label": `${id} price` });
    slider.addEventListener("input", () => handlers.onSlide(id, Number(slider.value)));
    const problem = el("p", { class: "error", "data-price-error": id, hidden: "" });
    price.addEventListener("change", () => {
      const text = price.value.trim(), canonical = priceOf(text), ok = canonical !== null;
      markInvalid(price, !ok);
      problem.hidden = ok;
      problem.textContent = ok ? "" : `${id} price: "${oneLine(text)}" is not a price (more than 0, at most ${grouped(formatDecimal(MAX_PRICE, PRICE_SCALE))}, at most ${PRICE_SCALE} decimals); the figures are at the last valid one.`;
      if (!ok) return;
      // the committed price as the engine writes it: a pasted run of leading zeros goes
      price.value = canonical;
      handlers.onPrice(id, canonical);
    });
    const reset = el("button", { type: "button", class: "button ghost small" }, "Reset");
    reset.addEventListener("click", () => handlers.onReset(id));
    return el("div", { class: "underlying", "data-underlying": id },
      el("div", {},
        el("div", { class: "head" }, el("span", { class: "name" }, id), el("span", { class: "move", "data-move": id }), info.stale ? el("span", { class: "stale" }, "stale price") : null,
          el("span", { class: "note" }, `index ${grouped(info.index)}`)),
        el("div", { class: "slider-row" },
          el("div", { class: "slider" }, slider, el("div", { class: "scale" }, el("span", {}, "−50 %"), el("span", {}, "0"), el("span", {}, "+50 %"))),
          price, reset),
        problem,
        el("div", { class: "liq" }, "Liquidation price: ", el("strong", { "data-liquidation": id }, "—"))),
      el("dl", { class: "greeks", "data-greeks": id }));
  }));
}

/** The live parts of the underlying blocks: move, price field, liquidation price, Greeks. */
export function updateUnderlyings(risk: AccountRisk, perMille: Record<string, number>, prices: Record<string, string>, indexes: Record<string, string>): void {
  for (const block of document.querySelectorAll<HTMLElement>(".underlying")) {
    const id = block.dataset.underlying!;
    const move = block.querySelector<HTMLElement>(".move")!;
    const change = (Number(prices[id]) / Number(indexes[id]) - 1) * 100;
    move.textContent = `${grouped(prices[id])} (${change >= 0 ? "+" : ""}${change.toFixed(1)} %)`;
    move.className = `move ${change > 0.05 ? "up" : change < -0.05 ? "down" : ""}`;
    const slider = block.querySelector<HTMLInputElement>("input[type=range]")!;
    if (Number(slider.value) !== perMille[id]) slider.value = String(perMille[id]);
    const field = block.querySelector<HTMLInputElement>("input.price")!;
    if (document.activeElement !== field && field.value !== prices[id]) {
      field.value = prices[id];
      markInvalid(field, false);
      block.querySelector<HTMLElement>("[data-price-error]")!.hidden = true;
    }
    // records keyed by ids: own keys only (an underlying may be called `constructor`)
    const liquidation = risk.liquidationPrice && Object.hasOwn(risk.liquidationPrice, id) ? risk.liquidationPrice[id] : undefined;
    block.querySelector<HTMLElement>("[data-liquidation]")!.textContent = liquidation === undefined ? "— (no position)" : liquidation === null ? "none within ±99 %" : grouped(liquidation);
    const greeks = Object.hasOwn(risk.greeks, id) ? risk.greeks[id] : undefined;
    const rows: [string, string][] = greeks ? [["Delta", greeks.delta], ["Gamma", greeks.gamma], ["Vega", greeks.vega], ["Theta / day", greeks.theta]] : [];
    block.querySelector<HTMLElement>(".greeks")!.replaceChildren(...rows.map(([k, v]) => el("div", {}, el("dt", {}, k), el("dd", {}, grouped(v)))));
  }
}

/**
 * A price of `id` the engine refused, told beside its slider until the next figures. Its field,
 * if it is being typed in, keeps the refused text marked until it is left, then shows `current()`.
 */
export function showPriceRefusal(id: string, message: string, current: () => string): void {
  const block = document.querySelector<HTMLElement>(`.underlying[data-underlying="${CSS.escape(id)}"]`);
  if (block === null) return;
  const problem = block.querySelector<HTMLElement>("[data-price-error]")!;
  problem.textContent = message;
  problem.hidden = false;
  problem.dataset.refusal = "";
  const field = block.querySelector<HTMLInputElement>("input.price")!;
  if (document.activeElement !== field) return;
  const refused = field.value;
  markInvalid(field, true);
  field.addEventListener("blur", () => {
    if (field.value !== refused) return;
    field.value = current();
    markInvalid(field, false);
  }, { once: true });
}

/** The refusals showPriceRefusal told, hidden: new figures are not theirs. */
export function clearPriceRefusals(): void {
  for (const problem of document.querySelectorAll<HTMLElement>("[data-price-error][data-refusal]")) {
    problem.hidden = true;
    delete problem.dataset.refusal;
  }
}

/** `onInvalid` names a field whose text is no decimal (or no instrument of the venue): the figures shown stay those of the last valid edits. */
export interface EditorHandlers { onChange(): void; onInvalid(problem: string): void }

/** The positions and collateral tables, bound to `draft` (edited in place). */
export function renderEditor(venue: LoadReply, draft: DraftAccount, handlers: EditorHandlers): void {
  const marks = new Map(venue.instruments.map((i) => [i.id, i]));
  const input = (value: string, apply: (v: string) => void, label: string, allowNegative = true) => {
    const node = el("input", { class: "num", value, inputmode: "decimal", "aria-label": label, autocomplete: "off" });
    node.addEventListener("input", () => {
      const v = node.value.trim();
      const ok = DECIMAL.test(v) && (allowNegative || !v.startsWith("-"));
      markInvalid(node, !ok);
      if (ok) {
        apply(v);
        handlers.onChange();
      } else {
        handlers.onInvalid(`${label}: "${oneLine(v)}" is not ${allowNegative ? "a decimal" : "a decimal ≥ 0"} (digits and one point)`);
      }
    });
    return node;
  };
  const rows = draft.positions.map((p, k) => {
    const remove = el("button", { type: "button", class: "remove", title: "Remove position", "aria-label": `Remove ${p.instrument}` }, "×");
    remove.addEventListener("click", () => {
      draft.positions.splice(k, 1);
      renderEditor(venue, draft, handlers);
      handlers.onChange();
    });
    // the page's shared datalist (see Ticket.setVenue) suggests the instruments
    const instrument = el("input", { list: "instrument-ids", value: p.instrument, "aria-label": `Position ${k + 1} instrument`, autocomplete: "off", spellcheck: "false" });
    instrument.addEventListener("change", () => {
      const row = marks.get(instrument.value.trim());
      markInvalid(instrument, row === undefined);
      if (row === undefined) return handlers.onInvalid(`Instrument: "${oneLine(instrument.value.trim())}" is not one of this venue's`);
      Object.assign(p, { instrument: row.id, qty: row.lotSize, entry: row.mark });
      renderEditor(venue, draft, handlers);
      handlers.onChange();
    });
    return el("tr", { "data-instrument": p.instrument },
      el("td", {}, instrument),
      el("td", { class: "num" }, input(p.qty, (v) => (p.qty = v), `${p.instrument} quantity`)),
      el("td", { class: "num" }, input(p.entry, (v) => (p.entry = v), `${p.instrument} entry`, false)),
      el("td", { class: "num mark" }, grouped(marks.get(p.instrument)?.mark ?? "—")),
      el("td", {}, remove));
  });
  byId("positions").querySelector("tbody")!.replaceChildren(...(rows.length ? rows : [el("tr", {}, el("td", { colspan: "5", class: "note" }, "No positions. Add one to preview it."))]));
  // balances by asset id, own keys only: an asset may be called `constructor` or `__proto__`
  const balances = new Map(Object.entries(draft.collateral));
  const collateral = venue.assets.map((asset) => el("tr", {},
    el("td", {}, asset.id),
    el("td", { class: "num" }, input(balances.get(asset.id) ?? "0", (v) => {
      // the amount's precision is the engine's to judge: a refusal then names it
      if (ZERO.test(v)) balances.delete(asset.id);
      else balances.set(asset.id, v);
      draft.collateral = Object.fromEntries(balances);
    }, `${asset.id} amount`))));
  byId("collateral").querySelector("tbody")!.replaceChildren(...collateral);
}

/** Each position's mark at the chosen prices, marked where it differs from the venue's. */
export function updateMarks(venue: LoadReply, marks: Record<string, string>): void {
  const venueMarks = new Map(venue.instruments.map((i) => [i.id, i.mark]));
  for (const row of byId("positions").querySelectorAll<HTMLElement>("tr[data-instrument]")) {
    const id = row.dataset.instrument!, mark = marks[id];
    if (mark !== undefined) setText(row.querySelector<HTMLElement>("td.mark")!, grouped(mark), grouped(venueMarks.get(id) ?? mark));
  }
}

/** A new position row for the first instrument the account does not hold: one lot at the mark. */
export function newPosition(venue: LoadReply, draft: DraftAccount): DraftAccount["positions"][number] | null {
  const held = new Set(draft.positions.map((p) => p.instrument));
  const row = venue.instruments.find((i) => !held.has(i.id));
  return row ? { instrument: row.id, qty: row.lotSize, entry: row.mark } : null;
}
