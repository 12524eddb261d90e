// The preview page by keyboard, as the WAI-ARIA authoring practices describe it: the account list
// is a listbox whose arrow keys, Home and End select and show an account (one tab stop, the
// selected option); the chart's underlyings are tabs that the arrow keys, Home and End select
// (one tab stop, the selected tab, which labels the chart); and each heat-map cell names its
// move, volatility shift, cover fraction and P&L, which no longer need a mouse's hover.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { MarginEngine } from "../build/index.js";
import { browserLaunchOptions } from "./helpers/chromium.mjs";
import { openPage, settled, shown } from "./helpers/preview-page.mjs";

const exampleText = readFileSync(new URL("../examples/venue.json", import.meta.url), "utf8");
const example = JSON.parse(exampleText);

let browser;
const scratch = mkdtempSync(join(tmpdir(), "margin-preview-keys-"));
test.before(async () => {
  browser = await chromium.launch(browserLaunchOptions());
});
test.after(async () => {
  await browser.close();
  rmSync(scratch, { recursive: true, force: true });
});

/** The account list's options: id, aria-selected and tabindex of each, in order. */
const options = (page) => page.locator("#account-list [role=option]").evaluateAll((items) => items.map((li) => [li.dataset.account, li.getAttribute("aria-selected"), li.getAttribute("tabindex")]));
/** What has the focus: an account option's id, a tab's text, or the element's id. */
const focused = (page) => page.evaluate(() => {
  const node = document.activeElement;
  return node.dataset.account ?? (node.getAttribute("role") === "tab" ? `tab ${node.textContent}` : node.id || node.tagName);
});

test("the account list by keyboard: Tab enters at the selected account, Up/Down/Home/End select and show one, the focus stays in the list", async () => {
  const engine = await MarginEngine.fromVenue(exampleText);
  const { page, errors } = await openPage(browser);
  let count = await settled(page, 0);
  const ids = example.accounts.map((a) => a.id); // alice, bob, carol
  const expect = (selected) => ids.map((id) => [id, String(id === selected), id === selected ? "0" : "-1"]);
  assert.equal(await options(page), expect("alice"), "one tab stop: the selected option");

  await page.focus("#account-search");
  await page.keyboard.press("Tab");
  assert.is(await focused(page), "alice", "Tab from the search enters the list at the selected account");

  const steps = [["ArrowDown", "bob"], ["ArrowDown", "carol"], ["ArrowDown", "carol"], ["Home", "alice"], ["ArrowUp", "alice"], ["End", "carol"], ["ArrowUp", "bob"]];
  let shownId = "alice";
  for (const [key, id] of steps) {
    await page.keyboard.press(key);
    if (id !== shownId) count = await settled(page, count);
    shownId = id;
    assert.is(await page.locator("#account-title").textContent(), id, `${key}: the account shown`);
    assert.is(await focused(page), id, `${key}: the focus is on the selected option`);
    assert.equal(await options(page), expect(id), `${key}: aria-selected and tabindex`);
  }
  assert.is(shown(await page.locator("#maintenance-margin").textContent()), shown(engine.account("bob").maintenanceMargin), "bob's own figures");

  // quick presses: the last one wins, in the list and on the page
  await page.keyboard.press("ArrowDown");
  await page.keyboard.press("Home");
  await page.waitForFunction(() => document.querySelector("#account-title").textContent === "alice" && document.body.dataset.pending === "0");
  await page.waitForTimeout(300);
  assert.is(await page.locator("#account-title").textContent(), "alice");
  assert.equal(await options(page), expect("alice"));

  await page.keyboard.press("Tab");
  assert.not.ok(ids.includes(await focused(page)), "Tab leaves the list: its options are one tab stop");
  assert.equal(errors, []);
  await page.close();
});

test("the chart's underlyings are tabs: Left/Right/Home/End select one and chart it, with a roving tabindex and the chart labelled by it", async () => {
  // bob holds a BTC and an ETH perpetual: two underlyings, two tabs
  const venue = structuredClone(example);
  venue.underlyings.push({ id: "ETH", spot: "3000", vol: "0.7", rate: "0", sources: [{ id: "feedA", price: "3000", time: "2026-11-23T23:59:58Z" }] });
  venue.instruments.push({ id: "ETH-PERP", kind: "perp", underlying: "ETH", lotSize: "0.01", mark: "3000", tiers: [{ upTo: "1000000", imf: "0.02", mmf: "0.01" }] });
  venue.accounts = [venue.accounts[1], venue.accounts[0]];
  venue.accounts[0].positions.push({ instrument: "ETH-PERP", qty: "1", entry: "2900" });
  const file = join(scratch, "two-underlyings.json");
  writeFileSync(file, JSON.stringify(venue));

  const { page, errors } = await openPage(browser);
  await page.setInputFiles("#file-input", file);
  await page.waitForFunction(() => document.body.dataset.loads === "2");
  let count = await settled(page, 0);
  assert.is(await page.locator("#account-title").textContent(), "bob");

  const tabs = () => page.locator("#chart-tabs [role=tab]").evaluateAll((nodes) => nodes.map((tab) => [tab.textContent, tab.getAttribute("aria-selected"), tab.getAttribute("tabindex")]));
  const expect = (selected) => ["BTC", "ETH"].map((id) => [id, String(id === selected), id === selected ? "0" : "-1"]);
  const charted = async () => {
    const note = await page.locator("#chart-note").textContent();
    return [note.match(/at that (\w+) price/)[1], await page.locator("#chart").getAttribute("data-underlying")];
  };
  const panel = () => page.locator("#chart").evaluate((chart) => [chart.getAttribute("role"), document.getElementById(chart.getAttribute("aria-labelledby") ?? "")?.textContent ?? null]);
  assert.equal(await tabs(), expect("BTC"));
  assert.equal(await charted(), ["BTC", "BTC"]);
  assert.equal(await panel(), ["tabpanel", "BTC"]);

  await page.locator("#chart-tabs [role=tab]", { hasText: "BTC" }).focus();
  for (const [key, id] of [["ArrowRight", "ETH"], ["ArrowRight", "BTC"], ["ArrowLeft", "ETH"], ["Home", "BTC"], ["End", "ETH"]]) {
    await page.keyboard.press(key);
    count = await settled(page, count);
    assert.is(await focused(page), `tab ${id}`, `${key}: the focus is on the selected tab`);
    assert.equal(await tabs(), expect(id), `${key}: aria-selected and tabindex`);
    assert.equal(await charted(), [id, id], `${key}: the chart shown (its plot built for that underlying, the axis labelled with it)`);
    assert.equal(await panel(), ["tabpanel", id], `${key}: the chart is labelled by its tab`);
  }
  await page.keyboard.press("Shift+Tab");
  assert.is.not(await focused(page), "tab BTC", "Shift+Tab leaves the tabs: they are one tab stop");
  assert.equal(errors, []);
  await page.close();
});

test("each heat-map cell's accessible name gives its move, vol, cover fraction and P&L; the legend names the covered moves", async () => {
  const grid = (await MarginEngine.fromVenue(exampleText)).scenarios("alice");
  const bucket = grid.buckets[0];
  const { page, errors } = await openPage(browser);
  const cells = await page.locator("#heatmap td[data-scenario]").evaluateAll((tds) => tds.map((td) => [Number(td.dataset.scenario), td.getAttribute("aria-label")]));
  assert.is(cells.length, bucket.scenarios.length);
  const pct = (move) => `${Number(move) > 0 ? "+" : ""}${(Number(move) * 100).toFixed(1)} %`; // as the row headers show it
  const group = (text) => text.replace(/^(-?)(\d+)/, (_, sign, digits) => sign + Number(digits).toLocaleString("en-US"));
  for (const [k, label] of cells) {
    const s = bucket.scenarios[k];
    const vol = { up: "vol up", none: "vol flat", down: "vol down" }[s.vol];
    assert.is(label, `move ${pct(s.move)}, ${vol}, cover ${s.cover}: P&L ${group(s.pnl)}${k === bucket.binding ? ", binding" : ""}`, `scenario ${k}`);
  }
  // Playwright computes the accessible name as a screen reader gets it
  const covered = bucket.scenarios.findIndex((s) => s.cover !== "1");
  assert.ok(covered >= 0, "the example has a covered scenario");
  const name = cells.find(([k]) => k === covered)[1];
  assert.is(await page.getByRole("cell", { name, exact: true }).getAttribute("data-scenario"), String(covered));
  assert.match(await page.locator("#heatmap .legend").textContent(), /cover 0\.33: -48\.0 %, \+48\.0 %/);
  assert.equal(errors, []);
  await page.close();
});

test.run();
