// The shell every HTML report shares: one self-contained document (no network access) with
// uPlot's minified build, its stylesheet and its licence embedded as strings at bundle time, the
// report's data as JSON, the page style, and the in-page helpers that draw charts on a UTC time
// axis with legends that always show values and money with separators and the currency.
//
// The paths are relative on purpose: build/cli.js is bundled with `packages: "external"`, which
// would leave a bare `uplot/...` import to be resolved at run time instead of inlining the text.
import uplotJs from "../../node_modules/uplot/dist/uPlot.iife.min.js" with { type: "text" };
import uplotCss from "../../node_modules/uplot/dist/uPlot.min.css" with { type: "text" };
import uplotLicense from "../../node_modules/uplot/LICENSE" with { type: "text" };

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

/** JSON that is safe inside a <script> element: no `<` can close it or open a comment. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, "\\u003c").replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029");
}

/** Keeps embedded text from closing the element it sits in. */
function rawText(text: string, element: "script" | "style"): string {
  return text.replace(new RegExp(`</(${element})`, "gi"), "<\\/$1");
}

/** A decimal string as a number, for plotting only; null when absent or not finite. */
export function plotted(value: string | undefined | null): number | null {
  if (value === undefined || value === null || value === "") return null;
  const n = Number(value);
  return Number.isFinite(n) ? n : null;
}

/** A two-column table of label → text (already formatted). */
export function keyValueTable(id: string, rows: [string, string][]): string {
  const body = rows.map(([k, v]) => `<tr><th scope="row">${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`).join("\n");
  return `<table id="${id}" class="summary"><tbody>\n${body}\n</tbody></table>`;
}

/** Figure cards: a label, a big value and an optional note each. */
export function cards(items: { label: string; value: string; note?: string; tone?: "good" | "bad" }[]): string {
  return `<div class="cards">${items.map((c) => `<div class="card${c.tone ? ` ${c.tone}` : ""}"><div class="label">${escapeHtml(c.label)}</div><div class="value">${escapeHtml(c.value)}</div>${c.note ? `<div class="note">${escapeHtml(c.note)}</div>` : ""}</div>`).join("")}</div>`;
}

const STYLE = `
:root { color-scheme: light; --ink: #1d2430; --muted: #5b6576; --line: #dde2ea; --panel: #ffffff; --bg: #f4f6f9; --stale: rgba(245, 158, 11, 0.14); }
* { box-sizing: border-box; }
body { margin: 0; padding: 24px 28px 40px; background: var(--bg); color: var(--ink);
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans", sans-serif; }
header h1 { margin: 0 0 4px; font-size: 24px; }
header p { margin: 0 0 18px; color: var(--muted); }
h2 { margin: 0 0 8px; font-size: 15px; }
.panel { background: var(--panel); border: 1px solid var(--line); border-radius: 8px; padding: 14px 16px; }
.top { display: grid; gap: 16px; grid-template-columns: repeat(auto-fit, minmax(min(100%, 460px), 1fr)); align-items: start; margin-bottom: 16px; }
.charts { display: grid; gap: 16px; grid-template-columns: repeat(auto-fit, minmax(min(100%, 560px), 1fr)); margin-bottom: 16px; }
.chart { width: 100%; min-height: 300px; overflow: hidden; }
.note { margin: 6px 0 0; color: var(--muted); font-size: 12px; }
.cards { display: grid; gap: 10px; grid-template-columns: repeat(auto-fill, minmax(170px, 1fr)); margin-bottom: 12px; }
.card { border: 1px solid var(--line); border-radius: 6px; padding: 8px 10px; background: #fbfcfd; }
.card .label { color: var(--muted); font-size: 12px; }
.card .value { font-size: 17px; font-weight: 600; font-variant-numeric: tabular-nums; }
.card.good .value { color: #047857; }
.card.bad .value { color: #b91c1c; }
.swatch { display: inline-block; width: 12px; height: 12px; vertical-align: -2px; background: var(--stale); border: 1px solid rgba(245, 158, 11, 0.5); }
table { border-collapse: collapse; font-variant-numeric: tabular-nums; }
.summary th { text-align: left; font-weight: 500; color: var(--muted); padding: 3px 18px 3px 0; white-space: pre; }
.summary td { padding: 3px 0; text-align: right; }
.table-wrap { overflow-x: auto; }
.rows { width: 100%; font-size: 12px; }
.rows th, .rows td { padding: 3px 6px; border-bottom: 1px solid var(--line); white-space: nowrap; }
.rows thead th { position: sticky; top: 0; background: #eef1f5; text-align: right; font-weight: 600; }
.rows thead th:first-child, .rows td.text { text-align: left; }
.rows td.num { text-align: right; }
.rows tr.stale td { background: var(--stale); }
.rows tr.clearing td { background: #eef2ff; }
.rows td.stale-cell { color: #b45309; font-weight: 600; }
.uplot { font-family: inherit; }
.u-legend { font-size: 12px; }
`;

/** In-page helpers (ES5): money and time formatting, and `chart()` with the shared defaults. */
const HELPERS = `
var REPORT = JSON.parse(document.getElementById("report-data").textContent);
var CURRENCY = REPORT.currency || "USD";
var PALETTE = ["#2563eb", "#dc2626", "#059669", "#7c3aed", "#d97706", "#0891b2", "#db2777", "#4b5563"];
var HEIGHT = 270, CHARTS = [], DRAWN = {}, EXPECTED = 0;
function grouped(v, digits) {
  return v.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
}
function money(v) { return v == null || !isFinite(v) ? "--" : grouped(v, 2) + " " + CURRENCY; }
function compactMoney(v) {
  if (v == null || !isFinite(v)) return "";
  var a = Math.abs(v), s = v < 0 ? "-" : "";
  if (a >= 1e9) return s + parseFloat((a / 1e9).toFixed(2)) + "B";
  if (a >= 1e6) return s + parseFloat((a / 1e6).toFixed(2)) + "M";
  if (a >= 1e3) return s + parseFloat((a / 1e3).toFixed(2)) + "k";
  return s + parseFloat(a.toFixed(2));
}
function count(v) { return v == null || !isFinite(v) ? "--" : grouped(v, 0); }
function utc(seconds) { var d = new Date(seconds * 1000); return isNaN(d.getTime()) ? "" : d.toISOString().slice(11, 19) + " UTC"; }
function timeSeries() { return { label: "time", value: function (u, v) { return v == null ? "--" : utc(v); } }; }
function markDrawn(id) {
  if (DRAWN[id]) return;
  DRAWN[id] = true;
  if (Object.keys(DRAWN).length === EXPECTED) document.body.dataset.ready = "true";
}
// Legends show the last point's values until the cursor points elsewhere, and again after it leaves.
function showLatest(u) { if (u.cursor.idx == null && u.data[0].length > 0) u.setLegend({ idx: u.data[0].length - 1 }); }
function chart(id, opts, data) {
  var el = document.getElementById(id);
  EXPECTED++;
  opts.width = Math.max(280, el.clientWidth);
  opts.height = HEIGHT;
  opts.tzDate = function (ts) { return uPlot.tzDate(new Date(ts * 1000), "Etc/UTC"); };
  opts.scales = opts.scales || {};
  opts.scales.x = { time: true };
  opts.cursor = { drag: { x: true, y: false } };
  // whole minutes read HH:MM, anything finer HH:MM:SS
  opts.axes[0] = { label: "time (UTC)", labelSize: 20, space: 50,
    values: function (u, splits) { return splits.map(function (v) { var t = new Date(v * 1000).toISOString(); return v % 60 === 0 ? t.slice(11, 16) : t.slice(11, 19); }); } };
  opts.hooks = opts.hooks || {};
  opts.hooks.draw = [function () { markDrawn(id); }];
  opts.hooks.ready = [showLatest];
  opts.hooks.setCursor = [showLatest];
  var made = new uPlot(opts, data, el);
  CHARTS.push({ el: el, chart: made });
  return made;
}
// money charts start at zero (or below it), so a flat line reads as what it is
function fromZero(opts) {
  opts.scales = opts.scales || {};
  opts.scales.y = { range: function (u, min, max) { return [Math.min(0, min), max > 0 ? max * 1.08 : 1]; } };
  return opts;
}
function moneyAxis(label, scale, side) {
  var axis = { label: label + " (" + CURRENCY + ")", labelSize: 20, size: 70, values: function (u, s) { return s.map(compactMoney); } };
  if (scale) axis.scale = scale;
  if (side) { axis.side = side; axis.grid = { show: false }; }
  return axis;
}
var BARS = uPlot.paths && uPlot.paths.bars ? uPlot.paths.bars({ size: [0.7, 24] }) : undefined;
window.addEventListener("resize", function () {
  requestAnimationFrame(function () {
    CHARTS.forEach(function (c) { c.chart.setSize({ width: Math.max(280, c.el.clientWidth), height: HEIGHT }); });
  });
});
`;

/** One complete, self-contained HTML document. */
export function renderPage(page: { title: string; subtitle: string; body: string; data: unknown; script: string }): string {
  const licence = `/*! uPlot ${uplotVersion()} (bundled)\n${uplotLicense.replace(/\*\//g, "* /").trim()}\n*/`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="margin-core">
<title>${escapeHtml(page.title)}</title>
<style>${rawText(uplotCss, "style")}</style>
<style>${STYLE}</style>
</head>
<body>
<header>
<h1>${escapeHtml(page.title)}</h1>
<p>${escapeHtml(page.subtitle)}</p>
</header>
${page.body}
<script type="application/json" id="report-data">${scriptJson(page.data)}</script>
<script>
${rawText(licence, "script")}
${rawText(uplotJs, "script")}
</script>
<script>(function () {
"use strict";
${rawText(HELPERS, "script")}
${rawText(page.script, "script")}
})();</script>
</body>
</html>
`;
}

function uplotVersion(): string {
  return /\(v(\d+\.\d+\.\d+)\)/.exec(uplotJs)?.[1] ?? "";
}
