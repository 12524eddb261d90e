// The governance what-if as one self-contained HTML page: the parameters changed, the status
// transitions, the change of the venue totals, the accounts pushed under, and — when a crash was
// replayed — its figures under both parameter sets side by side, with the fund, bad debt,
// socialized loss and liquidated notional of both on one time axis each.
import { formatDecimal, FRACTION_SCALE, parseDecimal } from "../core/decimal.js";
import type { WhatIfReport } from "../engine.js";
import { moneyText } from "./money-text.js";
import { cards, escapeHtml, plotted, renderPage } from "./report-page.js";
import type { CrashTick } from "./report.js";
import type { WhatIfOutcome } from "./what-if.js";

export interface WhatIfPage extends WhatIfOutcome { venue: string; generatedAt: string; currency: string }

const table = (id: string, head: string[], rows: string[][]) =>
  `<table id="${id}" class="rows"><thead><tr>${head.map((h) => `<th scope="col">${escapeHtml(h)}</th>`).join("")}</tr></thead><tbody>${rows
    .map((r) => `<tr>${r.map((c, k) => `<td class="${k === 0 ? "text" : "num"}">${escapeHtml(c)}</td>`).join("")}</tr>`).join("")}</tbody></table>`;

function paramsTable(report: WhatIfReport): string {
  const { before, after } = report.params;
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]));
  const text = (v: unknown) => (v === undefined ? "default" : typeof v === "string" ? v : JSON.stringify(v));
  return table("params", ["parameter", "in force", "proposed"], keys.map((k) => [k, text(before[k]), text(after[k])]));
}

function crashTable(report: WhatIfOutcome["report"], currency: string): string {
  const crash = report.crash;
  if (crash === undefined) return "";
  const rows: [string, keyof typeof crash.current, boolean][] = [
    ["bad debt written off", "badDebt", true], ["socialized loss (ADL)", "socializedLoss", true], ["distinct accounts liquidated", "distinctAccountsLiquidated", false],
    ["liquidation events", "liquidationEvents", false], ["distinct accounts closed out bankrupt", "distinctAccountsBankrupt", false],
    ["insurance paid", "insurancePaid", true], ["fees, impact and discounts to the fund", "feesToFund", true], ["insurance fund at the end", "fundEnd", true],
    ["ADL fills", "adlFills", false], ["collateral trades", "collateralSales", false], ["skip records", "skipped", false],
  ];
  const cell = (value: unknown, isMoney: boolean) => (isMoney ? moneyText(String(value), currency) : Number(value).toLocaleString("en-US"));
  return `<section class="panel"><h2>The same crash under both (every index −${escapeHtml(formatDecimal(parseDecimal(crash.drop, FRACTION_SCALE, "crash.drop") * 100n, FRACTION_SCALE))} % over ${crash.ticks} ticks)</h2>
${table("crash", ["", "in force", "proposed"], rows.map(([label, key, isMoney]) => [label, cell(crash.current[key], isMoney), cell(crash.proposed[key], isMoney)]))}
</section>`;
}

const SCRIPT = `
var c = REPORT.chart;
if (c) {
  var pair = function (label, a, b) {
    return [timeSeries(),
      { label: label + ", in force", stroke: "#2563eb", width: 2, value: function (u, v) { return money(v); } },
      { label: label + ", proposed", stroke: "#dc2626", width: 2, dash: [6, 4], value: function (u, v) { return money(v); } }];
  };
  chart("chart-fund", fromZero({ series: pair("fund"), axes: [null, moneyAxis("fund")] }), [c.time, c.fund[0], c.fund[1]]);
  chart("chart-bad-debt", fromZero({ series: pair("bad debt"), axes: [null, moneyAxis("bad debt")] }), [c.time, c.badDebt[0], c.badDebt[1]]);
  chart("chart-socialized", fromZero({ series: pair("socialized"), axes: [null, moneyAxis("socialized")] }), [c.time, c.socialized[0], c.socialized[1]]);
  chart("chart-notional", fromZero({ series: pair("notional"), axes: [null, moneyAxis("notional")] }), [c.time, c.notional[0], c.notional[1]]);
} else {
  document.body.dataset.ready = "true";
}
`;

export function renderWhatIf(page: WhatIfPage): string {
  const { report, replays, currency } = page;
  const money = (x: string) => moneyText(x, currency);
  const delta = (key: keyof WhatIfReport["delta"]) => `${money(report.totals.before[key])} → ${money(report.totals.after[key])}`;
  const chart = replays === undefined ? null : (() => {
    const both = (pick: (t: CrashTick) => string) =>
      [replays.current.ticks.map((t) => plotted(pick(t))), replays.proposed.ticks.map((t) => plotted(pick(t)))];
    return {
      time: replays.current.ticks.map((t) => t.timeMs / 1000),
      fund: both((t) => t.insuranceFund), badDebt: both((t) => t.badDebt), socialized: both((t) => t.socializedLoss), notional: both((t) => t.liquidatedNotional),
    };
  })();
  const body = `<div class="top">
<section class="panel"><h2>Proposal</h2>${paramsTable(report)}
${cards([
    { label: "Δ equity", value: money(report.delta.equity), note: delta("equity") },
    { label: "Δ initial margin", value: money(report.delta.initialMargin), note: delta("initialMargin") },
    { label: "Δ maintenance margin", value: money(report.delta.maintenanceMargin), note: delta("maintenanceMargin") },
    { label: "accounts pushed under", value: report.worsened.toLocaleString("en-US"), note: `of ${report.accountCount.toLocaleString("en-US")}`, tone: report.worsened === 0 ? "good" : "bad" },
  ])}</section>
<section class="panel"><h2>Status transitions</h2>
${report.transitions.length === 0 ? "<p>No account changes status.</p>" : table("transitions", ["from", "to", "accounts"], report.transitions.map((t) => [t.from, t.to, t.count.toLocaleString("en-US")]))}
</section>
</div>
<section class="panel"><h2>Accounts pushed into restricted or worse (largest rise in MM first)</h2>
<div class="table-wrap">${table("accounts", ["account", "status", "equity", "IM", "MM", "Δ MM"], report.accounts.map((a) => [
    a.id, `${a.before.status} → ${a.after.status}`, money(a.after.equity), `${money(a.before.initialMargin)} → ${money(a.after.initialMargin)}`,
    `${money(a.before.maintenanceMargin)} → ${money(a.after.maintenanceMargin)}`, money(a.maintenanceMarginChange),
  ]))}</div></section>
${crashTable(report, currency)}
${chart === null ? "" : `<div class="charts">
<section class="panel"><h2>Insurance fund</h2><div id="chart-fund" class="chart"></div></section>
<section class="panel"><h2>Bad debt (cumulative)</h2><div id="chart-bad-debt" class="chart"></div></section>
<section class="panel"><h2>Socialized loss (cumulative)</h2><div id="chart-socialized" class="chart"></div></section>
<section class="panel"><h2>Liquidated notional per tick</h2><div id="chart-notional" class="chart"></div></section>
</div>`}`;
  const subtitle = [page.venue, `${report.accountCount.toLocaleString("en-US")} accounts`, `generated ${page.generatedAt}`].join(" · ");
  return renderPage({ title: "margin-core governance what-if", subtitle, body, data: { currency, chart }, script: SCRIPT });
}
