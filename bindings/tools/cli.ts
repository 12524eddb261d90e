// The margin-core command line. Output is JSON on stdout; errors are one line on stderr,
// `error: CODE at FIELD: message`, with exit code 2.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parseArgs, type ParseArgsConfig } from "node:util";
import { MarginEngine } from "../engine.js";
import { MarginError } from "../core/errors.js";
import { generateVenue } from "./generate.js";
import { runDemo } from "./demo.js";

interface Command {
  summary: string;
  usage: string;
  options: NonNullable<ParseArgsConfig["options"]>;
  positionals: number;
  run(values: Record<string, unknown>, positionals: string[]): Promise<void>;
}

const help = { help: { type: "boolean", short: "h" } } as const;

const COMMANDS: Record<string, Command> = {
  margin: {
    summary: "margin, equity and status for every account of a venue file",
    usage: "margin-core margin VENUE.json",
    options: help,
    positionals: 1,
    async run(_values, [file]) {
      const engine = await MarginEngine.fromVenue(readVenue(file));
      writeMarginJson(engine);
    },
  },
  liquidations: {
    summary: "the liquidation queue in order, with each entry's orders, fee and bankruptcy waterfall (nothing is applied)",
    usage: "margin-core liquidations VENUE.json [--limit N]",
    options: { ...help, limit: { type: "string" } },
    positionals: 1,
    async run(values, [file]) {
      const limit = values.limit === undefined ? undefined : integerOption(values.limit, "--limit", 0, 50_000_000, undefined);
      const engine = await MarginEngine.fromVenue(readVenue(file));
      process.stdout.write(JSON.stringify(engine.liquidationQueue({ limit })) + "\n");
    },
  },
  check: {
    summary: "pre-trade check of one order against an account (nothing is applied)",
    usage: "margin-core check VENUE.json --account ID --instrument ID --qty Q --price P",
    options: { ...help, account: { type: "string" }, instrument: { type: "string" }, qty: { type: "string" }, price: { type: "string" } },
    positionals: 1,
    async run(values, [file]) {
      for (const name of ["account", "instrument", "qty", "price"]) if (typeof values[name] !== "string") usageError(`--${name} is required`);
      const engine = await MarginEngine.fromVenue(readVenue(file));
      const order = { account: values.account as string, instrument: values.instrument as string, qty: values.qty as string, price: values.price as string };
      process.stdout.write(JSON.stringify(engine.checkOrder(order)) + "\n");
    },
  },
  scenarios: {
    summary: "a portfolio account's scenario P&L grid per underlying, and the scenario that binds",
    usage: "margin-core scenarios VENUE.json --account ID",
    options: { ...help, account: { type: "string" } },
    positionals: 1,
    async run(values, [file]) {
      if (typeof values.account !== "string") usageError("--account is required");
      const engine = await MarginEngine.fromVenue(readVenue(file));
      process.stdout.write(JSON.stringify(engine.scenarios(values.account)) + "\n");
    },
  },
  generate: {
    summary: "a seeded synthetic venue as a venue file",
    usage: "margin-core generate --accounts N [--seed S] > venue.json",
    options: { ...help, accounts: { type: "string" }, seed: { type: "string" } },
    positionals: 0,
    async run(values) {
      const accounts = integerOption(values.accounts, "--accounts", 1, 50_000_000, undefined);
      const seed = integerOption(values.seed, "--seed", 0, 2 ** 31 - 1, 1);
      const { venue, columns } = generateVenue({ accounts, seed });
      const engine = await MarginEngine.fromVenue({ ...venue, accounts: [] });
      engine.loadColumns(columns);
      process.stdout.write(JSON.stringify(engine.toVenue()) + "\n");
    },
  },
  bench: {
    summary: "the benchmark suite: medians of every case and ratios against baselines measured in the same run",
    usage: "margin-core bench [--accounts N] [--seed S] [--json]",
    options: { ...help, accounts: { type: "string" }, seed: { type: "string" }, json: { type: "boolean" } },
    positionals: 0,
    async run(values) {
      const accounts = integerOption(values.accounts, "--accounts", 1, 10_000_000, 1_000_000);
      const seed = integerOption(values.seed, "--seed", 0, 2 ** 31 - 1, 1);
      // the suite lives beside the package's build, with its baselines and the BigInt twin
      const script = fileURLToPath(new URL("../bench/run.mjs", import.meta.url));
      const args = [script, "--accounts", String(accounts), "--seed", String(seed), ...(values.json ? ["--json"] : [])];
      const run = spawnSync(process.execPath, args, { stdio: "inherit" });
      process.exitCode = run.status ?? 1;
    },
  },
  demo: {
    summary: "the main job: a synthetic venue of N accounts, margined, then a crash replayed tick by tick with liquidations",
    usage: "margin-core demo [--accounts N] [--seed S] [--ticks T] [--report FILE.html]",
    options: { ...help, accounts: { type: "string" }, seed: { type: "string" }, ticks: { type: "string" }, report: { type: "string" } },
    positionals: 0,
    async run(values) {
      await runDemo({
        accounts: integerOption(values.accounts, "--accounts", 1, 50_000_000, 1_000_000),
        seed: integerOption(values.seed, "--seed", 0, 2 ** 31 - 1, 1),
        ticks: integerOption(values.ticks, "--ticks", 1, 10_000, 60),
        report: typeof values.report === "string" ? values.report : undefined,
      });
    },
  },
};

function usageError(message: string): never {
  throw new MarginError("MALFORMED", "argv", message);
}

function integerOption(value: unknown, name: string, low: number, high: number, fallback: number | undefined): number {
  if (value === undefined) {
    if (fallback === undefined) usageError(`${name} is required`);
    return fallback;
  }
  const n = typeof value === "string" && /^\d+$/.test(value) ? Number(value) : NaN;
  if (!(n >= low && n <= high)) usageError(`${name} must be an integer in [${low}, ${high}]`);
  return n;
}

function readVenue(file: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch (error) {
    return usageError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}

/** Streams the margin JSON account by account, so a million accounts never form one string. */
function writeMarginJson(engine: MarginEngine): void {
  const accounts = engine.accounts({ liquidationPrices: true });
  const out: string[] = ['{"accounts":['];
  accounts.forEach((a, k) => out.push((k ? "," : "") + JSON.stringify(a)));
  const totals = engine.totals();
  out.push(`],"totals":${JSON.stringify({ equity: totals.equity, initialMargin: totals.initialMargin, maintenanceMargin: totals.maintenanceMargin, statusCounts: totals.statusCounts, greeks: totals.greeks })}}\n`);
  for (const chunk of out) process.stdout.write(chunk);
}

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
  const command = COMMANDS[name];
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
