// The margin-core command line. Output is JSON on stdout; errors are one line on stderr,
// `error: CODE at FIELD: message`, with exit code 2. Each command lives in cli/.
import { parseArgs } from "node:util";
import { MarginError } from "../core/errors.js";
import { benchCommand } from "./cli/bench.js";
import { checkCommand } from "./cli/check.js";
import { usageError, type Command } from "./cli/command.js";
import { demoCommand } from "./cli/demo.js";
import { generateCommand } from "./cli/generate.js";
import { liquidationsCommand } from "./cli/liquidations.js";
import { marginCommand } from "./cli/margin.js";
import { scenariosCommand } from "./cli/scenarios.js";

const COMMANDS: Record<string, Command> = {
  margin: marginCommand,
  liquidations: liquidationsCommand,
  check: checkCommand,
  scenarios: scenariosCommand,
  generate: generateCommand,
  bench: benchCommand,
  demo: demoCommand,
};

function overview(): string {
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(10)} ${c.summary}`);
  return `usage: margin-core <command> [options]\n\ncommands:\n${lines.join("\n")}\n\nEach command takes --help.\n`;
}

async function main(argv: string[]): Promise<void> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    process.stdout.write(overview());
    return;
  }
  // an own key only: "constructor" or "__proto__" is an unknown command like any other
  const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!command) usageError(`unknown command "${name}"; try margin-core --help`);
  let parsed;
  try {
    parsed = parseArgs({ args: rest, options: command.options, allowPositionals: true, strict: true });
  } catch (error) {
    usageError((error as Error).message);
  }
  if (parsed.values.help) {
    process.stdout.write(`usage: ${command.usage}\n\n${command.summary}\n`);
    return;
  }
  if (parsed.positionals.length !== command.positionals) usageError(`usage: ${command.usage}`);
  await command.run(parsed.values, parsed.positionals);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof MarginError) {
    process.stderr.write(`error: ${error.code} at ${error.field}: ${error.detail}\n`);
    process.exitCode = 2;
    return;
  }
  throw error;
});
