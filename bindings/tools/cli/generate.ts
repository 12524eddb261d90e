// `margin-core generate`: a seeded synthetic venue as a venue file.
import { MarginEngine } from "../../engine.js";
import { generateVenue, MAX_SEED } from "../generate.js";
import { help, integerOption, type Command } from "./command.js";

export const generateCommand: Command = {
  summary: "a seeded synthetic venue as a venue file",
  usage: "margin-core generate --accounts N [--seed S] > venue.json",
  options: {
    ...help,
    accounts: { type: "string", value: "N", help: "accounts, 1 … 50,000,000 (required)" },
    seed: { type: "string", value: "S", help: "random seed, 0 … 2,147,483,647 (default 1; the same seed gives the same bytes)" },
  },
  positionals: 0,
  async run(values, _positionals, io) {
    const accounts = integerOption(values.accounts, "--accounts", 1, 50_000_000, undefined);
    const seed = integerOption(values.seed, "--seed", 0, MAX_SEED, 1);
    const { venue, columns } = generateVenue({ accounts, seed });
    const engine = await MarginEngine.fromVenue({ ...venue, accounts: [] });
    engine.loadColumns(columns);
    io.stdout.write(JSON.stringify(engine.toVenue()) + "\n");
  },
};
