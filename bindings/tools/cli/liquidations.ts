// `margin-core liquidations`: the liquidation queue as one pass would process it (nothing applied).
import { MAX_ACCOUNTS } from "../../core/constants.generated.js";
import { MarginEngine } from "../../engine.js";
import { help, integerOption, readVenue, type Command } from "./command.js";

export const liquidationsCommand: Command = {
  summary: "the liquidation queue in order, with each entry's orders, fee and bankruptcy waterfall (nothing is applied)",
  usage: "margin-core liquidations VENUE.json [--limit N]",
  options: { ...help, limit: { type: "string", value: "N", help: `queue entries to process, 0 … ${MAX_ACCOUNTS.toLocaleString("en-US")} (default: all)` } },
  positionals: 1,
  async run(values, [file], io) {
    const limit = values.limit === undefined ? undefined : integerOption(values.limit, "--limit", 0, MAX_ACCOUNTS, undefined);
    const engine = await MarginEngine.fromVenue(readVenue(file));
    io.stdout.write(JSON.stringify(engine.liquidationQueue({ limit })) + "\n");
  },
};
