// `margin-core margin`: every account's margin as one JSON document, streamed.
import { MarginEngine } from "../../engine.js";
import { help, readVenue, type Command, type Sink } from "./command.js";
import { offsetPages, writePagedJson } from "./paged-json.js";

export const marginCommand: Command = {
  summary: "margin, equity and status for every account of a venue file",
  usage: "margin-core margin VENUE.json",
  options: help,
  positionals: 1,
  async run(_values, [file], io) {
    const engine = await MarginEngine.fromVenue(readVenue(file));
    await writeMarginJson(engine, io.stdout);
  },
};

/** Every account with its liquidation prices, then the totals: one JSON document, streamed. */
async function writeMarginJson(engine: MarginEngine, out: Sink): Promise<void> {
  await writePagedJson(out, '{"accounts":[', offsetPages((offset, limit) => engine.accounts({ liquidationPrices: true, offset, limit })), () => {
    const { equity, initialMargin, maintenanceMargin, statusCounts, greeks } = engine.totals();
    return `],"totals":${JSON.stringify({ equity, initialMargin, maintenanceMargin, statusCounts, greeks })}}\n`;
  });
}
