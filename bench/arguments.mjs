// Command-line options of the benchmark scripts, read with node:util's parseArgs: `--help` prints
// the usage, and a bad option or value is one line on stderr and exit code 2, never a stack trace.
import { parseArgs } from "node:util";

/** The scripts' option values; exits after the usage (`--help`) or an error line. */
export function benchOptions(usage, options) {
  let values;
  try {
    ({ values } = parseArgs({ options: { ...options, help: { type: "boolean", short: "h" } } }));
  } catch (error) {
    refuse(usage, error.message.split("\n")[0]);
  }
  if (values.help) {
    process.stdout.write(`usage: ${usage}\n`);
    process.exit(0);
  }
  return values;
}

/** Ends the script with one line naming what is wrong, and the usage. */
export function refuse(usage, message) {
  process.stderr.write(`error: ${message} (usage: ${usage})\n`);
  process.exit(2);
}
