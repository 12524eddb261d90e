// `margin-core scenarios`: a portfolio account's scenario grid.
import { MarginEngine } from "../../engine.js";
import { help, readVenue, usageError, type Command } from "./command.js";

export const scenariosCommand: Command = {
  summary: "a portfolio account's scenario P&L grid per underlying, and the scenario that binds",
  usage: "margin-core scenarios VENUE.json --account ID",
  options: { ...help, account: { type: "string" } },
  positionals: 1,
  async run(values, [file]) {
    if (typeof values.account !== "string") usageError("--account is required");
    const engine = await MarginEngine.fromVenue(readVenue(file));
    process.stdout.write(JSON.stringify(engine.scenarios(values.account)) + "\n");
  },
};
