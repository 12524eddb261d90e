// The margin preview page: loads a venue into the engine worker, lists its accounts, and
// re-evaluates the selected account (edited positions, chosen prices, the order ticket) on every
// change. All engine work happens in the worker; this thread only renders.
import type { AccountRisk } from "../../engine.js";
import { clearPriceRefusals, exposures, newPosition, renderEditor, renderFigures, renderUnderlyings, showPriceRefusal, SLIDER_PER_MILLE, updateMarks, updateUnderlyings } from "./account-view.js";
import { PriceChart } from "./chart.js";
import { EngineClient } from "./client.js";
import { byId, el } from "./dom.js";
import { grouped, money } from "./format.js";
import { renderHeatmap } from "./heatmap.js";
import type { AccountReply, EvaluateReply, LoadReply, OrderTicket, VenueSource } from "./protocol.js";
import { priceAt, type DraftAccount } from "./sandbox.js";
import { Ticket } from "./ticket.js";

/** Prices by underlying, and the slider positions that chose them. */
interface Evaluated { prices: Record<string, string>; perMille: Record<string, number> }

const STATUS = ["healthy", "restricted", "liquidatable", "bankrupt"];
/** Accounts listed at once; the search narrows a large venue down. */
const LIST_LIMIT = 40;

const state = {
  venue: null as LoadReply | null,
  ids: [] as string[],
  indexes: {} as Record<string, string>,
  selected: null as string | null,
  original: "",
  draft: null as DraftAccount | null,
  reference: null as AccountRisk | null,
  perMille: {} as Record<string, number>,
  prices: {} as Record<string, string>,
  /** The prices and slider positions of the figures shown: where a price the engine refuses goes back to. */
  evaluated: { prices: {}, perMille: {} } as Evaluated,
  chart: null as string | null,
  evaluations: 0,
};

const banner = byId("banner");
const client = new EngineClient(byId("worker-source").textContent!, (message) => showBanner(`The engine stopped: ${message}`));
const chart = new PriceChart(byId("chart"));
const ticket = new Ticket(() => schedule());

function showBanner(message: string | null, info = false): void {
  banner.hidden = message === null;
  banner.textContent = message ?? "";
  banner.className = info ? "banner info" : "banner";
}

// ----- loading -------------------------------------------------------------------------------
async function load(source: VenueSource, name: string): Promise<void> {
  showBanner(`Loading ${name}…`, true);
  document.body.dataset.loading = "1";
  try {
    const venue = await client.call<LoadReply>({ type: "load", source, name });
    state.venue = venue;
    state.ids = JSON.parse(venue.idsJson) as string[];
    state.indexes = Object.fromEntries(venue.underlyings.map((u) => [u.id, u.index]));
    showBanner(null);
    const count = (n: number, what: string) => `${n.toLocaleString("en-US")} ${what}${n === 1 ? "" : "s"}`;
    byId("venue-info").textContent = `${name} · ${count(state.ids.length, "account")} · ${count(venue.instruments.length, "instrument")} · ${venue.now} · loaded in ${Math.round(venue.loadMs)} ms`;
    renderTotals(venue);
    (byId("account-search") as HTMLInputElement).value = "";
    renderAccountList();
    await nextFrame(); // the list is drawn before the account's own work starts
    if (state.ids.length > 0) await select(state.ids[0]);
    else clearAccount();
  } catch (error) {
    showBanner(`Could not load ${name}: ${(error as Error).message}`);
  } finally {
    document.body.dataset.loading = "0";
    document.body.dataset.loads = String(Number(document.body.dataset.loads ?? 0) + 1);
  }
}

const nextFrame = () => new Promise<void>((resolve) => requestAnimationFrame(() => setTimeout(resolve)));

function renderTotals(venue: LoadReply): void {
  const t = venue.totals;
  const rows: [string, string][] = [["Equity", grouped(t.equity)], ["IM", grouped(t.initialMargin)], ["MM", grouped(t.maintenanceMargin)],
    ...STATUS.map((s): [string, string] => [s[0].toUpperCase() + s.slice(1), t.statusCounts[s as keyof typeof t.statusCounts].toLocaleString("en-US")])];
  byId("venue-totals").replaceChildren(...rows.flatMap(([k, v]) => [el("dt", {}, k), el("dd", {}, v)]));
  byId("account-count").textContent = `(${state.ids.length.toLocaleString("en-US")})`;
}

function renderAccountList(): void {
  const venue = state.venue;
  if (venue === null) return;
  const query = (byId("account-search") as HTMLInputElement).value.trim().toLowerCase();
  const items: HTMLElement[] = [];
  let matches = 0;
  const ids = state.ids;
  for (let k = 0; k < ids.length; k++) {
    if (query && !ids[k].toLowerCase().includes(query)) continue;
    if (++matches > LIST_LIMIT) continue;
    const id = ids[k], status = STATUS[venue.status[k]];
    // the dot's colour shows the status; its text alternative says it (after the id, where it is read)
    items.push(el("li", { role: "option", tabindex: "-1", "aria-selected": "false", "data-account": id, title: `${id}: ${status}, ${venue.mode[k] ? "portfolio" : "standard"}` },
      el("span", { class: "id" }, id), el("span", { class: `dot ${status}`, role: "img", "aria-label": status }), el("span", { class: "eq" }, money(venue.equity[k]))));
  }
  byId("account-list").replaceChildren(...items);
  // what the list leaves out is said beside it, not as an option (the listbox holds options only)
  byId("account-list-status").textContent = matches > LIST_LIMIT ? `${(matches - LIST_LIMIT).toLocaleString("en-US")} more: refine the search`
    : matches === 0 ? "No account matches" : "";
  markSelected(state.selected);
}

/** The listbox's selection, with a roving tabindex: the selected option (else the first) is the list's one tab stop. */
function markSelected(id: string | null): void {
  const items = [...byId("account-list").querySelectorAll<HTMLElement>("li[data-account]")];
  const stop = items.find((item) => item.dataset.account === id) ?? items[0];
  for (const item of items) {
    item.setAttribute("aria-selected", String(item.dataset.account === id));
    item.tabIndex = item === stop ? 0 : -1;
  }
}

// ----- the selected account ------------------------------------------------------------------
let selections = 0;
async function select(id: string): Promise<void> {
  const mine = ++selections; // a later selection (keys pressed in quick succession) wins
  const reply = await client.call<AccountReply>({ type: "account", account: id });
  if (mine !== selections) return;
  state.selected = id;
  state.draft = reply.draft;
  state.original = JSON.stringify(reply.draft);
  state.reference = null;
  markSelected(id);
  byId("account-title").textContent = id;
  byId("account-mode").textContent = reply.draft.mode;
  const relations = [reply.parent ? `sub-account of ${reply.parent}` : "", reply.subAccounts.length ? `sub-accounts: ${reply.subAccounts.join(", ")}` : ""].filter(Boolean);
  byId("account-relations").textContent = relations.join(" · ");
  resetPrices();
  ticket.setVenue(state.venue!, reply.draft.positions[0]?.instrument);
  await nextFrame(); // each part of a large venue's first render gets its own frame
  if (mine !== selections) return;
  renderAccount();
  schedule();
}

/** A venue without accounts: nothing selected, nothing evaluated. */
function clearAccount(): void {
  Object.assign(state, { selected: null, draft: null, reference: null, chart: null });
  byId("account-title").textContent = "No accounts in this venue";
  for (const id of ["account-mode", "account-relations", "equity", "initial-margin", "maintenance-margin", "free-margin", "margin-ratio", "status"]) byId(id).textContent = "";
  for (const id of ["underlyings", "chart-tabs"]) byId(id).replaceChildren();
  for (const id of ["positions", "collateral"]) byId(id).querySelector("tbody")!.replaceChildren();
  byId("heatmap-panel").hidden = true;
  byId("whatif-tag").hidden = true;
  byId("reset-all").hidden = true;
  chart.clear();
  ticket.clear();
  document.body.dataset.evaluations = String(++state.evaluations);
}

/** Every underlying of the loaded venue at its index, and nothing else (an earlier venue's underlyings gone). */
function resetPrices(): void {
  state.perMille = Object.fromEntries(Object.keys(state.indexes).map((id) => [id, 0]));
  state.prices = { ...state.indexes };
  state.evaluated = { prices: { ...state.prices }, perMille: { ...state.perMille } };
}

/** Re-renders the account's structure (after a selection or an edit that changes its exposures). */
function renderAccount(): void {
  const venue = state.venue!, draft = state.draft!;
  const ids = exposures(venue, draft);
  lastExposure = ids.join(",");
  if (state.chart === null || !ids.includes(state.chart)) state.chart = ids[0] ?? null;
  renderUnderlyings(venue, ids, state.perMille, state.prices, {
    onSlide: (u, perMille) => { state.perMille[u] = perMille; state.prices[u] = priceAt(state.indexes[u], perMille); state.chart = u; renderTabs(ids); schedule(); },
    onPrice: (u, price) => {
      state.prices[u] = price;
      const perMille = Math.round((Number(price) / Number(state.indexes[u]) - 1) * 1000);
      state.perMille[u] = Math.max(-SLIDER_PER_MILLE, Math.min(SLIDER_PER_MILLE, perMille));
      state.chart = u;
      renderTabs(ids);
      schedule();
    },
    onReset: (u) => { state.perMille[u] = 0; state.prices[u] = state.indexes[u]; schedule(); },
  });
  renderTabs(ids);
  renderEditor(venue, draft, {
    onChange: () => { renderTabsIfExposureChanged(); scheduleSoon(); },
    onInvalid: (problem) => {
      const message = byId("draft-error");
      message.hidden = false;
      message.textContent = `${problem}. The figures are those of the last valid edits.`;
    },
  });
}

/** A tab per exposed underlying (when more than one), the selected one the tablist's one tab stop and the chart's label. */
function renderTabs(ids: string[]): void {
  const host = byId("chart-tabs"), panel = byId("chart");
  const focused = host.contains(document.activeElement);
  const tabs = (ids.length > 1 ? ids : []).map((id, k) => {
    const selected = id === state.chart;
    const tab = el("button", { type: "button", role: "tab", id: `chart-tab-${k}`, "aria-selected": String(selected), "aria-controls": "chart", tabindex: selected ? "0" : "-1" }, id);
    tab.addEventListener("click", () => { state.chart = id; renderTabs(ids); schedule(); });
    return tab;
  });
  host.replaceChildren(...tabs);
  const current = tabs.find((tab) => tab.tabIndex === 0);
  if (current === undefined) for (const name of ["role", "aria-labelledby", "tabindex"]) panel.removeAttribute(name);
  else Object.entries({ role: "tabpanel", "aria-labelledby": current.id, tabindex: "0" }).forEach(([name, value]) => panel.setAttribute(name, value));
  if (focused) current?.focus();
}

let lastExposure = "";
function renderTabsIfExposureChanged(): void {
  const now = exposures(state.venue!, state.draft!).join(",");
  if (now !== lastExposure) {
    lastExposure = now;
    renderAccountKeepingFocus();
  }
}

/** renderAccount from within a field being typed in: the field drawn anew gets the focus and the caret back. */
function renderAccountKeepingFocus(): void {
  const active = document.activeElement instanceof HTMLInputElement ? document.activeElement : null;
  const label = active?.getAttribute("aria-label") ?? null, start = active?.selectionStart ?? null, end = active?.selectionEnd ?? null;
  renderAccount();
  if (label === null) return;
  const again = [...document.querySelectorAll<HTMLInputElement>("#positions input, #collateral input")].find((node) => node.getAttribute("aria-label") === label);
  again?.focus();
  if (again !== undefined && start !== null) again.setSelectionRange(start, end ?? start);
}

// ----- evaluation: the latest request wins; replies render as they come ------------------------
let inFlight = false, queued = false, soon: ReturnType<typeof setTimeout> | undefined;

function scheduleSoon(): void {
  clearTimeout(soon);
  soon = setTimeout(schedule, 120);
}

function schedule(): void {
  queued = true;
  document.body.dataset.pending = "1";
  if (!inFlight) void pump();
}

async function pump(): Promise<void> {
  inFlight = true;
  while (queued && state.draft !== null) {
    queued = false;
    const draft = structuredClone(state.draft), order = ticket.order(), selection = selections;
    const shown: Evaluated = { prices: { ...state.prices }, perMille: { ...state.perMille } };
    try {
      const reply = await evaluate(draft, shown.prices, order);
      // an account selected meanwhile evaluates anew: this one's figures are not shown under it
      if (selection !== selections) continue;
      byId("draft-error").hidden = true;
      render(reply, draft, shown);
    } catch (error) {
      if (selection !== selections || (await movedPricesBack(draft, shown, order, (error as Error).message))) continue;
      const message = byId("draft-error");
      message.hidden = false;
      message.textContent = `Cannot evaluate these edits: ${(error as Error).message}. The figures are those of the last valid edits.`;
      ticket.notChecked();
    }
  }
  inFlight = false;
  // with no account selected nothing is evaluated, and nothing waits
  if (state.draft === null) queued = false;
  document.body.dataset.pending = queued ? "1" : "0";
}

function evaluate(draft: DraftAccount, prices: Record<string, string>, order: OrderTicket | null): Promise<EvaluateReply> {
  return client.call<EvaluateReply>({ type: "evaluate", draft, prices, order, chart: state.chart });
}

/**
 * After a refusal with prices moved since the figures shown: which moved price the engine
 * refuses. One moved price is that price; of several, each is tried in turn on top of those kept
 * before it. When the edits are accepted at the prices kept, each refused price goes back (unless
 * moved again meanwhile, which is evaluated next) and says why beside its slider, and the figures
 * are those. False when nothing moved or the edits are refused anyway (the edits are then what is wrong).
 */
async function movedPricesBack(draft: DraftAccount, tried: Evaluated, order: OrderTicket | null, refusal: string): Promise<boolean> {
  const before = state.evaluated;
  const moved = Object.keys(tried.prices).filter((u) => tried.prices[u] !== before.prices[u]);
  if (moved.length === 0) return false;
  const kept: Evaluated = { prices: { ...before.prices }, perMille: { ...before.perMille } };
  const refused = new Map<string, string>(moved.length === 1 ? [[moved[0], refusal]] : []);
  let reply: EvaluateReply | null = null;
  for (const u of moved.length === 1 ? [] : moved) {
    try {
      reply = await evaluate(draft, { ...kept.prices, [u]: tried.prices[u] }, order);
      kept.prices[u] = tried.prices[u];
      kept.perMille[u] = tried.perMille[u];
    } catch (error) {
      refused.set(u, (error as Error).message);
    }
  }
  try {
    reply ??= await evaluate(draft, kept.prices, order);
  } catch {
    return false;
  }
  const back = [...refused.keys()].filter((u) => state.prices[u] === tried.prices[u]);
  for (const u of back) {
    state.prices[u] = before.prices[u];
    state.perMille[u] = before.perMille[u];
  }
  byId("draft-error").hidden = true;
  render(reply, draft, kept);
  for (const u of back) showPriceRefusal(u, `${u} at ${grouped(tried.prices[u])} cannot be evaluated: ${refused.get(u)}; the figures are at ${grouped(before.prices[u])}.`, () => state.prices[u]);
  return true;
}

/** The figures of `reply`, evaluated for `draft` at `at`, which become the prices a refused one goes back to. */
function render(reply: EvaluateReply, draft: DraftAccount, at: Evaluated): void {
  state.evaluated = at;
  clearPriceRefusals();
  const unedited = JSON.stringify(draft) === state.original && Object.values(at.perMille).every((v) => v === 0) && Object.entries(at.prices).every(([u, p]) => p === state.indexes[u]);
  if (unedited) state.reference = reply.risk;
  renderFigures(reply.risk, unedited ? null : state.reference);
  byId("whatif-tag").hidden = unedited;
  byId("reset-all").hidden = unedited;
  updateUnderlyings(reply.risk, state.perMille, state.prices, state.indexes);
  updateMarks(state.venue!, reply.marks);
  ticket.render(reply.order, reply.risk);
  const heat = byId("heatmap-panel");
  heat.hidden = reply.scenarios === null;
  if (reply.scenarios !== null) renderHeatmap(byId("heatmap"), reply.scenarios);
  if (reply.curve !== null) {
    chart.show(reply.curve, { current: at.prices[reply.curve.underlying], liquidation: reply.risk.liquidationPrice?.[reply.curve.underlying] ?? null });
    const { underlying, prices, refused } = reply.curve;
    const gaps = refused === null ? "" : ` ${refused.count} of the ${prices.length} prices are left out, the engine refusing them: ${refused.message}`;
    byId("chart-note").textContent = `Each point margins the account at that ${underlying} price (linear marks move in proportion, option marks are re-guarded); the other underlyings stay at their chosen prices.${gaps}`;
  } else {
    chart.clear();
    byId("chart-note").textContent = "No price exposure to chart.";
  }
  document.body.dataset.evaluations = String(++state.evaluations);
}

// ----- wiring --------------------------------------------------------------------------------
byId("account-search").addEventListener("input", renderAccountList);
const accountList = byId("account-list");
/** The index a navigation key goes to (its default action, scrolling, prevented), or undefined for another key. */
function keyTarget(event: KeyboardEvent, targets: Record<string, number>): number | undefined {
  if (event.altKey || event.ctrlKey || event.metaKey || !Object.hasOwn(targets, event.key)) return undefined;
  event.preventDefault();
  return targets[event.key];
}
const picked = (event: Event) => (event.target as HTMLElement).closest<HTMLElement>("li[data-account]")?.dataset.account;
accountList.addEventListener("click", (event) => { const id = picked(event); if (id !== undefined) void select(id); });
/** Type-ahead: the characters typed in quick succession, and when they are forgotten. */
const typed = { text: "", forget: undefined as ReturnType<typeof setTimeout> | undefined };
const TYPE_AHEAD_MS = 500;

/**
 * The option a printable key goes to, as the listbox pattern's type-ahead: the next option (after
 * the current one for a first character, from it for more) whose account id starts with what was
 * typed, wrapping; undefined for another key, or when none matches.
 */
function typeAheadTarget(event: KeyboardEvent, ids: string[], k: number): number | undefined {
  if (event.altKey || event.ctrlKey || event.metaKey || [...event.key].length !== 1 || (event.key === " " && typed.text === "")) return undefined;
  event.preventDefault();
  clearTimeout(typed.forget);
  typed.text += event.key.toLowerCase();
  typed.forget = setTimeout(() => (typed.text = ""), TYPE_AHEAD_MS);
  const from = typed.text.length === 1 ? k + 1 : k;
  for (let step = 0; step < ids.length; step++) {
    const to = (from + step) % ids.length;
    if (ids[to].toLowerCase().startsWith(typed.text)) return to;
  }
  return undefined;
}

accountList.addEventListener("keydown", (event) => {
  const id = picked(event);
  if (id === undefined) return;
  if (event.key === "Enter") return void select(id);
  // the listbox pattern, selection following the focus: Up/Down to the previous/next option,
  // Home/End to the first/last, characters typed to the next option they begin
  const items = [...accountList.querySelectorAll<HTMLElement>("li[data-account]")];
  const k = items.findIndex((item) => item.dataset.account === id);
  const to = keyTarget(event, { ArrowDown: Math.min(k + 1, items.length - 1), ArrowUp: Math.max(k - 1, 0), Home: 0, End: items.length - 1 })
    ?? typeAheadTarget(event, items.map((item) => item.dataset.account!), k);
  if (to === undefined) return;
  const next = items[to];
  next.focus();
  if (next.getAttribute("aria-selected") === "true") return; // at either end: nothing to change (a select would drop the edits)
  markSelected(next.dataset.account!);
  void select(next.dataset.account!);
});
// the tabs pattern, selection following the focus: Left/Right to the previous/next tab (wrapping), Home/End to the first/last
byId("chart-tabs").addEventListener("keydown", (event) => {
  const tabs = [...byId("chart-tabs").querySelectorAll<HTMLElement>("[role=tab]")], k = tabs.indexOf(event.target as HTMLElement), n = tabs.length;
  const to = k < 0 ? undefined : keyTarget(event, { ArrowRight: (k + 1) % n, ArrowLeft: (k + n - 1) % n, Home: 0, End: n - 1 });
  if (to !== undefined) tabs[to].click(); // re-renders the tabs and focuses the selected one
});
byId("reset-all").addEventListener("click", () => {
  if (state.selected !== null) void select(state.selected);
});
byId("add-position").addEventListener("click", () => {
  const row = state.venue && state.draft ? newPosition(state.venue, state.draft) : null;
  if (row === null) return;
  state.draft!.positions.push(row);
  renderAccount();
  schedule();
});

const fileInput = byId<HTMLInputElement>("file-input");
fileInput.addEventListener("change", () => {
  const file = fileInput.files?.[0];
  if (file) void load({ file }, file.name);
  fileInput.value = "";
});

const dropzone = byId("dropzone");
window.addEventListener("dragover", (event) => {
  if (!event.dataTransfer?.types.includes("Files")) return;
  event.preventDefault();
  dropzone.hidden = false;
});
dropzone.addEventListener("dragleave", () => (dropzone.hidden = true));
window.addEventListener("drop", (event) => {
  event.preventDefault();
  dropzone.hidden = true;
  const file = event.dataTransfer?.files[0];
  if (file) void load({ file }, file.name);
});

const dialog = byId<HTMLDialogElement>("paste-dialog");
byId("paste-open").addEventListener("click", () => dialog.showModal());
dialog.addEventListener("close", () => {
  const text = byId<HTMLTextAreaElement>("paste-text").value;
  if (dialog.returnValue === "load" && text.trim()) void load({ text }, "pasted venue");
});
document.addEventListener("paste", (event) => {
  const target = event.target as HTMLElement;
  if (target.closest("input, textarea, select, dialog")) return;
  const text = event.clipboardData?.getData("text") ?? "";
  if (text.trimStart().startsWith("{")) void load({ text }, "pasted venue");
});

const preloaded = byId("venue-data");
// the page's own venue (examples/venue.json when built), or one its server offers (margin-core preview)
const preloadedUrl = preloaded.dataset.src ? new URL(preloaded.dataset.src, location.href).href : null;
void load(preloadedUrl ? { url: preloadedUrl } : { text: preloaded.textContent ?? "" }, preloaded.dataset.name ?? "venue.json");
