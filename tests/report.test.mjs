// The crash-replay HTML report: bundled the way build/cli.js is (packages external), uPlot is
// embedded in the bundle; the page it renders opens from file:// in Debian's Chromium with no
// network request and no console error, draws its four charts and lists every tick. Each built
// bundle ships the report, or not, as it should: build/report.js (margin-core/report) is the
// report, build/cli.js embeds it, build/index.js re-exports renderReport, and the browser
// bundle carries neither the report nor uPlot.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import * as esbuild from "esbuild";
import { chromium } from "playwright-core";
import { browserLaunchOptions, collectErrors, openReadyFile } from "./helpers/chromium.mjs";

const root = new URL("../", import.meta.url);
const uplotBanner = readFileSync(new URL("node_modules/uplot/dist/uPlot.iife.min.js", root), "utf8").slice(0, 60);
const uplotCssStart = readFileSync(new URL("node_modules/uplot/dist/uPlot.min.css", root), "utf8").slice(0, 40);
const work = mkdtempSync(join(tmpdir(), "margin-core-report-"));

/** bindings/tools/report.ts bundled with build/cli.js's settings, so a bare `uplot` import would stay external. */
async function bundleReport() {
  const result = await esbuild.build({
    entryPoints: [new URL("bindings/tools/report.ts", root).pathname],
    bundle: true, format: "esm", platform: "node", packages: "external", target: "es2022",
    loader: { ".wasm": "binary" }, write: false, logLevel: "silent",
  });
  return result.outputFiles[0].text;
}

let bundled;
async function reportModule() {
  bundled ??= await bundleReport();
  const file = join(work, "report.mjs");
  writeFileSync(file, bundled);
  return import(pathToFileURL(file).href);
}

const fixed = (n, digits = 2) => n.toFixed(digits);

/** ~60 ticks of a crash: BTC falls 35 %, ETH 40 % with a stale oracle window, the queue rises and drains. */
function syntheticReport() {
  const start = Date.UTC(2024, 2, 12, 9, 30, 0);
  const ticks = [];
  let fund = 2_500_000;
  let socialized = 0, badDebt = 0;
  for (let tick = 0; tick <= 60; tick++) {
    const fall = Math.min(1, Math.max(0, (tick - 5) / 25)); // 0 before tick 5, 1 from tick 30
    const rebound = Math.max(0, (tick - 40) / 20) * 0.08;
    const btc = 64_000 * (1 - 0.35 * fall + rebound);
    const stale = tick >= 18 && tick <= 25 ? ["ETH"] : [];
    const eth = 3_400 * (1 - 0.4 * Math.min(1, Math.max(0, ((stale.length ? 17 : tick) - 5) / 25)) + rebound);
    const queueLength = Math.round(420 * Math.exp(-(((tick - 28) / 9) ** 2)));
    const deferred = stale.length ? Math.round(queueLength * 0.6) : 0;
    const liquidations = Math.round(queueLength * 0.15);
    const bankruptcies = tick >= 26 && tick <= 36 ? Math.round(3 + (tick % 4)) : 0;
    const fees = liquidations * 412.5;
    const paid = Math.min(fund + fees - 1_900_000, bankruptcies * 38_000);
    const socializedThisTick = bankruptcies * 38_000 - paid;
    fund += fees - paid;
    socialized += socializedThisTick;
    const bad = tick === 31 ? 1234.5 : 0;
    badDebt += bad;
    ticks.push({
      tick, timeMs: start + tick * 10_000, prices: { BTC: fixed(btc), ETH: fixed(eth) }, staleUnderlyings: stale,
      ignoredSources: tick >= 10 && tick <= 14 ? 2 : 0, queueLength, deferred, liquidations, bankruptcies, skipped: tick === 3 ? 1 : 0,
      liquidatedNotional: fixed(liquidations * 61_000), largestAccountNotional: fixed(liquidations ? 250_000 : 0),
      fees: fixed(fees), insurancePaid: fixed(paid), adlFills: socializedThisTick > 0 ? 2 : 0, collateralSales: tick % 7 === 0 ? 3 : 0,
      socializedThisTick: fixed(socializedThisTick), badDebtThisTick: fixed(bad), socializedLoss: fixed(socialized), badDebt: fixed(badDebt),
      insuranceFund: fixed(fund), conserved: true, ms: 3 + (tick % 7) * 0.37,
    });
  }
  return {
    title: "Crash replay <BTC −35%> & stale ETH",
    accounts: 250_000,
    seed: 42,
    generatedAt: "2024-03-12T09:31:00.000Z",
    currency: "USD",
    caps: { perPass: "20000000", perAccount: "1000000", insuranceLossPerPass: null },
    summary: {
      accounts: 250_000, liquidationEvents: 2_345, distinctAccountsLiquidated: 1_234, distinctAccountsBankrupt: 55, fundStart: "2500000",
      fundEnd: fixed(fund), feesToFund: "143000.5", insurancePaid: "900000", badDebt: "1234.5", socializedLoss: fixed(socialized),
      adlFills: 12, adlFillsBeyondEquity: 0, collateralSales: 27, liquidatableWithoutOrdersAtEnd: 0, skipped: 1, conserved: true,
    },
    table: [
      ["liquidations", "1,234"],
      ["<script>alert(1)</script>", "a < b & \"c\" > 'd'"],
    ],
    ticks,
  };
}

test("bundled with packages external, the uPlot build is embedded rather than imported", async () => {
  const code = await bundleReport();
  assert.ok(code.includes(uplotBanner.slice(0, 40)), "uPlot's minified build is in the bundle");
  assert.ok(code.includes(".uplot"), "uPlot's stylesheet is in the bundle");
  assert.not.match(code, /^\s*import\b/m, "the bundle imports nothing");
  assert.not.match(code, /(?:\bfrom|\bimport)\s*\(?\s*["'][^"']*uplot/i, "nothing loads uplot at run time");
});

const RUNTIME_UPLOT = /(?:\bfrom|\bimport)\s*\(?\s*["'][^"']*uplot/i;

/** A built file's text; a missing one fails naming it. */
function built(name) {
  const url = new URL(name, root);
  assert.ok(existsSync(url), `${name} is built`);
  return readFileSync(url, "utf8");
}

/** A built entry and every file of build/ it imports statically, transitively: { name: code }. */
function builtGraph(name) {
  const files = {};
  const visit = (file) => {
    if (file in files) return;
    files[file] = built(file);
    for (const [, specifier] of files[file].matchAll(/(?:\bfrom|\bimport)\s*["'](\.{1,2}\/[^"']+)["']/g)) {
      visit(fileURLToPath(new URL(specifier, new URL(file, root))).slice(fileURLToPath(root).length));
    }
  };
  visit(name);
  return files;
}

/** Asserts that `code` carries the report and embeds uPlot's script and stylesheet rather than importing them. */
function assertShipsReport(name, code) {
  assert.ok(code.includes("chart-prices") && code.includes("report-data"), `${name} has the report`);
  assert.ok(code.includes(uplotBanner.slice(0, 40)), `${name} embeds uPlot's script`);
  assert.ok(code.includes(uplotCssStart), `${name} embeds uPlot's stylesheet`);
  assert.not.match(code, RUNTIME_UPLOT, `${name} imports uplot at run time`);
}

test("build/report.js is margin-core/report: the report, with uPlot embedded", async () => {
  const pkg = JSON.parse(readFileSync(new URL("package.json", root), "utf8"));
  const entry = pkg.exports["./report"];
  assert.is(typeof entry === "string" ? entry : entry?.default, "./build/report.js", "package.json exports ./report");
  assert.is(import.meta.resolve("margin-core/report"), new URL("build/report.js", root).href);
  const graph = builtGraph("build/report.js");
  assertShipsReport("build/report.js", Object.values(graph).join("\n"));
  const { renderReport } = await import("margin-core/report");
  assert.type(renderReport, "function");
  const html = renderReport(syntheticReport());
  assert.ok(html.startsWith("<!doctype html>") && html.includes(uplotBanner.slice(0, 40)), "renders a page with uPlot inside");
  // ticks counted as the demo's summary counts them (--ticks 60): tick 0 is the clearing before the crash
  assert.ok(html.includes(" · 60 ticks after the clearing at tick 0 · "), "the subtitle counts the crash's ticks");
  const single = syntheticReport();
  single.ticks = single.ticks.slice(0, 2);
  assert.ok(renderReport(single).includes(" · 1 tick after the clearing at tick 0 · "), "one tick");
});

test("build/cli.js embeds the report and uPlot", () => {
  const graph = builtGraph("build/cli.js");
  assert.equal(Object.keys(graph), ["build/cli.js"], "the CLI is one file");
  assertShipsReport("build/cli.js", graph["build/cli.js"]);
});

test("build/index.js re-exports renderReport, and the code behind it embeds uPlot", async () => {
  const graph = builtGraph("build/index.js");
  assertShipsReport(`build/index.js and its chunks (${Object.keys(graph).join(", ")})`, Object.values(graph).join("\n"));
  const { renderReport } = await import(new URL("build/index.js", root).href);
  assert.type(renderReport, "function");
  const html = renderReport(syntheticReport());
  assert.ok(html.startsWith("<!doctype html>") && html.includes(uplotBanner.slice(0, 40)), "renders a page with uPlot inside");
});

test("build/margin-core.browser.js carries neither uPlot nor the report", () => {
  const graph = builtGraph("build/margin-core.browser.js");
  assert.equal(Object.keys(graph), ["build/margin-core.browser.js"], "the browser bundle is one file");
  const code = graph["build/margin-core.browser.js"];
  assert.ok(code.includes("MarginEngine"), "it is the engine's bundle");
  assert.not.ok(code.includes(uplotBanner.slice(0, 40)), "uPlot's script is not in the browser bundle");
  assert.not.ok(code.includes("var uPlot"), "uPlot is not in the browser bundle");
  assert.not.ok(code.includes(uplotCssStart), "uPlot's stylesheet is not in the browser bundle");
  assert.not.match(code, RUNTIME_UPLOT, "the browser bundle does not import uplot");
  assert.not.ok(code.includes("chart-prices") || code.includes("report-data"), "the report is not in the browser bundle");
  assert.not.ok(code.includes("renderReport"), "the browser bundle does not export renderReport");
});

test("the HTML is self-contained and escapes every string", async () => {
  const { renderReport } = await reportModule();
  const html = renderReport(syntheticReport());
  assert.ok(html.startsWith("<!doctype html>"));
  assert.not.match(html, /\b(?:src|href)\s*=\s*["']?\s*(?:[a-z][a-z0-9+.-]*:)?\/\//i, "no external src/href");
  assert.not.match(html, /\b(?:src|href)\s*=\s*["']?\s*https?:/i);
  assert.not.match(html, /@import|url\(\s*["']?\s*(?:https?:)?\/\//i, "no stylesheet fetches");
  assert.not.ok(html.includes("<script>alert(1)"), "summary keys are escaped");
  assert.ok(html.includes("&lt;script&gt;alert(1)&lt;/script&gt;"));
  assert.ok(html.includes("Crash replay &lt;BTC −35%&gt; &amp; stale ETH"));
  const json = /<script type="application\/json" id="report-data">([^]*?)<\/script>/.exec(html)[1];
  assert.not.ok(json.includes("<"), "the embedded JSON has no raw <");
  assert.is(JSON.parse(json).ticks.length, 61);
  assert.is((html.match(/<\/script>/g) ?? []).length, 3, "nothing embedded closes a script early");
});

test("Chromium opens the report from file:// and draws every chart offline", async () => {
  const { renderReport } = await reportModule();
  const report = syntheticReport();
  const html = renderReport(report);
  const file = join(work, "crash-report.html");
  writeFileSync(file, html);
  const screenshot = join(work, "crash-report.png");

  const browser = await chromium.launch(browserLaunchOptions());
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const requests = [];
    page.on("request", (request) => requests.push(request.url()));
    const errors = collectErrors(page);
    page.on("dialog", (dialog) => { errors.push(`dialog: ${dialog.message()}`); dialog.dismiss(); });
    await page.goto(pathToFileURL(file).href);
    await page.waitForSelector("body[data-ready=true]", { timeout: 10_000 });

    for (const id of ["chart-prices", "chart-queue", "chart-notional", "chart-fund", "chart-flows"]) {
      const sizes = await page.$$eval(`#${id} canvas`, (canvases) => canvases.map((c) => [c.width, c.height, c.clientWidth, c.clientHeight]));
      assert.ok(sizes.length >= 1, `${id} has a canvas`);
      for (const size of sizes) assert.ok(size.every((n) => n > 0), `${id} canvas is ${size.join("×")}`);
    }
    const series = await page.$$eval("#chart-prices .u-legend .u-label", (labels) => labels.map((l) => l.textContent));
    assert.ok(series.includes("BTC") && series.includes("ETH"), `price series ${series}`);
    assert.is(await page.locator("#ticks tbody tr").count(), 61);
    assert.is(await page.locator("#ticks tbody tr.stale").count(), 8);
    assert.is(await page.title(), report.title);
    // legends show the latest values before any hover, money with separators and the currency
    const fund = await page.$$eval("#chart-fund .u-legend .u-value", (cells) => cells.map((c) => c.textContent));
    assert.is(fund[0], "09:40:00 UTC", "the time of the last tick");
    assert.is(fund[1], `${Number(report.ticks[60].insuranceFund).toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })} USD`);
    assert.not.ok(fund.includes("--"), `legend ${fund}`);
    assert.match(await page.locator("#clearing").textContent(), "2,500,000.00 USD");

    await page.screenshot({ path: screenshot, fullPage: true });
    assert.equal(errors, []);
    const foreign = requests.filter((url) => !/^(file|data):/.test(url));
    assert.equal(foreign, [], "the page made no network request");
  } finally {
    await browser.close();
  }
  const png = readFileSync(screenshot);
  assert.equal([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], "a PNG");
  assert.ok(statSync(screenshot).size > 10_000, `screenshot is ${statSync(screenshot).size} bytes`);
  if (process.env.REPORT_SCREENSHOT) writeFileSync(process.env.REPORT_SCREENSHOT, png);
  if (process.env.REPORT_HTML) writeFileSync(process.env.REPORT_HTML, html);
});

test("margin-core demo --json prints the summary's keys, and its report opens in Chromium with no console error", async () => {
  const file = join(work, "demo.html");
  const run = spawnSync(process.execPath, [fileURLToPath(new URL("bin/margin-core.js", root)), "demo", "--accounts", "3000", "--ticks", "20", "--json", "--report", file], { encoding: "utf8" });
  assert.is(run.status, 0, run.stderr);
  const summary = JSON.parse(run.stdout);
  assert.equal(Object.keys(summary), [
    "accounts", "liquidationEvents", "distinctAccountsLiquidated", "distinctAccountsBankrupt", "fundStart", "fundEnd", "feesToFund",
    "insurancePaid", "badDebt", "socializedLoss", "adlFills", "adlFillsBeyondEquity", "collateralSales", "liquidatableWithoutOrdersAtEnd",
    "skipped", "conserved",
  ]);
  assert.equal([summary.accounts, summary.fundStart, summary.conserved, summary.adlFillsBeyondEquity, summary.liquidatableWithoutOrdersAtEnd], [3000, "6000", true, 0, 0]);
  assert.ok(summary.adlFills > 0 && summary.insurancePaid !== "0", "the default fund meets both the fund and ADL");
  assert.ok(summary.distinctAccountsLiquidated <= summary.liquidationEvents);
  const browser = await chromium.launch(browserLaunchOptions());
  try {
    const { page, errors } = await openReadyFile(browser, file);
    assert.equal(errors, []);
    assert.is(await page.locator("#ticks tbody tr").count(), 21);
    assert.is(await page.locator("#ticks tbody tr.clearing").count(), 1, "tick 0 stands apart");
    assert.match(await page.locator("#clearing").textContent(), "6,000.00 USD");
  } finally {
    await browser.close();
  }
});

test.after(() => rmSync(work, { recursive: true, force: true }));

test.run();
