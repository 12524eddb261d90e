// `margin-core check`: the pre-trade check of one order (nothing applied).
import { MarginEngine } from "../../engine.js";
import { help, readVenue, usageError, type Command } from "./command.js";

export const checkCommand: Command = {
  summary: "pre-trade check of one order against an account (nothing is applied)",
  usage: "margin-core check VENUE.json --account ID --instrument ID --qty Q --price P",
  options: { ...help, account: { type: "string" }, instrument: { type: "string" }, qty: { type: "string" }, price: { type: "string" } },
  positionals: 1,
  async run(values, [file]) {
    for (const name of ["account", "instrument", "qty", "price"]) if (typeof values[name] !== "string") usageError(`--${name} is required`);
    const engine = await MarginEngine.fromVenue(readVenue(file));
    const order = { account: values.account as string, instrument: values.instrument as string, qty: values.qty as string, price: values.price as string };
    process.stdout.write(JSON.stringify(engine.checkOrder(order)) + "\n");
  },
};
