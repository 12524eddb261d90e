// The command line's failure modes: every error one line with control characters
// escaped and exit code 2, missing files in plain words, bounded reads, a closed stdout, negative
// quantities, output paths checked first, standard accounts in `scenarios`, help and no arguments.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawnSync } from "node:child_process";
import { existsSync, lstatSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { cli, ERROR_LINE } from "./helpers/cli.mjs";

const BIN = new URL("../bin/margin-core.js", import.meta.url).pathname;
const EXAMPLE = new URL("../examples/venue.json", import.meta.url).pathname;
const VENUE = JSON.parse(readFileSync(EXAMPLE, "utf8"));
const dir = mkdtempSync(join(tmpdir(), "margin-core-cli-"));
let files = 0;
const file = (text) => {
  const path = join(dir, `v${files++}.json`);
  writeFileSync(path, typeof text === "string" ? text : JSON.stringify(text));
  return path;
};

function expectErrorLine(result, line) {
  assert.is(result.status, 2, result.stderr);
  assert.is(result.stdout, "");
  assert.match(result.stderr, ERROR_LINE);
  if (line instanceof RegExp) assert.match(result.stderr, line);
  else if (line !== undefined) assert.is(result.stderr, line + "\n");
}

test("echoed newlines and other control characters are escaped: one line per error", async () => {
  const value = structuredClone(VENUE);
  value.accounts[1].collateral.USD = "1\n2";
  expectErrorLine(await cli("margin", file(value)), 'error: INVALID_NUMBER at accounts[1].collateral.USD: "1\\n2" is not a decimal number');
  const key = structuredClone(VENUE);
  key.accounts[1].collateral["US\nD\u0007"] = "1";
  expectErrorLine(await cli("margin", file(key)), 'error: UNKNOWN_ID at accounts[1].collateral.US\\nD\\u0007: no asset "US\\nD\\u0007"');
  const id = structuredClone(VENUE);
  id.accounts[1].positions[0].instrument = "BTC\r\nPERP";
  expectErrorLine(await cli("margin", file(id)), /^error: UNKNOWN_ID at accounts\[1\]\.positions\[0\]\.instrument: no instrument "BTC\\r\\nPERP"\n$/);
  expectErrorLine(await cli("margin", file("// a comment\n{}")), /^error: MALFORMED at \$: not valid JSON: .*\\n/);
  expectErrorLine(await cli("check", EXAMPLE, "--account", "b\nob", "--instrument", "BTC-PERP", "--qty", "1", "--price", "1"), 'error: UNKNOWN_ID at order.account: no account "b\\nob"');
  expectErrorLine(await cli("no\tsuch"), /^error: MALFORMED at argv: unknown command "no\\tsuch"/);
});

test("a missing file is NOT_FOUND in plain words", async () => {
  expectErrorLine(await cli("margin", join(dir, "nope.json")), `error: NOT_FOUND at argv: no file "${join(dir, "nope.json")}"`);
  expectErrorLine(await cli("margin", dir), `error: MALFORMED at argv: "${dir}" is a directory, not a venue file`);
});

test("a venue file past the size limit is refused before it is read, devices included", async () => {
  const started = Date.now();
  expectErrorLine(await cli("margin", "/dev/zero"), 'error: OUT_OF_RANGE at argv: "/dev/zero" is larger than 268,435,456 bytes, the venue file limit');
  assert.ok(Date.now() - started < 20_000, "bounded read");
  const result = await cli("margin", "--help");
  assert.match(result.stdout, "at most 268,435,456 bytes");
});

test("a reader closing stdout early ends the run quietly with exit code 0", () => {
  const big = file(spawnSync(process.execPath, [BIN, "generate", "--accounts", "1000", "--seed", "2"], { encoding: "utf8", maxBuffer: 1 << 28 }).stdout);
  const run = spawnSync("bash", ["-c", `"${process.execPath}" "${BIN}" margin "${big}" | head -c 10 > /dev/null; echo "\${PIPESTATUS[0]}"`], { encoding: "utf8" });
  assert.is(run.stderr, "", "no stack trace");
  assert.is(run.stdout.trim(), "0");
});

test("check takes a negative quantity as a value; a negative price is a proper error", async () => {
  const sell = await cli("check", EXAMPLE, "--account", "bob", "--instrument", "BTC-PERP", "--qty", "-0.1", "--price", "65000");
  assert.is(sell.status, 0, sell.stderr);
  assert.equal(JSON.parse(sell.stdout), { accepted: true, reason: null, initialMarginBefore: "260.04", initialMarginAfter: "130.02", equityAfter: "301" });
  assert.equal(await cli("check", EXAMPLE, "--account", "bob", "--instrument", "BTC-PERP", "--qty=-0.1", "--price", "65000"), sell);
  expectErrorLine(await cli("check", EXAMPLE, "--account", "bob", "--instrument", "BTC-PERP", "--qty", "-0.1", "--price", "-1"), "error: OUT_OF_RANGE at order.price: -1 is outside (0, 10000000000]");
  expectErrorLine(await cli("check", EXAMPLE, "--account", "bob", "--instrument", "BTC-PERP", "--qty", "-.1", "--price", "1"), /^error: INVALID_NUMBER at order.qty/);
});

test("an output path is checked before any work", async () => {
  const started = Date.now();
  expectErrorLine(await cli("demo", "--accounts", "200", "--report", "/no/such/dir/x.html"), 'error: NOT_FOUND at --report: no directory "/no/such/dir" to write "/no/such/dir/x.html" in');
  expectErrorLine(await cli("demo", "--accounts", "200", "--report", dir), `error: MALFORMED at --report: "${dir}" is a directory`);
  expectErrorLine(await cli("demo", "--accounts", "200", "--report="), "error: MALFORMED at --report: expected a file path, got an empty one");
  // writable by its permission bits for root, but no file can be made there
  expectErrorLine(await cli("whatif", EXAMPLE, "--params", file({ optIm: "0.2" }), "--report", "/proc/x.html"), 'error: MALFORMED at --report: cannot write "/proc/x.html": no new file can be made beside it in "/proc" (no such file or directory)');
  // an existing file there too: the line does not say it is missing
  expectErrorLine(await cli("whatif", EXAMPLE, "--params", file({ optIm: "0.2" }), "--report", "/proc/version"), 'error: MALFORMED at --report: cannot write "/proc/version": no new file can be made beside it in "/proc" (no such file or directory)');
  // the probe runs first and leaves nothing behind when a later argument fails
  const probed = join(dir, "probed.html");
  expectErrorLine(await cli("whatif", join(dir, "missing.json"), "--params", file({ optIm: "0.2" }), "--report", probed), /^error: NOT_FOUND at argv/);
  assert.not.ok(existsSync(probed));
  // a link to a file not yet written is left as it is: neither removed nor its target made
  const link = join(dir, "link.html"), target = join(dir, "target.html");
  symlinkSync(target, link);
  expectErrorLine(await cli("whatif", join(dir, "missing.json"), "--params", file({ optIm: "0.2" }), "--report", link), /^error: NOT_FOUND at argv/);
  assert.ok(lstatSync(link).isSymbolicLink());
  assert.not.ok(existsSync(target));
  assert.ok(Date.now() - started < 5_000, "refused before the replay");
});

test("an option given twice is refused, not silently resolved to its last value", async () => {
  const check = ["check", EXAMPLE, "--account", "bob", "--instrument", "BTC-PERP", "--qty", "0.01"];
  assert.is((await cli(...check, "--price", "65000")).status, 0);
  expectErrorLine(await cli(...check, "--price", "65000", "--price", "1"), "error: MALFORMED at argv: --price is given more than once");
  expectErrorLine(await cli(...check, "--account", "alice", "--price", "65000"), "error: MALFORMED at argv: --account is given more than once");
});

test("scenarios on a standard account says so", async () => {
  expectErrorLine(await cli("scenarios", EXAMPLE, "--account", "bob"), /^error: MALFORMED at account: "bob" is a standard account/);
  const alice = await cli("scenarios", EXAMPLE, "--account", "alice");
  assert.is(alice.status, 0);
  assert.is(JSON.parse(alice.stdout).buckets.length, 1);
});

test("no arguments prints the overview on stderr and exits 2; --help lists every default and the signs", async () => {
  const none = await cli();
  assert.is(none.status, 2);
  assert.is(none.stdout, "");
  assert.match(none.stderr, /^usage: margin-core <command>/);
  const overview = await cli("--help");
  assert.is(overview.status, 0);
  assert.match(overview.stdout, "qty > 0 buys (long), < 0 sells (short); a negative collateral balance is a loan");
  const expected = {
    demo: ["(default 1,000,000)", "(default 1)", "(default 60)", "(default: none)"],
    bench: ["(default 1,000,000)", "(default 1)", "(default: a table)"],
    generate: ["(required)", "(default 1;"],
    liquidations: ["(default: all)"],
    check: ["> 0 buys, < 0 sells"],
  };
  for (const [command, defaults] of Object.entries(expected)) {
    const help = await cli(command, "--help");
    assert.is(help.status, 0);
    for (const text of defaults) assert.match(help.stdout, text, `${command}: ${text}`);
    assert.match(help.stdout, "negative collateral balance is a loan");
  }
});

test("whatif --crash whose ticks would run past the last time a price can carry is refused at --ticks before the replay", async () => {
  const late = structuredClone(VENUE);
  late.now = "9999-12-31T23:58:00Z";
  for (const source of late.underlyings[0].sources) source.time = "9999-12-31T23:57:00Z";
  for (const instrument of late.instruments) if (instrument.expiry) instrument.expiry = "9999-12-31T23:59:00Z";
  const venue = file(late), proposal = file({ optIm: "0.2" });
  // the clock 23:58:00: tick 0 at 23:58:10, tick 10 at 23:59:50, tick 11 at 23:60:00 would be past 9999
  const fits = await cli("whatif", venue, "--params", proposal, "--crash", "--ticks", "10");
  assert.is(fits.status, 0, fits.stderr);
  assert.is(JSON.parse(fits.stdout).crash.ticks, 10);
  expectErrorLine(await cli("whatif", venue, "--params", proposal, "--crash", "--ticks", "11"),
    "error: OUT_OF_RANGE at --ticks: 11 ticks of 10 s after the venue's clock, 9999-12-31T23:58:00.000Z, end past 9999-12-31T23:59:59.999Z; at most 10 fit");
});

test("the installed bin is a thin wrapper: same bytes, same exit code", async () => {
  for (const args of [["margin", EXAMPLE], ["margin", join(dir, "nope.json")], []]) {
    const spawned = spawnSync(process.execPath, [BIN, ...args], { encoding: "utf8" });
    const inProcess = await cli(...args);
    assert.equal({ status: spawned.status, stdout: spawned.stdout, stderr: spawned.stderr }, inProcess);
  }
});

test.run();
