// `margin-core demo`: the main job, a crash replayed with liquidations.
import { MONEY_SCALE, parseBounded } from "../../core/decimal.js";
import { MAX_FUND } from "../../core/constants.generated.js";
import { runDemo } from "../demo.js";
import { help, integerOption, type Command } from "./command.js";

export const demoCommand: Command = {
  summary: "the main job: a synthetic venue of N accounts, margined, then a crash replayed tick by tick with liquidations",
  usage: "margin-core demo [--accounts N] [--seed S] [--ticks T] [--insurance-fund AMOUNT] [--json] [--report FILE.html]",
  options: {
    ...help, accounts: { type: "string" }, seed: { type: "string" }, ticks: { type: "string" }, report: { type: "string" },
    "insurance-fund": { type: "string" }, json: { type: "boolean" },
  },
  positionals: 0,
  async run(values) {
    const fund = values["insurance-fund"];
    if (fund !== undefined) parseBounded(fund, MONEY_SCALE, "--insurance-fund", 0n, MAX_FUND, "[0, 1000000000000]");
    await runDemo({
      accounts: integerOption(values.accounts, "--accounts", 1, 50_000_000, 1_000_000),
      seed: integerOption(values.seed, "--seed", 0, 2 ** 31 - 1, 1),
      ticks: integerOption(values.ticks, "--ticks", 1, 10_000, 60),
      report: typeof values.report === "string" ? values.report : undefined,
      insuranceFund: typeof fund === "string" ? fund : undefined,
      json: values.json === true,
    });
  },
};
