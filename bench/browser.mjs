// Costs a browser integration chooses between, measured in Debian's Chromium (the ES module
// build, in a page) and in Node, back to back in one run:
//   node bench/browser.mjs [--accounts 100000] [--samples 5] [--json]
// - load: fromVenue(venue JSON text) against loadColumns(typed-array columns) on an engine that
//   holds the same venue's reference data;
// - read: accounts() (objects with decimal strings, no liquidation prices) against riskColumns()
//   (raw typed arrays and totals).
// Medians of --samples runs; each load sample starts from a fresh engine.
import { createServer } from "node:http";
import { readFileSync } from "node:fs";
import { cpus } from "node:os";
import { chromium } from "playwright-core";
import { MarginEngine, generateVenue } from "../build/index.js";
import { browserLaunchOptions } from "../tests/helpers/chromium.mjs";
import { benchOptions, accountsOption } from "./arguments.mjs";

const { values } = benchOptions("node bench/browser.mjs", {
  accounts: accountsOption(100_000),
  samples: { value: "K", integer: [1, 1000], default: 5, help: "runs of each case, their median reported" },
  json: { help: "print the figures and the host as JSON (default: a table)" },
});
const { accounts, samples } = values;

const COLUMNS = ["mode", "parent", "positionOffsets", "positionInstrument", "positionLots", "positionEntry", "collateralOffsets", "collateralAsset", "collateralAmount"];

const { venue, columns } = generateVenue({ accounts, seed: 1 });
const reference = JSON.stringify({ ...venue, accounts: [] });
const builder = await MarginEngine.fromVenue(reference);
builder.loadColumns(columns);
const venueText = JSON.stringify(builder.toVenue());

/** The measured cases, as a function that runs in a page or in Node alike. */
async function measure(MarginEngine, venueText, reference, columns, samples) {
  const median = (xs) => xs.sort((a, b) => a - b)[xs.length >> 1];
  const time = async (setup, run) => {
    const ms = [];
    for (let k = 0; k < samples; k++) {
      const state = await setup();
      const t = performance.now();
      await run(state);
      ms.push(performance.now() - t);
    }
    return median(ms);
  };
  const result = {};
  result.fromVenueMs = await time(() => null, () => MarginEngine.fromVenue(venueText));
  result.loadColumnsMs = await time(() => MarginEngine.fromVenue(reference), (engine) => engine.loadColumns(columns));
  const engine = await MarginEngine.fromVenue(reference);
  engine.loadColumns(columns);
  result.accountsMs = await time(() => engine, (e) => e.accounts());
  result.riskColumnsMs = await time(() => engine, (e) => e.riskColumns());
  return result;
}

// Chromium: the page fetches the venue text and the columns' bytes from this server.
const files = new Map([
  ["/", { type: "text/html", body: `<!doctype html><meta charset="utf-8"><script type="module">import * as m from "/margin-core.browser.js"; window.MarginCore = m;</script>` }],
  ["/margin-core.browser.js", { type: "text/javascript", body: readFileSync(new URL("../build/margin-core.browser.js", import.meta.url)) }],
  ["/venue.json", { type: "application/json", body: venueText }],
  ["/reference.json", { type: "application/json", body: reference }],
  ...COLUMNS.map((name) => [`/columns/${name}`, { type: "application/octet-stream", body: Buffer.from(columns[name].buffer, columns[name].byteOffset, columns[name].byteLength) }]),
]);
const server = createServer((request, response) => {
  const file = files.get(request.url);
  if (file) response.writeHead(200, { "content-type": file.type }).end(file.body);
  else response.writeHead(404).end();
});
await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
const browser = await chromium.launch(browserLaunchOptions());
let chromiumResult;
try {
  const page = await browser.newPage();
  await page.goto(`http://127.0.0.1:${server.address().port}/`);
  await page.waitForFunction(() => window.MarginCore !== undefined);
  chromiumResult = await page.evaluate(async ({ source, names, count, samples }) => {
    const kinds = { mode: Uint8Array, parent: Int32Array, positionOffsets: Uint32Array, positionInstrument: Uint16Array, positionLots: Int32Array, positionEntry: BigInt64Array, collateralOffsets: Uint32Array, collateralAsset: Uint8Array, collateralAmount: BigInt64Array };
    const columns = { count };
    for (const name of names) columns[name] = new kinds[name](await (await fetch(`/columns/${name}`)).arrayBuffer());
    const venueText = await (await fetch("/venue.json")).text(), reference = await (await fetch("/reference.json")).text();
    const measure = new Function(`return (${source})`)();
    return measure(window.MarginCore.MarginEngine, venueText, reference, columns, samples);
  }, { source: measure.toString(), names: COLUMNS, count: columns.count, samples });
} finally {
  await browser.close();
  server.close();
}
const nodeResult = await measure(MarginEngine, venueText, reference, columns, samples);

const report = { accounts, samples, venueBytes: venueText.length, host: { cpu: cpus()[0]?.model ?? "unknown", cores: cpus().length, node: process.version, chromium: browser.version() }, chromium: chromiumResult, node: nodeResult };
if (values.json) {
  process.stdout.write(JSON.stringify(report, null, 2) + "\n");
} else {
  const row = (label, key) => `${label.padEnd(34)}${chromiumResult[key].toFixed(1).padStart(10)} ms${nodeResult[key].toFixed(1).padStart(10)} ms`;
  process.stdout.write([
    `${accounts.toLocaleString("en-US")} accounts (venue file ${(venueText.length / 1e6).toFixed(1)} MB), median of ${samples}; ${report.host.cpu}`,
    `${"".padEnd(34)}${"Chromium".padStart(13)}${"Node".padStart(13)}`,
    row("fromVenue(JSON text)", "fromVenueMs"),
    row("loadColumns(columns)", "loadColumnsMs"),
    row("accounts()", "accountsMs"),
    row("riskColumns()", "riskColumnsMs"),
    `fromVenue / loadColumns: ${(chromiumResult.fromVenueMs / chromiumResult.loadColumnsMs).toFixed(0)}× in Chromium, ${(nodeResult.fromVenueMs / nodeResult.loadColumnsMs).toFixed(0)}× in Node; accounts() / riskColumns(): ${(chromiumResult.accountsMs / chromiumResult.riskColumnsMs).toFixed(0)}× and ${(nodeResult.accountsMs / nodeResult.riskColumnsMs).toFixed(0)}×`,
    "",
  ].join("\n"));
}
