// The command line run in-process through the exact code path of bin/margin-core.js: runCli with
// stdout and stderr collected.
import { runCli } from "../../build/cli.js";

export async function cli(...args) {
  let stdout = "", stderr = "";
  const status = await runCli(args, { stdout: { write: (s) => { stdout += s; } }, stderr: { write: (s) => { stderr += s; } } });
  return { status, stdout, stderr };
}

/** `error: CODE at FIELD: detail`, one line, and nothing else on either stream. */
export const ERROR_LINE = /^error: [A-Z_]+ at [^\n]*: [^\n]*\n$/;
