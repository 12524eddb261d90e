// The portfolio scenario grid as a heat map per bucket: price moves down, volatility shifts
// across (three columns of exact P&L fit a phone's width, where a column per move did not fit a
// wide page's), each cell the scenario's P&L (exact), red for a loss and green for a gain, in
// proportion to the largest; the scenario whose covered loss is the margin is outlined. Each cell's
// accessible name (and tooltip) gives its move, vol, cover fraction and exact P&L, and the legend
// names the covered moves, so that none of it needs a mouse's hover.
import type { ScenarioGrid } from "../../engine.js";
import { el } from "./dom.js";
import { grouped } from "./format.js";

const VOL_ORDER = ["down", "none", "up"] as const;
const VOL_LABEL = { up: "vol up", none: "vol flat", down: "vol down" };
const moveText = (move: string) => `${Number(move) > 0 ? "+" : ""}${(Number(move) * 100).toFixed(1)} %`;

/** "cover 0.33: -48.0 %, +48.0 %" for each cover fraction other than 1, or "" when every scenario counts whole. */
function covers(scenarios: ScenarioGrid["buckets"][number]["scenarios"]): string {
  const moves = new Map<string, Set<string>>();
  for (const s of scenarios) if (Number(s.cover) !== 1) moves.set(s.cover, (moves.get(s.cover) ?? new Set()).add(s.move));
  return [...moves].map(([cover, set]) => `cover ${cover}: ${[...set].sort((a, b) => Number(a) - Number(b)).map(moveText).join(", ")}`).join("; ");
}

export function renderHeatmap(host: HTMLElement, grid: ScenarioGrid): void {
  host.replaceChildren(...grid.buckets.map((bucket) => {
    const moves = [...new Set(bucket.scenarios.map((s) => s.move))].sort((a, b) => Number(a) - Number(b));
    const vols = VOL_ORDER.filter((v) => bucket.scenarios.some((s) => s.vol === v));
    const largest = Math.max(1e-9, ...bucket.scenarios.map((s) => Math.abs(Number(s.pnl))));
    const head = el("tr", {}, el("th", { scope: "col" }, "move"), ...vols.map((vol) => el("th", { scope: "col" }, VOL_LABEL[vol])));
    const rows = moves.map((move) => el("tr", {}, el("th", { scope: "row" }, moveText(move)), ...vols.map((vol) => {
      const k = bucket.scenarios.findIndex((s) => s.vol === vol && s.move === move);
      if (k < 0) return el("td", { class: "empty" });
      const s = bucket.scenarios[k];
      const share = Math.abs(Number(s.pnl)) / largest;
      const color = Number(s.pnl) < 0 ? `rgba(214, 69, 69, ${0.08 + 0.8 * share})` : `rgba(15, 157, 107, ${0.08 + 0.6 * share})`;
      const name = `move ${moveText(s.move)}, ${VOL_LABEL[s.vol]}, cover ${s.cover}: P&L ${grouped(s.pnl)}${k === bucket.binding ? ", binding" : ""}`;
      const cell = el("td", { class: k === bucket.binding ? "binding" : undefined, "aria-label": name, title: name, "data-scenario": String(k) }, grouped(s.pnl));
      cell.style.background = color;
      if (share > 0.6) cell.style.color = "#fff";
      return cell;
    })));
    const covered = covers(bucket.scenarios);
    const binding = bucket.binding === null ? "the short-option minimum (or nothing)" : `scenario ${bucket.binding}`;
    return el("div", { class: "heat" },
      el("div", { class: "heat-head" },
        el("span", {}, el("strong", {}, bucket.underlying)),
        el("span", {}, "margin ", el("strong", {}, grouped(bucket.margin))),
        el("span", {}, "short-option minimum ", el("strong", {}, grouped(bucket.shortOptionMinimum))),
        el("span", {}, "binding: ", binding)),
      el("div", { class: "table-wrap" }, el("table", { "aria-label": `${bucket.underlying} scenarios: P&L by move and vol` }, el("thead", {}, head), el("tbody", {}, ...rows))),
      el("div", { class: "legend" }, `Covered scenarios (extreme moves) count at their cover fraction${covered ? ` (${covered})` : ""}; a cell's tooltip and accessible name give its move, vol, cover and exact P&L.`));
  }));
}
