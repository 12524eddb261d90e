// One JSON document holding an array too large to build as one string (every account of a venue):
// its elements produced a page at a time and written in chunks, waiting whenever the output is
// full, so memory stays bounded whatever the venue's size.
import { writeWhenRoom, type Sink } from "./command.js";

/** Elements produced at a time, and the characters gathered before a write. */
const PAGE = 1000;
const CHUNK = 1 << 16;

/**
 * Writes `head`, the elements `page(offset, limit)` returns until a page comes back short, each
 * as JSON and comma-separated, then `tail()` (called once the last page is written). A reader
 * that goes away (EPIPE: `| head`) ends the run through the sink (runCli).
 */
export async function writePagedJson(out: Sink, head: string, page: (offset: number, limit: number) => unknown[], tail: () => string): Promise<void> {
  let chunk = head;
  for (let offset = 0; ; offset += PAGE) {
    const items = page(offset, PAGE);
    for (let k = 0; k < items.length; k++) {
      chunk += (offset + k === 0 ? "" : ",") + JSON.stringify(items[k]);
      if (chunk.length >= CHUNK) {
        await writeWhenRoom(out, chunk);
        chunk = "";
      }
    }
    if (items.length < PAGE) break;
  }
  await writeWhenRoom(out, chunk + tail());
}
