// bench/compare-builds.mjs, the side-by-side comparison of two builds: run with the repository's
// build as both sides on a small venue, it prints one line per case with both medians and their
// ratio, finds the two builds' results identical and exits 0; --help prints its usage and every
// option with its range and default; a missing --base, a folder with no build, an unknown case or
// a bad count (out of the command line's range, for --accounts and --seed) is one line on stderr
// and exit code 2.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const SCRIPT = fileURLToPath(new URL("../bench/compare-builds.mjs", import.meta.url));
const BUILD = fileURLToPath(new URL("../build", import.meta.url));
// stopped after a minute, should a bad count start a comparison rather than be refused
const compare = (...args) => spawnSync(process.execPath, [SCRIPT, ...args], { encoding: "utf8", timeout: 60_000 });

test("each case gets both medians and their ratio, and the same build gives the same results", () => {
  const run = compare("--base", BUILD, "--accounts", "400", "--rounds", "1", "--cases", "tick,scattered,checked,cleared,accounts");
  assert.is(run.status, 0, run.stderr);
  const lines = run.stdout.trim().split("\n");
  assert.is(lines.length, 8, run.stdout);
  ["tick", "scattered", "checked", "cleared", "accounts"].forEach((name, k) => {
    const parsed = /^(\w+) +this +([\d.]+) ms +base +([\d.]+) ms +this\/base ([\d.]+) +\((\d+) samples each\)$/.exec(lines[k]);
    assert.ok(parsed, lines[k]);
    assert.is(parsed[1], name);
    const [mine, theirs, ratio] = [parsed[2], parsed[3], parsed[4]].map(Number);
    assert.ok(mine > 0 && theirs > 0, lines[k]);
    // the medians are printed to 0.01 ms, the ratio (of the unrounded medians) to 0.001
    assert.ok(ratio >= (mine - 0.005) / (theirs + 0.005) - 0.0005 && ratio <= (mine + 0.005) / (theirs - 0.005) + 0.0005, lines[k]);
    assert.is(Number(parsed[5]), name === "cleared" || name === "accounts" ? 1 : 3);
  });
  assert.is(lines[5], "ticked engines' snapshots identical");
  assert.is(lines[6], "cleared reports identical");
  assert.is(lines[7], "accounts() identical");
});

test("--help prints the usage and each option with its range and default, and exits 0", () => {
  const run = compare("--help");
  assert.is(run.status, 0, run.stderr);
  assert.match(run.stdout, /^usage: node bench\/compare-builds\.mjs --base DIR/);
  assert.match(run.stdout, /\n {6}--base DIR {2,}.*\(required\)\n/);
  assert.match(run.stdout, /\n {6}--accounts N {2,}.*\(1 … 10,000,000; default 100,000\)\n/);
  assert.match(run.stdout, /\n {6}--rounds R {2,}.*\(1 … 1,000; default 10\)\n/);
  assert.match(run.stdout, /\n {6}--cases CASE,… {2,}.*compacted \(default tick,btc,recompute,crash\)\n/);
});

test("a missing --base, a folder with no build, an unknown case or a bad count is one line and exit code 2", () => {
  for (const [args, message] of [
    [[], /--base is required/],
    [["--base", BUILD, "--cases", "tick,nope"], /--cases: unknown case nope/],
    [["--base", BUILD, "--rounds", "0"], /--rounds must be an integer in \[1, 1000\]/],
    [["--base", BUILD, "--accounts", "10000001"], /--accounts must be an integer in \[1, 10000000\]/],
    [["--base", BUILD, "--seed", "-1"], /--seed must be an integer in \[0, 2147483647\]/],
    [["--base", BUILD, "--bogus"], /bogus/],
    [["--base", fileURLToPath(new URL("../bench", import.meta.url))], /--base: .* holds no index\.js/],
  ]) {
    const run = compare(...args);
    assert.is(run.status, 2, args.join(" "));
    assert.is(run.stdout, "");
    assert.is(run.stderr.split("\n").length, 2, run.stderr);
    assert.match(run.stderr, message);
    assert.match(run.stderr, /^error: .*\(usage: node bench\/compare-builds\.mjs/);
  }
});

test.run();
