// The margin-core command line, callable in-process: runCli(argv, io) returns the exit code, and
// bin/margin-core.js is a thin wrapper around it. Output is JSON on stdout; every error is one
// line on stderr, `error: CODE at FIELD: detail` (control characters escaped), exit code 2,
// nothing on stdout. A reader closing stdout early (`| head`) ends the run quietly, exit 0; any
// other failure to write stdout is an error like the rest.
import { parseArgs, type ParseArgsConfig } from "node:util";
import { joinNegativeValues, parseArgsRefusal } from "./cli/arguments.js";
import { fail, MarginError, oneLine } from "../core/errors.js";
import { asArrayCopy } from "../core/json.js";
import { benchCommand } from "./cli/bench.js";
import { checkCommand } from "./cli/check.js";
import { SIGNS, usageError, VENUE_NOTE, type CliIo, type Command, type Sink } from "./cli/command.js";
import { demoCommand } from "./cli/demo.js";
import { generateCommand } from "./cli/generate.js";
import { liquidationsCommand } from "./cli/liquidations.js";
import { marginCommand } from "./cli/margin.js";
import { previewCommand } from "./cli/preview.js";
import { scenariosCommand } from "./cli/scenarios.js";
import { watchedStdout, OutputClosed } from "./cli/watched-stdout.js";
import { whatIfCommand } from "./cli/whatif.js";

export type { CliIo, Sink } from "./cli/command.js";
// the benchmark scripts read their options as the command line does
export { joinNegativeValues, parseArgsRefusal } from "./cli/arguments.js";

const COMMANDS: Record<string, Command> = {
  margin: marginCommand,
  liquidations: liquidationsCommand,
  check: checkCommand,
  scenarios: scenariosCommand,
  generate: generateCommand,
  bench: benchCommand,
  demo: demoCommand,
  preview: previewCommand,
  whatif: whatIfCommand,
};

const ERRORS = "Errors: one line on stderr, `error: CODE at FIELD: detail`, exit code 2, nothing on stdout.";

function overview(): string {
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(13)} ${c.summary}`);
  return `usage: margin-core <command> [options]\n\ncommands:\n${lines.join("\n")}\n\n` +
    `Each command takes --help (-h), which lists its options and their defaults; margin-core help COMMAND prints the same.\n${VENUE_NOTE}\n${SIGNS}\n${ERRORS}\n`;
}

function commandHelp(command: Command): string {
  const flags = Object.entries(command.options).map(([name, o]) => [`${o.short ? `-${o.short}, ` : "    "}--${name}${o.value ? ` ${o.value}` : ""}`, o.help]);
  // the descriptions in one column, two spaces at least after the longest flag
  const width = Math.max(24, ...flags.map(([flag]) => flag.length + 1));
  const rows = flags.map(([flag, text]) => `  ${flag.padEnd(width)} ${text}`);
  const notes = [command.positionals > 0 ? VENUE_NOTE : "", SIGNS, ERRORS].filter(Boolean).join("\n");
  return `usage: ${command.usage}\n\n${command.summary}\n\noptions:\n${rows.join("\n")}\n\n${notes}\n`;
}

function commandNamed(name: string): Command {
  if (!Object.hasOwn(COMMANDS, name)) usageError(`unknown command "${name}"; try margin-core --help`);
  return COMMANDS[name];
}

async function dispatch(argv: string[], io: CliIo): Promise<void> {
  const [name, ...rest] = argv;
  if (name === undefined) {
    io.stderr.write(overview());
    throw new NoArguments();
  }
  if (name === "--help" || name === "-h" || name === "help") {
    if (rest.length > 1 || rest[0]?.startsWith("-")) usageError(`usage: margin-core ${name} [COMMAND]`);
    io.stdout.write(rest.length === 0 ? overview() : commandHelp(commandNamed(rest[0])));
    return;
  }
  const command = commandNamed(name);
  const options: NonNullable<ParseArgsConfig["options"]> = {};
  for (const [key, o] of Object.entries(command.options)) options[key] = o.short ? { type: o.type, short: o.short } : { type: o.type };
  let parsed;
  try {
    parsed = parseArgs({ args: joinNegativeValues(rest, (option) => command.options[option]?.type === "string"), options, allowPositionals: true, strict: true, tokens: true });
  } catch (error) {
    usageError(parseArgsRefusal(error, `margin-core ${name} --help`));
  }
  // parseArgs keeps the last of a repeated option: a second --price would silently win
  const seen = new Set<string>();
  for (const token of parsed.tokens) {
    if (token.kind !== "option") continue;
    if (seen.has(token.name)) usageError(`--${token.name} is given more than once`);
    seen.add(token.name);
  }
  // too many positionals are refused with --help too; too few are not, since --help stands for the rest
  if (parsed.positionals.length > command.positionals) usageError(`usage: ${command.usage}`);
  if (parsed.values.help) {
    io.stdout.write(commandHelp(command));
    return;
  }
  if (parsed.positionals.length < (command.requiredPositionals ?? command.positionals)) usageError(`usage: ${command.usage}`);
  await command.run(parsed.values, parsed.positionals, io);
}

/** The most arguments the command line reads: far more than any command takes, and a sparse array's length is refused before it is copied. */
const MAX_ARGUMENTS = 10_000;

/** argv checked: an array of at most MAX_ARGUMENTS strings, copied as read. */
function argumentsOf(argv: unknown): string[] {
  const args = asArrayCopy(argv, "argv", MAX_ARGUMENTS, "arguments");
  args.forEach((arg, k) => {
    if (typeof arg !== "string") fail("MALFORMED", `argv[${k}]`, "expected a string");
  });
  return args as string[];
}

/** No command given: the overview went to stderr, and the exit code is 2. */
class NoArguments extends Error {}

/** The one line a refusal prints: a MarginError's message, anything else INTERNAL. */
function errorLine(error: unknown): string {
  if (error instanceof MarginError) return `error: ${error.message}`;
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return `error: INTERNAL at $: ${oneLine(message)}`;
}

/** Runs the command line on `argv` (without the program name); resolves to the exit code. */
export async function runCli(argv: string[], given?: { stdout?: Sink | null; stderr?: Sink | null } | null): Promise<number> {
  // a stream left out (or null) is the process's own
  const io: CliIo = { stdout: given?.stdout ?? process.stdout, stderr: given?.stderr ?? process.stderr };
  const stdout = watchedStdout(io.stdout);
  const stderr = io.stderr as Partial<NodeJS.WritableStream>;
  if (stderr !== (io.stdout as unknown) && typeof stderr.on === "function") stderr.on("error", () => {});
  try {
    await dispatch(argumentsOf(argv), { stdout: stdout.sink, stderr: io.stderr });
    await stdout.settle();
    return 0;
  } catch (error) {
    if (error instanceof OutputClosed || stdout.closed()) return 0;
    if (!(error instanceof NoArguments)) io.stderr.write(errorLine(error) + "\n");
    return 2;
  }
}
