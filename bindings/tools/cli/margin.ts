// `margin-core margin`: every account's margin as one JSON document, streamed.
import { MarginEngine } from "../../engine.js";
import { help, readVenue, type Command, type Sink } from "./command.js";

export const marginCommand: Command = {
  summary: "margin, equity and status for every account of a venue file",
  usage: "margin-core margin VENUE.json",
  options: help,
  positionals: 1,
  async run(_values, [file], io) {
    const engine = await MarginEngine.fromVenue(readVenue(file));
    writeMarginJson(engine, io.stdout);
  },
};

/** Every account with its liquidation prices, then the totals; written chunk by chunk. */
function writeMarginJson(engine: MarginEngine, stdout: Sink): void {
  const accounts = engine.accounts({ liquidationPrices: true });
  const out: string[] = ['{"accounts":['];
  accounts.forEach((a, k) => out.push((k ? "," : "") + JSON.stringify(a)));
  const totals = engine.totals();
  out.push(`],"totals":${JSON.stringify({ equity: totals.equity, initialMargin: totals.initialMargin, maintenanceMargin: totals.maintenanceMargin, statusCounts: totals.statusCounts, greeks: totals.greeks })}}\n`);
  for (const chunk of out) stdout.write(chunk);
}
