// The crash-replay report: one self-contained HTML file (no network access) with the summary,
// four uPlot charts and a per-tick table. uPlot's minified build, its stylesheet and its licence
// are embedded as strings at bundle time, so the page works from file:// and offline.
//
// The paths are relative on purpose: build/cli.js is bundled with `packages: "external"`, which
// would leave a bare `uplot/...` import to be resolved at run time instead of inlining the text.
import uplotJs from "../../node_modules/uplot/dist/uPlot.iife.min.js" with { type: "text" };
import uplotCss from "../../node_modules/uplot/dist/uPlot.min.css" with { type: "text" };
import uplotLicense from "../../node_modules/uplot/LICENSE" with { type: "text" };

export interface CrashTick {
  /** 0..N */
  tick: number;
  /** Simulated timestamp, ms since epoch. */
  timeMs: number;
  /** Index price per underlying, decimal string. */
  prices: Record<string, string>;
  /** Underlyings with no fresh oracle source at this tick. */
  staleUnderlyings: string[];
  /** Oracle prints dropped by the deviation filter at this tick. */
  ignoredSources: number;
  queueLength: number;
  /** Queue entries deferred because of stale prices. */
  deferred: number;
  /** Accounts partially liquidated at this tick. */
  liquidations: number;
  /** Accounts closed out at this tick. */
  bankruptcies: number;
  /** Liquidation fees paid to the fund this tick, decimal string (USD). */
  fees: string;
  /** Insurance fund balance after the tick, decimal string (USD). */
  insuranceFund: string;
  adlFills: number;
  /** Cumulative socialized loss, decimal string (USD). */
  socializedLoss: string;
  /** Wall time of the tick. */
  ms: number;
}

export interface CrashReport {
  title: string;
  accounts: number;
  seed: number;
  generatedAt: string;
  summary: [string, string][];
  ticks: CrashTick[];
}

/** Chart-ready series; decimal strings become numbers here because they are only plotted. */
interface ChartData {
  x: number[];
  time: number[];
  underlyings: string[];
  /** Index price per underlying, rebased to 100 at its first price (tick 0). */
  prices: (number | null)[][];
  queue: number[];
  deferred: number[];
  fund: (number | null)[];
  fees: (number | null)[];
  socialized: (number | null)[];
  /** Inclusive [first, last] tick ranges during which at least one underlying was stale. */
  stale: [number, number][];
}

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

function toNumber(value: string | undefined): number | null {
  if (value === undefined || value === null || value === "") return null;
  const n = Number(value);
  return Number.isFinite(n) ? n : null;
}

const round = (n: number, digits: number) => {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
};

function underlyingsOf(ticks: CrashTick[]): string[] {
  const seen = new Set<string>();
  for (const t of ticks) for (const u of Object.keys(t.prices ?? {})) seen.add(u);
  return [...seen];
}

function chartData(ticks: CrashTick[], underlyings: string[]): ChartData {
  const prices = underlyings.map((u) => {
    const raw = ticks.map((t) => toNumber(t.prices?.[u]));
    const base = raw.find((p): p is number => p !== null && p > 0);
    return raw.map((p) => (p === null || base === undefined ? null : round((100 * p) / base, 4)));
  });
  const stale: [number, number][] = [];
  for (const t of ticks) {
    if (!t.staleUnderlyings?.length) continue;
    const last = stale[stale.length - 1];
    if (last && t.tick - last[1] <= 1) last[1] = t.tick;
    else stale.push([t.tick, t.tick]);
  }
  return {
    x: ticks.map((t) => t.tick),
    time: ticks.map((t) => t.timeMs),
    underlyings,
    prices,
    queue: ticks.map((t) => t.queueLength),
    deferred: ticks.map((t) => t.deferred),
    fund: ticks.map((t) => toNumber(t.insuranceFund)),
    fees: ticks.map((t) => toNumber(t.fees)),
    socialized: ticks.map((t) => toNumber(t.socializedLoss)),
    stale,
  };
}

function clock(timeMs: number): string {
  const date = new Date(timeMs);
  return Number.isNaN(date.getTime()) ? String(timeMs) : date.toISOString().slice(11, 23);
}

const integer = (n: number) => (Number.isFinite(n) ? n.toLocaleString("en-US") : String(n));

function summaryTable(report: CrashReport): string {
  const rows: [string, string][] = [
    ["accounts", integer(report.accounts)],
    ["seed", String(report.seed)],
    ["ticks", integer(report.ticks.length)],
    ...report.summary,
  ];
  const body = rows.map(([k, v]) => `<tr><th scope="row">${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`).join("\n");
  return `<table id="summary" class="summary"><tbody>\n${body}\n</tbody></table>`;
}

function tickTable(ticks: CrashTick[], underlyings: string[]): string {
  const head = [
    "tick", "time (UTC)", ...underlyings, "stale", "ignored prints", "queue", "deferred",
    "liquidations", "bankruptcies", "fees", "insurance fund", "ADL fills", "socialized loss", "ms",
  ];
  const num = (v: string | number) => `<td class="num">${escapeHtml(v)}</td>`;
  const rows = ticks.map((t) => {
    const stale = t.staleUnderlyings ?? [];
    const cells = [
      num(t.tick),
      `<td>${escapeHtml(clock(t.timeMs))}</td>`,
      ...underlyings.map((u) => {
        const p = t.prices?.[u];
        return stale.includes(u) ? `<td class="num stale-cell">${escapeHtml(p ?? "–")}</td>` : num(p ?? "–");
      }),
      `<td>${escapeHtml(stale.join(", "))}</td>`,
      num(t.ignoredSources),
      num(t.queueLength),
      num(t.deferred),
      num(t.liquidations),
      num(t.bankruptcies),
      num(t.fees),
      num(t.insuranceFund),
      num(t.adlFills),
      num(t.socializedLoss),
      num(Number.isFinite(t.ms) ? t.ms.toFixed(2) : String(t.ms)),
    ];
    return `<tr${stale.length ? ' class="stale"' : ""}>${cells.join("")}</tr>`;
  });
  return [
    `<table id="ticks" class="ticks">`,
    `<thead><tr>${head.map((h) => `<th scope="col">${escapeHtml(h)}</th>`).join("")}</tr></thead>`,
    `<tbody>\n${rows.join("\n")}\n</tbody>`,
    `</table>`,
  ].join("\n");
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
.top { display: grid; gap: 16px; grid-template-columns: minmax(0, 1fr); margin-bottom: 16px; }
.charts { display: grid; gap: 16px; grid-template-columns: repeat(auto-fit, minmax(min(100%, 520px), 1fr)); margin-bottom: 16px; }
.chart { width: 100%; min-height: 300px; overflow: hidden; }
.note { margin: 6px 0 0; color: var(--muted); font-size: 12px; }
.swatch { display: inline-block; width: 12px; height: 12px; vertical-align: -2px; background: var(--stale); border: 1px solid rgba(245, 158, 11, 0.5); }
table { border-collapse: collapse; font-variant-numeric: tabular-nums; }
.summary th { text-align: left; font-weight: 500; color: var(--muted); padding: 3px 18px 3px 0; white-space: pre; }
.summary td { padding: 3px 0; }
.table-wrap { overflow-x: auto; }
.ticks { width: 100%; font-size: 12px; }
.ticks th, .ticks td { padding: 3px 6px; border-bottom: 1px solid var(--line); white-space: nowrap; }
.ticks thead th { position: sticky; top: 0; background: #eef1f5; text-align: right; font-weight: 600; }
.ticks thead th:nth-child(2) { text-align: left; }
.ticks td.num { text-align: right; }
.ticks tr.stale td { background: var(--stale); }
.ticks td.stale-cell { color: #b45309; font-weight: 600; }
.uplot { font-family: inherit; }
`;

// Runs in the page: reads the embedded JSON and draws the four charts with the inlined uPlot.
const PAGE_SCRIPT = `
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("report-data").textContent);
  var c = data.chart;
  var PALETTE = ["#2563eb", "#dc2626", "#059669", "#7c3aed", "#d97706", "#0891b2", "#db2777", "#4b5563"];
  var HEIGHT = 260;
  var charts = [];
  var drawn = {};

  function markDrawn(id) {
    if (drawn[id]) return;
    drawn[id] = true;
    if (Object.keys(drawn).length === 4) document.body.dataset.ready = "true";
  }

  function compact(v) {
    if (v == null || !isFinite(v)) return "";
    var a = Math.abs(v);
    if (a >= 1e9) return parseFloat((v / 1e9).toFixed(2)) + "B";
    if (a >= 1e6) return parseFloat((v / 1e6).toFixed(2)) + "M";
    if (a >= 1e3) return parseFloat((v / 1e3).toFixed(2)) + "k";
    return String(parseFloat(v.toFixed(2)));
  }
  function usd(v) { return v == null || !isFinite(v) ? "" : (v < 0 ? "-$" : "$") + compact(Math.abs(v)); }
  function usdExact(v) {
    return v == null ? "--" : v.toLocaleString("en-US", { style: "currency", currency: "USD", maximumFractionDigits: 2 });
  }
  function clock(ms) {
    var d = new Date(ms);
    return isNaN(d.getTime()) ? "" : d.toISOString().slice(11, 19);
  }
  var timeOfTick = {};
  for (var i = 0; i < c.x.length; i++) timeOfTick[c.x[i]] = c.time[i];
  function tickLabel(u, v) { return v == null ? "--" : "tick " + v + " (" + clock(timeOfTick[v]) + ")"; }

  // Shades the ticks during which some underlying had no fresh oracle source.
  function shadeStale(u) {
    if (!c.stale.length) return;
    var ctx = u.ctx, b = u.bbox;
    ctx.save();
    ctx.fillStyle = "rgba(245, 158, 11, 0.14)";
    for (var i = 0; i < c.stale.length; i++) {
      var x0 = Math.max(b.left, u.valToPos(c.stale[i][0] - 0.5, "x", true));
      var x1 = Math.min(b.left + b.width, u.valToPos(c.stale[i][1] + 0.5, "x", true));
      if (x1 > x0) ctx.fillRect(x0, b.top, x1 - x0, b.height);
    }
    ctx.restore();
  }

  function xAxis() {
    return { label: "tick", labelSize: 20, values: function (u, splits) { return splits.map(function (v) { return Number.isInteger(v) ? String(v) : ""; }); } };
  }

  function make(id, opts, series) {
    var el = document.getElementById(id);
    opts.width = Math.max(280, el.clientWidth);
    opts.height = HEIGHT;
    opts.scales = opts.scales || {};
    opts.scales.x = { time: false };
    opts.cursor = { drag: { x: true, y: false } };
    opts.hooks = opts.hooks || {};
    opts.hooks.draw = [function () { markDrawn(id); }];
    var chart = new uPlot(opts, series, el);
    charts.push({ el: el, chart: chart });
    return chart;
  }

  make("chart-prices", {
    series: [{ label: "tick", value: tickLabel }].concat(c.underlyings.map(function (name, i) {
      return { label: name, stroke: PALETTE[i % PALETTE.length], width: 2, spanGaps: false,
        value: function (u, v) { return v == null ? "--" : v.toFixed(2); } };
    })),
    axes: [xAxis(), { label: "index (tick 0 = 100)", labelSize: 20, size: 50 }],
    hooks: { drawClear: [shadeStale] },
  }, [c.x].concat(c.prices));

  make("chart-queue", {
    series: [
      { label: "tick", value: tickLabel },
      { label: "queue length", stroke: "#2563eb", width: 2, fill: "rgba(37, 99, 235, 0.08)" },
      { label: "deferred (stale price)", stroke: "#d97706", width: 2, fill: "rgba(217, 119, 6, 0.18)" },
    ],
    axes: [xAxis(), { label: "entries", labelSize: 20, size: 50, values: function (u, s) { return s.map(compact); } }],
    hooks: { drawClear: [shadeStale] },
  }, [c.x, c.queue, c.deferred]);

  make("chart-fund", {
    series: [
      { label: "tick", value: tickLabel },
      { label: "insurance fund", stroke: "#059669", width: 2, fill: "rgba(5, 150, 105, 0.10)",
        value: function (u, v) { return usdExact(v); } },
    ],
    axes: [xAxis(), { label: "USD", labelSize: 20, size: 60, values: function (u, s) { return s.map(usd); } }],
  }, [c.x, c.fund]);

  var bars = uPlot.paths && uPlot.paths.bars ? uPlot.paths.bars({ size: [0.7, 24] }) : undefined;
  make("chart-losses", {
    series: [
      { label: "tick", value: tickLabel },
      { label: "fees this tick", scale: "fees", stroke: "#7c3aed", fill: "rgba(124, 58, 237, 0.35)", width: 1, paths: bars,
        points: { show: false }, value: function (u, v) { return usdExact(v); } },
      { label: "socialized loss (cumulative)", scale: "loss", stroke: "#dc2626", width: 2,
        value: function (u, v) { return usdExact(v); } },
    ],
    scales: { fees: { range: function (u, min, max) { return [0, max > 0 ? max * 1.1 : 1]; } },
              loss: { range: function (u, min, max) { return [0, max > 0 ? max * 1.1 : 1]; } } },
    axes: [
      xAxis(),
      { scale: "fees", label: "fees (USD)", labelSize: 20, size: 60, values: function (u, s) { return s.map(usd); } },
      { scale: "loss", side: 1, label: "socialized loss (USD)", labelSize: 20, size: 60, grid: { show: false },
        values: function (u, s) { return s.map(usd); } },
    ],
  }, [c.x, c.fees, c.socialized]);

  var pending = 0;
  window.addEventListener("resize", function () {
    cancelAnimationFrame(pending);
    pending = requestAnimationFrame(function () {
      charts.forEach(function (entry) { entry.chart.setSize({ width: Math.max(280, entry.el.clientWidth), height: HEIGHT }); });
    });
  });
})();
`;

/** Renders the crash replay as one complete, self-contained HTML document. */
export function renderReport(report: CrashReport): string {
  const ticks = report.ticks ?? [];
  const underlyings = underlyingsOf(ticks);
  const chart = chartData(ticks, underlyings);
  const staleTicks = ticks.filter((t) => t.staleUnderlyings?.length).length;
  const licence = `/*! uPlot ${uplotVersion()} (bundled)\n${uplotLicense.replace(/\*\//g, "* /").trim()}\n*/`;
  const subtitle = [
    `${integer(report.accounts)} accounts`,
    `seed ${report.seed}`,
    `${integer(ticks.length)} ticks`,
    `generated ${report.generatedAt}`,
  ].join(" · ");
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="margin-core">
<title>${escapeHtml(report.title)}</title>
<style>${rawText(uplotCss, "style")}</style>
<style>${STYLE}</style>
</head>
<body>
<header>
<h1>${escapeHtml(report.title)}</h1>
<p>${escapeHtml(subtitle)}</p>
</header>
<div class="top">
<section class="panel"><h2>Summary</h2>
${summaryTable(report)}
</section>
</div>
<div class="charts">
<section class="panel"><h2>Index prices (rebased, tick 0 = 100)</h2><div id="chart-prices" class="chart"></div>
<p class="note"><span class="swatch"></span> ticks with a stale underlying (${integer(staleTicks)})</p></section>
<section class="panel"><h2>Liquidation queue</h2><div id="chart-queue" class="chart"></div>
<p class="note"><span class="swatch"></span> ticks with a stale underlying; deferred entries wait for a fresh price</p></section>
<section class="panel"><h2>Insurance fund balance</h2><div id="chart-fund" class="chart"></div></section>
<section class="panel"><h2>Liquidation fees and socialized loss</h2><div id="chart-losses" class="chart"></div></section>
</div>
<section class="panel"><h2>Ticks</h2>
<div class="table-wrap">
${tickTable(ticks, underlyings)}
</div>
</section>
<script type="application/json" id="report-data">${scriptJson({ ...report, chart })}</script>
<script>
${rawText(licence, "script")}
${rawText(uplotJs, "script")}
</script>
<script>${PAGE_SCRIPT}</script>
</body>
</html>
`;
}

function uplotVersion(): string {
  return /\(v(\d+\.\d+\.\d+)\)/.exec(uplotJs)?.[1] ?? "";
}
