// The preview page with venues unlike the example: one loaded after another, one without `now`
// or without the settlement asset listed, one without accounts, ids that name Object.prototype's
// members, figures of a billion, and what each control is called. Each figure is Node's.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { readFileSync } from "node:fs";
import { MarginEngine } from "../build/index.js";
import { openPage, settled, shown, previewSuite } from "./helpers/preview-page.mjs";

const example = JSON.parse(readFileSync(new URL("../examples/venue.json", import.meta.url), "utf8"));
const perp = (id, underlying, mark) => ({ id, kind: "perp", underlying, lotSize: "0.001", mark, tiers: [{ upTo: "1000000", imf: "0.02", mmf: "0.01" }] });

const suite = previewSuite(test, "margin-preview-venues-");

const text = (page, id) => page.locator(`#${id}`).textContent();
async function figures(page) {
  return { account: await text(page, "account-title"), equity: shown(await text(page, "equity")), mm: shown(await text(page, "maintenance-margin")), im: shown(await text(page, "initial-margin")) };
}
const raw = (risk) => ({ account: risk.id, equity: shown(risk.equity), mm: shown(risk.maintenanceMargin), im: shown(risk.initialMargin) });

test("a venue loaded after another starts from its own prices and instruments: figures Node's, the ticket's list and marks its own", async () => {
  const { page, errors } = await openPage(suite.browser);
  // ETH alone, after the example's BTC: BTC's price must not follow
  const eth = { now: example.now, underlyings: [{ id: "ETH", spot: "3000", vol: "0.7" }], instruments: [perp("ETH-PERP", "ETH", "3001")],
    accounts: [{ id: "erin", collateral: { USD: "1000" }, positions: [{ instrument: "ETH-PERP", qty: "5", entry: "2980" }] }] };
  await suite.loadVenue(page, eth, "eth.json");
  assert.ok(await page.locator("#draft-error").isHidden(), await text(page, "draft-error"));
  assert.equal(await figures(page), raw((await MarginEngine.fromVenue(eth)).account("erin")));
  // the example again with one more instrument and BTC-PERP's mark moved: the same account ids, a list to refill
  const moved = structuredClone(example);
  moved.instruments[0].mark = "66000";
  moved.instruments.push({ ...perp("BTC-PERP2", "BTC", "65500") });
  await suite.loadVenue(page, moved, "moved.json");
  await page.fill("#order-instrument", "BTC-PERP2");
  await page.fill("#order-qty", "0.01");
  await settled(page, await page.evaluate(() => Number(document.body.dataset.evaluations)) - 1);
  assert.is(await page.locator("#order-price").inputValue(), "65500");
  assert.is(await page.locator("#order-verdict").getAttribute("data-reason"), "ACCEPTED");
  await page.fill("#order-instrument", "BTC-PERP");
  assert.is(await page.locator("#order-price").inputValue(), "66000");
  assert.equal(errors, []);
  await page.close();
});

test("a venue without now is valued at the time the engine loaded it, every evaluation alike; a settlement asset it does not list is listed", async () => {
  const { page, errors } = await openPage(suite.browser);
  const expiry = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10) + "T08:00:00Z";
  const venue = {
    underlyings: [{ id: "BTC", spot: "65000", vol: "0.55" }],
    instruments: [perp("BTC-PERP", "BTC", "65010"), { id: "C", kind: "option", underlying: "BTC", right: "call", strike: "65000", expiry, lotSize: "0.1", mark: "1500", iv: "0.6" }],
    accounts: [{ id: "opt", mode: "portfolio", collateral: { USD: "100000" }, positions: [{ instrument: "C", qty: "-50", entry: "1500" }, { instrument: "BTC-PERP", qty: "25", entry: "65000" }] }],
  };
  let count = await suite.loadVenue(page, venue, "no-now.json");
  const first = await figures(page);
  assert.is(shown(await page.locator('#account-list [data-account="opt"] .eq').textContent()), first.equity, "the card is the list's figure");
  assert.match(await text(page, "venue-info"), /· \d{4}-\d\d-\d\dT[\d:.]+Z ·/);
  await page.waitForTimeout(1500); // time passes; the valuation time does not
  await page.fill("#order-qty", "0.1");
  count = await settled(page, count);
  assert.equal(await figures(page), first);
  assert.ok(await page.locator("#whatif-tag").isHidden(), "nothing edited");
  const rows = await page.locator("#collateral tbody tr").evaluateAll((trs) => trs.map((tr) => [tr.cells[0].textContent, tr.querySelector("input").value]));
  assert.equal(rows, [["USD", "100000"]]);
  assert.equal(errors, []);
  await page.close();
});

test("a venue without accounts: typing in the ticket settles, and no earlier check stays shown", async () => {
  const { page, errors } = await openPage(suite.browser);
  await suite.loadVenue(page, { ...example, accounts: [] }, "empty.json");
  assert.is(await text(page, "account-title"), "No accounts in this venue");
  assert.is(await text(page, "order-verdict"), "No account to check an order against");
  await page.fill("#order-qty", "1");
  await page.waitForFunction(() => document.body.dataset.pending === "0");
  assert.is(await text(page, "order-im"), "—");
  assert.equal(errors, []);
  await page.close();
});

test("ids named __proto__ and constructor are ids like any other: figures Node's, balances edited", async () => {
  const { page, errors } = await openPage(suite.browser);
  const venue = structuredClone(example);
  venue.underlyings.push({ id: "__proto__", spot: "100", vol: "0.5" }, { id: "constructor", spot: "50", vol: "0.5" });
  venue.assets.push({ id: "__proto__", price: "100", haircut: "0.1", underlying: "__proto__" }, { id: "constructor", price: "50", haircut: "0.1", underlying: "constructor" });
  venue.instruments.push(perp("toString", "__proto__", "100"));
  venue.accounts.push({ id: "hasOwnProperty", collateral: { USD: "1000", constructor: "2" }, positions: [{ instrument: "toString", qty: "1", entry: "99" }] });
  let count = await suite.loadVenue(page, venue, "prototype-ids.json");
  await page.click('#account-list [data-account="hasOwnProperty"]');
  await page.waitForFunction(() => document.querySelector("#account-title").textContent === "hasOwnProperty");
  count = await settled(page, count);
  assert.equal(await figures(page), raw((await MarginEngine.fromVenue(venue)).account("hasOwnProperty")));
  assert.is(await page.locator('input[data-price="__proto__"]').inputValue(), "100");
  const amount = page.getByRole("textbox", { name: "__proto__ amount", exact: true });
  assert.is(await amount.inputValue(), "0");
  await amount.fill("0.1");
  count = await settled(page, count);
  // a balance keyed __proto__ as JSON.parse makes it, an own key, as the page sends it
  const edited = JSON.parse(JSON.stringify(venue).replace('"constructor":"2"}', '"constructor":"2","__proto__":"0.1"}'));
  assert.equal(await figures(page), raw((await MarginEngine.fromVenue(edited)).account("hasOwnProperty")));
  assert.equal(errors, []);
  await page.close();
});

test("a collateral amount past 8 decimals is refused at its field in one line, with no page error", async () => {
  const { page, errors } = await openPage(suite.browser);
  const count = await page.evaluate(() => Number(document.body.dataset.evaluations));
  await page.getByRole("textbox", { name: "USD amount", exact: true }).fill("10000.123456789");
  await page.waitForFunction(() => !document.querySelector("#draft-error").hidden && document.body.dataset.pending === "0");
  assert.is(await text(page, "draft-error"), `Cannot evaluate these edits: PRECISION at accounts.${example.accounts[0].id}.collateral.USD: "10000.123456789" has more than 8 decimals. The figures are those of the last valid edits.`);
  assert.ok(count >= 1);
  assert.equal(errors, []);
  await page.close();
});

test("a billion's figures stay on one line at every width, never broken inside a digit group", async () => {
  const whale = { ...example, accounts: [{ id: "whale", collateral: { USD: "1234567890.123456" }, positions: [{ instrument: "BTC-PERP", qty: "-1000.001", entry: "64000.12345678" }] }] };
  for (const width of [360, 390, 768, 1024, 1280]) {
    const { page, errors } = await openPage(suite.browser, undefined, { width, height: 900 });
    await suite.loadVenue(page, whale, "whale.json");
    const lines = await page.locator(".card .value").evaluateAll((nodes) => nodes.map((n) => [n.id || n.firstElementChild?.id, n.textContent, n.getBoundingClientRect().height / parseFloat(getComputedStyle(n).lineHeight)]));
    for (const [id, figure, count] of lines) assert.ok(count < 1.5, `${width} px: #${id} "${figure}" takes ${count.toFixed(1)} lines`);
    assert.equal(errors, []);
    await page.close();
  }
});

test("each control is named apart: a position's instrument by its row, the order's own; the tables and the chart named", async () => {
  const { page, errors } = await openPage(suite.browser);
  const names = await page.locator("#positions input[list], #order-instrument").evaluateAll((nodes) => nodes.map((n) => n.getAttribute("aria-label")));
  assert.equal(names, ["Position 1 instrument", "Position 2 instrument", "Order instrument"]);
  assert.equal(await page.locator("#positions, #collateral").evaluateAll((nodes) => nodes.map((n) => n.getAttribute("aria-label"))), ["Positions", "Collateral"]);
  assert.equal(await page.locator("#heatmap table").evaluateAll((nodes) => nodes.map((n) => n.getAttribute("aria-label"))), ["BTC scenarios: P&L by move and vol"]);
  const chart = await page.locator("#chart canvas").evaluate((c) => [c.getAttribute("role"), c.getAttribute("aria-label")]);
  assert.is(chart[0], "img");
  assert.match(chart[1], /^Equity, IM and MM against the BTC price, from [\d.]+ to [\d.]+(; liquidation price [\d.]+)?$/);
  assert.equal(errors, []);
  await page.close();
});

test("typing a balance that first exposes the account to another underlying keeps the field's focus and every key", async () => {
  const { page, errors } = await openPage(suite.browser);
  const venue = structuredClone(example);
  venue.underlyings.push({ id: "ETH", spot: "3000", vol: "0.7" });
  venue.assets.push({ id: "ETH", price: "3000", haircut: "0.1", underlying: "ETH" });
  let count = await suite.loadVenue(page, venue, "focus.json");
  const eth = page.getByRole("textbox", { name: "ETH amount", exact: true });
  await eth.click();
  await eth.press("Control+a");
  await page.keyboard.type("2.5", { delay: 60 });
  assert.is(await eth.inputValue(), "2.5");
  assert.is(await page.evaluate(() => document.activeElement.getAttribute("aria-label")), "ETH amount");
  const account = { ...venue.accounts[0], collateral: { ...venue.accounts[0].collateral, ETH: "2.5" } };
  const want = (await MarginEngine.fromVenue({ ...venue, accounts: [account] })).account(account.id);
  // edits are evaluated after a pause in typing, "2" perhaps before "2.5": wait for the last
  await page.waitForFunction((equity) => document.querySelector("#equity").textContent.replace(/,/g, "") === equity && document.body.dataset.pending === "0", want.equity);
  assert.ok(await settled(page, count) > count);
  assert.equal(await figures(page), raw(want));
  assert.equal(errors, []);
  await page.close();
});

test("a custom grid's heat map has a cell for every scenario, the binding one outlined, each row told apart", async () => {
  const { page, errors } = await openPage(suite.browser);
  const venue = { ...example, params: { grid: [{ move: "-0.3", cover: "0.1" }, { move: "-0.3", cover: "1" }, { move: "0.1234" }, { move: "0.1236" }, { move: "-0.0004" }, { move: "0.3", vol: "up" }] } };
  await suite.loadVenue(page, venue, "custom-grid.json");
  const grid = (await MarginEngine.fromVenue(venue)).scenarios(example.accounts[0].id).buckets[0];
  const cells = await page.locator("#heatmap td[data-scenario]").evaluateAll((nodes) => nodes.map((n) => [Number(n.dataset.scenario), n.classList.contains("binding")]));
  assert.equal(cells.map(([k]) => k).sort(), [0, 1, 2, 3, 4, 5]);
  assert.equal(cells.filter(([, binding]) => binding).map(([k]) => k), [grid.binding]);
  assert.equal(await page.locator("#heatmap tbody th").allTextContents(), ["-30 % × 1", "-30 % × 0.1", "-0.04 %", "+12.34 %", "+12.36 %", "+30 %"]);
  assert.equal(errors, []);
  await page.close();
});

test("an account among many underlyings: what it does not touch is left out of each what-if, and its figures, stale prices and checks stay Node's", async () => {
  const { page, errors } = await openPage(suite.browser);
  const venue = structuredClone(example);
  const btc = venue.underlyings[0];
  // ETH held beside BTC; 300 underlyings dave never touches, one of whose sources, the latest,
  // moves the oracle clock 2 minutes past BTC's: BTC is stale at that clock
  venue.underlyings.push({ ...btc, id: "ETH", spot: "3000", sources: btc.sources.map((source) => ({ ...source, price: "3000" })) });
  for (let k = 0; k < 300; k++) venue.underlyings.push({ id: `Z${k}`, spot: "10", vol: "0.5", rate: "0", sources: [{ id: "feedZ", price: "10", time: k === 7 ? "2026-11-24T00:02:00Z" : "2026-11-23T23:59:59Z" }] });
  venue.assets.push({ id: "ZC", price: "10", haircut: "0.1", underlying: "Z3" });
  venue.instruments.push(perp("ETH-PERP", "ETH", "3000"), perp("Z1-PERP", "Z1", "10"));
  // the correlation names the account's pair and pairs it does not hold
  venue.params = { correlation: { BTC: { ETH: "-0.4", Z1: "0.9" }, Z1: { Z2: "0.3" } } };
  venue.accounts.push(
    { id: "dave", mode: "portfolio", collateral: { USD: "20000" }, positions: [{ instrument: "BTC-PERP", qty: "0.3", entry: "64000" }, { instrument: "ETH-PERP", qty: "-4", entry: "3100" }] },
    { id: "erin", collateral: { USD: "100", ZC: "5" }, positions: [{ instrument: "Z1-PERP", qty: "1", entry: "10" }] },
  );
  const engine = await MarginEngine.fromVenue(venue);
  assert.ok(engine.staleUnderlyings().includes("BTC"), "BTC is stale at the venue's clock");
  let count = await suite.loadVenue(page, venue, "many-underlyings.json");
  await page.click('#account-list [data-account="dave"]');
  await page.waitForFunction(() => document.querySelector("#account-title").textContent === "dave");
  count = await settled(page, count);
  assert.equal(await figures(page), raw(engine.account("dave")));
  const order = { account: "dave", instrument: "BTC-PERP", qty: "0.1", price: "65010" };
  const reason = engine.checkOrder(order).reason;
  assert.is(reason, "STALE_PRICE");
  await page.fill("#order-instrument", order.instrument);
  await page.fill("#order-qty", order.qty);
  count = await settled(page, count);
  await page.waitForFunction(() => document.body.dataset.pending === "0");
  assert.is(await page.locator("#order-verdict").getAttribute("data-reason"), reason);
  assert.equal(errors, []);
  await page.close();
});

test("an order in a contract the oracle clock has expired is refused in words, as Node refuses it", async () => {
  const { page, errors } = await openPage(suite.browser);
  const venue = structuredClone(example);
  venue.clock = "2026-12-26T00:00:00Z";
  venue.underlyings[0].sources = venue.underlyings[0].sources.map((source, k) => ({ ...source, time: `2026-12-25T23:59:5${8 + k}Z` }));
  let count = await suite.loadVenue(page, venue, "expired.json");
  const order = { account: example.accounts[0].id, instrument: "BTC-20261225", qty: "0.1", price: "65400" };
  assert.is((await MarginEngine.fromVenue(venue)).checkOrder(order).reason, "EXPIRED");
  await page.fill("#order-instrument", order.instrument);
  await page.fill("#order-qty", order.qty);
  await page.fill("#order-price", order.price);
  count = await settled(page, count);
  await page.waitForFunction(() => document.body.dataset.pending === "0");
  assert.is(await page.locator("#order-verdict").getAttribute("data-reason"), "EXPIRED");
  assert.is(await text(page, "order-verdict"), "Rejected: the contract has expired and trades no more until it is settled");
  assert.equal(errors, []);
  await page.close();
});

test.run();
