// Venue-file accounts read straight from the JSON text into AccountColumns: no object, array or
// string per account, position or decimal (only the account ids become strings). Instruments and
// assets are found by their characters (IdTable), quantities, entries and amounts are turned
// into raw units as they are read, in place in the text, by the exact number path of
// core/units.ts's unitsOf (digits summed in a double, one comparison with 2^53 at the end).
//
// It reads the common form of a valid file and nothing else: anything unusual (an escape outside
// an id, a repeated key, a value of another type, a number the fast path cannot hold, an id that
// is not known, any rule broken) makes it decline by throwing, and the caller then parses the
// whole text with JSON.parse and the exact path of accounts.ts, which decides and names the
// error. So whatever it accepts, that path accepts with the same columns; the text it reads is
// checked as strict JSON (the rest of the file goes through JSON.parse).
import { parseWithinLimits, PRICE_SCALE } from "../core/decimal.js";
import { isId } from "../core/json.js";
import { POW10, wordsOf, writeI64 } from "../core/units.js";
import {
  KIND_CALL, MAX_ACCOUNTS, MAX_COLLATERAL_AMOUNT, MAX_COLLATERAL_PER_ACCOUNT, MAX_LOTS, MAX_POSITIONS_PER_ACCOUNT, MAX_ROWS,
} from "../core/constants.generated.js";
import type { AccountColumns } from "./account-columns.js";
import { lotsOf, type Lookup } from "./accounts.js";
import { IdTable, sameText } from "./id-table.js";
import { CLOSE_BRACE, CLOSE_BRACKET, COLON, MINUS, NINE, OPEN_BRACE, OPEN_BRACKET, POINT, QUOTE, ZERO } from "../core/chars.js";
import { decline, JsonCursor } from "./json-cursor.js";
import { parsePremium } from "./reference.js";

const MAX_LOTS_NUMBER = Number(MAX_LOTS);
/** Keys of an account and of a position, as bits. */
const ID = 1, MODE = 2, PARENT = 4, POSITIONS = 8, COLLATERAL = 16;
const INSTRUMENT = 1, QTY = 2, ENTRY = 4;

/** Reads the accounts array at text[start, end) into columns; throws when it declines or a rule is broken. */
export function scanAccounts(text: string, start: number, end: number, lookup: Lookup): AccountColumns {
  return new AccountScanner(text, start, end, lookup).columns();
}

class AccountScanner extends JsonCursor {
  private count = 0;
  private positionCount = 0;
  private collateralCount = 0;
  // per account: the id's quoted text, the parent id's text (start −1: none), mode, CSR offsets
  private idStart: Int32Array;
  private idEnd: Int32Array;
  private parentStart: Int32Array;
  private parentEnd: Int32Array;
  private mode: Uint8Array;
  private positionOffsets: Uint32Array;
  private collateralOffsets: Uint32Array;
  // per position and per balance
  private instrument: Uint16Array;
  private lots: Int32Array;
  private entry: BigInt64Array;
  private entryWords: Int32Array;
  private asset: Uint8Array;
  private amount: BigInt64Array;
  private amountWords: Int32Array;
  private readonly instruments: IdTable;
  private readonly assets: IdTable;
  private readonly lotSizes: Float64Array;
  /** The assets named so far in one account's collateral (a key given twice declines). */
  private readonly assetKeys = new Int32Array(MAX_COLLATERAL_PER_ACCOUNT);

  constructor(text: string, start: number, end: number, private readonly lookup: Lookup) {
    super(text, start, end);
    // Capacities from the text's length: a position takes at least 40 characters, so the position
    // columns never grow; accounts and balances start at a typical size and double as needed.
    const length = end - start;
    const accounts = Math.ceil(length / 512) + 16, positions = Math.ceil(length / 40), balances = Math.ceil(length / 256) + 16;
    this.idStart = new Int32Array(accounts);
    this.idEnd = new Int32Array(accounts);
    this.parentStart = new Int32Array(accounts);
    this.parentEnd = new Int32Array(accounts);
    this.mode = new Uint8Array(accounts);
    this.positionOffsets = new Uint32Array(accounts + 1);
    this.collateralOffsets = new Uint32Array(accounts + 1);
    this.instrument = new Uint16Array(positions);
    this.lots = new Int32Array(positions);
    this.entry = new BigInt64Array(positions);
    this.entryWords = wordsOf(this.entry);
    this.asset = new Uint8Array(balances);
    this.amount = new BigInt64Array(balances);
    this.amountWords = wordsOf(this.amount);
    this.instruments = IdTable.of(lookup.instrumentIndex);
    this.assets = IdTable.of(lookup.assetIndex);
    this.lotSizes = new Float64Array(lookup.instrumentIndex.size);
    for (const i of lookup.instrumentIndex.values()) this.lotSizes[i] = Number(lookup.instrumentLotSize(i));
  }

  columns(): AccountColumns {
    this.expect(OPEN_BRACKET);
    if (this.peek() === CLOSE_BRACKET) this.pos++;
    else {
      for (;;) {
        this.account();
        if (this.closes(CLOSE_BRACKET)) break;
      }
    }
    this.skipSpace();
    if (this.pos !== this.end) decline();
    const n = this.count;
    const ids = this.ids();
    const indexOf = new Map<string, number>();
    for (let a = 0; a < n; a++) {
      if (indexOf.has(ids[a])) decline();
      indexOf.set(ids[a], a);
    }
    const parent = new Int32Array(n).fill(-1);
    for (let a = 0; a < n; a++) {
      if (this.parentStart[a] < 0) continue;
      const p = indexOf.get(this.text.slice(this.parentStart[a], this.parentEnd[a]));
      if (p === undefined || p === a) decline();
      parent[a] = p;
    }
    for (let a = 0; a < n; a++) if (parent[a] >= 0 && parent[parent[a]] >= 0) decline();
    const positions = this.positionCount, balances = this.collateralCount;
    return {
      count: n, ids, mode: this.mode.subarray(0, n), parent,
      positionOffsets: this.positionOffsets.subarray(0, n + 1),
      positionInstrument: this.instrument.subarray(0, positions),
      positionLots: this.lots.subarray(0, positions),
      positionEntry: this.entry.subarray(0, positions),
      collateralOffsets: this.collateralOffsets.subarray(0, n + 1),
      collateralAsset: this.asset.subarray(0, balances),
      collateralAmount: this.amount.subarray(0, balances),
    };
  }

  /** The ids, decoded by JSON.parse from their quoted text (fresh strings: none keeps the whole text alive). */
  private ids(): string[] {
    const quoted = new Array<string>(this.count);
    for (let a = 0; a < this.count; a++) quoted[a] = this.text.slice(this.idStart[a], this.idEnd[a]);
    const ids: unknown[] = JSON.parse("[" + quoted.join(",") + "]");
    for (const id of ids) if (!isId(id)) decline();
    return ids as string[];
  }

  private account(): void {
    const a = this.count;
    if (a === MAX_ACCOUNTS) decline();
    if (a === this.mode.length) this.growAccounts();
    this.count++;
    this.parentStart[a] = -1;
    this.mode[a] = 0;
    this.positionOffsets[a + 1] = this.positionOffsets[a];
    this.collateralOffsets[a + 1] = this.collateralOffsets[a];
    this.expect(OPEN_BRACE);
    let seen = 0;
    if (this.peek() === CLOSE_BRACE) decline();
    for (;;) {
      const key = this.key();
      if (key & seen) decline();
      seen |= key;
      this.expect(COLON);
      const c = this.peek();
      if (key === ID) {
        if (c !== QUOTE) decline();
        this.idStart[a] = this.pos;
        this.readString(true);
        this.idEnd[a] = this.pos;
      } else if (key === MODE) {
        const start = this.pos;
        if (c !== QUOTE) decline();
        this.readString(false);
        const length = this.pos - start;
        if (length === 11 && sameText(this.text, start, '"portfolio"')) this.mode[a] = 1;
        else if (length !== 10 || !sameText(this.text, start, '"standard"')) decline();
      } else if (key === PARENT) {
        if (c === QUOTE) {
          this.parentStart[a] = this.pos + 1;
          this.readString(false);
          this.parentEnd[a] = this.pos - 1;
        } else this.literal("null");
      } else if (key === POSITIONS) {
        if (c === OPEN_BRACKET) this.positions(a);
        else this.literal("null");
      } else if (key === COLLATERAL) {
        if (c === OPEN_BRACE) this.collateral(a);
        else this.literal("null");
      } else this.skipValue(0);
      if (this.closes(CLOSE_BRACE)) break;
    }
    if (!(seen & ID)) decline();
  }

  /** An account key as its bit (0: a key the account does not read). */
  private key(): number {
    if (this.peek() !== QUOTE) decline();
    const start = this.pos + 1;
    this.readString(false);
    const text = this.text, length = this.pos - 1 - start;
    if (length === 2 && sameText(text, start, "id")) return ID;
    if (length === 4 && sameText(text, start, "mode")) return MODE;
    if (length === 6 && sameText(text, start, "parent")) return PARENT;
    if (length === 9 && sameText(text, start, "positions")) return POSITIONS;
    if (length === 10 && sameText(text, start, "collateral")) return COLLATERAL;
    return 0;
  }

  private positions(a: number): void {
    this.pos++;
    if (this.peek() === CLOSE_BRACKET) {
      this.pos++;
      return;
    }
    for (let k = 0; ; k++) {
      if (k === MAX_POSITIONS_PER_ACCOUNT) decline();
      this.position();
      if (this.closes(CLOSE_BRACKET)) break;
    }
    this.positionOffsets[a + 1] = this.positionCount;
  }

  private position(): void {
    const p = this.positionCount;
    if (p === MAX_ROWS) decline();
    if (p === this.lots.length) this.growPositions();
    this.expect(OPEN_BRACE);
    let seen = 0, instrument = -1, qtyStart = 0, qtyUnits = NaN, entryStart = 0, entryUnits = NaN;
    for (;;) {
      if (this.peek() !== QUOTE) decline();
      const start = this.pos + 1;
      this.readString(false);
      const length = this.pos - 1 - start;
      let key = 0;
      if (length === 10 && sameText(this.text, start, "instrument")) key = INSTRUMENT;
      else if (length === 3 && sameText(this.text, start, "qty")) key = QTY;
      else if (length === 5 && sameText(this.text, start, "entry")) key = ENTRY;
      if (key & seen) decline();
      seen |= key;
      this.expect(COLON);
      if (key === INSTRUMENT) {
        if (this.peek() !== QUOTE) decline();
        const from = this.pos + 1;
        this.readString(false);
        instrument = this.instruments.find(this.text, from, this.pos - 1, this.hash);
        if (instrument < 0) decline();
      } else if (key === QTY) {
        qtyStart = this.pos;
        qtyUnits = this.decimal();
      } else if (key === ENTRY) {
        entryStart = this.pos;
        entryUnits = this.decimal();
      } else this.skipValue(0);
      if (this.closes(CLOSE_BRACE)) break;
    }
    if (seen !== (INSTRUMENT | QTY | ENTRY)) decline();
    const lotSize = this.lotSizes[instrument];
    let lots = qtyUnits / lotSize;
    if (!(qtyUnits % lotSize === 0 && lots <= MAX_LOTS_NUMBER && lots >= -MAX_LOTS_NUMBER)) {
      lots = lotsOf(this.quoted(qtyStart), this.lookup.instrumentLotSize(instrument), "qty");
    }
    if (lots === 0) decline();
    this.instrument[p] = instrument;
    this.lots[p] = lots;
    // a premium may be 0, any other entry is above it; the exact path names the rule broken
    if (entryUnits > 0 || (entryUnits === 0 && this.lookup.instrumentKind(instrument) >= KIND_CALL)) writeI64(this.entryWords, p, entryUnits);
    else if (entryUnits === entryUnits) decline();
    else this.entry[p] = parsePremium(this.quoted(entryStart), "entry");
    this.positionCount++;
  }

  private collateral(a: number): void {
    this.pos++;
    if (this.peek() === CLOSE_BRACE) {
      this.pos++;
      return;
    }
    const keys = this.assetKeys;
    for (let k = 0; ; k++) {
      if (k === MAX_COLLATERAL_PER_ACCOUNT) decline();
      if (this.peek() !== QUOTE) decline();
      const from = this.pos + 1;
      // a key that looks like an array index would come first in Object.keys order: left to JSON.parse
      const c = this.text.charCodeAt(from);
      if (c >= ZERO && c <= NINE) decline();
      this.readString(false);
      const asset = this.assets.find(this.text, from, this.pos - 1, this.hash);
      if (asset < 0) decline();
      for (let j = 0; j < k; j++) if (keys[j] === asset) decline();
      keys[k] = asset;
      this.expect(COLON);
      const valueStart = this.pos;
      const units = this.decimal();
      if (units !== 0) {
        if (this.collateralCount === this.asset.length) this.growCollateral();
        const r = this.collateralCount++;
        this.asset[r] = asset;
        if (units === units) writeI64(this.amountWords, r, units);
        else {
          const raw = parseWithinLimits(this.quoted(valueStart), PRICE_SCALE, "amount");
          if (raw === 0n || raw > MAX_COLLATERAL_AMOUNT || raw < -MAX_COLLATERAL_AMOUNT) decline();
          this.amount[r] = raw;
        }
      }
      if (this.closes(CLOSE_BRACE)) break;
    }
    this.collateralOffsets[a + 1] = this.collateralCount;
  }

  /** A decimal string's raw units at price scale, or NaN when the number path cannot hold them (the string is read). */
  private decimal(): number {
    const text = this.text;
    if (text.charCodeAt(this.pos) !== QUOTE) decline();
    const negative = text.charCodeAt(this.pos + 1) === MINUS;
    const start = negative ? this.pos + 2 : this.pos + 1;
    let units = 0, point = -1, k = start;
    for (;; k++) {
      const c = text.charCodeAt(k);
      if (c >= ZERO && c <= NINE) units = units * 10 + (c - ZERO);
      else if (c === POINT && point < 0) point = k;
      else if (c === QUOTE) break;
      else decline();
    }
    this.pos = k + 1;
    const decimals = point < 0 ? 0 : k - point - 1;
    if (k === start || point === start || (point >= 0 && decimals === 0)) decline();
    if (decimals > PRICE_SCALE) return NaN;
    units *= POW10[PRICE_SCALE - decimals];
    if (units > Number.MAX_SAFE_INTEGER) return NaN;
    return negative ? -units : units;
  }

  /** The string value whose opening quote is at `start` (a decimal already read: no escapes). */
  private quoted(start: number): string {
    return this.text.slice(start + 1, this.text.indexOf('"', start + 1));
  }

  private growAccounts(): void {
    const size = this.mode.length * 2;
    this.idStart = grown(this.idStart, size);
    this.idEnd = grown(this.idEnd, size);
    this.parentStart = grown(this.parentStart, size);
    this.parentEnd = grown(this.parentEnd, size);
    this.mode = grown(this.mode, size);
    this.positionOffsets = grown(this.positionOffsets, size + 1);
    this.collateralOffsets = grown(this.collateralOffsets, size + 1);
  }

  private growPositions(): void {
    const size = this.lots.length * 2;
    this.instrument = grown(this.instrument, size);
    this.lots = grown(this.lots, size);
    this.entry = grown(this.entry, size);
    this.entryWords = wordsOf(this.entry);
  }

  private growCollateral(): void {
    const size = this.asset.length * 2;
    this.asset = grown(this.asset, size);
    this.amount = grown(this.amount, size);
    this.amountWords = wordsOf(this.amount);
  }
}

type Column = Uint8Array | Uint16Array | Int32Array | Uint32Array | BigInt64Array;

function grown<T extends Column>(array: T, size: number): T {
  const bigger = new (array.constructor as new (n: number) => T)(size);
  bigger.set(array as never);
  return bigger;
}
