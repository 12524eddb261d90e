// The preview page by keyboard, as the WAI-ARIA authoring practices describe it: the account list
// is a listbox whose arrow keys, Home, End and type-ahead select and show an account (one tab
// stop, the selected option), holding options only, each naming its status in words; the chart's underlyings are tabs that the arrow keys, Home and End select
// (one tab stop, the selected tab, which labels the chart); and each heat-map cell names its
// move, volatility shift, cover fraction and P&L, which no longer need a mouse's hover.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { readFileSync } from "node:fs";
import { MarginEngine } from "../build/index.js";
import { openPage, settled, shown, previewSuite } from "./helpers/preview-page.mjs";

const exampleText = readFileSync(new URL("../examples/venue.json", import.meta.url), "utf8");
const example = JSON.parse(exampleText);

const suite = previewSuite(test, "margin-preview-keys-");

/** The account list's options: id, aria-selected and tabindex of each, in order. */
const options = (page) => page.locator("#account-list [role=option]").evaluateAll((items) => items.map((li) => [li.dataset.account, li.getAttribute("aria-selected"), li.getAttribute("tabindex")]));
/** What has the focus: an account option's id, a tab's text, or the element's id. */
const focused = (page) => page.evaluate(() => {
  const node = document.activeElement;
  return node.dataset.account ?? (node.getAttribute("role") === "tab" ? `tab ${node.textContent}` : node.id || node.tagName);
});

test("the account list by keyboard: Tab enters at the selected account, Up/Down/Home/End select and show one, the focus stays in the list", async () => {
  const engine = await MarginEngine.fromVenue(exampleText);
  const { page, errors } = await openPage(suite.browser);
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

/** The example venue with more accounts after its own: `ids`, each with 1 USD. */
function withAccounts(ids) {
  const venue = structuredClone(example);
  for (const id of ids) venue.accounts.push({ id, collateral: { USD: "1" }, positions: [] });
  return venue;
}

test("the listbox holds options only: what it leaves out is a status line after it; each option's status dot has a text alternative", async () => {
  const engine = await MarginEngine.fromVenue(exampleText);
  const { page, errors } = await openPage(suite.browser);
  await suite.loadVenue(page, withAccounts(Array.from({ length: 43 }, (_, k) => `x-${k}`)), "46-accounts.json");
  const roles = () => page.locator("#account-list").evaluate((list) => [...list.children].map((item) => item.getAttribute("role")));
  const status = page.locator("#account-list-status");
  assert.equal(await roles(), Array(40).fill("option"), "40 options listed, nothing else");
  assert.is(await status.textContent(), "6 more: refine the search");
  assert.equal(await status.evaluate((node) => [node.getAttribute("role"), node.closest("[role=listbox]"), document.getElementById("account-list").getAttribute("aria-describedby")]), ["status", null, "account-list-status"]);
  await page.fill("#account-search", "x-1");
  assert.equal(await roles(), Array(11).fill("option"), "x-1, x-10 … x-19");
  assert.is(await status.textContent(), "");
  await page.fill("#account-search", "nobody");
  assert.equal(await roles(), []);
  assert.is(await status.textContent(), "No account matches");
  await page.fill("#account-search", "");
  // the accessible name a screen reader reads: id, status, equity as shown
  const group = (text) => text.replace(/^(-?)(\d+)/, (_, sign, digits) => sign + Number(digits).toLocaleString("en-US"));
  for (const id of ["alice", "bob", "carol"]) {
    const risk = engine.account(id);
    const name = `${id} ${risk.status} ${group(risk.equity)}`;
    assert.is(await page.getByRole("option", { name, exact: true }).getAttribute("data-account"), id, name);
  }
  assert.ok((await page.getByRole("img", { name: "liquidatable", exact: true }).count()) >= 1, "carol's dot");
  assert.equal(errors, []);
  await page.close();
});

test("type-ahead in the account list: a character moves to the next account it begins, several typed quickly to the next they begin", async () => {
  const { page, errors } = await openPage(suite.browser);
  await suite.loadVenue(page, withAccounts(["bella", "carl", "cate", "x-0", "x-1", "x-3"]), "type-ahead.json"); // alice, bob, carol, bella, carl, cate, x-0, x-1, x-3
  await page.focus('#account-list [data-account="alice"]');
  const expect = async (keys, id) => {
    await page.waitForTimeout(600); // what was typed before is forgotten
    await page.keyboard.type(keys, { delay: 30 });
    await page.waitForFunction((shown) => document.querySelector("#account-title").textContent === shown && document.body.dataset.pending === "0", id);
    assert.is(await focused(page), id, `${keys}: the focus`);
    assert.equal(await page.locator('#account-list [aria-selected="true"]').evaluateAll((items) => items.map((item) => item.dataset.account)), [id], `${keys}: the selection`);
  };
  for (const [keys, id] of [["c", "carol"], ["c", "carl"], ["c", "cate"], ["c", "carol"], ["b", "bella"], ["b", "bob"], ["cat", "cate"], ["X-3", "x-3"], ["A", "alice"], ["ca", "carol"]]) await expect(keys, id);
  // nothing begins with what is typed: nothing moves
  await page.waitForTimeout(600);
  await page.keyboard.type("zq", { delay: 30 });
  await page.waitForTimeout(300);
  assert.is(await focused(page), "carol");
  assert.is(await page.locator("#account-title").textContent(), "carol");
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

  const { page, errors } = await openPage(suite.browser);
  let count = await suite.loadVenue(page, venue, "two-underlyings.json");
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
  const { page, errors } = await openPage(suite.browser);
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
