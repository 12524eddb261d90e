// docs/api.md's command-line examples are what the command line prints for examples/venue.json:
// each JSON block is parsed and compared with the command's output (the parts the text says it
// leaves out left out), and the error lines are printed as quoted.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { cli } from "./helpers/cli.mjs";

const VENUE = "examples/venue.json";
const docs = readFileSync(new URL("../docs/api.md", import.meta.url), "utf8");

/** The fenced block right after the line that starts with `intro`. */
function block(intro) {
  const at = docs.split("\n").findIndex((line) => line.startsWith(intro));
  assert.ok(at >= 0, `docs/api.md has a line starting ${intro}`);
  const match = /^```\w*\n([\s\S]*?)```/m.exec(docs.split("\n").slice(at + 1).join("\n"));
  return match[1];
}

async function output(...args) {
  const { status, stdout, stderr } = await cli(...args);
  assert.is(stderr, "");
  assert.is(status, 0);
  return JSON.parse(stdout);
}

test("margin: bob and the totals", async () => {
  const shown = JSON.parse(block("`margin` on examples/venue.json, pretty-printed, with alice and carol left out"));
  const printed = await output("margin", VENUE);
  assert.equal(printed.accounts.map((a) => a.id), ["alice", "bob", "carol"]);
  assert.equal(shown, { accounts: printed.accounts.filter((a) => a.id === "bob"), totals: printed.totals });
});

test("liquidations: carol's entry and the pass", async () => {
  assert.equal(JSON.parse(block("`liquidations` (a [`LiquidationReport`]")), await output("liquidations", VENUE));
});

test("check: bob's order refused for margin", async () => {
  const shown = JSON.parse(block("`check --account bob --instrument BTC-PERP --qty 0.1 --price 65000`"));
  assert.equal(shown, await output("check", VENUE, "--account", "bob", "--instrument", "BTC-PERP", "--qty", "0.1", "--price", "65000"));
});

test("scenarios: alice's first three rows of 16, her margin and the binding scenario", async () => {
  const shown = JSON.parse(block("`scenarios --account alice` (first rows of 16)"));
  const printed = await output("scenarios", VENUE, "--account", "alice");
  assert.is(printed.buckets[0].scenarios.length, 16);
  const rows = shown.buckets[0].scenarios.length;
  printed.buckets[0].scenarios = printed.buckets[0].scenarios.slice(0, rows);
  assert.equal(shown, printed);
});

test("the error lines: a quantity that is not whole lots, and a venue whose option expired before now", async () => {
  const lines = block("The command line runs in-process too").split("\n").filter(Boolean);
  const quantity = await cli("check", VENUE, "--account", "bob", "--instrument", "BTC-PERP", "--qty", "0.0001", "--price", "65000");
  assert.is(lines[0], `$ margin-core check ${VENUE} --account bob --instrument BTC-PERP --qty 0.0001 --price 65000`);
  assert.equal([quantity.status, quantity.stdout, quantity.stderr], [2, "", `${lines[1]}\n`]);
  // bad.json: the example venue with its option expired before now
  const dir = mkdtempSync(join(tmpdir(), "margin-core-api-examples-"));
  try {
    const venue = JSON.parse(readFileSync(VENUE, "utf8"));
    venue.instruments[1].expiry = "2026-11-01T00:00:00Z";
    writeFileSync(join(dir, "bad.json"), JSON.stringify(venue));
    const expired = await cli("margin", join(dir, "bad.json"));
    assert.is(lines[2], "$ margin-core margin bad.json");
    assert.equal([expired.status, expired.stdout, expired.stderr], [2, "", `${lines[3]}\n`]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
