// Command-line options of the benchmark scripts, read with node:util's parseArgs: `--help` prints
// the usage and every option with its meaning, range and default on stdout, exit code 0; a bad
// option or value is one line on stderr and exit code 2, never a stack trace.
import { parseArgs } from "node:util";
// the command line's limits on the synthetic venue, which `margin-core bench` checks before it runs bench/run.mjs
import { MAX_SEED, MAX_SYNTHETIC_ACCOUNTS } from "../build/generate.js";
import { joinNegativeValues, parseArgsRefusal } from "../build/cli.js";

/** `--accounts N`, as the command line takes it. */
export const accountsOption = (fallback, help = "accounts in the generated venue") => ({ value: "N", integer: [1, MAX_SYNTHETIC_ACCOUNTS], default: fallback, help });
/** `--seed S`, as the command line takes it. */
export const seedOption = { value: "S", integer: [0, MAX_SEED], default: 1, help: "random seed of the generated venue" };

/**
 * The option values of a script run as `command`, or the end of the script after its help or an
 * error line. Each option is `{ help, value?, default?, integer?: [low, high], number?: [low, high] }`:
 * without a `value` placeholder it is a flag (false unless given); with `integer` or `number` its
 * value is that number, checked against the range; otherwise the text given. Returns the values
 * and `refuse(message)`, which ends the script with an error line for checks of the script's own.
 */
export function benchOptions(command, options) {
  const usage = `${command} ${Object.entries(options).map(([name, o]) => (o.required ? flag(name, o) : `[${flag(name, o)}]`)).join(" ")}`;
  const refuse = (message) => {
    process.stderr.write(`error: ${message} (usage: ${usage})\n`);
    process.exit(2);
  };
  const config = { help: { type: "boolean", short: "h" } };
  for (const [name, o] of Object.entries(options)) config[name] = { type: o.value ? "string" : "boolean" };
  let values;
  try {
    ({ values } = parseArgs({ args: joinNegativeValues(process.argv.slice(2), (name) => Boolean(options[name]?.value)), options: config }));
  } catch (error) {
    refuse(parseArgsRefusal(error, `${command} --help`));
  }
  if (values.help) {
    process.stdout.write(helpText(usage, options));
    process.exit(0);
  }
  const read = {};
  for (const [name, o] of Object.entries(options)) {
    const text = values[name];
    if (!o.value) read[name] = text === true;
    else if (text === undefined && o.required) refuse(`--${name} is required: ${o.help}`);
    else if (text === undefined) read[name] = o.default;
    else if (o.integer) read[name] = integerIn(text, o.integer) ?? refuse(`--${name} must be an integer in [${o.integer.join(", ")}]`);
    else if (o.number) read[name] = numberIn(text, o.number) ?? refuse(`--${name} must be a number in [${o.number.join(", ")}]`);
    else read[name] = text;
  }
  return { values: read, refuse };
}

/** `text` as an integer within [low, high], read as the command line reads integers (digits only: no sign, exponent or space), else undefined. */
export const integerIn = (text, range) => inRange(text, /^\d+$/, range);
/** The same for a decimal number (digits and at most one point). */
const numberIn = (text, range) => inRange(text, /^(\d+\.?\d*|\.\d+)$/, range);

function inRange(text, form, [low, high]) {
  const n = form.test(text) ? Number(text) : NaN;
  return n >= low && n <= high ? n : undefined;
}

const flag = (name, o) => `--${name}${o.value ? ` ${o.value}` : ""}`;
const figure = (n) => (typeof n === "number" ? n.toLocaleString("en-US") : n);

function helpText(usage, options) {
  const rows = [["-h, --help", "this help"]];
  for (const [name, o] of Object.entries(options)) {
    const range = o.integer ?? o.number;
    const notes = [range?.map(figure).join(" … "), o.required ? "required" : o.value && `default ${figure(o.default)}`].filter(Boolean);
    rows.push([`    ${flag(name, o)}`, notes.length > 0 ? `${o.help} (${notes.join("; ")})` : o.help]);
  }
  const width = Math.max(...rows.map(([left]) => left.length)) + 2;
  return `usage: ${usage}\n\noptions:\n${rows.map(([left, text]) => `  ${left.padEnd(width)}${text}`).join("\n")}\n\n` +
    "A bad option or value: one line on stderr, `error: …`, exit code 2.\n";
}
