// Shape guards for values read from JSON: each returns the value typed, or fails naming the field.
import { MAX_ID_LENGTH } from "./constants.generated.js";
import { fail } from "./errors.js";

/** Array.isArray, or null for a revoked Proxy: every operation on one throws, so it is refused as no object and no array. */
function arrayOrRevoked(value: object): boolean | null {
  try {
    return Array.isArray(value);
  } catch {
    return null;
  }
}

/** An object that is not an array (plain or not: see notPlain), nor a revoked Proxy. */
export const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && arrayOrRevoked(value) === false;

/** An array (a Proxy of one included), never a revoked Proxy. */
export const isArray = (value: unknown): value is unknown[] =>
  typeof value === "object" && value !== null && arrayOrRevoked(value) === true;

export function asObject(value: unknown, field: string): Record<string, unknown> {
  if (!isObject(value)) fail("MALFORMED", field, "expected an object");
  const other = notPlain(value);
  if (other !== null) fail("MALFORMED", field, `expected an object, got ${other}`);
  return value as Record<string, unknown>;
}

/**
 * A row's members, own and inherited, copied with each read once: a parser that looks at a member
 * twice (whether it is there, then its value) sees one answer, whatever a getter would give next.
 */
export const asRecord = (value: unknown, field: string): Record<string, unknown> => copyMembers(asObject(value, field));

/** An object's enumerable members, own and inherited, each read once into a plain object. */
export function copyMembers(row: Record<string, unknown>): Record<string, unknown> {
  const copy: Record<string, unknown> = {};
  // defined, not assigned: an own "__proto__" key stays a key
  for (const key in row) Object.defineProperty(copy, key, { value: row[key], enumerable: true, writable: true, configurable: true });
  return copy;
}

/**
 * What an object that is not plain data is — a Promise, a Map, a Blob, bytes — with a hint, or
 * null for plain data (an object literal, JSON.parse's, a structured clone's, a class instance,
 * another realm's). Such an object holds no members of its own, and read as a record it would
 * pass for an empty one.
 */
export function notPlain(value: object): string | null {
  if (arrayOrRevoked(value) === null) return "a revoked Proxy";
  const kind = Object.prototype.toString.call(value).slice(8, -1);
  if (kind === "Object") return null;
  const hint = kind === "Promise" ? ": await it first" : typeof (value as { text?: unknown }).text === "function" ? ": read it first (await value.text())" : "";
  return `a ${kind}${hint}`;
}

/** The intrinsic getters of a typed array's kind and length: an own `length`, a swapped prototype or a Proxy cannot fake them. */
const TYPED_ARRAY = Object.getPrototypeOf(Uint8Array.prototype) as object;
const kindOf = Object.getOwnPropertyDescriptor(TYPED_ARRAY, Symbol.toStringTag)!.get as (this: unknown) => string | undefined;
const lengthOf = Object.getOwnPropertyDescriptor(TYPED_ARRAY, "length")!.get as (this: unknown) => number;

/** A typed array's kind ("Uint8Array", …) from its internal slots, running none of its code; undefined for anything else (a Proxy of one too). */
export const typedArrayKind = (value: unknown): string | undefined => kindOf.call(value);

/** The length of a value typedArrayKind names, from its internal slots (0 once its buffer is detached). */
export const typedArrayLength = (value: unknown): number => lengthOf.call(value);

const bufferOf = Object.getOwnPropertyDescriptor(TYPED_ARRAY, "buffer")!.get as (this: unknown) => ArrayBufferLike;
const byteOffsetOf = Object.getOwnPropertyDescriptor(TYPED_ARRAY, "byteOffset")!.get as (this: unknown) => number;

/**
 * A view of exactly `length` elements over the buffer of `value`, a typed array of `type`'s kind:
 * a view that tracks a resizable or growable buffer's length would follow it past what was judged.
 * An empty one is a new empty array (a detached buffer has a length of 0 and takes no view).
 */
export function fixedLengthView<T extends ArrayBufferView>(value: T, type: { new (length: number): T; new (buffer: ArrayBufferLike, byteOffset: number, length: number): T }, length: number): T {
  return length === 0 ? new type(0) : new type(bufferOf.call(value), byteOffsetOf.call(value), length);
}

export function asArray(value: unknown, field: string): unknown[] {
  if (!isArray(value)) fail("MALFORMED", field, "expected an array");
  return value;
}

/**
 * An array's first `length` elements copied by index, each read once. Unlike slice, map or
 * Array.from, it runs none of the caller's array's own code (a species constructor, an iterator)
 * and never asks its length again.
 */
export function copyElements(array: readonly unknown[], length = array.length): unknown[] {
  const copy = new Array<unknown>(length);
  for (let k = 0; k < length; k++) copy[k] = array[k];
  return copy;
}

/**
 * An array of at most `max` elements copied as copyElements copies it; a longer one is refused
 * (`more than max what` at `field`) before anything is copied: a sparse array's length costs its
 * maker nothing, a copy of it would cost the host its memory.
 */
export function copyAtMost(array: readonly unknown[], max: number, field: string, what: string): unknown[] {
  const length = array.length;
  checkCount(length, max, what, field);
  return copyElements(array, length);
}

/** Refuses a count of `what` (their plural noun) past `max`, at `field`: a list, or the row an upsert adds. */
export function checkCount(count: number, max: number, what: string, field = what): void {
  if (count > max) fail("OUT_OF_RANGE", field, `more than ${max} ${what}`);
}

/** An array of at most `max` elements, copied as copyAtMost copies it. */
export const asArrayCopy = (value: unknown, field: string, max: number, what: string): unknown[] => copyAtMost(asArray(value, field), max, field, what);

/** A non-empty string of at most MAX_ID_LENGTH characters. */
export const isId = (value: unknown): value is string => typeof value === "string" && value.length > 0 && value.length <= MAX_ID_LENGTH;

export function asId(value: unknown, field: string): string {
  if (!isId(value)) fail("MALFORMED", field, `expected a non-empty id string of at most ${MAX_ID_LENGTH} characters`);
  return value;
}

export function asBoolean(value: unknown, field: string): boolean {
  if (typeof value !== "boolean") fail("MALFORMED", field, "expected true or false");
  return value;
}

/**
 * Fails on a key the object does not define, naming it and the keys it may have: a misspelt
 * option or a field this call does not take must not pass unseen. Returns a plain copy of the
 * members it may have (those not undefined).
 */
export function onlyKeys(row: Record<string, unknown>, field: string, allowed: readonly string[], hint = ""): Record<string, unknown> {
  for (const key of Object.keys(row)) {
    if (!allowed.includes(key)) fail("MALFORMED", `${field}.${key}`, `not a field of ${field} (it takes ${allowed.join(", ")})${hint}`);
  }
  // each member read once: what is judged is what is used, whatever a getter would answer next
  const copy: Record<string, unknown> = {};
  for (const key of allowed) {
    const value = row[key];
    if (value !== undefined) copy[key] = value;
  }
  return copy;
}

/** An options argument: absent or null means every default; anything else must be an object of the `allowed` keys. */
export function optionsOf(value: unknown, field: string, allowed: readonly string[]): Record<string, unknown> {
  if (value === undefined || value === null) return {};
  return onlyKeys(asObject(value, field), field, allowed);
}

/**
 * An optional count: absent or null is `absent`; anything else an integer ≥ 0, however large (a
 * count past what exists takes what exists), or Infinity: no bound.
 */
export function optionalCount(value: unknown, field: string, absent: number): number {
  if (value === undefined || value === null) return absent;
  if (typeof value !== "number" || !(Number.isInteger(value) || value === Infinity) || value < 0) fail("OUT_OF_RANGE", field, "expected an integer ≥ 0, or Infinity");
  return value;
}

