// Memory headroom, checked before the state grows. The facade asks for blocks of the sizes an
// edit could allocate; a block that memory cannot grow to hold traps inside the allocator before
// anything changed (these functions hold no managed references, so no shadow-stack frame is left
// behind), and the facade refuses the edit. Kept blocks are released afterwards either way.
const MAX_PROBES = 64;
const probes = memory.data(MAX_PROBES << alignof<usize>());
let held = 0;

/** Allocates a block of `bytes` and keeps it until releaseProbes (traps when memory cannot grow to hold it). */
export function probeBlock(bytes: usize): void {
  if (held == MAX_PROBES) return;
  const block = heap.alloc(bytes);
  store<usize>(probes + (<usize>held << alignof<usize>()), block);
  held++;
}

/** Frees every block probeBlock kept. */
export function releaseProbes(): void {
  for (let k = 0; k < held; k++) heap.free(load<usize>(probes + (<usize>k << alignof<usize>())));
  held = 0;
}
