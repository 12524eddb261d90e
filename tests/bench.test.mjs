// The benchmark suite's report: `margin-core bench --accounts 2000 --json`, run in-process with
// runCli and its own streams (the suite's child process passes its output on to them), prints only JSON on
// stdout, every case carries the report's fields with positive finite timings, the baselines
// are there (the native ones, or the reason they were skipped) and agree with the engine on
// every account, and every ratio is a positive finite number.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { cli } from "./helpers/cli.mjs";

const FIELDS = ["name", "accounts", "positionsPerAccount", "scenarios", "medianMs", "minMs", "samples", "bytesPerAccount"];
const REQUIRED = [
  "standard recompute", "portfolio recompute", "portfolio recompute scalar", "portfolio recompute wide",
  "portfolio recompute linear-only", "portfolio recompute BTC positions", "JS f64", "BigInt twin (scaled)", "loadColumns", "snapshot", "restore",
  "risk-array rebuild", "risk-array rebuild 10k options", "tick refresh", "queue refresh", "tick + queue refresh",
  "crash tick", "crash tick, cleared queue", "checkOrder", "checkOrderRaw", "setPrice 100 instruments", "setPrice 10k instruments",
  "new account", "edited account", "portfolio recompute 1 worker", "portfolio recompute 2 workers", "fromVenue", "JSON.parse", "accounts()", "JSON.stringify",
  "accounts() again", "JSON.parse of accounts()",
];
const REQUIRED_RATIOS = [
  "portfolio recompute scalar/portfolio recompute", "JS f64/portfolio recompute", "BigInt twin (scaled)/portfolio recompute",
  "tick refresh/portfolio recompute", "tick refresh/portfolio recompute BTC positions", "crash tick/portfolio recompute", "crash tick, cleared queue/portfolio recompute", "tick + queue refresh/portfolio recompute",
  "setPrice 10k instruments/setPrice 100 instruments", "new account/edited account", "portfolio recompute 1 worker/portfolio recompute 2 workers",
  "fromVenue/JSON.parse", "accounts()/JSON.stringify", "accounts() again/JSON.parse of accounts()",
];
/** Ratios to a native baseline, there whenever the baselines ran. */
const NATIVE_RATIOS = { "native C": "portfolio recompute/native C", "native C standard": "standard recompute/native C standard" };

const positiveFinite = (x) => typeof x === "number" && Number.isFinite(x) && x > 0;
let finished = null;
/** The one benchmark run every test reads (started by the first test that needs it). */
function bench() {
  finished ??= cli("bench", "--accounts", "2000", "--json");
  return finished;
}
const reportOf = async () => JSON.parse((await bench()).stdout);

test("the run succeeds and stdout is one JSON document", async () => {
  const run = await bench();
  assert.is(run.status, 0, run.stderr);
  assert.type(JSON.parse(run.stdout), "object");
});

test("host and results have the report's shape", async () => {
  const report = await reportOf();
  assert.type(report.host.node, "string");
  assert.ok(report.host.node.startsWith("v"), report.host.node);
  assert.type(report.host.cpu, "string");
  assert.ok(Number.isInteger(report.host.cores) && report.host.cores > 0, `cores ${report.host.cores}`);
  assert.ok(Array.isArray(report.results) && report.results.length > 0);
  for (const result of report.results) {
    for (const field of FIELDS) assert.ok(field in result, `${result.name} lacks ${field}`);
    assert.type(result.name, "string");
    assert.ok(positiveFinite(result.medianMs), `${result.name} medianMs ${result.medianMs}`);
    assert.ok(positiveFinite(result.minMs), `${result.name} minMs ${result.minMs}`);
    assert.ok(result.minMs <= result.medianMs, `${result.name}: min ${result.minMs} > median ${result.medianMs}`);
    assert.ok(Number.isInteger(result.samples) && result.samples >= 1, `${result.name} samples ${result.samples}`);
    assert.ok(Number.isInteger(result.accounts) && result.accounts >= 0, `${result.name} accounts ${result.accounts}`);
    for (const field of ["positionsPerAccount", "scenarios", "bytesPerAccount"]) {
      const value = result[field];
      assert.ok(value === null || (Number.isFinite(value) && value >= 0), `${result.name} ${field} ${value}`);
    }
  }
  const names = report.results.map((r) => r.name);
  assert.is(new Set(names).size, names.length, "case names are unique");
  for (const name of REQUIRED) assert.ok(names.includes(name), `missing case "${name}"`);
  const portfolio = report.results.find((r) => r.name === "portfolio recompute");
  assert.is(portfolio.accounts, 2000);
  assert.is(portfolio.scenarios, 16);
  assert.ok(report.results.find((r) => r.name === "portfolio recompute wide").scenarios > 16);
});

test("the baselines: native C measured and equal to the engine on every account, or skipped with a reason; JS f64 exact", async () => {
  const report = await reportOf();
  for (const name of ["native C", "native C standard"]) {
    const native = report.results.find((r) => r.name === name);
    const skip = (report.skipped ?? []).find((s) => s.name === name);
    assert.ok(Boolean(native) !== Boolean(skip), `${name} is either measured or skipped`);
    if (native) {
      assert.is(native.checkedAccounts, 2000);
      assert.is(native.mismatches, 0, `${name}: accounts whose equity, MM or status differ from the engine`);
      assert.is(native.totalsMatch, true, `${name}: totals`);
      assert.is(native.imMismatches, 0, `${name}: IM through accountRaw`);
      assert.match((await bench()).stderr, new RegExp(`${name}: 0 of 2,000 accounts differ`));
      assert.ok(positiveFinite(report.ratios[NATIVE_RATIOS[name]]), NATIVE_RATIOS[name]);
    } else {
      assert.type(skip.reason, "string");
      assert.ok(skip.reason.length > 0);
      assert.match((await bench()).stderr, new RegExp(`${name} skipped: `));
    }
  }
  const f64 = report.results.find((r) => r.name === "JS f64");
  assert.is(f64.checkedAccounts, 2000);
  assert.is(f64.mismatches, 0, "JS f64: accounts whose MM differs from the engine");
  assert.ok(Number.isInteger(f64.exactBuckets) && f64.exactBuckets >= 0, `exactBuckets ${f64.exactBuckets}`);
  const check = report.results.find((r) => r.name === "checkOrder");
  assert.is(check.positionsPerAccount, 8);
  assert.ok(check.samples >= 10_000 && positiveFinite(check.p99Ms) && check.p99Ms >= check.medianMs, `checkOrder p99 ${check.p99Ms}`);
  for (const name of ["setPrice 100 instruments", "setPrice 10k instruments"]) {
    const row = report.results.find((r) => r.name === name);
    assert.is(row.heldInstruments, 5, `${name}: held`);
    assert.ok(row.samples >= 1000 && positiveFinite(row.p99Ms), `${name}: per-call samples`);
  }
  assert.is(report.results.find((r) => r.name === "setPrice 10k instruments").instruments, 10_000);
  for (const name of ["new account", "edited account"]) {
    const row = report.results.find((r) => r.name === name);
    assert.ok(row.accounts === 1 && row.samples === 3000 && positiveFinite(row.p99Ms), `${name}: per-call samples`);
  }
  const twin = report.results.find((r) => r.name === "BigInt twin (scaled)");
  assert.is(twin.scaled, true);
  assert.ok(twin.sampleAccounts > 0 && twin.sampleAccounts <= 2000);
  assert.is(twin.mismatches, 0, "twin mismatches");
  assert.match((await bench()).stderr, /scaled/);
});

test("every ratio is a positive finite number between two cases of the run", async () => {
  const report = await reportOf();
  const names = new Set(report.results.map((r) => r.name));
  const entries = Object.entries(report.ratios);
  assert.ok(entries.length > 0);
  for (const [key, value] of entries) {
    assert.ok(positiveFinite(value), `${key}: ${value}`);
    const cut = [...names].find((n) => key.startsWith(`${n}/`) && names.has(key.slice(n.length + 1)));
    assert.ok(cut !== undefined, `${key} does not name two cases of the run`);
  }
  for (const key of REQUIRED_RATIOS) assert.ok(key in report.ratios, `missing ratio "${key}"`);
});

/** A benchmark script run directly, `node bench/NAME ARGS…`; stopped after 20 s, should it start a benchmark rather than refuse. */
const script = (name, ...args) => spawnSync(process.execPath, [fileURLToPath(new URL(`../bench/${name}`, import.meta.url)), ...args], { encoding: "utf8", timeout: 20_000 });
/** One line on stderr, `error: …` then the script's usage; nothing on stdout; exit code 2 (no stack trace). */
function assertRefused(run, usage, what) {
  assert.is(run.status, 2, `${what}: ${run.stderr}`);
  assert.is(run.stdout, "", what);
  assert.is(run.stderr.split("\n").length, 2, run.stderr);
  assert.ok(run.stderr.startsWith("error: ") && run.stderr.includes(` (usage: ${usage}`), `${what}: ${run.stderr}`);
}

const SCRIPTS = { "run.mjs": "npm run bench --", "scale.mjs": "npm run bench:scale --", "browser.mjs": "node bench/browser.mjs", "wide-multiply/run.mjs": "node bench/wide-multiply/run.mjs" };

test("the benchmark scripts run directly answer --help with their usage and every option, exit 0", () => {
  for (const [name, usage] of Object.entries(SCRIPTS)) {
    for (const flag of ["--help", "-h"]) {
      const help = script(name, flag);
      assert.is(help.status, 0, help.stderr);
      assert.is(help.stderr, "", name);
      const [first] = help.stdout.split("\n");
      assert.ok(first.startsWith(`usage: ${usage} [--`), first);
      // each option of the usage line has a row: the option, then what it means
      for (const option of first.match(/--[a-z-]+/g)) assert.match(help.stdout, new RegExp(`\n {6}${option}(?: \\S+)? {2,}\\S`), `${name}: ${option}`);
    }
  }
});

test("the benchmark scripts run directly refuse a bad option or value with one line and exit 2, no stack trace", () => {
  for (const [name, args] of [
    ...Object.keys(SCRIPTS).map((name) => [name, ["--bogus"]]),
    ["run.mjs", ["--accounts", "abc"]], ["run.mjs", ["--seed", "-1"]], ["run.mjs", ["extra"]], ["scale.mjs", ["--sizes", "10,abc"]], ["scale.mjs", ["--samples", "0"]],
    ["browser.mjs", ["--accounts", "0"]], ["browser.mjs", ["--samples", "-3"]], ["wide-multiply/run.mjs", ["--json=1"]],
  ]) {
    assertRefused(script(name, ...args), SCRIPTS[name], `${name} ${args.join(" ")}`);
  }
});

test("--help gives each option's range and default", () => {
  for (const [name, option, notes] of [
    ["run.mjs", "--accounts N", "(1 … 10,000,000; default 1,000,000)"],
    ["run.mjs", "--seed S", "(0 … 2,147,483,647; default 1)"],
    ["run.mjs", "--json", "(default: a table)"],
    ["run.mjs", "--max-time SECONDS", "(0.001 … 3,600; default 0.5)"],
    ["run.mjs", "--twin-sample N", "(1 … 10,000,000; default 2,000)"],
    ["browser.mjs", "--accounts N", "(1 … 10,000,000; default 100,000)"],
    ["browser.mjs", "--samples K", "(1 … 1,000; default 5)"],
    ["scale.mjs", "--samples K", "(1 … 1,000; default 5)"],
  ]) {
    const row = script(name, "--help").stdout.split("\n").find((line) => line.startsWith(`      ${option}  `));
    assert.ok(row?.endsWith(` ${notes}`), `${name} ${option}: ${row}`);
  }
});

test("bench/run.mjs refuses what `margin-core bench` refuses, in the same words", async () => {
  for (const args of [["--accounts", "10000001"], ["--accounts", "0"], ["--accounts", "1e6"], ["--seed", "2147483648"], ["--seed", "-1"]]) {
    const direct = script("run.mjs", ...args), throughCli = await cli("bench", ...args);
    assertRefused(direct, SCRIPTS["run.mjs"], args.join(" "));
    const detail = / at argv: (.*)\n$/.exec(throughCli.stderr)?.[1];
    assert.ok(detail?.startsWith(`${args[0]} must be an integer in [`), throughCli.stderr);
    assert.ok(direct.stderr.startsWith(`error: ${detail} (usage: `), `${direct.stderr} against ${throughCli.stderr}`);
  }
});

test("a negative, malformed or out-of-range number names the option and its range", () => {
  for (const [args, message] of [
    [["--max-time", "-1"], "--max-time must be a number in [0.001, 3600]"],
    [["--max-time=-1"], "--max-time must be a number in [0.001, 3600]"],
    [["--max-time", "0"], "--max-time must be a number in [0.001, 3600]"],
    [["--max-time", "1.5.2"], "--max-time must be a number in [0.001, 3600]"],
    [["--twin-sample", "-5"], "--twin-sample must be an integer in [1, 10000000]"],
    [["--twin-sample", "0.5"], "--twin-sample must be an integer in [1, 10000000]"],
  ]) {
    const run = script("run.mjs", ...args);
    assertRefused(run, SCRIPTS["run.mjs"], args.join(" "));
    assert.ok(run.stderr.startsWith(`error: ${message} (usage: `), run.stderr);
  }
});

test.run();
