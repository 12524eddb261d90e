// Venue-file accounts → AccountColumns, checking ids, modes, parents and whole lots on the way.
// Limits that need the reference data (notional, collateral value) are checked by the module.
import { parseDecimal, PRICE_SCALE } from "../core/decimal.js";
import { fail } from "../core/errors.js";
import { asArray, asId, asObject } from "../core/json.js";
import { MAX_ACCOUNTS, MAX_LOTS, MAX_POSITIONS_PER_ACCOUNT, MAX_COLLATERAL_PER_ACCOUNT } from "../core/constants.generated.js";
import type { AccountColumns, StagedFieldName } from "./account-columns.js";
import { parsePremium } from "./reference.js";

export interface Lookup {
  instrumentIndex: Map<string, number>;
  instrumentLotSize: (index: number) => bigint;
  assetIndex: Map<string, number>;
}

export interface ParsedAccounts {
  columns: AccountColumns;
  /** Field path of a staged row, for errors the module reports. */
  fieldOf(column: StagedFieldName, row: number): string;
}

/** Account modes by code. */
export const MODE_NAMES = ["standard", "portfolio"] as const;

export function parseMode(value: unknown, field: string): number {
  if (value === undefined || value === "standard") return 0;
  if (value === "portfolio") return 1;
  return fail("MALFORMED", field, 'expected "standard" or "portfolio"');
}

/** Whole lots of a base-unit quantity string. */
export function lotsOf(qty: unknown, lotSize: bigint, field: string): number {
  const raw = parseDecimal(qty, PRICE_SCALE, field);
  if (raw % lotSize !== 0n) fail("NOT_WHOLE_LOTS", field, `${qty} is not a whole number of lots`);
  const lots = raw / lotSize;
  if (lots > MAX_LOTS || lots < -MAX_LOTS) fail("OUT_OF_RANGE", field, `more than ${MAX_LOTS} lots`);
  return Number(lots);
}

export function parseVenueAccounts(value: unknown, lookup: Lookup): ParsedAccounts {
  const rows = asArray(value ?? [], "accounts");
  const n = rows.length;
  if (n > MAX_ACCOUNTS) fail("OUT_OF_RANGE", "accounts", `more than ${MAX_ACCOUNTS} accounts`);
  const accounts = rows.map((r, a) => asObject(r, `accounts[${a}]`));
  const ids = accounts.map((r, a) => asId(r.id, `accounts[${a}].id`));
  const indexOf = new Map<string, number>();
  ids.forEach((id, a) => {
    if (indexOf.has(id)) fail("DUPLICATE_ID", `accounts[${a}].id`, `account "${id}" is defined twice`);
    indexOf.set(id, a);
  });

  const mode = new Uint8Array(n);
  const parent = new Int32Array(n).fill(-1);
  const positionOffsets = new Uint32Array(n + 1);
  const collateralOffsets = new Uint32Array(n + 1);
  const instruments: number[] = [], lots: number[] = [], entries: bigint[] = [];
  const assets: number[] = [], amounts: bigint[] = [];
  const collateralKeys: string[] = [];

  accounts.forEach((account, a) => {
    const field = `accounts[${a}]`;
    mode[a] = parseMode(account.mode, `${field}.mode`);
    if (account.parent !== undefined && account.parent !== null) {
      const p = indexOf.get(asId(account.parent, `${field}.parent`));
      if (p === undefined) fail("UNKNOWN_ID", `${field}.parent`, `no account "${account.parent}"`);
      if (p === a) fail("MALFORMED", `${field}.parent`, "an account cannot be its own parent");
      parent[a] = p;
    }
    const positions = asArray(account.positions ?? [], `${field}.positions`);
    if (positions.length > MAX_POSITIONS_PER_ACCOUNT) fail("OUT_OF_RANGE", `${field}.positions`, `more than ${MAX_POSITIONS_PER_ACCOUNT} positions`);
    positions.forEach((p, k) => {
      const position = asObject(p, `${field}.positions[${k}]`);
      const instrument = lookup.instrumentIndex.get(asId(position.instrument, `${field}.positions[${k}].instrument`));
      if (instrument === undefined) fail("UNKNOWN_ID", `${field}.positions[${k}].instrument`, `no instrument "${position.instrument}"`);
      const held = lotsOf(position.qty, lookup.instrumentLotSize(instrument), `${field}.positions[${k}].qty`);
      if (held === 0) fail("OUT_OF_RANGE", `${field}.positions[${k}].qty`, "a position must be non-zero");
      instruments.push(instrument);
      lots.push(held);
      // a premium may be 0; the module refuses an entry of 0 on a perpetual or future
      entries.push(parsePremium(position.entry, `${field}.positions[${k}].entry`));
    });
    positionOffsets[a + 1] = instruments.length;
    const collateral = asObject(account.collateral ?? {}, `${field}.collateral`);
    const keys = Object.keys(collateral);
    if (keys.length > MAX_COLLATERAL_PER_ACCOUNT) fail("OUT_OF_RANGE", `${field}.collateral`, `more than ${MAX_COLLATERAL_PER_ACCOUNT} assets`);
    for (const key of keys) {
      const asset = lookup.assetIndex.get(key);
      if (asset === undefined) fail("UNKNOWN_ID", `${field}.collateral.${key}`, `no asset "${key}"`);
      const amount = parseDecimal(collateral[key], PRICE_SCALE, `${field}.collateral.${key}`);
      if (amount === 0n) continue;
      assets.push(asset);
      amounts.push(amount);
      collateralKeys.push(`${field}.collateral.${key}`);
    }
    collateralOffsets[a + 1] = assets.length;
  });
  parent.forEach((p, a) => {
    if (p >= 0 && parent[p] >= 0) fail("MALFORMED", `accounts[${a}].parent`, "a sub-account cannot have sub-accounts");
  });

  const columns: AccountColumns = {
    count: n, ids, mode, parent, positionOffsets,
    positionInstrument: Uint16Array.from(instruments),
    positionLots: Int32Array.from(lots),
    positionEntry: BigInt64Array.from(entries),
    collateralOffsets,
    collateralAsset: Uint8Array.from(assets),
    collateralAmount: BigInt64Array.from(amounts),
  };
  const accountOfRow = (offsets: Uint32Array, row: number) => {
    let a = 0;
    while (offsets[a + 1] <= row) a++;
    return a;
  };
  return {
    columns,
    fieldOf(column, row) {
      if (column === "collateralAmount" || column === "collateralAsset") return collateralKeys[row];
      if (column === "positionLots" || column === "positionEntry" || column === "positionInstrument") {
        const a = accountOfRow(positionOffsets, row);
        const k = row - positionOffsets[a];
        return `accounts[${a}].positions[${k}].${column === "positionEntry" ? "entry" : column === "positionLots" ? "qty" : "instrument"}`;
      }
      return `accounts[${row}]`;
    },
  };
}
