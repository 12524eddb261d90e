// The preview page's layout at the widths people open it at, from a phone to a wide desktop: nothing
// scrolls sideways, is cut off or overlaps, and what is laid out differently still shows Node's numbers.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { readFileSync } from "node:fs";
import { MarginEngine } from "../build/index.js";
import { openPage, previewSuite } from "./helpers/preview-page.mjs";

const exampleText = readFileSync(new URL("../examples/venue.json", import.meta.url), "utf8");
const WIDTHS = [360, 768, 1024, 1280, 1440, 1920];

const suite = previewSuite(test, "margin-preview-layout-");

/** Each element matching `selector`, scrolled into view first (panels below the fold skip layout until near), whose content is wider than its box. */
async function wider(page, selector) {
  return page.locator(selector).evaluateAll(async (nodes) => {
    const found = [];
    for (const node of nodes) {
      node.scrollIntoView({ block: "center" });
      await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
      if (node.scrollWidth > node.clientWidth) found.push(`${node.outerHTML.slice(0, 60)}…: ${node.scrollWidth} > ${node.clientWidth}`);
    }
    return found;
  });
}

test("the scenario heat map fits its panel at every width, each cell Node's P&L under its move and vol", async () => {
  const grid = (await MarginEngine.fromVenue(exampleText)).scenarios("alice");
  const bucket = grid.buckets[0];
  for (const width of WIDTHS) {
    const { page, errors } = await openPage(suite.browser, undefined, { width, height: 900 });
    assert.equal(await wider(page, "#heatmap .table-wrap"), [], `${width} px`);
    const cells = await page.locator("#heatmap td[data-scenario]").evaluateAll((tds) => tds.map((td) => {
      const table = td.closest("table"), row = td.closest("tr");
      return { k: Number(td.dataset.scenario), text: td.textContent, move: row.querySelector("th").textContent, vol: table.querySelector("thead tr").children[td.cellIndex].textContent };
    }));
    assert.is(cells.length, bucket.scenarios.length);
    for (const { k, text, move, vol } of cells) {
      const s = bucket.scenarios[k];
      assert.is(text.replace(/,/g, ""), s.pnl, `scenario ${k}`);
      assert.is(move, `${Number(s.move) > 0 ? "+" : ""}${(Number(s.move) * 100).toFixed(1)} %`);
      assert.is(vol, { up: "vol up", none: "vol flat", down: "vol down" }[s.vol]);
    }
    assert.is(await page.locator("#heatmap td.binding").getAttribute("data-scenario"), String(bucket.binding));
    assert.equal(errors, []);
    await page.close();
  }
});


test("at every width the price slider keeps 140 px and its scale's labels apart, and each figure stays on one line", async () => {
  for (const width of [...WIDTHS, 901, 1181]) {
    const { page, errors } = await openPage(suite.browser, undefined, { width, height: 900 });
    const slider = await page.locator('input[type=range][data-underlying="BTC"]').boundingBox();
    assert.ok(slider.width >= 140, `${width} px: the slider is ${slider.width} px wide`);
    const labels = await page.locator(".underlying .scale span").evaluateAll((spans) => spans.map((s) => s.getBoundingClientRect()).map((r) => [r.left, r.right]));
    for (let k = 1; k < labels.length; k++) assert.ok(labels[k][0] >= labels[k - 1][1], `${width} px: scale labels ${k - 1} and ${k} overlap`);
    const figures = await page.locator(".card .value").evaluateAll((nodes) => nodes.map((n) => [n.id || n.firstElementChild?.id, n.getBoundingClientRect().height / parseFloat(getComputedStyle(n).lineHeight)]));
    for (const [id, lines] of figures) assert.ok(lines < 1.5, `${width} px: #${id} takes ${lines.toFixed(1)} lines`);
    assert.equal(errors, []);
    await page.close();
  }
});


test("at every width the venue line, the fields and the positions show whole: none is cut off or scrolls sideways", async () => {
  for (const width of WIDTHS) {
    const { page, errors } = await openPage(suite.browser, undefined, { width, height: 900 });
    // the venue line ends with its load time; an option's id is the longest text in a field
    assert.match(await page.locator("#venue-info").textContent(), / · loaded in \d+ ms$/);
    assert.equal(await wider(page, "#venue-info, input:not([type=file]):not([type=range]), .table-wrap"), [], `${width} px`);
    const box = await page.locator("#venue-info").boundingBox();
    assert.ok(box.x >= 0 && box.x + box.width <= width, `${width} px: the venue line is within the window`);
    assert.is(await page.locator('#positions tr[data-instrument="BTC-20261225-70000-C"] input').first().inputValue(), "BTC-20261225-70000-C");
    assert.equal(errors, []);
    await page.close();
  }
});

test.run();
