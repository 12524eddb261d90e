// `margin-core generate`: a seeded synthetic venue as a venue file, streamed as it is drawn.
import { MarginEngine } from "../../engine.js";
import { generateVenueInBatches, MAX_SEED, MAX_SYNTHETIC_ACCOUNTS, type AccountBatch } from "../generate.js";
import { help, integerOption, type Command } from "./command.js";
import { writePagedJson } from "./paged-json.js";

/** Accounts drawn, loaded and written at a time: memory stays that of one batch, and a reader that leaves stops the next. */
const BATCH = 1000;

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
    const { venue, batches } = generateVenueInBatches({ accounts, seed }, BATCH);
    const engine = await MarginEngine.fromVenue({ ...venue, accounts: [] });
    // the file around its accounts; `"accounts":[]` can only be that key, as a quote inside a JSON string is escaped
    const [head, tail] = JSON.stringify(engine.toVenue()).split('"accounts":[]');
    await writePagedJson(io.stdout, `${head}"accounts":[`, venueAccounts(engine, batches), () => `]${tail}\n`);
  },
};

/** Each batch loaded alone (replacing the one before) and read back as the venue file writes it, with its parents named. */
function* venueAccounts(engine: MarginEngine, batches: Iterable<AccountBatch>): Generator<Record<string, unknown>[]> {
  for (const { columns, parents } of batches) {
    engine.loadColumns(columns);
    yield engine.venueAccounts().map((row, k) => {
      const parent = parents[k];
      if (parent === null) return row;
      // the key where toVenue() puts it, after the mode
      const { id, mode, ...rest } = row;
      return { id, mode, parent, ...rest };
    });
  }
}
