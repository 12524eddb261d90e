// The command line: JSON on stdout, `error: CODE at FIELD: detail` on stderr with exit code 2
// and nothing on stdout, `--help` on every command.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const BIN = new URL("../bin/margin-core.js", import.meta.url).pathname;
const EXAMPLE = new URL("../examples/venue.json", import.meta.url).pathname;
const run = (...args) => spawnSync(process.execPath, [BIN, ...args], { encoding: "utf8", maxBuffer: 1 << 28 });

test("margin prints every account and the totals", () => {
  const result = run("margin", EXAMPLE);
  assert.is(result.status, 0, result.stderr);
  const output = JSON.parse(result.stdout);
  assert.equal(output.accounts.map((a) => a.id), ["alice", "bob", "carol"]);
  const carol = output.accounts[2];
  assert.is(carol.parent, "alice");
  assert.is(carol.status, "liquidatable");
  assert.equal(output.accounts[0].subAccounts, ["carol"]);
  assert.is(typeof output.totals.equity, "string");
});

test("bad input: one error line, exit code 2, nothing on stdout", () => {
  const dir = mkdtempSync(join(tmpdir(), "margin-core-"));
  const file = join(dir, "bad.json");
  writeFileSync(file, '{"now": "2026-11-24T00:00:00Z", "underlyings": [{"id": "X", "spot": "1.000000001", "vol": "1"}]}');
  const result = run("margin", file);
  assert.is(result.status, 2);
  assert.is(result.stdout, "");
  assert.is(result.stderr, 'error: PRECISION at underlyings[0].spot: "1.000000001" has more than 8 decimals\n');

  const missing = run("margin", join(dir, "missing.json"));
  assert.is(missing.status, 2);
  assert.match(missing.stderr, /^error: NOT_FOUND at argv: no file ".*missing\.json"\n$/);

  const unknown = run("generate", "--accounts", "10", "--colour");
  assert.is(unknown.status, 2);
  assert.match(unknown.stderr, /^error: MALFORMED at argv: .*--colour/);

  const noCount = run("generate");
  assert.is(noCount.status, 2);
  assert.is(noCount.stderr, "error: MALFORMED at argv: --accounts is required\n");
});

test("scenarios prints a portfolio account's grid", () => {
  const result = run("scenarios", EXAMPLE, "--account", "alice");
  assert.is(result.status, 0, result.stderr);
  const grid = JSON.parse(result.stdout);
  assert.is(grid.buckets[0].underlying, "BTC");
  assert.is(grid.buckets[0].scenarios.length, 16);
  const unknown = run("scenarios", EXAMPLE, "--account", "zed");
  assert.is(unknown.status, 2);
  assert.is(unknown.stderr, 'error: UNKNOWN_ID at account: no account "zed"\n');
});

test("--help on the program and on every command", () => {
  const overview = run("--help");
  assert.is(overview.status, 0);
  for (const command of ["margin", "liquidations", "check", "scenarios", "generate", "bench", "demo"]) {
    assert.match(overview.stdout, command);
    const help = run(command, "--help");
    assert.is(help.status, 0);
    assert.match(help.stdout, `usage: margin-core ${command}`);
  }
});

test("bench refuses a bad account count before running anything", () => {
  const result = run("bench", "--accounts", "0");
  assert.is(result.status, 2);
  assert.is(result.stdout, "");
  assert.match(result.stderr, "--accounts must be an integer in [1, 10000000]");
});

test("generate writes a venue file that margin reads back", () => {
  const generated = run("generate", "--accounts", "50", "--seed", "3");
  assert.is(generated.status, 0, generated.stderr);
  const venue = JSON.parse(generated.stdout);
  assert.is(venue.accounts.length, 50);
  assert.is(run("generate", "--accounts", "50", "--seed", "3").stdout, generated.stdout, "same seed, same bytes");
  const dir = mkdtempSync(join(tmpdir(), "margin-core-"));
  writeFileSync(join(dir, "venue.json"), generated.stdout);
  const margin = JSON.parse(run("margin", join(dir, "venue.json")).stdout);
  assert.is(margin.accounts.length, 50);
});

test("demo prints the summary table for a small venue", () => {
  const result = run("demo", "--accounts", "2000", "--seed", "5");
  assert.is(result.status, 0, result.stderr);
  for (const row of ["accounts", "healthy", "liquidatable", "maintenance margin", "time: recompute margin"]) {
    assert.match(result.stdout, row);
  }
  assert.match(result.stdout, /accounts\s+2,000/);
});

test("demo counts the oracle prints the engine left out of the index: the bad BTC print, made while a feed is silent", () => {
  // three ticks: feedC falls silent from tick 1, when feedB prints 25 % low; feedC's print of tick 0 is still fresh and counts
  const result = run("demo", "--accounts", "1000", "--ticks", "3");
  assert.is(result.status, 0, result.stderr);
  assert.match(result.stdout, /oracle prints ignored \(deviation\)\s+1\n/);
});

test.run();
