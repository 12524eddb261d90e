// `margin-core check`: the pre-trade check of one order (nothing applied).
import { MarginEngine } from "../../engine.js";
import { help, readVenue, requiredString, type Command } from "./command.js";

export const checkCommand: Command = {
  summary: "pre-trade check of one order against an account (nothing is applied)",
  usage: "margin-core check VENUE.json --account ID --instrument ID --qty Q --price P",
  options: {
    ...help,
    account: { type: "string", value: "ID", help: "the account placing the order (required)" },
    instrument: { type: "string", value: "ID", help: "the instrument traded (required)" },
    qty: { type: "string", value: "Q", help: "signed quantity in base units, whole lots: > 0 buys, < 0 sells (required; `--qty -0.1` sells 0.1)" },
    price: { type: "string", value: "P", help: "fill price; for an option, the premium per base unit (required)" },
  },
  positionals: 1,
  async run(values, [file], io) {
    const order = {
      account: requiredString(values.account, "account"), instrument: requiredString(values.instrument, "instrument"),
      qty: requiredString(values.qty, "qty"), price: requiredString(values.price, "price"),
    };
    const engine = await MarginEngine.fromVenue(readVenue(file));
    io.stdout.write(JSON.stringify(engine.checkOrder(order)) + "\n");
  },
};
