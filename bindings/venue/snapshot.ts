// Snapshot byte format: magic, a JSON header (reference data and ids), then the account
// columns as little-endian sections, each 8-byte aligned and prefixed by its byte length.
import { fail } from "../core/errors.js";

const MAGIC = "MCSNAP01";

/** Per underlying: the variance per day (f64), the last sample it used, and the range charged (1e9). */
export interface ScanState { variance: number; sampleIndex: bigint; sampleTime: number; range: bigint }

export interface SnapshotHeader {
  now: number;
  settlement: string;
  params: Record<string, unknown>;
  insuranceFund: string;
  underlyings: (Record<string, unknown> & { index: string; stale: boolean; priceTime: number; scan?: unknown })[];
  assets: (Record<string, unknown> & { priceTime: number })[];
  instruments: (Record<string, unknown> & { priceTime: number })[];
  accountIds: string[] | null;
  parents: [number, number][];
}

/** Section element types, in the order the engine writes them. */
const SECTION_TYPES = [Uint8Array, Uint8Array, Uint8Array, Uint16Array, Int32Array, BigInt64Array, Uint8Array, BigInt64Array] as const;

const align8 = (n: number) => (n + 7) & ~7;

export function encodeSnapshot(header: SnapshotHeader, sections: ArrayBufferView[]): Uint8Array {
  const json = new TextEncoder().encode(JSON.stringify(header));
  let size = 8 + 8 + align8(json.length);
  for (const s of sections) size += 8 + align8(s.byteLength);
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  out.set(new TextEncoder().encode(MAGIC), 0);
  view.setBigUint64(8, BigInt(json.length), true);
  out.set(json, 16);
  let at = 16 + align8(json.length);
  for (const s of sections) {
    view.setBigUint64(at, BigInt(s.byteLength), true);
    out.set(new Uint8Array(s.buffer, s.byteOffset, s.byteLength), at + 8);
    at += 8 + align8(s.byteLength);
  }
  return out;
}

export function decodeSnapshot(bytes: Uint8Array): { header: SnapshotHeader; sections: ArrayBufferView[] } {
  if (!(bytes instanceof Uint8Array) || bytes.length < 16 || new TextDecoder().decode(bytes.subarray(0, 8)) !== MAGIC) {
    fail("MALFORMED", "snapshot", "not a margin-core snapshot");
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const read = (at: number, field: string) => {
    if (at + 8 > bytes.length) fail("MALFORMED", field, "snapshot is truncated");
    const length = Number(view.getBigUint64(at, true));
    if (at + 8 + length > bytes.length) fail("MALFORMED", field, "snapshot is truncated");
    return length;
  };
  const jsonLength = read(8, "snapshot.header");
  let header: SnapshotHeader;
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(16, 16 + jsonLength)));
  } catch {
    return fail("MALFORMED", "snapshot.header", "header is not valid JSON");
  }
  let at = 16 + align8(jsonLength);
  const sections = SECTION_TYPES.map((Type, k) => {
    const length = read(at, `snapshot.section[${k}]`);
    if (length % Type.BYTES_PER_ELEMENT !== 0) fail("MALFORMED", `snapshot.section[${k}]`, "section length is not whole elements");
    const copy = new Uint8Array(bytes.subarray(at + 8, at + 8 + length));
    at += 8 + align8(length);
    return new Type(copy.buffer, 0, length / Type.BYTES_PER_ELEMENT);
  });
  return { header, sections };
}

/** A scan state read back from a snapshot header (bigints travel as decimal strings). */
export function restoreScan(value: unknown, field: string): ScanState | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "object" || value === null) fail("MALFORMED", field, "expected an object");
  const row = value as Record<string, unknown>;
  const integer = (text: unknown, name: string) => {
    if (typeof text !== "string" || !/^-?\d+$/.test(text)) fail("MALFORMED", `${field}.${name}`, "expected an integer string");
    return BigInt(text);
  };
  const finite = (x: unknown, name: string) => {
    if (typeof x !== "number" || !Number.isFinite(x) || x < 0) fail("MALFORMED", `${field}.${name}`, "expected a finite number ≥ 0");
    return x;
  };
  return {
    variance: finite(row.variance, "variance"), sampleIndex: integer(row.sampleIndex, "sampleIndex"),
    sampleTime: finite(row.sampleTime, "sampleTime"), range: integer(row.range, "range"),
  };
}
