// `margin-core bench`: the benchmark suite, run beside the package's build as a child process
// whose output is passed on to the command's own stdout and stderr.
import { spawn } from "node:child_process";
import { once } from "node:events";
import type { Readable } from "node:stream";
import { fileURLToPath } from "node:url";
import { MarginError } from "../../core/errors.js";
import { MAX_SEED, MAX_SYNTHETIC_ACCOUNTS } from "../generate.js";
import { help, integerOption, writeWhenRoom, type Command, type Sink } from "./command.js";

export const benchCommand: Command = {
  summary: "the benchmark suite: medians of every case and ratios against baselines measured in the same run",
  usage: "margin-core bench [--accounts N] [--seed S] [--json]",
  options: {
    ...help,
    accounts: { type: "string", value: "N", help: `accounts in the benchmark venue, 1 … ${MAX_SYNTHETIC_ACCOUNTS.toLocaleString("en-US")} (default 1,000,000)` },
    seed: { type: "string", value: "S", help: `random seed, 0 … ${MAX_SEED.toLocaleString("en-US")} (default 1)` },
    json: { type: "boolean", help: "print only the JSON report on stdout (default: a table)" },
  },
  positionals: 0,
  async run(values, _positionals, io) {
    const accounts = integerOption(values.accounts, "--accounts", 1, MAX_SYNTHETIC_ACCOUNTS, 1_000_000);
    const seed = integerOption(values.seed, "--seed", 0, MAX_SEED, 1);
    // the suite lives beside the package's build, with its baselines and the BigInt twin
    const script = fileURLToPath(new URL("../bench/run.mjs", import.meta.url));
    const args = [script, "--accounts", String(accounts), "--seed", String(seed), ...(values.json ? ["--json"] : [])];
    const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "pipe"] });
    const exit = once(child, "close");
    try {
      await Promise.all([passOn(child.stdout, io.stdout), passOn(child.stderr, io.stderr)]);
    } catch (error) {
      // stdout failed or its reader went away: the suite stops with it
      child.kill();
      throw error;
    }
    const [code, signal] = (await exit) as [number | null, NodeJS.Signals | null];
    if (code !== 0) throw new MarginError("MALFORMED", "bench", `the benchmark suite failed (exit ${code ?? signal})`);
  },
};

/** Everything `from` gives, written to `to`, reading no more while `to` is full. */
async function passOn(from: Readable, to: Sink): Promise<void> {
  from.setEncoding("utf8");
  for await (const chunk of from) {
    await writeWhenRoom(to, chunk as string);
  }
}
