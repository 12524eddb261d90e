// Typed-array views over the module's columns. Views are rebuilt only when linear memory has
// grown (its buffer changes) or a column moved, so reads and writes allocate nothing per call.
import { Col, COLUMN_COUNT, COLUMN_SHIFTS } from "./layout.generated.js";
import type { WasmExports } from "./wasm.js";

export { Col };

export class ColumnViews {
  private buffer: ArrayBuffer | undefined;
  private readonly pointers = new Array<number>(COLUMN_COUNT).fill(-1);
  private readonly cache: Array<ArrayBufferView | undefined> = new Array(COLUMN_COUNT);

  constructor(private readonly wasm: WasmExports) {
    if (wasm.columnCount() !== COLUMN_COUNT) throw new Error("margin-core module and facade disagree on columns");
    for (let id = 0; id < COLUMN_COUNT; id++) {
      if (wasm.columnShift(id) !== COLUMN_SHIFTS[id]) throw new Error(`margin-core column ${id} has an unexpected element size`);
    }
  }

  // lengths by division: memory past 2 GiB overflows the int32 shift operators
  private view<T extends ArrayBufferView>(id: Col, make: (buffer: ArrayBuffer, ptr: number) => T): T {
    const buffer = this.wasm.memory.buffer;
    // pointers past 2 GiB arrive as negative i32s
    const ptr = this.wasm.columnPointer(id) >>> 0;
    if (buffer !== this.buffer) {
      this.buffer = buffer;
      this.pointers.fill(-1);
    }
    if (this.pointers[id] !== ptr) {
      this.pointers[id] = ptr;
      this.cache[id] = make(buffer, ptr);
    }
    return this.cache[id] as T;
  }

  i64(id: Col): BigInt64Array {
    return this.view(id, (b, p) => new BigInt64Array(b, p, Math.floor((b.byteLength - p) / 8)));
  }
  i32(id: Col): Int32Array {
    return this.view(id, (b, p) => new Int32Array(b, p, Math.floor((b.byteLength - p) / 4)));
  }
  u16(id: Col): Uint16Array {
    return this.view(id, (b, p) => new Uint16Array(b, p, Math.floor((b.byteLength - p) / 2)));
  }
  u8(id: Col): Uint8Array {
    return this.view(id, (b, p) => new Uint8Array(b, p, b.byteLength - p));
  }
}
