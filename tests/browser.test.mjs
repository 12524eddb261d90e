// The ESM browser bundle, loaded in Debian's Chromium through playwright-core, computes margin
// JSON byte-identical to Node's for the same venue.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { createServer } from "node:http";
import { readFileSync } from "node:fs";
import { chromium } from "playwright-core";
import { MarginEngine } from "../build/index.js";
import { browserLaunchOptions } from "./helpers/chromium.mjs";

const root = new URL("../", import.meta.url);
const exampleVenue = readFileSync(new URL("examples/venue.json", root), "utf8");

/** A venue with many accounts across every instrument kind, built through the bulk path. */
async function generatedVenue() {
  const { generateVenue } = await import("../build/index.js");
  const { venue, columns } = generateVenue({ accounts: 2000, seed: 7 });
  const engine = await MarginEngine.fromVenue({ ...venue, accounts: [] });
  engine.loadColumns(columns);
  return JSON.stringify(engine.toVenue());
}

const PAGE = `<!doctype html><meta charset="utf-8"><title>margin-core</title>
<script type="module">
  import { MarginEngine } from "/build/margin-core.browser.js";
  window.marginJson = async (venue) => {
    const engine = await MarginEngine.fromVenue(venue);
    return JSON.stringify({ accounts: engine.accounts(), totals: engine.totals() });
  };
  window.ready = true;
</script>`;

function serve() {
  const server = createServer((request, response) => {
    if (request.url === "/") {
      response.writeHead(200, { "content-type": "text/html" }).end(PAGE);
    } else if (request.url === "/build/margin-core.browser.js") {
      response.writeHead(200, { "content-type": "text/javascript" }).end(readFileSync(new URL("build/margin-core.browser.js", root)));
    } else {
      response.writeHead(404).end();
    }
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

async function nodeJson(venue) {
  const engine = await MarginEngine.fromVenue(venue);
  return JSON.stringify({ accounts: engine.accounts(), totals: engine.totals() });
}

test("Chromium computes byte-identical margin JSON", async () => {
  const server = await serve();
  const browser = await chromium.launch(browserLaunchOptions());
  try {
    const page = await browser.newPage();
    const errors = [];
    page.on("pageerror", (error) => errors.push(error.message));
    await page.goto(`http://127.0.0.1:${server.address().port}/`);
    await page.waitForFunction(() => window.ready === true);
    for (const venue of [exampleVenue, await generatedVenue()]) {
      const fromBrowser = await page.evaluate((v) => window.marginJson(v), venue);
      const fromNode = await nodeJson(venue);
      assert.ok(fromNode.length > 500, "the venue produced a real result");
      assert.is(fromBrowser, fromNode);
    }
    assert.equal(errors, []);
  } finally {
    await browser.close();
    server.close();
  }
});

test("the browser bundle is a small self-contained ESM file", () => {
  const bundle = readFileSync(new URL("build/margin-core.browser.js", root));
  assert.ok(bundle.length < 400_000, `bundle is ${bundle.length} bytes`);
  assert.not.match(bundle.toString("utf8"), /require\(|node:/);
});

test.run();
