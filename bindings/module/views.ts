// Typed-array views over the module's columns. Views are rebuilt only when linear memory has
// grown (its buffer changes) or a column moved (the module counts every move in a word of its
// memory), so reads and writes allocate nothing and call nothing per access.
import { Col, COLUMN_COUNT, COLUMN_SHIFTS } from "./layout.generated.js";
import type { WasmExports } from "./wasm.js";

export { Col };

export class ColumnViews {
  private buffer: ArrayBuffer | undefined;
  /** The module's layout version, viewed over the current buffer (a detached view reads undefined). */
  private versionWord = new Uint32Array(0);
  private version = -1;
  private readonly cache: Array<ArrayBufferView | undefined> = new Array(COLUMN_COUNT);

  constructor(private readonly wasm: WasmExports) {
    if (wasm.columnCount() !== COLUMN_COUNT) throw new Error("margin-core module and facade disagree on columns");
    for (let id = 0; id < COLUMN_COUNT; id++) {
      if (wasm.columnShift(id) !== COLUMN_SHIFTS[id]) throw new Error(`margin-core column ${id} has an unexpected element size`);
    }
  }

  /**
   * The cached view of a column while no column has moved and memory has not grown: the layout
   * version is read from memory, so a current view costs no call into the module.
   */
  private cached(id: Col): ArrayBufferView | undefined {
    if (this.versionWord[0] !== this.version) {
      const buffer = this.wasm.memory.buffer;
      if (buffer !== this.buffer) {
        this.buffer = buffer;
        this.versionWord = new Uint32Array(buffer, this.wasm.layoutVersionPointer() >>> 0, 1);
      }
      this.version = this.versionWord[0];
      this.cache.fill(undefined);
    }
    return this.cache[id];
  }

  // lengths by division: memory past 2 GiB overflows the int32 shift operators
  private made<T extends ArrayBufferView>(id: Col, make: (buffer: ArrayBuffer, ptr: number) => T): T {
    const buffer = this.buffer!;
    // pointers past 2 GiB arrive as negative i32s
    const view = make(buffer, this.wasm.columnPointer(id) >>> 0);
    this.cache[id] = view;
    return view;
  }

  i64(id: Col): BigInt64Array {
    return (this.cached(id) as BigInt64Array | undefined) ?? this.made(id, (b, p) => new BigInt64Array(b, p, Math.floor((b.byteLength - p) / 8)));
  }
  i32(id: Col): Int32Array {
    return (this.cached(id) as Int32Array | undefined) ?? this.made(id, (b, p) => new Int32Array(b, p, Math.floor((b.byteLength - p) / 4)));
  }
  u16(id: Col): Uint16Array {
    return (this.cached(id) as Uint16Array | undefined) ?? this.made(id, (b, p) => new Uint16Array(b, p, Math.floor((b.byteLength - p) / 2)));
  }
  u8(id: Col): Uint8Array {
    return (this.cached(id) as Uint8Array | undefined) ?? this.made(id, (b, p) => new Uint8Array(b, p, b.byteLength - p));
  }
}
