// `margin-core scenarios`: a portfolio account's scenario grid. A standard account has none: it is
// margined position by position, which `margin` shows, so asking for its grid is an error.
import { fail } from "../../core/errors.js";
import { MarginEngine } from "../../engine.js";
import { help, readVenue, requiredString, type Command } from "./command.js";

export const scenariosCommand: Command = {
  summary: "a portfolio account's scenario P&L grid per underlying, and the scenario that binds",
  usage: "margin-core scenarios VENUE.json --account ID",
  options: { ...help, account: { type: "string", value: "ID", help: "a portfolio-mode account (required; a standard account is an error)" } },
  positionals: 1,
  async run(values, [file], io) {
    const account = requiredString(values.account, "account");
    const engine = await MarginEngine.fromVenue(readVenue(file));
    const grid = engine.scenarios(account);
    if (engine.account(account).mode !== "portfolio") {
      fail("MALFORMED", "account", `"${account}" is a standard account, margined position by position (see margin); scenario grids are for portfolio accounts`);
    }
    io.stdout.write(JSON.stringify(grid) + "\n");
  },
};
