// A growable flat array in linear memory. Columns hold the engine's state struct-of-arrays;
// the facade reads and writes them through typed-array views at `ptr`.

/** Counts moves of any column's storage: the facade re-takes its typed-array views when it changes. */
const layoutVersion = memory.data(4);

/** Where the layout version is kept (a u32), so the facade reads it without a call. */
export function layoutVersionPointer(): usize {
  return layoutVersion;
}

// @ts-ignore: decorator
@inline function storageMoved(): void {
  store<u32>(layoutVersion, load<u32>(layoutVersion) + 1);
}

export class Column {
  ptr: usize = 0;
  capacity: i32 = 0;

  constructor(public readonly elementShift: u32) {}

  /** Grows to hold at least `count` elements, keeping contents; new space is zeroed. */
  reserve(count: i32): void {
    if (count <= this.capacity) return;
    const next = grownCapacity(this.capacity, count);
    const oldBytes = <usize>this.capacity << this.elementShift;
    const newBytes = <usize>next << this.elementShift;
    this.ptr = this.ptr == 0 ? heap.alloc(newBytes) : heap.realloc(this.ptr, newBytes);
    memory.fill(this.ptr + oldBytes, 0, newBytes - oldBytes);
    this.capacity = next;
    storageMoved();
  }

  /** Drops the contents and holds exactly `count` zeroed elements. */
  resetTo(count: i32): void {
    if (this.ptr != 0) heap.free(this.ptr);
    this.ptr = 0;
    this.capacity = 0;
    if (count > 0) {
      const bytes = <usize>count << this.elementShift;
      this.ptr = heap.alloc(bytes);
      memory.fill(this.ptr, 0, bytes);
      this.capacity = count;
    }
    storageMoved();
  }

  /** Takes over another column's storage (the other is left empty). */
  adopt(other: Column): void {
    if (this.ptr != 0) heap.free(this.ptr);
    this.ptr = other.ptr;
    this.capacity = other.capacity;
    other.ptr = 0;
    other.capacity = 0;
    storageMoved();
  }
}

/** The capacity a column of `capacity` grows to for `count` elements: 1.5 times, at least `count` and 16. */
export function grownCapacity(capacity: i32, count: i32): i32 {
  let next = capacity + (capacity >> 1);
  if (next < count) next = count;
  if (next < 16) next = 16;
  return next;
}

// @ts-ignore: decorator
@inline export function i64At(base: usize, i: i32): i64 { return load<i64>(base + (<usize>i << 3)); }
// @ts-ignore: decorator
@inline export function setI64At(base: usize, i: i32, v: i64): void { store<i64>(base + (<usize>i << 3), v); }
// @ts-ignore: decorator
@inline export function i32At(base: usize, i: i32): i32 { return load<i32>(base + (<usize>i << 2)); }
// @ts-ignore: decorator
@inline export function setI32At(base: usize, i: i32, v: i32): void { store<i32>(base + (<usize>i << 2), v); }
// @ts-ignore: decorator
@inline export function u16At(base: usize, i: i32): i32 { return <i32>load<u16>(base + (<usize>i << 1)); }
// @ts-ignore: decorator
@inline export function setU16At(base: usize, i: i32, v: i32): void { store<u16>(base + (<usize>i << 1), <u16>v); }
// @ts-ignore: decorator
@inline export function u8At(base: usize, i: i32): i32 { return <i32>load<u8>(base + <usize>i); }
// @ts-ignore: decorator
@inline export function setU8At(base: usize, i: i32, v: i32): void { store<u8>(base + <usize>i, <u8>v); }
