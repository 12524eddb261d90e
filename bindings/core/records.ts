// Objects keyed by ids (greeks and liquidation prices per underlying, balances per asset) are
// plain data: "__proto__", "toString" or "hasOwnProperty" are ordinary keys there — stored as own
// properties, and read back as undefined when absent, since a record inherits none of them.
//
// A record's prototype holds only `constructor` (Object, not enumerable), so a record compares
// deeply equal to an object literal with the same entries (deep-equality helpers check that
// constructors match) and prints like one; a record made by Object.create(null) would not, and
// V8 keeps those in dictionary mode, slower to fill and to serialize for a record per account.
const RECORD_PROTOTYPE: object = Object.freeze(Object.create(null, {
  constructor: { value: Object },
  // Node's console shows a record as the object literal it equals (the symbol is no string key)
  [Symbol.for("nodejs.util.inspect.custom")]: {
    value(this: object, _depth: number, options: object, inspect: (value: unknown, options: object) => string) {
      return inspect({ ...this }, options);
    },
  },
}));

/** An empty object to be keyed by ids. */
export function idRecord<T>(): Record<string, T> {
  return Object.create(RECORD_PROTOTYPE) as Record<string, T>;
}

/** Stores `value` under `id` as an own, enumerable property, whatever the id. */
export function setId<T>(record: Record<string, T>, id: string, value: T): void {
  // "constructor" is read-only on the frozen prototype: an assignment would fail
  if (id === "constructor") Object.defineProperty(record, id, { value, writable: true, enumerable: true, configurable: true });
  else record[id] = value;
}
