// The portfolio scenario grid as a heat map per bucket: price moves down, volatility shifts
// across (three columns of exact P&L fit a phone's width, where a column per move did not fit a
// wide page's), each cell the scenario's P&L (exact), red for a loss and green for a gain, in
// proportion to the largest; the scenario whose covered loss is the margin is outlined. Each cell's
// accessible name (and tooltip) gives its move, vol, cover fraction and exact P&L, and the legend
// names the covered moves, so that none of it needs a mouse's hover.
import type { ScenarioGrid } from "../../engine.js";
import { formatDecimal, parseDecimal } from "../../core/decimal.js";
import { el } from "./dom.js";
import { grouped } from "./format.js";

type Scenario = ScenarioGrid["buckets"][number]["scenarios"][number];
const VOL_ORDER = ["down", "none", "up"] as const;
const VOL_LABEL = { up: "vol up", none: "vol flat", down: "vol down" };
/** A move as a percentage to one decimal ("+5.3 %"). */
const moveText = (move: string) => `${Number(move) > 0 ? "+" : ""}${(Number(move) * 100).toFixed(1)} %`;
/** A move as its exact percentage ("+12.34 %"): the move's decimals shifted by two places. */
const exactMoveText = (move: string) => `${Number(move) > 0 ? "+" : ""}${formatDecimal(parseDecimal(move, 9, "move"), 7)} %`;

/** One decimal when that tells the bucket's moves apart and shows every non-zero one, else exact. */
function moveLabels(moves: string[]): (move: string) => string {
  const short = moves.map(moveText);
  const clear = new Set(short).size === moves.length && moves.every((m, k) => Number(m) === 0 || !/^[+-]?0\.0 %$/.test(short[k]));
  return clear ? moveText : exactMoveText;
}

/**
 * The table's rows: a row per move, ascending — split by cover fraction where a custom grid gives
 * one move more than one, and again where it repeats a scenario — each naming its scenario per vol.
 */
function rowsOf(scenarios: Scenario[]): { move: string; cover: string | null; cells: Map<string, number> }[] {
  const rows = new Map<string, { move: string; cover: string; cells: Map<string, number> }>(), seen = new Map<string, number>();
  scenarios.forEach((s, k) => {
    const cell = `${s.move}|${s.cover}|${s.vol}`, repeat = seen.get(cell) ?? 0;
    seen.set(cell, repeat + 1);
    const key = `${s.move}|${s.cover}|${repeat}`;
    if (!rows.has(key)) rows.set(key, { move: s.move, cover: s.cover, cells: new Map() });
    rows.get(key)!.cells.set(s.vol, k);
  });
  const list = [...rows.values()].sort((a, b) => Number(a.move) - Number(b.move) || Number(b.cover) - Number(a.cover));
  return list.map((row) => ({ ...row, cover: list.filter((r) => r.move === row.move).length > 1 ? row.cover : null }));
}

/** "cover 0.33: -48.0 %, +48.0 %" for each cover fraction other than 1, or "" when every scenario counts whole. */
function covers(scenarios: Scenario[], label: (move: string) => string): string {
  const moves = new Map<string, Set<string>>();
  for (const s of scenarios) if (Number(s.cover) !== 1) moves.set(s.cover, (moves.get(s.cover) ?? new Set()).add(s.move));
  return [...moves].map(([cover, set]) => `cover ${cover}: ${[...set].sort((a, b) => Number(a) - Number(b)).map(label).join(", ")}`).join("; ");
}

export function renderHeatmap(host: HTMLElement, grid: ScenarioGrid): void {
  host.replaceChildren(...grid.buckets.map((bucket) => {
    const label = moveLabels([...new Set(bucket.scenarios.map((s) => s.move))]);
    const vols = VOL_ORDER.filter((v) => bucket.scenarios.some((s) => s.vol === v));
    const largest = Math.max(1e-9, ...bucket.scenarios.map((s) => Math.abs(Number(s.pnl))));
    const head = el("tr", {}, el("th", { scope: "col" }, "move"), ...vols.map((vol) => el("th", { scope: "col" }, VOL_LABEL[vol])));
    const rows = rowsOf(bucket.scenarios).map((row) => el("tr", {}, el("th", { scope: "row" }, label(row.move) + (row.cover === null ? "" : ` × ${row.cover}`)), ...vols.map((vol) => {
      const k = row.cells.get(vol);
      if (k === undefined) return el("td", { class: "empty" });
      const s = bucket.scenarios[k];
      const share = Math.abs(Number(s.pnl)) / largest;
      const color = Number(s.pnl) < 0 ? `rgba(214, 69, 69, ${0.08 + 0.8 * share})` : `rgba(15, 157, 107, ${0.08 + 0.6 * share})`;
      const name = `move ${label(s.move)}, ${VOL_LABEL[s.vol]}, cover ${s.cover}: P&L ${grouped(s.pnl)}${k === bucket.binding ? ", binding" : ""}`;
      const cell = el("td", { class: k === bucket.binding ? "binding" : undefined, "aria-label": name, title: name, "data-scenario": String(k) }, grouped(s.pnl));
      cell.style.background = color;
      if (share > 0.6) cell.style.color = "#fff";
      return cell;
    })));
    const covered = covers(bucket.scenarios, label);
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
