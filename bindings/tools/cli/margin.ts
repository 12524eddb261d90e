// `margin-core margin`: every account's margin as one JSON document, streamed.
import { MarginEngine } from "../../engine.js";
import { help, readVenue, type Command } from "./command.js";

export const marginCommand: Command = {
  summary: "margin, equity and status for every account of a venue file",
  usage: "margin-core margin VENUE.json",
  options: help,
  positionals: 1,
  async run(_values, [file]) {
    const engine = await MarginEngine.fromVenue(readVenue(file));
    await writeMarginJson(engine, process.stdout);
  },
};

/** Accounts described at a time, and the characters gathered before a write. */
const PAGE = 1000;
const CHUNK = 1 << 16;

/**
 * Every account with its liquidation prices, then the totals: one JSON document, produced a
 * page of accounts at a time and written in chunks, waiting whenever the stream is full, so
 * memory stays bounded whatever the venue's size. A reader that goes away (EPIPE: `| head`)
 * ends the output quietly; any other stream error is thrown.
 */
async function writeMarginJson(engine: MarginEngine, out: NodeJS.WritableStream): Promise<void> {
  const stream = new ChunkWriter(out);
  let chunk = '{"accounts":[';
  for (let offset = 0; ; offset += PAGE) {
    const page = engine.accounts({ liquidationPrices: true, offset, limit: PAGE });
    for (let k = 0; k < page.length; k++) {
      chunk += (offset + k === 0 ? "" : ",") + JSON.stringify(page[k]);
      if (chunk.length >= CHUNK) {
        if (!(await stream.write(chunk))) return;
        chunk = "";
      }
    }
    if (page.length < PAGE) break;
  }
  const { equity, initialMargin, maintenanceMargin, statusCounts, greeks } = engine.totals();
  await stream.write(chunk + `],"totals":${JSON.stringify({ equity, initialMargin, maintenanceMargin, statusCounts, greeks })}}\n`);
}

/** Writes to a stream, waiting for it to drain when its buffer is full; watches it for errors throughout. */
class ChunkWriter {
  private error: (Error & { code?: string }) | null = null;

  constructor(private readonly out: NodeJS.WritableStream) {
    // kept for the life of the process: an error may arrive after the last write
    out.on("error", (error: Error) => { this.error = error; });
  }

  /** False once the reader is gone (EPIPE). */
  async write(text: string): Promise<boolean> {
    if (this.error === null && !this.out.write(text)) await this.drained();
    if (this.error?.code === "EPIPE") return false;
    if (this.error !== null) throw this.error;
    return true;
  }

  /** Resolves when the stream drains, closes or fails. */
  private drained(): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        for (const event of ["drain", "close", "error"]) this.out.off(event, done);
        resolve();
      };
      for (const event of ["drain", "close", "error"]) this.out.on(event, done);
    });
  }
}
