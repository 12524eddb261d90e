// The bulk-load format of `MarginEngine.loadColumns`: accounts in compressed-sparse-row form.
// Instrument and asset indices refer to the engine's definition order (`instrumentIndex`, `assetIndex`).
import { MAX_ACCOUNTS, MAX_ROWS, type STAGED_FIELDS } from "../core/constants.generated.js";
import { fail } from "../core/errors.js";
import { asId, asObject, fixedLengthView, isArray, isId, onlyKeys, typedArrayKind, typedArrayLength } from "../core/json.js";

/** Account `a`'s id in columns loaded without ids. */
export const defaultAccountId = (a: number) => `acc-${a}`;

export interface AccountColumns {
  count: number;
  /** Account ids; when omitted, account i is `acc-${i}` (defaultAccountId). */
  ids?: string[];
  /** 0 standard, 1 portfolio. */
  mode: Uint8Array;
  /** Parent account index, or -1. */
  parent: Int32Array;
  /** Length count + 1: account i's positions are rows [positionOffsets[i], positionOffsets[i + 1]). */
  positionOffsets: Uint32Array;
  positionInstrument: Uint16Array;
  /** Signed whole lots, never 0. */
  positionLots: Int32Array;
  /** Entry price, raw at scale 1e8. */
  positionEntry: BigInt64Array;
  /** Length count + 1. */
  collateralOffsets: Uint32Array;
  collateralAsset: Uint8Array;
  /** Amount in asset units, raw at scale 1e8 (negative = a loan). */
  collateralAmount: BigInt64Array;
}

/** A staged column's name, as the module's validation reports it. */
export type StagedFieldName = (typeof STAGED_FIELDS)[number];

/** The keys an AccountColumns object may have (a misspelt `ids` must not leave every account unnamed). */
const COLUMN_KEYS: readonly string[] = [
  "count", "ids", "mode", "parent", "positionOffsets", "positionInstrument", "positionLots", "positionEntry",
  "collateralOffsets", "collateralAsset", "collateralAmount",
];

/**
 * Checks the columns' types, sizes, offsets, ids and parents: what can be judged without the
 * reference data (the module judges the rows' contents). Offsets must start at 0 and never fall.
 * `checkSize` judges the batch's size once the offsets give it. Returns the columns as judged:
 * each member read once, the ids copied as they are checked (before any column is judged) and the
 * parents copied, so a getter, a Proxy or a shared buffer cannot hand the load other values or
 * other lengths than the ones judged.
 * Errors name the columns under `root` (`columns`, or `snapshot` for a restore).
 */
export function checkAccountColumns(value: unknown, checkSize?: (size: { accounts: number; positions: number; collaterals: number }) => void, root = "columns"): AccountColumns {
  const given = onlyKeys(asObject(value, root), root, COLUMN_KEYS);
  const n = given.count;
  if (typeof n !== "number" || !Number.isInteger(n) || n < 0 || n > MAX_ACCOUNTS) fail("OUT_OF_RANGE", `${root}.count`, `must be an integer in [0, ${MAX_ACCOUNTS}]`);
  // the ids first: reading them is the last caller code to run, so no getter or Proxy trap can
  // resize or detach a column's buffer once its length has been judged
  const ids = given.ids === undefined || given.ids === null ? undefined : checkIds(given.ids, n, root);
  const columns = {
    count: n,
    mode: expectColumn(given.mode, Uint8Array, n, `${root}.mode`),
    // copied: the parents are judged here and kept by the facade, so a shared buffer changed after
    // the check cannot make another parent load (the other columns are judged in the module's copy)
    parent: new Int32Array(expectColumn(given.parent, Int32Array, n, `${root}.parent`)),
    positionOffsets: expectColumn(given.positionOffsets, Uint32Array, n + 1, `${root}.positionOffsets`),
    collateralOffsets: expectColumn(given.collateralOffsets, Uint32Array, n + 1, `${root}.collateralOffsets`),
  };
  for (const name of ["positionOffsets", "collateralOffsets"] as const) {
    const offsets = columns[name];
    if (offsets[0] !== 0) fail("MALFORMED", `${root}.${name}[0]`, "offsets start at 0");
    for (let a = 0; a < n; a++) if (offsets[a + 1] < offsets[a]) fail("MALFORMED", `${root}.${name}[${a}]`, "offsets never fall: this one is past the next");
  }
  const positions = columns.positionOffsets[n], collaterals = columns.collateralOffsets[n];
  if (positions > MAX_ROWS) fail("OUT_OF_RANGE", `${root}.positionOffsets`, `more than ${MAX_ROWS} positions in one load`);
  if (collaterals > MAX_ROWS) fail("OUT_OF_RANGE", `${root}.collateralOffsets`, `more than ${MAX_ROWS} collateral balances in one load`);
  // the size is judged before the rows: a load too large to hold is refused whatever its rows
  checkSize?.({ accounts: n, positions, collaterals });
  const rows = {
    positionInstrument: expectColumn(given.positionInstrument, Uint16Array, positions, `${root}.positionInstrument`),
    positionLots: expectColumn(given.positionLots, Int32Array, positions, `${root}.positionLots`),
    positionEntry: expectColumn(given.positionEntry, BigInt64Array, positions, `${root}.positionEntry`),
    collateralAsset: expectColumn(given.collateralAsset, Uint8Array, collaterals, `${root}.collateralAsset`),
    collateralAmount: expectColumn(given.collateralAmount, BigInt64Array, collaterals, `${root}.collateralAmount`),
  };
  for (let a = 0; a < n; a++) {
    const p = columns.parent[a];
    if (p === -1) continue;
    if (p < 0 || p >= n || p === a) fail("MALFORMED", `${root}.parent[${a}]`, "parent must be another account's index");
    if (columns.parent[p] !== -1) fail("MALFORMED", `${root}.parent[${a}]`, "a sub-account cannot have sub-accounts");
  }
  return { ...columns, ...rows, ...(ids === undefined ? {} : { ids }) };
}

/** A copy of `n` account ids, each read once, non-empty, at most the id length and unique. */
function checkIds(given: unknown, n: number, root: string): string[] {
  if (!isArray(given) || given.length !== n) fail("MALFORMED", `${root}.ids`, `expected an array of ${n} ids`);
  const seen = new Set<string>(), ids: string[] = [];
  // an index loop, not forEach: a sparse array's holes must be read (and refused) too
  for (let a = 0; a < n; a++) {
    const read: unknown = given[a];
    // the field path is built only for an error: this runs once per account of a bulk load
    const id = isId(read) ? read : asId(read, `${root}.ids[${a}]`);
    if (seen.has(id)) fail("DUPLICATE_ID", `${root}.ids[${a}]`, `account "${id}" appears twice`);
    seen.add(id);
    ids.push(id);
  }
  return ids;
}

function expectColumn<T extends ArrayBufferView>(array: unknown, type: { new (n: number): T; new (buffer: ArrayBufferLike, byteOffset: number, length: number): T; name: string }, length: number, field: string): T {
  if (typedArrayKind(array) !== type.name) fail("MALFORMED", field, `expected a ${type.name}`);
  if (typedArrayLength(array) !== length) fail("MALFORMED", field, `expected ${length} elements`);
  return fixedLengthView(array as T, type, length);
}
