// Where the command line's output goes: a failing stdout is an error, a reader that goes away is not.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawn, spawnSync } from "node:child_process";
import { closeSync, existsSync, linkSync, lstatSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { runCli } from "../build/cli.js";

const BIN = new URL("../bin/margin-core.js", import.meta.url).pathname;
const EXAMPLE = new URL("../examples/venue.json", import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), "margin-core-output-"));
const PROPOSAL = join(dir, "proposal.json");
writeFileSync(PROPOSAL, JSON.stringify({ optIm: "0.2" }));

/** A stream whose every write fails with `code`. */
const failing = (code) => new Writable({ write(_chunk, _encoding, done) { done(Object.assign(new Error(code), { code })); } });

async function runInto(stdout, ...args) {
  let stderr = "";
  const status = await runCli(args, { stdout, stderr: { write: (s) => { stderr += s; } } });
  return { status, stderr };
}

test("a stdout that cannot be written is one error line at stdout and exit code 2", async () => {
  assert.equal(await runInto(failing("ENOSPC"), "margin", EXAMPLE), {
    status: 2, stderr: "error: MALFORMED at stdout: cannot write the output: no space left on the device\n",
  });
  assert.equal(await runInto(failing("EIO"), "liquidations", EXAMPLE), { status: 2, stderr: "error: MALFORMED at stdout: cannot write the output: EIO\n" });
  if (existsSync("/dev/full")) {
    const full = openSync("/dev/full", "w");
    const spawned = spawnSync(process.execPath, [BIN, "margin", EXAMPLE], { stdio: ["ignore", full, "pipe"], encoding: "utf8" });
    closeSync(full);
    assert.is(spawned.status, 2);
    assert.is(spawned.stderr, "error: MALFORMED at stdout: cannot write the output: no space left on the device\n");
  }
});

test("an argv runCli cannot take is one error line at argv, or at the argument that is no string", async () => {
  const run = async (argv) => {
    let stderr = "";
    const status = await runCli(argv, { stdout: { write: () => assert.unreachable("stdout") }, stderr: { write: (s) => { stderr += s; } } });
    return { status, stderr };
  };
  assert.equal(await run("margin"), { status: 2, stderr: "error: MALFORMED at argv: expected an array\n" });
  assert.equal(await run(["margin", 5]), { status: 2, stderr: "error: MALFORMED at argv[1]: expected a string\n" });
  assert.equal(await run(Array(10_001).fill("x")), { status: 2, stderr: "error: OUT_OF_RANGE at argv: more than 10000 arguments\n" });
});

test("a reader gone (EPIPE) still ends the run quietly with exit code 0", async () => {
  assert.equal(await runInto(failing("EPIPE"), "margin", EXAMPLE), { status: 0, stderr: "" });
});

test("--report through a dangling link: refused up front where its target's directory is missing, written through it otherwise", async () => {
  const missing = join(dir, "dangling.html");
  symlinkSync(join(dir, "nowhere", "x.html"), missing);
  const started = Date.now();
  let stderr = "";
  const refused = await runCli(["demo", "--accounts", "200", "--report", missing], { stdout: { write: () => assert.unreachable("stdout") }, stderr: { write: (s) => { stderr += s; } } });
  assert.is(refused, 2);
  assert.is(stderr, `error: NOT_FOUND at --report: no directory "${join(dir, "nowhere")}" to write "${missing}" in\n`);
  assert.ok(Date.now() - started < 2_000, "refused before the run");

  mkdirSync(join(dir, "reports"));
  const link = join(dir, "link.html");
  symlinkSync(join("reports", "r.html"), link);
  const run = spawnSync(process.execPath, [BIN, "whatif", EXAMPLE, "--params", PROPOSAL, "--report", link], { encoding: "utf8" });
  assert.is(run.status, 0, run.stderr);
  assert.is(run.stderr, `report written to ${link}\n`);
  assert.ok(lstatSync(link).isSymbolicLink(), "the link stays a link");
  assert.match(readFileSync(join(dir, "reports", "r.html"), "utf8"), /^<!doctype html>/i);
});

test("a report that fails to write keeps the old file, leaves no temporary file and nothing on stdout", () => {
  const old = join(dir, "old", "report.html");
  mkdirSync(join(dir, "old"));
  writeFileSync(old, "the old report");
  // a file size limit of 25 KiB: the what-if page (about 60 KB) passes it part way through (EFBIG)
  const run = spawnSync("bash", ["-c", `ulimit -f 50; exec "${process.execPath}" "$@"`, "bash", BIN, "whatif", EXAMPLE, "--params", PROPOSAL, "--report", old], { encoding: "utf8" });
  assert.is(run.status, 2);
  assert.is(run.stdout, "");
  assert.is(run.stderr, `error: MALFORMED at --report: cannot write "${old}": the file would pass the size limit\n`);
  assert.is(readFileSync(old, "utf8"), "the old report");
  assert.equal(readdirSync(join(dir, "old")), ["report.html"]);
});

test("Ctrl-C while the report is written but not yet renamed: the temporary file is removed, the old report kept, and the run ends by SIGINT", async () => {
  const folder = join(dir, "interrupted");
  mkdirSync(folder);
  const old = join(folder, "report.html");
  writeFileSync(old, "the old report");
  // the rename of the finished temporary file waits 3 s: the test interrupts the run then
  const slowRename = new URL("./helpers/slow-rename.mjs", import.meta.url).href;
  const child = spawn(process.execPath, ["--import", slowRename, BIN, "demo", "--accounts", "200", "--ticks", "3", "--report", old], { stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  child.stdout.on("data", (data) => { stdout += data; });
  const exited = new Promise((resolve) => child.on("exit", (code, signal) => resolve({ code, signal })));
  // the writability probe beside it comes and goes in a moment: a name listed may be gone when looked at
  const sizeOf = (name) => { try { return statSync(join(folder, name)).size; } catch { return 0; } };
  const written = () => readdirSync(folder).find((name) => name.endsWith(".tmp") && sizeOf(name) > 0);
  const started = Date.now();
  while (written() === undefined && child.exitCode === null && Date.now() - started < 60_000) await new Promise((resolve) => setTimeout(resolve, 20));
  assert.ok(written(), "the report was written beside its destination");
  child.kill("SIGINT");
  assert.equal(await exited, { code: null, signal: "SIGINT" });
  assert.equal(readdirSync(folder), ["report.html"], "no temporary file left");
  assert.is(readFileSync(old, "utf8"), "the old report");
  assert.is(stdout, "");
});

test("--report naming a file whatif reads (as given, through a link or a hard link) is refused up front and leaves it as it was", async () => {
  const inputs = join(dir, "inputs");
  mkdirSync(inputs);
  const venue = join(inputs, "venue.json"), proposal = join(inputs, "proposal.json");
  const venueText = readFileSync(EXAMPLE, "utf8"), proposalText = JSON.stringify({ optIm: "0.2" });
  writeFileSync(venue, venueText);
  writeFileSync(proposal, proposalText);
  symlinkSync("venue.json", join(inputs, "venue-link.html"));
  linkSync(proposal, join(inputs, "proposal-hard.html"));
  const refused = async (report, line) => {
    let stdout = "", stderr = "";
    const status = await runCli(["whatif", venue, "--params", proposal, "--report", report], { stdout: { write: (s) => { stdout += s; } }, stderr: { write: (s) => { stderr += s; } } });
    assert.equal({ status, stdout, stderr }, { status: 2, stdout: "", stderr: line + "\n" });
  };
  await refused(venue, `error: MALFORMED at --report: "${venue}" is the venue file "${venue}": the report would replace it`);
  await refused(proposal, `error: MALFORMED at --report: "${proposal}" is the params file "${proposal}": the report would replace it`);
  await refused(join(inputs, "venue-link.html"), `error: MALFORMED at --report: "${join(inputs, "venue-link.html")}" is the venue file "${venue}": the report would replace it`);
  await refused(join(inputs, "proposal-hard.html"), `error: MALFORMED at --report: "${join(inputs, "proposal-hard.html")}" is the params file "${proposal}": the report would replace it`);
  assert.is(readFileSync(venue, "utf8"), venueText);
  assert.is(readFileSync(proposal, "utf8"), proposalText);
  assert.ok(lstatSync(join(inputs, "venue-link.html")).isSymbolicLink());
  assert.equal(readdirSync(inputs).sort(), ["proposal-hard.html", "proposal.json", "venue-link.html", "venue.json"]);
});

test("in-process demo writes its progress and report line to the streams it is given, none to the process's", async () => {
  const report = join(dir, "demo.html");
  let stdout = "", stderr = "", processStderr = "";
  const write = process.stderr.write;
  process.stderr.write = (s) => { processStderr += s; return true; };
  let status;
  try {
    status = await runCli(["demo", "--accounts", "200", "--ticks", "5", "--report", report], { stdout: { write: (s) => { stdout += s; } }, stderr: { write: (s) => { stderr += s; } } });
  } finally {
    process.stderr.write = write;
  }
  assert.is(status, 0, stderr);
  assert.is(processStderr, "");
  assert.match(stdout, /^accounts +200$/m);
  assert.match(stderr, /^generate 200 accounts \(seed 1\)…\nload columns…\nrecompute margin \(standard and portfolio\)…\ncrash replay: 5 ticks of 10 s, /);
  assert.ok(stderr.endsWith(`report written to ${report}\n`), stderr);
});

test("--report at a socket is refused before the run, and a socket as a venue file is named in plain words", async () => {
  const path = join(dir, "report.sock");
  const server = createServer();
  await new Promise((resolve) => server.listen(path, resolve));
  try {
    let stdout = "", stderr = "";
    const status = await runCli(["demo", "--accounts", "200", "--ticks", "3", "--report", path], { stdout: { write: (s) => { stdout += s; } }, stderr: { write: (s) => { stderr += s; } } });
    assert.equal({ status, stdout, stderr }, { status: 2, stdout: "", stderr: `error: MALFORMED at --report: "${path}" is a socket, not a file, pipe or device to write\n` });
    const read = spawnSync(process.execPath, [BIN, "margin", path], { encoding: "utf8" });
    assert.equal({ status: read.status, stdout: read.stdout, stderr: read.stderr }, {
      status: 2, stdout: "", stderr: `error: MALFORMED at argv: cannot read "${path}": no such device or address (a socket, or a device not there)\n`,
    });
  } finally {
    server.close();
  }
});

test("demo's progress bar on a terminal never hides the cursor, so an interrupted run (Ctrl-C) leaves it visible", async () => {
  let drawn = "";
  const terminal = { isTTY: true, columns: 100, write: (s) => { drawn += s; return true; } };
  const status = await runCli(["demo", "--accounts", "200", "--ticks", "3", "--json"], { stdout: { write: () => true }, stderr: terminal });
  assert.is(status, 0, drawn);
  assert.match(drawn, "replay [");
  assert.match(drawn, "3/3 ticks");
  assert.not.match(drawn, "\x1b[?25l");
});

test("preview on a port in use is one error line at --port, exit code 2", async () => {
  const taken = createServer();
  await new Promise((resolve) => taken.listen(0, "127.0.0.1", resolve));
  const { port } = taken.address();
  let stdout = "", stderr = "";
  const status = await runCli(["preview", "--port", String(port)], { stdout: { write: (s) => { stdout += s; } }, stderr: { write: (s) => { stderr += s; } } });
  taken.close();
  assert.equal({ status, stdout, stderr }, { status: 2, stdout: "", stderr: `error: MALFORMED at --port: cannot listen on 127.0.0.1:${port}: the port is in use\n` });
});

test("--report takes any name its directory takes: a 250-character one is written, leaving no temporary file", async () => {
  const place = join(dir, "long");
  mkdirSync(place);
  const report = join(place, `${"r".repeat(245)}.html`);
  const { status, stderr } = await runInto({ write: () => {} }, "whatif", EXAMPLE, "--params", PROPOSAL, "--report", report);
  assert.equal({ status, stderr }, { status: 0, stderr: `report written to ${report}\n` });
  assert.equal(readdirSync(place), [`${"r".repeat(245)}.html`]);
});

test("runCli refuses an argv that is no array of strings on one line, exit code 2, and takes null streams as the process's", async () => {
  const sparse = ["margin"];
  sparse.length = 2 ** 32 - 1;
  const { proxy, revoke } = Proxy.revocable([], {});
  revoke();
  for (const [argv, line] of [
    [null, "error: MALFORMED at argv: expected an array"], [proxy, "error: MALFORMED at argv: expected an array"],
    [sparse, "error: OUT_OF_RANGE at argv: more than 10000 arguments"], [["margin", null], "error: MALFORMED at argv[1]: expected a string"],
  ]) {
    let stderr = "";
    const status = await runCli(argv, { stdout: { write: () => assert.unreachable("stdout") }, stderr: { write: (s) => { stderr += s; } } });
    assert.equal({ status, stderr }, { status: 2, stderr: `${line}\n` });
  }
  // null io, or a null stream in it, is the process's: a child process shows where each line goes
  const script = `import { runCli } from ${JSON.stringify(new URL("../build/cli.js", import.meta.url).href)};
process.exitCode = await runCli(["margin", "/no/such/venue.json"], null) + 10 * await runCli(["--help"], { stdout: null, stderr: null });`;
  const run = spawnSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8" });
  assert.is(run.status, 2);
  assert.is(run.stderr, 'error: NOT_FOUND at argv: no file "/no/such/venue.json"\n');
  assert.match(run.stdout, /^usage: margin-core/);
});

test.run();
