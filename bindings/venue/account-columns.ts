// The bulk-load format of `MarginEngine.loadColumns`: accounts in compressed-sparse-row form.
// Instrument and asset indices refer to the engine's definition order (`instrumentIndex`, `assetIndex`).
import { MAX_ACCOUNTS, MAX_ROWS, type STAGED_FIELDS } from "../core/constants.generated.js";
import { fail } from "../core/errors.js";
import { asId, asObject, isId, onlyKeys } from "../core/json.js";

export interface AccountColumns {
  count: number;
  /** Account ids; when omitted, account i is `acc-${i}`. */
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
 * `checkSize` judges the batch's size once the offsets give it.
 */
export function checkAccountColumns(value: unknown, checkSize?: (size: { accounts: number; positions: number; collaterals: number }) => void): AccountColumns {
  const columns = onlyKeys(asObject(value, "columns"), "columns", COLUMN_KEYS) as unknown as AccountColumns;
  const n = columns.count;
  if (typeof n !== "number" || !Number.isInteger(n) || n < 0 || n > MAX_ACCOUNTS) fail("OUT_OF_RANGE", "columns.count", `must be an integer in [0, ${MAX_ACCOUNTS}]`);
  expectColumn(columns.mode, Uint8Array, n, "columns.mode");
  expectColumn(columns.parent, Int32Array, n, "columns.parent");
  expectColumn(columns.positionOffsets, Uint32Array, n + 1, "columns.positionOffsets");
  expectColumn(columns.collateralOffsets, Uint32Array, n + 1, "columns.collateralOffsets");
  for (const name of ["positionOffsets", "collateralOffsets"] as const) {
    const offsets = columns[name];
    if (offsets[0] !== 0) fail("MALFORMED", `columns.${name}[0]`, "offsets start at 0");
    for (let a = 0; a < n; a++) if (offsets[a + 1] < offsets[a]) fail("MALFORMED", `columns.${name}[${a}]`, "offsets never fall: this one is past the next");
  }
  const positions = columns.positionOffsets[n], collaterals = columns.collateralOffsets[n];
  if (positions > MAX_ROWS) fail("OUT_OF_RANGE", "columns.positionOffsets", `more than ${MAX_ROWS} positions in one load`);
  if (collaterals > MAX_ROWS) fail("OUT_OF_RANGE", "columns.collateralOffsets", `more than ${MAX_ROWS} collateral balances in one load`);
  // the size is judged before the rows: a load too large to hold is refused whatever its rows
  checkSize?.({ accounts: n, positions, collaterals });
  expectColumn(columns.positionInstrument, Uint16Array, positions, "columns.positionInstrument");
  expectColumn(columns.positionLots, Int32Array, positions, "columns.positionLots");
  expectColumn(columns.positionEntry, BigInt64Array, positions, "columns.positionEntry");
  expectColumn(columns.collateralAsset, Uint8Array, collaterals, "columns.collateralAsset");
  expectColumn(columns.collateralAmount, BigInt64Array, collaterals, "columns.collateralAmount");
  if (columns.ids !== undefined && columns.ids !== null) {
    if (!Array.isArray(columns.ids) || columns.ids.length !== n) fail("MALFORMED", "columns.ids", `expected an array of ${n} ids`);
    const seen = new Set<string>(), ids = columns.ids;
    // an index loop, not forEach: a sparse array's holes must be read (and refused) too
    for (let a = 0; a < n; a++) {
      const id = ids[a];
      // the field path is built only for an error: this runs once per account of a bulk load
      if (!isId(id)) asId(id, `columns.ids[${a}]`);
      if (seen.has(id)) fail("DUPLICATE_ID", `columns.ids[${a}]`, `account "${id}" appears twice`);
      seen.add(id);
    }
  }
  for (let a = 0; a < n; a++) {
    const p = columns.parent[a];
    if (p === -1) continue;
    if (p < 0 || p >= n || p === a) fail("MALFORMED", `columns.parent[${a}]`, "parent must be another account's index");
    if (columns.parent[p] !== -1) fail("MALFORMED", `columns.parent[${a}]`, "a sub-account cannot have sub-accounts");
  }
  return columns;
}

function expectColumn(array: unknown, type: { new (n: number): ArrayBufferView; name: string }, length: number, field: string): void {
  if (!(array instanceof type)) fail("MALFORMED", field, `expected a ${type.name}`);
  if ((array as unknown as ArrayLike<unknown>).length !== length) fail("MALFORMED", field, `expected ${length} elements`);
}
