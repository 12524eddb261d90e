// `margin-core generate`: a seeded synthetic venue as a venue file, streamed.
import { MarginEngine } from "../../engine.js";
import { generateVenue, MAX_SEED, MAX_SYNTHETIC_ACCOUNTS } from "../generate.js";
import { help, integerOption, type Command } from "./command.js";
import { writePagedJson } from "./paged-json.js";

export const generateCommand: Command = {
  summary: "a seeded synthetic venue as a venue file",
  usage: "margin-core generate --accounts N [--seed S] > venue.json",
  options: {
    ...help,
    accounts: { type: "string", value: "N", help: `accounts, 1 … ${MAX_SYNTHETIC_ACCOUNTS.toLocaleString("en-US")} (required)` },
    seed: { type: "string", value: "S", help: `random seed, 0 … ${MAX_SEED.toLocaleString("en-US")} (default 1; the same seed gives the same bytes)` },
  },
  positionals: 0,
  async run(values, _positionals, io) {
    const accounts = integerOption(values.accounts, "--accounts", 1, MAX_SYNTHETIC_ACCOUNTS, undefined);
    const seed = integerOption(values.seed, "--seed", 0, MAX_SEED, 1);
    const { venue, columns } = generateVenue({ accounts, seed });
    const engine = await MarginEngine.fromVenue({ ...venue, accounts: [] });
    // the file around its accounts, written before they are loaded; `"accounts":[]` can only be
    // that key, as a quote inside a JSON string is escaped
    const [head, tail] = JSON.stringify(engine.toVenue()).split('"accounts":[]');
    engine.loadColumns(columns);
    await writePagedJson(io.stdout, `${head}"accounts":[`, (offset, limit) => engine.venueAccounts({ offset, limit }), () => `]${tail}\n`);
  },
};
