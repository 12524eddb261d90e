// README.md's library examples, run as the README prints them (their imports of margin-core taken
// from the build, console.log collected): bob's figures are the ones its comment quotes, the
// snapshot restores byte for byte, and the sharded example's queue is one engine's queue.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { readFileSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import { MarginEngine } from "../build/index.js";
import { generateVenue } from "../build/generate.js";

const root = fileURLToPath(new URL("../", import.meta.url));
const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
const snippets = [...readme.matchAll(/```js\n([\s\S]*?)```/g)].map((m) => m[1]);
const ENTRIES = {
  "margin-core": "build/index.js",
  "margin-core/sharded": "build/sharded-engine.js",
};
const AsyncFunction = (async () => {}).constructor;

/**
 * Runs a snippet: each `import { … } from "X"` becomes a dynamic import of the build (node:
 * modules as they are), `console.log` a collector, and `names` are returned with what it logged.
 */
async function run(snippet, names) {
  const body = snippet.replace(/^import \{([^}]*)\} from "([^"]+)";$/gm, (_, bindings, from) => {
    const url = from.startsWith("node:") ? from : pathToFileURL(root + ENTRIES[from]).href;
    return `const {${bindings}} = await import(${JSON.stringify(url)});`;
  });
  assert.not.match(body, /^import /m, "every import is rewritten");
  const logs = [];
  const cwd = process.cwd();
  process.chdir(root);
  try {
    const result = await new AsyncFunction("console", `${body}\nreturn { ${names.join(", ")} };`)({ log: (value) => logs.push(value) });
    return { ...result, logs };
  } finally {
    process.chdir(cwd);
  }
}

test("the README has its two library examples", () => {
  assert.is(snippets.length, 2);
  assert.match(snippets[0], /MarginEngine\.fromVenue/);
  assert.match(snippets[1], /ShardedEngine\.create/);
});

test("the library example: bob after the print and his new position, the totals, alice's grid, a snapshot", async () => {
  const { engine, bytes, logs } = await run(snippets[0], ["engine", "bytes"]);
  const [bob, totals, grid] = logs;
  assert.equal(Object.keys(bob), ["id", "mode", "parent", "subAccounts", "equity", "initialMargin", "maintenanceMargin", "marginRatio", "status", "greeks", "liquidationPrice"]);
  assert.equal([bob.equity, bob.initialMargin, bob.maintenanceMargin, bob.status], ["803", "390.06", "195.03", "healthy"]);
  assert.equal(bob.liquidationPrice, { BTC: "61982.34459692" });
  const comment = snippets[0].split("\n").find((line) => line.startsWith('console.log(engine.account("bob"))'));
  for (const key of ["equity", "initialMargin", "maintenanceMargin", "status"]) assert.ok(comment.includes(`${key}: "${bob[key]}"`), `the comment quotes ${key}`);
  assert.ok(comment.includes(`liquidationPrice: { BTC: "${bob.liquidationPrice.BTC}" }`), "the comment quotes the liquidation price");
  // the print moved BTC's index to the mean of feedA's 63000 and feedB's 64995
  assert.is(engine.underlyingIndex("BTC"), 6_399_750_000_000n);
  assert.equal(totals, engine.totals());
  assert.is(totals.equity, "44021.3125");
  assert.equal([grid.account, grid.buckets.length, grid.buckets[0].underlying, grid.buckets[0].scenarios.length], ["alice", 1, "BTC", 16]);
  assert.instance(bytes, Uint8Array);
  const restored = await MarginEngine.restore(bytes);
  assert.equal(restored.snapshot(), bytes);
  assert.equal(restored.account("bob"), bob);
});

test("the sharded example: exact totals, and the first 100 of the queue in the single-engine order", async () => {
  const { totals, queue } = await run(snippets[1], ["totals", "queue"]);
  const { venue, columns } = generateVenue({ accounts: 100_000, seed: 1 });
  const engine = await MarginEngine.fromVenue({ ...venue, accounts: [] });
  engine.loadColumns(columns);
  assert.equal(totals, engine.runningTotals());
  engine.setPrice("BTC", "61000", Date.parse(venue.now) + 1000);
  const order = engine.queueOrder();
  assert.is(queue.length, 100);
  assert.equal(queue, Array.from({ length: 100 }, (_, k) => ({
    account: order.accounts[k], equity: order.equity[k], maintenanceMargin: order.maintenanceMargin[k],
  })));
});

test.run();
