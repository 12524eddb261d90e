// `margin-core demo`: the main job, a crash replayed with liquidations.
import { MAX_FUND } from "../../core/constants.generated.js";
import { formatDecimal, MONEY_SCALE, parseBounded, rangeText } from "../../core/decimal.js";
import { runDemo } from "../demo.js";
import { MAX_SEED, MAX_SYNTHETIC_ACCOUNTS } from "../generate.js";
import { help, integerOption, type Command } from "./command.js";
import { checkOutputPath, writeOutputFile } from "./output-file.js";

/** The fund's upper limit with thousands separators, from its exact decimal. */
const MAX_FUND_TEXT = BigInt(formatDecimal(MAX_FUND, MONEY_SCALE)).toLocaleString("en-US");

export const demoCommand: Command = {
  summary: "the main job: a synthetic venue of N accounts, margined, then a crash replayed tick by tick with liquidations",
  usage: "margin-core demo [--accounts N] [--seed S] [--ticks T] [--insurance-fund AMOUNT] [--json] [--report FILE.html]",
  options: {
    ...help,
    accounts: { type: "string", value: "N", help: `accounts in the synthetic venue, 1 … ${MAX_SYNTHETIC_ACCOUNTS.toLocaleString("en-US")} (default 1,000,000)` },
    seed: { type: "string", value: "S", help: `random seed, 0 … ${MAX_SEED.toLocaleString("en-US")} (default 1)` },
    ticks: { type: "string", value: "T", help: "ticks of 10 s in the crash replay, 1 … 10,000 (default 60)" },
    "insurance-fund": { type: "string", value: "AMOUNT", help: `the insurance fund at the start, in the settlement currency, 0 … ${MAX_FUND_TEXT} (default: 2 per account)` },
    json: { type: "boolean", help: "print the summary as JSON on stdout instead of a table (default: a table)" },
    report: { type: "string", value: "FILE.html", help: "also write a self-contained HTML report there (default: none); checked before the run" },
  },
  positionals: 0,
  async run(values, _positionals, io) {
    const fund = values["insurance-fund"];
    const reportPath = typeof values.report === "string" ? values.report : undefined;
    if (fund !== undefined) parseBounded(fund, MONEY_SCALE, "--insurance-fund", 0n, MAX_FUND, rangeText(0n, MAX_FUND, MONEY_SCALE));
    const options = {
      accounts: integerOption(values.accounts, "--accounts", 1, MAX_SYNTHETIC_ACCOUNTS, 1_000_000),
      seed: integerOption(values.seed, "--seed", 0, MAX_SEED, 1),
      ticks: integerOption(values.ticks, "--ticks", 1, 10_000, 60),
      insuranceFund: typeof fund === "string" ? fund : undefined,
      json: values.json === true,
      report: reportPath !== undefined,
      progress: io.stderr,
    };
    if (reportPath !== undefined) checkOutputPath(reportPath, "--report");
    const output = await runDemo(options);
    // the report first, so a failure to write it leaves nothing on stdout
    if (reportPath !== undefined) await writeOutputFile(reportPath, "--report", output.report!);
    io.stdout.write(output.summary);
    if (reportPath !== undefined) io.stderr.write(`report written to ${reportPath}\n`);
  },
};
