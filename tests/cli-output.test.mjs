// Where the command line's output goes: a failing stdout is an error, a reader that goes away is not.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawnSync } from "node:child_process";
import { closeSync, existsSync, openSync } from "node:fs";
import { Writable } from "node:stream";
import { runCli } from "../build/cli.js";

const BIN = new URL("../bin/margin-core.js", import.meta.url).pathname;
const EXAMPLE = new URL("../examples/venue.json", import.meta.url).pathname;

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

test("a reader gone (EPIPE) still ends the run quietly with exit code 0", async () => {
  assert.equal(await runInto(failing("EPIPE"), "margin", EXAMPLE), { status: 0, stderr: "" });
});

test.run();
