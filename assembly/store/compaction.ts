// Lays out again, in account order, what a tick walks account by account: the books, the tick
// cache's slots and the exposure index. Trading moves a book that outgrows its room, and a slot
// that gains a price group, to its arena's end, and the tick then reads those accounts out of
// order (docs/performance.md, "Books moved by trading"); the arenas compact themselves only once
// their holes pass a quarter or a half. Results are unchanged: every slot keeps its contents.
import { arenasDense, compactArenas } from "./books";
import { compactCache } from "./cache";
import { exposureValid, rebuildExposure } from "./exposure";

/** Compacts books and slots in account order and rebuilds the exposure index without stale bits. */
export function compactLayout(): void {
  if (!arenasDense()) compactArenas();
  compactCache();
  if (exposureValid()) rebuildExposure();
}
