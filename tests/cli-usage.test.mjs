// Command-line usage: option ranges as help and docs give them, checked before any work.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { cli } from "./helpers/cli.mjs";

test("demo takes the synthetic venue sizes that load whole, as bench and generate do, and says so", async () => {
  const started = Date.now();
  const tooMany = await cli("demo", "--accounts", "10000001");
  assert.equal(tooMany, { status: 2, stdout: "", stderr: "error: MALFORMED at argv: --accounts must be an integer in [1, 10000000]\n" });
  assert.ok(Date.now() - started < 1_000, "refused up front");
  for (const command of ["demo", "bench", "generate"]) assert.match((await cli(command, "--help")).stdout, "1 … 10,000,000");
});

test.run();
