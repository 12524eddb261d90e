// Growth within the module's memory: before an edit that can allocate, the module says how many
// bytes it could need (its own columns and what reads then allocate, risk/headroom.ts), and blocks
// of that size are tried and freed (store/headroom.ts). A block memory cannot grow to hold traps
// before anything changed; the edit is then refused with OUT_OF_RANGE and the state is as it was.
import { fail } from "../core/errors.js";
import type { WasmExports } from "../module/wasm.js";

/** Probed blocks stay well under the allocator's largest block (1 GiB). */
const CHUNK = 256 * 2 ** 20;
/** Room for the small managed objects an edit allocates besides its columns. */
const SLACK = 64 * 1024;

export class MemoryGuard {
  constructor(private readonly wasm: WasmExports) {}

  /** Whether `bytes` more could be allocated now. */
  fits(bytes: number): boolean {
    if (bytes <= 0) return true;
    try {
      for (let left = bytes + SLACK; left > 0; left -= CHUNK) this.wasm.probeBlock(Math.min(left, CHUNK));
      return true;
    } catch (error) {
      if (error instanceof WebAssembly.RuntimeError) return false;
      throw error;
    } finally {
      this.wasm.releaseProbes();
    }
  }

  /** Refuses the edit, naming `field`, unless `bytes` more could be allocated now. */
  ensure(bytes: number, field: string): void {
    if (!this.fits(bytes)) {
      fail("OUT_OF_RANGE", field, `needs about ${Math.ceil(bytes / 2 ** 20)} MiB more wasm memory than the engine's maximumMemory allows`);
    }
  }
}
