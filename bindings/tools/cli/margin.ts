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
    await writeMarginJson(engine, io.stdout);
  },
};

/** Accounts described at a time, and the characters gathered before a write. */
const PAGE = 1000;
const CHUNK = 1 << 16;

/**
 * Every account with its liquidation prices, then the totals: one JSON document, produced a
 * page of accounts at a time and written in chunks, waiting whenever the output is full, so
 * memory stays bounded whatever the venue's size. A reader that goes away (EPIPE: `| head`)
 * ends the run quietly (runCli).
 */
async function writeMarginJson(engine: MarginEngine, out: Sink): Promise<void> {
  let chunk = '{"accounts":[';
  for (let offset = 0; ; offset += PAGE) {
    const page = engine.accounts({ liquidationPrices: true, offset, limit: PAGE });
    for (let k = 0; k < page.length; k++) {
      chunk += (offset + k === 0 ? "" : ",") + JSON.stringify(page[k]);
      if (chunk.length >= CHUNK) {
        await write(out, chunk);
        chunk = "";
      }
    }
    if (page.length < PAGE) break;
  }
  const { equity, initialMargin, maintenanceMargin, statusCounts, greeks } = engine.totals();
  await write(out, chunk + `],"totals":${JSON.stringify({ equity, initialMargin, maintenanceMargin, statusCounts, greeks })}}\n`);
}

async function write(out: Sink, text: string): Promise<void> {
  if (out.write(text) === false) await out.drained?.();
}
