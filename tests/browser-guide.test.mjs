// What docs/browser.md shows, run in Debian's Chromium: the worker example and the script-tag
// example give Node's numbers; under a Content-Security-Policy of script-src 'self'
// 'wasm-unsafe-eval' they work, and without 'wasm-unsafe-eval' fromVenue fails (in a page and in
// a worker, whose script carries its own policy); the guide quotes the examples verbatim.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { createServer } from "node:http";
import { readFileSync } from "node:fs";
import { extname, join, normalize } from "node:path";
import { fileURLToPath } from "node:url";
import vm from "node:vm";
import { chromium } from "playwright-core";
import { MarginEngine } from "../build/index.js";
import { browserLaunchOptions, collectErrors } from "./helpers/chromium.mjs";

const root = fileURLToPath(new URL("../", import.meta.url));
const read = (path) => readFileSync(join(root, path), "utf8");
const TYPES = { ".html": "text/html; charset=utf-8", ".js": "text/javascript", ".json": "application/json" };
/** A path under /csp-NAME/ is the same file served with that policy (pages, scripts and workers alike). */
const POLICIES = { wasm: "script-src 'self' 'wasm-unsafe-eval'", strict: "script-src 'self'" };

/**
 * A static server of `folder` (under the repository) on a free port; from the repository's root it
 * serves build/ and examples/ only. A path under /csp-NAME/ is the same file served with that policy.
 */
async function serve(folder) {
  const server = createServer((request, response) => {
    const match = /^\/(?:csp-(\w+)\/)?(.*)$/.exec(new URL(request.url, "http://x").pathname);
    const [, policy, path] = match;
    const file = normalize(path);
    if ((folder === "" && !/^(build|examples)\//.test(file)) || file.includes("..")) return response.writeHead(404).end();
    let body;
    try {
      body = readFileSync(join(root, folder, file));
    } catch {
      return response.writeHead(404).end();
    }
    const headers = { "content-type": TYPES[extname(file)] ?? "application/octet-stream" };
    if (policy) headers["content-security-policy"] = POLICIES[policy];
    response.writeHead(200, headers).end(body);
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return server;
}

let server, origin, browser;
test.before(async () => {
  server = await serve("");
  origin = `http://127.0.0.1:${server.address().port}`;
  browser = await chromium.launch(browserLaunchOptions());
});
test.after(async () => {
  await browser.close();
  server.close();
});

/** Opens a page and waits for its `result`, or for the first error it reports. */
async function run(url) {
  const page = await browser.newPage();
  const errors = collectErrors(page);
  await page.goto(url);
  await page.waitForFunction(() => globalThis.result !== undefined, null, { timeout: 20_000 }).catch(() => {});
  const result = await page.evaluate(() => globalThis.result ?? null);
  await page.close();
  return { result, errors };
}

test("the worker example gives Node's account, order check and totals", async () => {
  const engine = await MarginEngine.fromVenue(read("examples/venue.json"));
  const { result, errors } = await run(`${origin}/examples/browser-worker/index.html`);
  assert.equal(errors, []);
  assert.equal(result.account, engine.account("alice"));
  assert.equal(result.check, engine.checkOrder({ account: "bob", instrument: "BTC-PERP", qty: "0.05", price: "65010" }));
  const risk = engine.riskColumns();
  assert.is(result.loaded.accounts, 3);
  assert.is(result.loaded.equity, risk.equityTotal);
  assert.is(result.loaded.maintenanceMargin, risk.maintenanceMarginTotal);
});

test("under script-src 'self' 'wasm-unsafe-eval' the worker example and the script-tag example work", async () => {
  const worker = await run(`${origin}/csp-wasm/examples/browser-worker/index.html`);
  assert.equal(worker.errors, []);
  assert.is(worker.result.account.id, "alice");
  const tag = await run(`${origin}/csp-wasm/examples/browser-script-tag/index.html`);
  assert.equal(tag.errors, []);
  assert.is(tag.result.id, "bob");
});

test("without 'wasm-unsafe-eval', fromVenue fails: the policy forbids compiling WebAssembly", async () => {
  const tag = await run(`${origin}/csp-strict/examples/browser-script-tag/index.html`);
  assert.match(tag.result.error, /^WebAssembly\.compile\(\): .*violates the following Content Security policy directive/);
  // the worker's error reaches the page with its message (a CSP refusal is no MarginError: no code)
  const worker = await run(`${origin}/csp-strict/examples/browser-worker/index.html`);
  assert.match(worker.result.error.message, /^WebAssembly\.compile\(\): .*violates the following Content Security policy directive/);
  console.log(`  CSP without 'wasm-unsafe-eval': ${tag.result.error}`);
});

test("a page deployed without the scalar module gets a MarginError naming it for { simd: false }, and can try again", async () => {
  const page = await browser.newPage();
  await page.route("**/margin-core.scalar.js", (route) => route.fulfill({ status: 404 }));
  await page.goto(`${origin}/examples/browser-worker/index.html`);
  const load = () => page.evaluate(async () => {
    const { MarginEngine } = await import("/build/margin-core.browser.js");
    const venue = await (await fetch("/examples/venue.json")).text();
    try {
      return { totals: (await MarginEngine.fromVenue(venue, { simd: false })).totals().maintenanceMargin };
    } catch (error) {
      return { name: error.name, code: error.code, field: error.field, message: error.message };
    }
  });
  const missing = await load();
  assert.equal([missing.name, missing.code, missing.field], ["MarginError", "NOT_FOUND", "runtime.simd"]);
  assert.match(missing.message, "margin-core.scalar.js");
  await page.unroute("**/margin-core.scalar.js");
  assert.is((await load()).totals, (await MarginEngine.fromVenue(read("examples/venue.json"), { simd: false })).totals().maintenanceMargin);
  await page.close();
});

test("a host without DecompressionStream(\"deflate-raw\") gets a MarginError saying so, and a later call tries again", async () => {
  const page = await browser.newPage();
  // as a browser from before 2023: the global is absent (Chromium's own, kept aside, comes back later)
  await page.addInitScript(() => { globalThis.keptDecompressionStream = globalThis.DecompressionStream; delete globalThis.DecompressionStream; });
  await page.goto(`${origin}/examples/browser-worker/index.html`);
  const load = (simd) => page.evaluate(async (simd) => {
    const { MarginEngine } = await import("/build/margin-core.browser.js");
    const venue = await (await fetch("/examples/venue.json")).text();
    try {
      return { maintenanceMargin: (await MarginEngine.fromVenue(venue, { simd })).totals().maintenanceMargin };
    } catch (error) {
      return { name: error.name, code: error.code, field: error.field, message: error.message };
    }
  }, simd);
  for (const simd of [true, false]) {
    const missing = await load(simd);
    assert.equal([missing.name, missing.code, missing.field], ["MarginError", "NOT_FOUND", "runtime"], `simd: ${simd}`);
    assert.match(missing.message, 'NOT_FOUND at runtime: this host has no DecompressionStream("deflate-raw")');
  }
  await page.evaluate(() => { globalThis.DecompressionStream = globalThis.keptDecompressionStream; });
  const expected = (await MarginEngine.fromVenue(read("examples/venue.json"))).totals().maintenanceMargin;
  assert.is((await load(true)).maintenanceMargin, expected);
  assert.is((await load(false)).maintenanceMargin, expected);
  await page.close();
});

test("served from another folder than the repository's root, the worker example says which file did not load", async () => {
  const cases = [
    // the venue file is outside what is served
    ["examples/browser-worker", "index.html", /venue\.json answered 404 \(serve the repository's root\)$/],
    // the venue loads, but the engine bundle the worker imports is outside what is served
    ["examples", "browser-worker/index.html", /^the worker did not start: worker\.js or the engine it imports did not load/],
  ];
  for (const [folder, page, expected] of cases) {
    const folderServer = await serve(folder);
    try {
      const { result } = await run(`http://127.0.0.1:${folderServer.address().port}/${page}`);
      assert.match(result?.error?.message ?? "no result", expected, folder);
    } finally {
      folderServer.close();
    }
  }
});

test("the script-tag example works from file:// as well, with Node's numbers", async () => {
  const { result, errors } = await run(new URL("examples/browser-script-tag/index.html", `file://${root}`).href);
  assert.equal(errors, []);
  // the same script in Node, with Node's build as its MarginCore
  const context = vm.createContext({ MarginCore: await import("../build/index.js"), document: { querySelector: () => ({}) }, JSON });
  vm.runInContext(read("examples/browser-script-tag/main.js"), context);
  await new Promise((resolve) => setTimeout(resolve, 200));
  assert.ok(context.result.maintenanceMargin > "0");
  assert.equal(result, JSON.parse(JSON.stringify(context.result)));
});

test("docs/browser.md quotes the examples as they are", () => {
  const guide = read("docs/browser.md");
  for (const file of ["examples/browser-worker/worker.js", "examples/browser-worker/main.js", "examples/browser-script-tag/main.js"]) {
    assert.ok(guide.includes(read(file).trim()), `${file} is quoted in docs/browser.md`);
  }
});

test.run();
