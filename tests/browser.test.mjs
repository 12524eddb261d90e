// The ESM browser bundle, loaded in Debian's Chromium through playwright-core, computes margin
// JSON byte-identical to Node's for the same venue, with the SIMD module it embeds and with the
// scalar module it loads from build/margin-core.scalar.js when asked for.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { createServer } from "node:http";
import { readFileSync } from "node:fs";
import { chromium } from "playwright-core";
import { MarginEngine, MarginError } from "../build/index.js";
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
  import { MarginEngine, MarginError } from "/build/margin-core.browser.js";
  window.classNames = [MarginEngine.name, MarginError.name];
  window.marginJson = async (venue, simd) => {
    const engine = await MarginEngine.fromVenue(venue, { simd });
    if (engine.stats().simd !== simd) throw new Error("the engine runs the other module");
    return JSON.stringify({ accounts: engine.accounts(), totals: engine.totals() });
  };
  window.ready = true;
</script>`;

function serve() {
  const server = createServer((request, response) => {
    if (request.url === "/") {
      response.writeHead(200, { "content-type": "text/html" }).end(PAGE);
    } else if (request.url === "/build/margin-core.browser.js" || request.url === "/build/margin-core.scalar.js") {
      response.writeHead(200, { "content-type": "text/javascript" }).end(readFileSync(new URL(request.url.slice(1), root)));
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

test("Chromium computes byte-identical margin JSON, with the SIMD module and with the scalar one", async () => {
  const server = await serve();
  const browser = await chromium.launch(browserLaunchOptions());
  try {
    const page = await browser.newPage();
    const errors = [];
    page.on("pageerror", (error) => errors.push(error.message));
    await page.goto(`http://127.0.0.1:${server.address().port}/`);
    await page.waitForFunction(() => window.ready === true);
    // the minified build's classes keep their names, as Node's do
    assert.equal(await page.evaluate(() => window.classNames), ["MarginEngine", "MarginError"]);
    assert.equal([MarginEngine.name, MarginError.name], ["MarginEngine", "MarginError"]);
    for (const venue of [exampleVenue, await generatedVenue()]) {
      const fromNode = await nodeJson(venue);
      assert.ok(fromNode.length > 500, "the venue produced a real result");
      for (const simd of [true, false]) {
        assert.is(await page.evaluate(([v, s]) => window.marginJson(v, s), [venue, simd]), fromNode, `simd: ${simd}`);
      }
    }
    assert.equal(errors, []);
  } finally {
    await browser.close();
    server.close();
  }
});

test("the browser bundle is a small ESM file whose only import is the scalar module, loaded on demand", () => {
  const bundle = readFileSync(new URL("build/margin-core.browser.js", root), "utf8");
  assert.ok(bundle.length < 400_000, `bundle is ${bundle.length} bytes`);
  assert.not.match(bundle, /require\(|node:/);
  assert.not.match(bundle, /^\s*import[\s{*]/m, "no static import: the file stands alone");
  assert.equal([...bundle.matchAll(/import\("([^"]+)"\)/g)].map((m) => m[1]), ["./margin-core.scalar.js"]);
});

test.run();
