// Snapshot byte format: magic, a JSON header (reference data, ids, clocks), the account columns and
// high-water marks as little-endian sections (each 8-byte aligned and prefixed by its byte
// length), then the CRC-32 of everything before it. Reading checks the checksum first and then
// every header field's type, so damaged bytes are a MarginError, never a crash. (CRC-32 catches
// every burst of up to 32 bits and all but 2^-32 of other damage; it is no signature.)
import CRC32 from "crc-32";
import { fail } from "../core/errors.js";
import { asArray, asBoolean, asId, asObject, typedArrayKind, typedArrayLength } from "../core/json.js";
import { MAX_FUND, MAX_PRICE } from "../core/constants.generated.js";
import { MAX_TIME_MS, MIN_TIME_MS } from "../core/time.js";

// 03: indexes judged with a quorum of sources (docs/methodology.md §11); a 02 snapshot may hold a verdict without one
const MAGIC = "MCSNAP03";
const CHECKSUM_BYTES = 8;

/** Per underlying: the variance per day (f64), the last sample it used, and the range charged (1e9). */
export interface ScanState { variance: number; sampleIndex: bigint; sampleTime: number; range: bigint }

type Row = Record<string, unknown>;

export interface SnapshotHeader {
  now: number;
  /** The oracle clock (ms): the latest underlying price or settleExpired time accepted. */
  clock: number;
  settlement: string;
  params: Record<string, unknown>;
  insuranceFund: string;
  underlyings: (Row & { index: string; stale: boolean; priceTime: number; scan?: unknown })[];
  assets: (Row & { priceTime: number })[];
  instruments: (Row & { priceTime: number })[];
  accountIds: string[] | null;
  parents: [number, number][];
}

/**
 * Section element types, in the order the engine writes them: per account mode, position count
 * and collateral count; per position instrument, lots and entry; per balance asset and amount;
 * then the largest |lots| each instrument has held and the largest |amount| of each asset.
 */
const SECTION_TYPES = [
  Uint8Array, Uint8Array, Uint8Array, Uint16Array, Int32Array, BigInt64Array, Uint8Array, BigInt64Array, BigInt64Array, BigInt64Array,
] as const;

const align8 = (n: number) => (n + 7) & ~7;

export function encodeSnapshot(header: SnapshotHeader, sections: ArrayBufferView[]): Uint8Array {
  const json = new TextEncoder().encode(JSON.stringify(header));
  let size = 8 + 8 + align8(json.length);
  for (const s of sections) size += 8 + align8(s.byteLength);
  const out = new Uint8Array(size + CHECKSUM_BYTES);
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
  view.setUint32(size, CRC32.buf(out.subarray(0, size)) >>> 0, true);
  return out;
}

export function decodeSnapshot(given: unknown): { header: SnapshotHeader; sections: ArrayBufferView[] } {
  const notSnapshot = () => fail("MALFORMED", "snapshot", "not a margin-core snapshot (or one written by another version)");
  if (typedArrayKind(given) !== "Uint8Array" || typedArrayLength(given) < 16 + CHECKSUM_BYTES) notSnapshot();
  // read from a copy made through the bytes' internal slots: a Proxy, an own member or another
  // thread writing a shared buffer cannot show the checks one thing and the load another
  const bytes = new Uint8Array(given as Uint8Array);
  if (new TextDecoder().decode(bytes.subarray(0, 8)) !== MAGIC) notSnapshot();
  const body = bytes.length - CHECKSUM_BYTES;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  if (view.getUint32(body, true) !== CRC32.buf(bytes.subarray(0, body)) >>> 0 || view.getUint32(body + 4, true) !== 0) {
    fail("MALFORMED", "snapshot", "checksum mismatch: the bytes are damaged");
  }
  const read = (at: number, field: string) => {
    if (at + 8 > body) fail("MALFORMED", field, "snapshot is truncated");
    const length = view.getBigUint64(at, true);
    if (BigInt(at + 8) + length > BigInt(body)) fail("MALFORMED", field, "snapshot is truncated");
    return Number(length);
  };
  const jsonLength = read(8, "snapshot.header");
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(16, 16 + jsonLength)));
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
  if (at !== body) fail("MALFORMED", "snapshot", "unexpected bytes after the last section");
  return { header: checkHeader(parsed), sections };
}

/** Every header field's type and range; the reference rows themselves are checked as venue rows when loaded. */
function checkHeader(value: unknown): SnapshotHeader {
  const field = "snapshot.header";
  const header = asObject(value, field);
  const now = timeOf(header.now, `${field}.now`);
  const clock = timeOf(header.clock, `${field}.clock`);
  if (clock < now) fail("MALFORMED", `${field}.clock`, "the oracle clock starts at now");
  const insuranceFund = integerText(header.insuranceFund, `${field}.insuranceFund`, 0n, MAX_FUND);
  const rows = (key: string) => asArray(header[key], `${field}.${key}`).map((r, k) => ({ ...asObject(r, `${field}.${key}[${k}]`) }));
  const underlyings = rows("underlyings").map((u, k) => {
    const at = `${field}.underlyings[${k}]`;
    integerText(u.index, `${at}.index`, 1n, MAX_PRICE);
    asBoolean(u.stale, `${at}.stale`);
    // a print on an underlying moved the clock to it
    if (printTime(u.priceTime, `${at}.priceTime`, now) > clock) fail("MALFORMED", `${at}.priceTime`, "is after the oracle clock");
    return u as SnapshotHeader["underlyings"][number];
  });
  const priced = (key: "assets" | "instruments") => rows(key).map((r, k) => {
    printTime(r.priceTime, `${field}.${key}[${k}].priceTime`, now);
    return r as Row & { priceTime: number };
  });
  const ids = header.accountIds === null ? null : asArray(header.accountIds, `${field}.accountIds`).map((id, k) => asId(id, `${field}.accountIds[${k}]`));
  const parents = asArray(header.parents, `${field}.parents`).map((pair, k) => {
    const at = `${field}.parents[${k}]`;
    const values = asArray(pair, at);
    if (values.length !== 2 || !values.every((x) => Number.isSafeInteger(x))) fail("MALFORMED", at, "expected [child, parent] account indexes");
    return values as [number, number];
  });
  return {
    now, clock, settlement: asId(header.settlement, `${field}.settlement`), params: asObject(header.params, `${field}.params`),
    insuranceFund: insuranceFund.toString(), underlyings, assets: priced("assets"), instruments: priced("instruments"), accountIds: ids, parents,
  };
}

function timeOf(value: unknown, field: string, low = MIN_TIME_MS, high = MAX_TIME_MS): number {
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < low || value > high) fail("MALFORMED", field, `expected a time in whole ms in [${low}, ${high}]`);
  return value;
}

/** A row's last print: at or after now, as in a venue file. */
const printTime = (value: unknown, field: string, now: number) => timeOf(value, field, now);

function integerText(value: unknown, field: string, low: bigint, high: bigint): bigint {
  if (typeof value !== "string" || !/^-?\d{1,40}$/.test(value)) fail("MALFORMED", field, "expected an integer string");
  const n = BigInt(value);
  if (n < low || n > high) fail("MALFORMED", field, `outside [${low}, ${high}]`);
  return n;
}

/** A scan state read back from a snapshot header (bigints travel as decimal strings); its sample was taken by the oracle `clock`. */
export function restoreScan(value: unknown, field: string, clock: number): ScanState | undefined {
  if (value === undefined) return undefined;
  const row = asObject(value, field);
  const integer = (text: unknown, name: string) => {
    if (typeof text !== "string" || !/^-?\d{1,40}$/.test(text)) fail("MALFORMED", `${field}.${name}`, "expected an integer string");
    return BigInt(text);
  };
  const finite = (x: unknown, name: string) => {
    if (typeof x !== "number" || !Number.isFinite(x) || x < 0) fail("MALFORMED", `${field}.${name}`, "expected a finite number ≥ 0");
    return x;
  };
  const state = {
    variance: finite(row.variance, "variance"), sampleIndex: integer(row.sampleIndex, "sampleIndex"),
    sampleTime: timeOf(row.sampleTime, `${field}.sampleTime`, MIN_TIME_MS, clock), range: integer(row.range, "range"),
  };
  if (state.sampleIndex < 1n || state.sampleIndex > MAX_PRICE) fail("MALFORMED", `${field}.sampleIndex`, "outside the price range");
  if (state.range < 0n || state.range > 1_000_000_000n) fail("MALFORMED", `${field}.range`, "outside [0, 1]");
  return state;
}
