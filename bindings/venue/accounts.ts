// Venue-file accounts → AccountColumns, checking ids, modes, parents and whole lots on the way.
// Limits that need the reference data (notional, collateral value) are checked by the module.
//
// One walk over the parsed accounts writes the columns directly. Quantities, entries and amounts
// take the exact number path of core/units.ts; anything it declines (more digits than a double
// holds exactly, or a value that is wrong) goes through the BigInt parser, which gives the exact
// value or the error. Field paths are built only for an error.
import { parseWithinLimits, PRICE_SCALE, rangeText } from "../core/decimal.js";
import { fail } from "../core/errors.js";
import { asArray, asArrayCopy, asId, asObject, copyAtMost, isArray, isId, isObject, notPlain } from "../core/json.js";
import { unitsOf, wordsOf, writeI64 } from "../core/units.js";
import {
  KIND_CALL, MAX_ACCOUNTS, MODE_PORTFOLIO, MODE_STANDARD, MAX_COLLATERAL_AMOUNT, MAX_LOTS, MAX_POSITIONS_PER_ACCOUNT, MAX_COLLATERAL_PER_ACCOUNT, MAX_ROWS,
} from "../core/constants.generated.js";
import type { AccountColumns, StagedFieldName } from "./account-columns.js";
import { parseFillPrice } from "./reference.js";

export interface Lookup {
  instrumentIndex: Map<string, number>;
  instrumentLotSize: (index: number) => bigint;
  /** KIND_*: an option's entry (its premium) may be 0. */
  instrumentKind: (index: number) => number;
  assetIndex: Map<string, number>;
}

export interface ParsedAccounts {
  columns: AccountColumns;
  /** Field path of a staged row, for errors the module reports. */
  fieldOf(column: StagedFieldName, row: number): string;
}


export function parseMode(value: unknown, field: string): number {
  if (value == null || value === "standard") return MODE_STANDARD;
  if (value === "portfolio") return MODE_PORTFOLIO;
  return fail("MALFORMED", field, 'expected "standard" or "portfolio"');
}

/** Whole lots of a base-unit quantity string. */
export function lotsOf(qty: unknown, lotSize: bigint, field: string): number {
  const raw = parseWithinLimits(qty, PRICE_SCALE, field);
  if (raw % lotSize !== 0n) fail("NOT_WHOLE_LOTS", field, `${qty} is not a whole number of lots`);
  const lots = raw / lotSize;
  if (lots > MAX_LOTS || lots < -MAX_LOTS) fail("OUT_OF_RANGE", field, `more than ${MAX_LOTS} lots`);
  return Number(lots);
}

const MAX_LOTS_NUMBER = Number(MAX_LOTS);
const MAX_AMOUNT_TEXT = rangeText(-MAX_COLLATERAL_AMOUNT, MAX_COLLATERAL_AMOUNT, PRICE_SCALE);

/** The collateral rows' columns, grown by doubling (how many balances a file holds is not known up front). */
class CollateralRows {
  count = 0;
  asset: Uint8Array;
  amount: BigInt64Array;
  private words: Int32Array;

  constructor(capacity: number) {
    this.asset = new Uint8Array(capacity);
    this.amount = new BigInt64Array(capacity);
    this.words = wordsOf(this.amount);
  }

  /** Appends a balance: `units` when exact as a double, else `raw`. */
  push(asset: number, units: number, raw: bigint): void {
    if (this.count === this.asset.length) this.grow();
    this.asset[this.count] = asset;
    if (units === units) writeI64(this.words, this.count, units);
    else this.amount[this.count] = raw;
    this.count++;
  }

  private grow(): void {
    const asset = new Uint8Array(this.asset.length * 2 + 16), amount = new BigInt64Array(asset.length);
    asset.set(this.asset);
    amount.set(this.amount);
    this.asset = asset;
    this.amount = amount;
    this.words = wordsOf(amount);
  }
}

export function parseVenueAccounts(value: unknown, lookup: Lookup): ParsedAccounts {
  // the rows and each account's positions copied as they are first read: a Proxy or a getter
  // answering otherwise later cannot pass the count checks and then load more
  const rows = asArrayCopy(value ?? [], "accounts", MAX_ACCOUNTS, "accounts");
  const n = rows.length;
  // Every row is an object, then every id is one, then no id is repeated: checked in that order.
  let positionRows = 0;
  const lists = new Array<unknown>(n);
  for (let a = 0; a < n; a++) {
    const account = rows[a];
    if (!isObject(account)) fail("MALFORMED", `accounts[${a}]`, "expected an object");
    const positions = account.positions;
    const list = isArray(positions) ? copyAtMost(positions, MAX_POSITIONS_PER_ACCOUNT, `accounts[${a}].positions`, "positions") : positions;
    lists[a] = list;
    if (isArray(list)) positionRows += list.length;
  }
  if (positionRows > MAX_ROWS) fail("OUT_OF_RANGE", "accounts", `more than ${MAX_ROWS} positions in one load`);
  const ids = new Array<string>(n);
  const indexOf = new Map<string, number>();
  let duplicate = -1;
  for (let a = 0; a < n; a++) {
    const id = (rows[a] as Record<string, unknown>).id;
    if (!isId(id)) asId(id, `accounts[${a}].id`);
    ids[a] = id as string;
    if (indexOf.has(id as string)) {
      if (duplicate < 0) duplicate = a;
    } else {
      indexOf.set(id as string, a);
    }
  }
  if (duplicate >= 0) fail("DUPLICATE_ID", `accounts[${duplicate}].id`, `account "${ids[duplicate]}" is defined twice`);

  const mode = new Uint8Array(n);
  const parent = new Int32Array(n).fill(-1);
  const positionOffsets = new Uint32Array(n + 1);
  const collateralOffsets = new Uint32Array(n + 1);
  const positionInstrument = new Uint16Array(positionRows);
  const positionLots = new Int32Array(positionRows);
  const positionEntry = new BigInt64Array(positionRows);
  const entryWords = wordsOf(positionEntry);
  const collateral = new CollateralRows(n);
  const { instrumentIndex, assetIndex } = lookup;
  // Lot sizes as doubles (at most 1e12 raw: exact), by instrument index.
  const lotSizes = new Float64Array(instrumentIndex.size);
  for (const i of instrumentIndex.values()) lotSizes[i] = Number(lookup.instrumentLotSize(i));
  let p = 0;

  for (let a = 0; a < n; a++) {
    const account = rows[a] as Record<string, unknown>;
    const modeName = account.mode;
    if (modeName != null) mode[a] = parseMode(modeName, `accounts[${a}].mode`);
    const parentId = account.parent;
    if (parentId != null) {
      const q = indexOf.get(isId(parentId) ? parentId : asId(parentId, `accounts[${a}].parent`));
      if (q === undefined) fail("UNKNOWN_ID", `accounts[${a}].parent`, `no account "${parentId}"`);
      if (q === a) fail("MALFORMED", `accounts[${a}].parent`, "an account cannot be its own parent");
      parent[a] = q;
    }
    const list = lists[a] ?? [];
    const positions = isArray(list) ? list : asArray(list, `accounts[${a}].positions`);
    for (let k = 0; k < positions.length; k++, p++) {
      const item = positions[k];
      const position = isObject(item) ? item : asObject(item, `accounts[${a}].positions[${k}]`);
      const instrumentId = position.instrument;
      const instrument = instrumentIndex.get(isId(instrumentId) ? instrumentId : asId(instrumentId, `accounts[${a}].positions[${k}].instrument`));
      if (instrument === undefined) fail("UNKNOWN_ID", `accounts[${a}].positions[${k}].instrument`, `no instrument "${instrumentId}"`);
      const lotSize = lotSizes[instrument];
      const qty = position.qty;
      const units = unitsOf(qty, PRICE_SCALE);
      let lots = units / lotSize;
      // A whole number of lots within the limit takes the number path; anything else is decided
      // (and named) by the exact BigInt path.
      if (!(units % lotSize === 0 && lots <= MAX_LOTS_NUMBER && lots >= -MAX_LOTS_NUMBER)) {
        lots = lotsOf(qty, lookup.instrumentLotSize(instrument), `accounts[${a}].positions[${k}].qty`);
      }
      if (lots === 0) fail("OUT_OF_RANGE", `accounts[${a}].positions[${k}].qty`, "a position must be non-zero");
      positionInstrument[p] = instrument;
      positionLots[p] = lots;
      const entry = position.entry;
      const entryUnits = unitsOf(entry, PRICE_SCALE);
      // a premium may be 0, any other entry is above it (parseFillPrice decides and names the rest);
      // the common entry above 0 takes the number path without looking the kind up
      if (entryUnits > 0 || (entryUnits === 0 && lookup.instrumentKind(instrument) >= KIND_CALL)) writeI64(entryWords, p, entryUnits);
      else positionEntry[p] = parseFillPrice(lookup.instrumentKind(instrument), entry, `accounts[${a}].positions[${k}].entry`);
    }
    positionOffsets[a + 1] = p;
    const given = account.collateral ?? {};
    // a Map, a Date or a Set has no own keys: taken as an object, it would load as no balances
    const balances = isObject(given) && notPlain(given) === null ? given : asObject(given, `accounts[${a}].collateral`);
    const keys = Object.keys(balances);
    for (const key of keys) {
      const asset = assetIndex.get(key);
      if (asset === undefined) fail("UNKNOWN_ID", `accounts[${a}].collateral.${key}`, `no asset "${key}"`);
      const amount = balances[key];
      const units = unitsOf(amount, PRICE_SCALE);
      if (units === 0) continue;
      if (units === units) {
        collateral.push(asset, units, 0n);
        continue;
      }
      const raw = parseWithinLimits(amount, PRICE_SCALE, `accounts[${a}].collateral.${key}`);
      if (raw === 0n) continue;
      if (raw > MAX_COLLATERAL_AMOUNT || raw < -MAX_COLLATERAL_AMOUNT) fail("OUT_OF_RANGE", `accounts[${a}].collateral.${key}`, `${amount} is outside ${MAX_AMOUNT_TEXT}`);
      collateral.push(asset, NaN, raw);
    }
    // a "0" balance is skipped, so only the balances held count toward the limit
    if (collateral.count - collateralOffsets[a] > MAX_COLLATERAL_PER_ACCOUNT) fail("OUT_OF_RANGE", `accounts[${a}].collateral`, `more than ${MAX_COLLATERAL_PER_ACCOUNT} assets`);
    collateralOffsets[a + 1] = collateral.count;
  }
  for (let a = 0; a < n; a++) {
    const q = parent[a];
    if (q >= 0 && parent[q] >= 0) fail("MALFORMED", `accounts[${a}].parent`, "a sub-account cannot have sub-accounts");
  }

  const columns: AccountColumns = {
    count: n, ids, mode, parent, positionOffsets, positionInstrument, positionLots, positionEntry, collateralOffsets,
    collateralAsset: collateral.asset.subarray(0, collateral.count),
    collateralAmount: collateral.amount.subarray(0, collateral.count),
  };
  return {
    columns,
    fieldOf(column, row) {
      if (column === "collateralAmount" || column === "collateralAsset") {
        const a = accountOfRow(collateralOffsets, row);
        // the balance's key is its asset's id: the account's row is not read again
        const asset = collateral.asset[row];
        const [key] = [...assetIndex].find(([, k]) => k === asset) as [string, number];
        return `accounts[${a}].collateral.${key}`;
      }
      if (column === "positionLots" || column === "positionEntry" || column === "positionInstrument") {
        const a = accountOfRow(positionOffsets, row);
        const k = row - positionOffsets[a];
        return `accounts[${a}].positions[${k}].${column === "positionEntry" ? "entry" : column === "positionLots" ? "qty" : "instrument"}`;
      }
      return `accounts[${row}]`;
    },
  };
}

/** The account whose rows [offsets[a], offsets[a + 1]) hold `row` (the last such a: empty books share offsets). */
function accountOfRow(offsets: Uint32Array, row: number): number {
  let low = 0, high = offsets.length - 2;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (offsets[mid] <= row) low = mid;
    else high = mid - 1;
  }
  return low;
}

