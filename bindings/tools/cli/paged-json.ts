// One JSON document holding an array too large to build as one string (every account of a venue):
// its elements produced a page at a time and written in chunks, waiting whenever the output is
// full, so memory stays bounded whatever the venue's size.
import { writeWhenRoom, type Sink } from "./command.js";

/** Elements produced at a time, and the characters gathered before a write. */
const PAGE = 1000;
const CHUNK = 1 << 16;

/** The pages `page(offset, limit)` returns, PAGE elements at a time, until one comes back short. */
export function* offsetPages<T>(page: (offset: number, limit: number) => T[]): Generator<T[]> {
  for (let offset = 0; ; offset += PAGE) {
    const items = page(offset, PAGE);
    yield items;
    if (items.length < PAGE) return;
  }
}

/**
 * Writes `head`, the elements of each page as JSON, comma-separated, then `tail()` (called once
 * the last page is written). A page is produced only once the one before it has been handed to
 * the output (but for the last chunk under 64 K characters it leaves gathered), so a reader that
 * goes away (EPIPE: `| head`) ends the run through the sink (runCli) within a page or so.
 */
export async function writePagedJson(out: Sink, head: string, pages: Iterable<unknown[]>, tail: () => string): Promise<void> {
  let chunk = head, first = true;
  for (const items of pages) {
    for (const item of items) {
      chunk += (first ? "" : ",") + JSON.stringify(item);
      first = false;
      if (chunk.length >= CHUNK) {
        await writeWhenRoom(out, chunk);
        chunk = "";
      }
    }
  }
  await writeWhenRoom(out, chunk + tail());
}
