// The preview page's order ticket and price fields with text a person might type: every field
// that is not usable says so in one line, and nothing shown claims a check that was not made.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { readFileSync } from "node:fs";
import { MarginEngine } from "../build/index.js";
import { openPage, settled, shown, previewSuite, venueAtPrice } from "./helpers/preview-page.mjs";
import { formatDecimal, parseDecimal } from "./reference/decimal.mjs";

/** A decimal as the page shows it, the whole part in groups of three. */
const grouped = (decimal) => decimal.replace(/^\d+/, (whole) => whole.replace(/\B(?=(\d{3})+$)/g, ","));

const exampleText = readFileSync(new URL("../examples/venue.json", import.meta.url), "utf8");

const suite = previewSuite(test, "margin-preview-ticket-");

const ticket = async (page) => ({
  verdict: await page.locator("#order-verdict").textContent(),
  reason: await page.locator("#order-verdict").getAttribute("data-reason"),
  max: await page.locator("#order-max").textContent(),
  im: await page.locator("#order-im").textContent(),
  equity: await page.locator("#order-equity").textContent(),
});

test("an instrument the venue does not list: the ticket says so and shows no earlier order's check", async () => {
  const engine = await MarginEngine.fromVenue(exampleText);
  const { page, errors } = await openPage(suite.browser);
  let count = await settled(page, 0);
  await page.fill("#order-qty", "0.1");
  count = await settled(page, count);
  assert.is((await ticket(page)).reason, engine.checkOrder({ account: "alice", instrument: "BTC-PERP", qty: "0.1", price: "65010" }).reason ?? "ACCEPTED");
  for (const typed of ["NOPE", "btc-perp", ""]) {
    await page.fill("#order-instrument", typed);
    count = await settled(page, count);
    const seen = await ticket(page);
    assert.equal(seen, { verdict: `Choose an instrument${typed === "" ? "" : `: no "${typed}"`}`, reason: null, max: "—", im: "—", equity: "—" }, typed);
  }
  // a listed one again: its mark is the price, and the check is Node's
  await page.fill("#order-instrument", "BTC-20261225");
  count = await settled(page, count);
  const check = engine.checkOrder({ account: "alice", instrument: "BTC-20261225", qty: "0.1", price: "65400" });
  assert.is(await page.locator("#order-price").inputValue(), "65400");
  assert.is((await ticket(page)).im.replace(/,/g, ""), `${check.initialMarginBefore} → ${check.initialMarginAfter}`);
  assert.equal(errors, []);
  await page.close();
});

test("edits the engine refuses: the ticket checks nothing until they are fixed, and the error says the figures are the last valid edits'", async () => {
  const engine = await MarginEngine.fromVenue(exampleText);
  const { page, errors } = await openPage(suite.browser);
  let count = await settled(page, 0);
  await page.fill("#order-qty", "0.1");
  count = await settled(page, count);
  const check = engine.checkOrder({ account: "alice", instrument: "BTC-PERP", qty: "0.1", price: "65010" });
  const accepted = await ticket(page);
  assert.is(accepted.reason, "ACCEPTED");
  // a zero position is no position: the engine refuses the edited account
  const quantity = page.locator('#positions tr[data-instrument="BTC-PERP"] input').nth(1);
  await quantity.fill("0");
  // a refused evaluation renders nothing: wait for its error
  await page.waitForFunction(() => !document.querySelector("#draft-error").hidden && document.body.dataset.pending === "0");
  assert.is(await page.locator("#draft-error").textContent(), 'Cannot evaluate these edits: OUT_OF_RANGE at accounts.alice.positions[0].qty: a position must be non-zero. The figures are those of the last valid edits.');
  assert.equal(await ticket(page), { verdict: "Not checked: the account as edited cannot be evaluated", reason: null, max: "—", im: "—", equity: "—" });
  await quantity.fill("-0.5");
  count = await settled(page, count);
  assert.ok(await page.locator("#draft-error").isHidden());
  assert.equal(await ticket(page), accepted);
  assert.is(accepted.im.replace(/,/g, ""), `${check.initialMarginBefore} → ${check.initialMarginAfter}`);
  assert.is(accepted.max.replace(/,/g, ""), engine.maxOrder("alice", "BTC-PERP", "buy", "65010"));
  assert.equal(errors, []);
  await page.close();
});

/** The example venue with a perpetual FAR-PERP marked at `mark` on BTC, and dave holding 0.001 of it beside 0.1 BTC-PERP. */
function withFarPerpetual(mark) {
  const venue = JSON.parse(exampleText);
  venue.instruments.push({ id: "FAR-PERP", kind: "perp", underlying: "BTC", lotSize: "0.001", mark, tiers: [{ upTo: "100000000", imf: "0.02", mmf: "0.01" }] });
  venue.accounts.push({ id: "dave", collateral: { USD: "100000" }, positions: [{ instrument: "BTC-PERP", qty: "0.1", entry: "65000" }, { instrument: "FAR-PERP", qty: "0.001", entry: mark }] });
  return venue;
}

/** Loads `venue` (as the file `name`) into a freshly opened page and selects dave; resolves to the evaluations counted before dave's. */
async function showDave(page, venue, name) {
  const count = await suite.loadVenue(page, venue, name);
  await page.click('#account-list [data-account="dave"]');
  await page.waitForFunction(() => document.querySelector("#account-title").textContent === "dave");
  return count;
}

test("a refused evaluation names the venue's account and instrument by id, not their places in the one-account copy evaluated", async () => {
  // dave is the venue's fourth account, FAR-PERP its last instrument: the copy holds dave alone, and BTC-PERP and FAR-PERP only
  const venue = withFarPerpetual("6000000000");
  const index = (await MarginEngine.fromVenue(venue)).underlyingIndex("BTC");
  const { page, errors } = await openPage(suite.browser);
  let count = await showDave(page, venue, "far-perp.json");
  count = await settled(page, count);
  const refused = async () => {
    await page.waitForFunction(() => !document.querySelector("#draft-error").hidden && document.body.dataset.pending === "0");
    return page.locator("#draft-error").textContent();
  };
  const quantity = page.locator('#positions tr[data-instrument="FAR-PERP"] input').nth(1);
  await quantity.fill("0");
  assert.is(await refused(), 'Cannot evaluate these edits: OUT_OF_RANGE at accounts.dave.positions[1].qty: a position must be non-zero. The figures are those of the last valid edits.');
  await quantity.fill("0.001");
  count = await settled(page, count);
  assert.ok(await page.locator("#draft-error").isHidden());
  // BTC at twice its index: FAR-PERP's mark, moved in proportion, passes the price limit; the
  // price is what is refused, told beside it, the typed text marked
  const price = page.locator('input[data-price="BTC"]'), problem = page.locator('[data-price-error="BTC"]');
  await price.fill(formatDecimal(2n * index, 8));
  await price.press("Enter");
  count = await settled(page, count);
  assert.ok(await page.locator("#draft-error").isHidden());
  assert.is(await problem.textContent(), `BTC at ${grouped(formatDecimal(2n * index, 8))} cannot be evaluated: OUT_OF_RANGE at instruments.FAR-PERP.mark: 12000000000 is outside (0, 10000000000]; the figures are at ${grouped(formatDecimal(index, 8))}.`);
  assert.is(await price.getAttribute("aria-invalid"), "true");
  // left, the field shows the price of the figures again
  await price.blur();
  assert.is(await price.inputValue(), formatDecimal(index, 8));
  assert.is(await price.getAttribute("aria-invalid"), null);
  assert.equal(errors, []);
  await page.close();
});

test("an account holding an instrument near the price limit: its figures are Node's, and the chart leaves out, and names, the prices the engine refuses", async () => {
  // FAR-PERP at 7e9: the chart's ladder (BTC ±50 %) moves its mark past the 1e10 price limit above +42.9 %
  const venue = withFarPerpetual("7000000000");
  const risk = (await MarginEngine.fromVenue(venue)).account("dave");
  const { page, errors } = await openPage(suite.browser);
  await settled(page, await showDave(page, venue, "near-limit.json"));
  assert.ok(await page.locator("#draft-error").isHidden(), "no refusal of the account's own figures");
  const text = (id) => page.locator(`#${id}`).textContent();
  assert.equal([shown(await text("equity")), shown(await text("maintenance-margin")), shown(await text("initial-margin"))],
    [parseDecimal(risk.equity, 6), parseDecimal(risk.maintenanceMargin, 6), parseDecimal(risk.initialMargin, 6)]);
  assert.match(await text("chart-note"), / 6 of the 81 prices are left out, the engine refusing them: OUT_OF_RANGE at instruments\.FAR-PERP\.mark: 10062500000 is outside \(0, 10000000000\]$/);
  assert.is(await page.locator("#chart").getAttribute("data-underlying"), "BTC");
  assert.equal(errors, []);
  await page.close();
});

test("a slider price the engine refuses goes back to the last one evaluated, says why there, and later edits are evaluated", async () => {
  // FAR-PERP at 7e9: BTC at +10 % takes its mark to 7.7e9, at +50 % past the 1e10 price limit
  const venue = withFarPerpetual("7000000000");
  const index = (await MarginEngine.fromVenue(venue)).underlyingIndex("BTC");
  const { page, errors } = await openPage(suite.browser);
  let count = await settled(page, await showDave(page, venue, "slider-limit.json"));
  const slider = page.locator('input[type=range][data-underlying="BTC"]'), problem = page.locator('[data-price-error="BTC"]');
  const text = (id) => page.locator(`#${id}`).textContent();
  const figuresOf = async () => [shown(await text("equity")), shown(await text("maintenance-margin")), shown(await text("initial-margin"))];
  const nodeFigures = async (v) => {
    const risk = (await MarginEngine.fromVenue(v)).account("dave");
    return [risk.equity, risk.maintenanceMargin, risk.initialMargin].map((d) => parseDecimal(d, 6));
  };
  await slider.fill("100");
  count = await settled(page, count);
  const accepted = formatDecimal((index * 1100n) / 1000n, 8);
  assert.equal(await figuresOf(), await nodeFigures(venueAtPrice(venue, "BTC", accepted, index)));
  await slider.fill("500");
  count = await settled(page, count);
  assert.is(await slider.inputValue(), "100", "the slider is back where the figures are");
  assert.is(await page.locator('input[data-price="BTC"]').inputValue(), accepted);
  assert.ok(await page.locator("#draft-error").isHidden(), "the account's edits are not what was refused");
  assert.is(await problem.textContent(), `BTC at ${grouped(formatDecimal((index * 1500n) / 1000n, 8))} cannot be evaluated: OUT_OF_RANGE at instruments.FAR-PERP.mark: 10500000000 is outside (0, 10000000000]; the figures are at ${grouped(accepted)}.`);
  assert.ok(await problem.isVisible());
  assert.equal(await figuresOf(), await nodeFigures(venueAtPrice(venue, "BTC", accepted, index)));
  // an edit after the refusal is evaluated at the price shown
  await page.locator('#positions tr[data-instrument="BTC-PERP"] input').nth(1).fill("0.2");
  count = await settled(page, count);
  assert.ok(await page.locator("#draft-error").isHidden());
  assert.ok(await problem.isHidden(), "the refusal is not told beside figures it is not about");
  const edited = structuredClone(venue);
  edited.accounts.find((a) => a.id === "dave").positions[0].qty = "0.2";
  assert.equal(await figuresOf(), await nodeFigures(venueAtPrice(edited, "BTC", accepted, index)));
  // an edit the engine refuses with a price moved as well: the edit is what is refused, and the price stays
  await page.locator('#positions tr[data-instrument="BTC-PERP"] input').nth(1).fill("0");
  await slider.fill("50");
  await page.waitForFunction(() => !document.querySelector("#draft-error").hidden && document.body.dataset.pending === "0");
  assert.is(await slider.inputValue(), "50");
  assert.match(await text("draft-error"), /^Cannot evaluate these edits: OUT_OF_RANGE at accounts\.dave\.positions\[0\]\.qty: /);
  assert.equal(errors, []);
  await page.close();
});

test("of two prices moved together, the one the engine refuses goes back and is named; the other stays", async () => {
  const venue = withFarPerpetual("7000000000");
  venue.underlyings.push({ id: "ETH", spot: "3000", vol: "0.6", rate: "0" });
  venue.instruments.push({ id: "ETH-PERP", kind: "perp", underlying: "ETH", lotSize: "0.01", mark: "3000", tiers: [{ upTo: "100000000", imf: "0.02", mmf: "0.01" }] });
  venue.accounts.find((a) => a.id === "dave").positions.push({ instrument: "ETH-PERP", qty: "2", entry: "2900" });
  const index = (await MarginEngine.fromVenue(venue)).underlyingIndex("BTC");
  const { page, errors } = await openPage(suite.browser);
  const count = await settled(page, await showDave(page, venue, "two-prices.json"));
  // one task: ETH's slider starts an evaluation; while it runs, ETH is typed and BTC dragged past FAR-PERP's limit
  await page.evaluate(() => {
    const fire = (selector, value, type) => {
      const node = document.querySelector(selector);
      node.value = value;
      node.dispatchEvent(new Event(type, { bubbles: true }));
    };
    fire('input[type=range][data-underlying="ETH"]', "10", "input");
    fire('input[data-price="ETH"]', "3300", "change");
    fire('input[type=range][data-underlying="BTC"]', "500", "input");
  });
  await settled(page, count + 1);
  assert.is(await page.locator('input[type=range][data-underlying="BTC"]').inputValue(), "0");
  assert.is(await page.locator('input[data-price="ETH"]').inputValue(), "3300");
  assert.ok(await page.locator('[data-price-error="ETH"]').isHidden(), "ETH's price is not the one refused");
  assert.match(await page.locator('[data-price-error="BTC"]').textContent(), /^BTC at [\d,.]+ cannot be evaluated: OUT_OF_RANGE at instruments\.FAR-PERP\.mark: /);
  const risk = (await MarginEngine.fromVenue(venueAtPrice(venue, "ETH", "3300", parseDecimal("3000", 8)))).account("dave");
  const text = (id) => page.locator(`#${id}`).textContent();
  assert.equal([shown(await text("equity")), shown(await text("maintenance-margin"))], [parseDecimal(risk.equity, 6), parseDecimal(risk.maintenanceMargin, 6)]);
  assert.ok(index > 0n);
  assert.equal(errors, []);
  await page.close();
});

test("a typed price the engine cannot take is refused at its field, in one line; a good one is Node's", async () => {
  const engine = await MarginEngine.fromVenue(exampleText);
  const { page, errors } = await openPage(suite.browser);
  let count = await settled(page, 0);
  const equity = await page.locator("#equity").textContent();
  const field = page.locator('input[data-price="BTC"]'), problem = page.locator('[data-price-error="BTC"]');
  for (const typed of ["99999999999", "0", "abc", "65000.123456789"]) {
    await field.fill(typed);
    await field.press("Enter");
    assert.is(await problem.textContent(), `BTC price: "${typed}" is not a price (more than 0, at most 10,000,000,000, at most 8 decimals); the figures are at the last valid one.`);
    assert.ok(await problem.isVisible(), typed);
    assert.is(await field.getAttribute("aria-invalid"), "true");
    assert.is(await field.evaluate((node) => getComputedStyle(node).borderColor), "rgb(214, 69, 69)", "outlined in red");
  }
  // a pasted run of millions of digits is judged by a scan: the page converts no long text to a
  // BigInt (one that tried would throw here), and the line echoes the first 1,000 characters
  await page.evaluate(() => {
    const original = BigInt;
    globalThis.BigInt = new Proxy(original, {
      apply(target, self, [value]) {
        if (typeof value === "string" && value.length > 100) throw new Error(`BigInt of ${value.length} characters`);
        return original(value);
      },
    });
  });
  const huge = "9".repeat(2_000_000);
  await field.fill(huge);
  await field.press("Enter");
  assert.ok(await problem.isVisible(), "the huge price is refused");
  assert.ok((await problem.textContent()) === `BTC price: "${"9".repeat(1000)}… (1999000 more characters)" is not a price (more than 0, at most 10,000,000,000, at most 8 decimals); the figures are at the last valid one.`, "the refusal cut to one short line");
  await page.fill("#order-qty", "0.1");
  count = await settled(page, count);
  assert.ok(await page.locator("#draft-error").isHidden(), "no evaluation was refused");
  assert.is(await page.locator("#equity").textContent(), equity);
  assert.is(await page.locator("#order-verdict").getAttribute("data-reason"), engine.checkOrder({ account: "alice", instrument: "BTC-PERP", qty: "0.1", price: "65010" }).reason ?? "ACCEPTED");
  // the ticket's own price field is outlined too when it is no decimal
  await page.fill("#order-price", "6501O");
  count = await settled(page, count);
  assert.is(await page.locator("#order-price").getAttribute("aria-invalid"), "true");
  assert.is(await page.locator("#order-verdict").textContent(), "The price is not a decimal (digits and one point)");
  await page.fill("#order-price", "65010");
  count = await settled(page, count);
  assert.is(await page.locator("#order-price").getAttribute("aria-invalid"), null);
  // a good price, typed after two million zeros: the line goes, the field shows the price as the
  // engine writes it, and the figures are Node's at that price (examples' sources print it)
  await field.fill(`${"0".repeat(2_000_000)}70000.00`);
  await field.press("Enter");
  count = await settled(page, count);
  assert.ok(await problem.isHidden());
  assert.is(await field.getAttribute("aria-invalid"), null);
  assert.ok((await field.inputValue()) === "70000", "the field shows the canonical price");
  const venue = JSON.parse(exampleText);
  for (const u of venue.underlyings) Object.assign(u, { spot: "70000", sources: u.sources.map((s) => ({ ...s, price: "70000" })) });
  const index = engine.underlyingIndex("BTC");
  for (const row of venue.instruments) if (row.kind !== "option") row.mark = formatDecimal((parseDecimal(row.mark, 8) * parseDecimal("70000", 8)) / index, 8);
  const risk = (await MarginEngine.fromVenue(venue)).account("alice");
  assert.is((await page.locator("#equity").textContent()).replace(/,/g, ""), risk.equity);
  assert.equal(errors, []);
  await page.close();
});

test.run();
