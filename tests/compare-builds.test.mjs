// bench/compare-builds.mjs, the side-by-side comparison of two builds: run with the repository's
// build as both sides on a small venue, it prints one line per case with both medians and their
// ratio, finds the two builds' results identical and exits 0; --help prints its usage; a missing
// --base, a folder with no build, an unknown case or a bad count is one line on stderr and exit
// code 2.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const SCRIPT = fileURLToPath(new URL("../bench/compare-builds.mjs", import.meta.url));
const BUILD = fileURLToPath(new URL("../build", import.meta.url));
const compare = (...args) => spawnSync(process.execPath, [SCRIPT, ...args], { encoding: "utf8" });

test("each case gets both medians and their ratio, and the same build gives the same results", () => {
  const run = compare("--base", BUILD, "--accounts", "400", "--rounds", "1", "--cases", "tick,scattered,checked,cleared");
  assert.is(run.status, 0, run.stderr);
  const lines = run.stdout.trim().split("\n");
  assert.is(lines.length, 6, run.stdout);
  ["tick", "scattered", "checked", "cleared"].forEach((name, k) => {
    const parsed = /^(\w+) +this +([\d.]+) ms +base +([\d.]+) ms +this\/base ([\d.]+) +\((\d+) samples each\)$/.exec(lines[k]);
    assert.ok(parsed, lines[k]);
    assert.is(parsed[1], name);
    const [mine, theirs, ratio] = [parsed[2], parsed[3], parsed[4]].map(Number);
    assert.ok(mine > 0 && theirs > 0, lines[k]);
    // the medians are printed to 0.01 ms, the ratio (of the unrounded medians) to 0.001
    assert.ok(ratio >= (mine - 0.005) / (theirs + 0.005) - 0.0005 && ratio <= (mine + 0.005) / (theirs - 0.005) + 0.0005, lines[k]);
    assert.is(Number(parsed[5]), name === "cleared" ? 1 : 3);
  });
  assert.is(lines[4], "ticked engines' snapshots identical");
  assert.is(lines[5], "cleared reports identical");
});

test("--help prints the usage and exits 0", () => {
  const run = compare("--help");
  assert.is(run.status, 0, run.stderr);
  assert.match(run.stdout, /^usage: node bench\/compare-builds\.mjs --base DIR/);
});

test("a missing --base, a folder with no build, an unknown case or a bad count is one line and exit code 2", () => {
  for (const [args, message] of [
    [[], /--base is required/],
    [["--base", BUILD, "--cases", "tick,nope"], /--cases: unknown case nope/],
    [["--base", BUILD, "--rounds", "0"], /--rounds must be a positive integer, got 0/],
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
