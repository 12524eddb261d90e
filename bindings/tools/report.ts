// The crash-replay report: one self-contained HTML page (report-page.ts) with the summary the
// demo prints as JSON, tick 0 — the clearing of what was under water before any price moved —
// apart from the crash, charts on a UTC time axis (prices with stale-oracle shading, the queue,
// liquidated notional per tick against the caps, the fund with bad debt and socialized loss,
// the fund's flows) and every tick in a table, money with separators and the currency.
import { cards, escapeHtml, keyValueTable, plotted, renderPage } from "./report-page.js";
import { moneyText } from "./money-text.js";
import type { CrashSummary } from "./tally.js";

export { escapeHtml };
export type { CrashSummary };

export interface CrashTick {
  /** 0..N; tick 0 prints the starting prices. */
  tick: number;
  /** Simulated timestamp, ms since the epoch. */
  timeMs: number;
  /** Index price per underlying, decimal string. */
  prices: Record<string, string>;
  /** Underlyings without a quorum of fresh oracle sources at this tick. */
  staleUnderlyings: string[];
  /** Oracle prints dropped by the deviation filter at this tick. */
  ignoredSources: number;
  queueLength: number;
  /** Queue entries deferred because of stale prices. */
  deferred: number;
  /** Queue entries that traded or settled a deficit. */
  liquidations: number;
  /** Entries closed out with negative equity. */
  bankruptcies: number;
  /** Entries a limit kept back. */
  skipped: number;
  /** Money as decimal strings (settlement currency), this tick unless cumulative is said. */
  liquidatedNotional: string;
  /** The largest notional one account traded this tick. */
  largestAccountNotional: string;
  /** Fees, price impact and collateral discounts paid to the fund. */
  fees: string;
  insurancePaid: string;
  adlFills: number;
  collateralSales: number;
  socializedThisTick: string;
  badDebtThisTick: string;
  /** Cumulative. */
  socializedLoss: string;
  /** Cumulative. */
  badDebt: string;
  /** The fund after the tick's pass. */
  insuranceFund: string;
  /** The pass moved Σ equity + fund by exactly what it reported. */
  conserved: boolean;
  /** Wall time of the tick. */
  ms: number;
}

export interface CrashReport {
  title: string;
  accounts: number;
  seed: number;
  generatedAt: string;
  /** The settlement currency money is in. */
  currency: string;
  summary: CrashSummary;
  /** The demo's table, label → text. */
  table: [string, string][];
  /** The venue's caps (decimal strings), null when not set. */
  caps: { perPass: string | null; perAccount: string | null; insuranceLossPerPass: string | null };
  ticks: CrashTick[];
}

/** Chart-ready series from tick 1 on (the crash); time in Unix seconds; numbers only because they are plotted. */
function chartData(report: CrashReport, underlyings: string[]) {
  const ticks = crashTicks(report);
  const series = (pick: (t: CrashTick) => string | number) => ticks.map((t) => plotted(String(pick(t))));
  const prices = underlyings.map((u) => {
    const base = plotted(report.ticks[0]?.prices?.[u]);
    return ticks.map((t) => {
      const p = plotted(t.prices?.[u]);
      return p === null || base === null || base <= 0 ? null : Math.round((1e6 * p) / base) / 1e4;
    });
  });
  const stale: [number, number][] = [];
  for (const t of ticks) {
    if (!t.staleUnderlyings?.length) continue;
    const last = stale[stale.length - 1];
    const time = t.timeMs / 1000;
    if (last && time - last[1] <= (ticks[1]?.timeMs - ticks[0]?.timeMs) / 1000 + 1e-9) last[1] = time;
    else stale.push([time, time]);
  }
  const cap = (x: string | null) => ticks.map(() => (x === null ? null : plotted(x)));
  const opening = report.ticks[0];
  return {
    time: ticks.map((t) => t.timeMs / 1000),
    underlyings, prices, stale,
    queue: series((t) => t.queueLength), deferred: series((t) => t.deferred), events: series((t) => t.liquidations), bankruptcies: series((t) => t.bankruptcies),
    notional: series((t) => t.liquidatedNotional), largest: series((t) => t.largestAccountNotional),
    passCap: cap(report.caps.perPass), accountCap: cap(report.caps.perAccount),
    // the fund entering the crash (after tick 0's clearing), then after each pass
    fundTime: [opening ? opening.timeMs / 1000 : null, ...ticks.map((t) => t.timeMs / 1000)],
    fund: [plotted(opening?.insuranceFund), ...series((t) => t.insuranceFund)],
    badDebt: [plotted(opening?.badDebt), ...series((t) => t.badDebt)],
    socialized: [plotted(opening?.socializedLoss), ...series((t) => t.socializedLoss)],
    fees: series((t) => t.fees), paid: series((t) => t.insurancePaid),
  };
}

function tickTable(report: CrashReport, underlyings: string[]): string {
  const cur = report.currency;
  const head = ["tick", "time (UTC)", ...underlyings, "stale", "queue", "deferred", "events", "bankrupt", "skipped", `notional (${cur})`,
    `to fund (${cur})`, `insurance paid (${cur})`, "ADL fills", `socialized (${cur})`, `bad debt (${cur})`, `fund after (${cur})`, "ms"];
  const num = (v: string | number) => `<td class="num">${escapeHtml(v)}</td>`;
  const amount = (v: string) => num(moneyText(v, cur).replace(` ${cur}`, ""));
  const rows = report.ticks.map((t) => {
    const stale = t.staleUnderlyings ?? [];
    const cells = [
      num(t.tick), `<td class="text">${escapeHtml(new Date(t.timeMs).toISOString().slice(11, 19))}</td>`,
      ...underlyings.map((u) => (stale.includes(u) ? `<td class="num stale-cell">${escapeHtml(t.prices?.[u] ?? "–")}</td>` : num(t.prices?.[u] ?? "–"))),
      `<td class="text">${escapeHtml(stale.join(", "))}</td>`,
      num(t.queueLength.toLocaleString("en-US")), num(t.deferred.toLocaleString("en-US")), num(t.liquidations.toLocaleString("en-US")),
      num(t.bankruptcies.toLocaleString("en-US")), num(t.skipped), amount(t.liquidatedNotional), amount(t.fees), amount(t.insurancePaid),
      num(t.adlFills.toLocaleString("en-US")), amount(t.socializedThisTick), amount(t.badDebtThisTick), amount(t.insuranceFund), num(t.ms.toFixed(1)),
    ];
    const kind = t.tick === 0 ? ' class="clearing"' : stale.length ? ' class="stale"' : "";
    return `<tr${kind}>${cells.join("")}</tr>`;
  });
  return `<table id="ticks" class="rows">\n<thead><tr>${head.map((h) => `<th scope="col">${escapeHtml(h)}</th>`).join("")}</tr></thead>\n<tbody>\n${rows.join("\n")}\n</tbody>\n</table>`;
}

/** The opening pass on its own: what was under water before any price moved. */
function clearingPanel(report: CrashReport): string {
  const t = report.ticks[0];
  if (t === undefined) return "";
  const cur = report.currency;
  return `<section class="panel"><h2>Tick 0: clearing before the crash</h2>
<p class="note">The first pass runs at the starting prices: it liquidates accounts that were under water before anything moved. Its figures are kept apart from the crash below.</p>
${keyValueTable("clearing", [
    ["insurance fund at the start", moneyText(report.summary.fundStart, cur)],
    ["queue", t.queueLength.toLocaleString("en-US")],
    ["liquidation events", t.liquidations.toLocaleString("en-US")],
    ["closed out bankrupt", t.bankruptcies.toLocaleString("en-US")],
    ["notional liquidated", moneyText(t.liquidatedNotional, cur)],
    ["fees, impact and discounts to the fund", moneyText(t.fees, cur)],
    ["insurance paid", moneyText(t.insurancePaid, cur)],
    ["socialized by ADL", moneyText(t.socializedThisTick, cur)],
    ["bad debt written off", moneyText(t.badDebtThisTick, cur)],
    ["insurance fund entering the crash", moneyText(t.insuranceFund, cur)],
  ])}</section>`;
}

/** The crash's ticks, from tick 1 on: tick 0 is the clearing before it. */
function crashTicks(report: CrashReport): CrashTick[] {
  return report.ticks.filter((t) => t.tick > 0);
}

/** The crash's tick count as its summary gives it. */
function crashTickCount(report: CrashReport): string {
  const count = crashTicks(report).length;
  return `${count.toLocaleString("en-US")} tick${count === 1 ? "" : "s"} after the clearing at tick 0`;
}

function summaryCards(report: CrashReport): string {
  const s = report.summary, cur = report.currency;
  const crash = crashTicks(report);
  const socializedInCrash = crash.some((t) => t.socializedThisTick !== "0");
  return cards([
    { label: "insurance fund: start → end", value: `${moneyText(s.fundStart, cur)} → ${moneyText(s.fundEnd, cur)}` },
    { label: "fees, impact and discounts to the fund", value: moneyText(s.feesToFund, cur) },
    { label: "insurance paid", value: moneyText(s.insurancePaid, cur) },
    { label: "socialized loss (ADL)", value: moneyText(s.socializedLoss, cur), note: `${socializedInCrash ? "some" : "none"} after tick 0; ${s.adlFills.toLocaleString("en-US")} fills, ${s.adlFillsBeyondEquity} beyond equity` },
    { label: "bad debt written off", value: moneyText(s.badDebt, cur), tone: s.badDebt === "0" ? "good" : "bad" },
    { label: "liquidation events", value: s.liquidationEvents.toLocaleString("en-US"), note: `${s.distinctAccountsLiquidated.toLocaleString("en-US")} distinct accounts` },
    { label: "closed out bankrupt", value: s.distinctAccountsBankrupt.toLocaleString("en-US"), note: "distinct accounts" },
    { label: "collateral trades (sales, loan buy-backs)", value: s.collateralSales.toLocaleString("en-US") },
    { label: "skip records", value: s.skipped.toLocaleString("en-US"), note: "a limit kept an account back" },
    { label: "liquidatable, nothing to do, at the end", value: String(s.liquidatableWithoutOrdersAtEnd), tone: s.liquidatableWithoutOrdersAtEnd === 0 ? "good" : "bad" },
    { label: "Σ equity + fund conserved", value: s.conserved ? "every pass" : "NO", tone: s.conserved ? "good" : "bad" },
  ]);
}

const CHARTS_SCRIPT = `
var c = REPORT.chart, caps = REPORT.caps;
function shadeStale(u) {
  if (!c.stale.length) return;
  var ctx = u.ctx, b = u.bbox, half = c.time.length > 1 ? (c.time[1] - c.time[0]) / 2 : 5;
  ctx.save();
  ctx.fillStyle = "rgba(245, 158, 11, 0.14)";
  for (var i = 0; i < c.stale.length; i++) {
    var x0 = Math.max(b.left, u.valToPos(c.stale[i][0] - half, "x", true));
    var x1 = Math.min(b.left + b.width, u.valToPos(c.stale[i][1] + half, "x", true));
    if (x1 > x0) ctx.fillRect(x0, b.top, x1 - x0, b.height);
  }
  ctx.restore();
}
function moneySeries(label, color, extra) {
  var s = { label: label, stroke: color, width: 2, value: function (u, v) { return money(v); } };
  for (var k in extra || {}) s[k] = extra[k];
  return s;
}
chart("chart-prices", {
  series: [timeSeries()].concat(c.underlyings.map(function (name, i) {
    return { label: name, stroke: PALETTE[i % PALETTE.length], width: 2, value: function (u, v) { return v == null ? "--" : v.toFixed(2); } };
  })),
  axes: [null, { label: "index (start = 100)", labelSize: 20, size: 50 }],
  hooks: { drawClear: [shadeStale] },
}, [c.time].concat(c.prices));
chart("chart-queue", {
  series: [timeSeries(),
    { label: "queue", stroke: "#2563eb", width: 2, fill: "rgba(37, 99, 235, 0.08)", value: function (u, v) { return count(v); } },
    { label: "liquidation events", stroke: "#059669", width: 2, value: function (u, v) { return count(v); } },
    { label: "bankrupt", stroke: "#dc2626", width: 2, value: function (u, v) { return count(v); } },
    { label: "deferred (stale price)", stroke: "#d97706", width: 2, fill: "rgba(217, 119, 6, 0.18)", value: function (u, v) { return count(v); } }],
  axes: [null, { label: "accounts", labelSize: 20, size: 50, values: function (u, s) { return s.map(compactMoney); } }],
  hooks: { drawClear: [shadeStale] },
}, [c.time, c.queue, c.events, c.bankruptcies, c.deferred]);
chart("chart-notional", fromZero({
  series: [timeSeries(),
    moneySeries("liquidated notional", "#7c3aed", { fill: "rgba(124, 58, 237, 0.35)", width: 1, paths: BARS, points: { show: false } }),
    moneySeries("cap per pass", "#7c3aed", { dash: [6, 4] }),
    moneySeries("largest account", "#0891b2"),
    moneySeries("cap per account", "#0891b2", { dash: [6, 4] })],
  axes: [null, moneyAxis("notional")],
}), [c.time, c.notional, c.passCap, c.largest, c.accountCap]);
chart("chart-fund", fromZero({
  series: [timeSeries(),
    moneySeries("insurance fund", "#059669", { fill: "rgba(5, 150, 105, 0.10)" }),
    moneySeries("bad debt (cumulative)", "#b91c1c"),
    moneySeries("socialized loss (cumulative)", "#d97706")],
  axes: [null, moneyAxis("money")],
}), [c.fundTime, c.fund, c.badDebt, c.socialized]);
chart("chart-flows", fromZero({
  series: [timeSeries(),
    moneySeries("to the fund", "#059669", { fill: "rgba(5, 150, 105, 0.35)", width: 1, paths: BARS, points: { show: false } }),
    moneySeries("insurance paid", "#dc2626", { fill: "rgba(220, 38, 38, 0.35)", width: 1, paths: BARS, points: { show: false } })],
  axes: [null, moneyAxis("per tick")],
}), [c.time, c.fees, c.paid]);
`;

/** Renders the crash replay as one complete, self-contained HTML document. */
export function renderReport(report: CrashReport): string {
  const underlyings = [...new Set(report.ticks.flatMap((t) => Object.keys(t.prices ?? {})))];
  const staleTicks = report.ticks.filter((t) => t.staleUnderlyings?.length).length;
  const cur = report.currency;
  const capText = (x: string | null) => (x === null ? "none" : moneyText(x, cur));
  const body = `<div class="top">
<section class="panel"><h2>Summary</h2>
${summaryCards(report)}
${keyValueTable("summary", report.table)}
</section>
${clearingPanel(report)}
</div>
<div class="charts">
<section class="panel"><h2>Index prices (rebased, start = 100)</h2><div id="chart-prices" class="chart"></div>
<p class="note"><span class="swatch"></span> ticks with a stale underlying (${staleTicks.toLocaleString("en-US")})</p></section>
<section class="panel"><h2>Liquidation queue</h2><div id="chart-queue" class="chart"></div>
<p class="note"><span class="swatch"></span> ticks with a stale underlying; deferred entries wait for a fresh price</p></section>
<section class="panel"><h2>Liquidated notional per tick, against the caps</h2><div id="chart-notional" class="chart"></div>
<p class="note">caps: ${escapeHtml(capText(report.caps.perPass))} a pass, ${escapeHtml(capText(report.caps.perAccount))} an account; fund payouts ${escapeHtml(capText(report.caps.insuranceLossPerPass))} a pass</p></section>
<section class="panel"><h2>Insurance fund, bad debt and socialized loss</h2><div id="chart-fund" class="chart"></div>
<p class="note">from the fund entering the crash (after tick 0's clearing) to the end</p></section>
<section class="panel"><h2>Fund flows per tick</h2><div id="chart-flows" class="chart"></div></section>
</div>
<section class="panel"><h2>Ticks</h2>
<div class="table-wrap">
${tickTable(report, underlyings)}
</div>
</section>`;
  const subtitle = [`${report.accounts.toLocaleString("en-US")} accounts`, `seed ${report.seed}`, crashTickCount(report), `generated ${report.generatedAt}`].join(" · ");
  return renderPage({ title: report.title, subtitle, body, data: { ...report, chart: chartData(report, underlyings) }, script: CHARTS_SCRIPT });
}
