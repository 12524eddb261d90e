// A snapshot's header and body split apart, and put back together with a valid checksum: how
// tests forge the headers no engine writes (docs/api.md#snapshots has the layout).
import CRC32 from "crc-32";

export function splitSnapshot(bytes) {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const length = Number(view.getBigUint64(8, true));
  const padded = (length + 7) & ~7;
  return { header: new TextDecoder().decode(bytes.subarray(16, 16 + length)), rest: bytes.subarray(16 + padded, bytes.length - 8) };
}

export function joinSnapshot(headerText, rest) {
  const json = new TextEncoder().encode(headerText);
  const padded = (json.length + 7) & ~7;
  const out = new Uint8Array(16 + padded + rest.length + 8);
  const view = new DataView(out.buffer);
  out.set(new TextEncoder().encode("MCSNAP03"));
  view.setBigUint64(8, BigInt(json.length), true);
  out.set(json, 16);
  out.set(rest, 16 + padded);
  view.setUint32(out.length - 8, CRC32.buf(out.subarray(0, out.length - 8)) >>> 0, true);
  return out;
}

/** The snapshot `bytes` with its parsed header passed through `edit` (which changes it in place). */
export function withHeader(bytes, edit) {
  const { header, rest } = splitSnapshot(bytes);
  const parsed = JSON.parse(header);
  edit(parsed);
  return joinSnapshot(JSON.stringify(parsed), rest);
}
