// A venue file (JSON text or an object already parsed) and the engine settings at its top level.
import {
  BACKSLASH, CLOSE_BRACE, CLOSE_BRACKET, COLON, COMMA, CR, LF, OPEN_BRACE, OPEN_BRACKET, QUOTE, SPACE, TAB,
} from "../core/chars.js";
import { MAX_ASSETS, MAX_INSTRUMENTS, MAX_UNDERLYINGS } from "../core/constants.generated.js";
import { fail } from "../core/errors.js";
import { asObject, copyAtMost, copyMembers, isArray, isObject, notPlain } from "../core/json.js";

/** A venue's settings as its file gives them; null takes the default, except for `now` (MALFORMED). */
export interface VenueSettingsText {
  now?: string;
  settlement?: string | null;
  params?: Record<string, unknown> | null;
  insuranceFund?: string | null;
}

export function parseVenueFile(venue: unknown): { file: Record<string, unknown>; settings: VenueSettingsText } {
  if (typeof venue === "string") {
    try {
      venue = JSON.parse(venue);
    } catch (error) {
      fail("MALFORMED", "$", `not valid JSON: ${(error as Error).message}`);
    }
  }
  plainData(venue);
  // each member read once: what is judged is what loads, whatever a getter would answer next
  const file = { ...asObject(venue, "$") };
  checkVenueMembers(file);
  // the reference rows too: the catalog and the price times they carry are read from one copy
  for (const [member, max] of REFERENCE_MEMBERS) {
    const rows = file[member];
    if (isArray(rows)) file[member] = copyAtMost(rows, max, member, member).map(rowCopy);
  }
  return { file, settings: settingsOf(file) };
}

/** The reference members and the most rows each may hold (the settlement asset counted among the assets). */
const REFERENCE_MEMBERS = [["underlyings", MAX_UNDERLYINGS], ["assets", MAX_ASSETS], ["instruments", MAX_INSTRUMENTS]] as const;

/** A plain row copied (anything else is left to its parser to name). */
const rowCopy = (row: unknown) => (isObject(row) && notPlain(row) === null ? copyMembers(row) : row);

/**
 * A venue object is plain data (core/json.ts's notPlain): a Promise, a Response, a Blob or File,
 * a typed array or a Map would otherwise load as an empty venue valued now.
 */
function plainData(venue: unknown): void {
  if (typeof venue !== "object" || venue === null || isArray(venue)) return;
  const other = notPlain(venue);
  if (other !== null) fail("MALFORMED", "$", `expected JSON text or a venue object, got ${other}`);
}

/** A venue file's members: anything else is a typo that would otherwise be ignored (an `insurancefund` leaving the fund at 0). */
const VENUE_KEYS = ["now", "clock", "settlement", "params", "assets", "underlyings", "instruments", "accounts", "insuranceFund"];

/** Fails at the first member a venue file does not take. */
export function checkVenueMembers(file: Record<string, unknown>): void {
  for (const key of Object.keys(file)) {
    if (!VENUE_KEYS.includes(key)) fail("MALFORMED", key, `not a field of a venue file (it takes ${VENUE_KEYS.join(", ")})`);
  }
}

function settingsOf(file: Record<string, unknown>): VenueSettingsText {
  return {
    now: file.now as string, settlement: file.settlement as string,
    params: file.params as Record<string, unknown>, insuranceFund: file.insuranceFund as string,
  };
}

/** A venue file's text split for the text path: everything but the accounts parsed, and where the accounts array lies. */
export interface VenueTextParts {
  /** The file with `accounts: null`. */
  file: Record<string, unknown>;
  settings: VenueSettingsText;
  accountsStart: number;
  accountsEnd: number;
}

const isSpace = (c: number) => c === SPACE || c === LF || c === CR || c === TAB;

function skipSpace(text: string, k: number): number {
  while (isSpace(text.charCodeAt(k))) k++;
  return k;
}

/** Past the string whose opening quote is at k, or -1 when it does not end. */
function skipString(text: string, k: number): number {
  for (k++; k < text.length; k++) {
    const c = text.charCodeAt(k);
    if (c === QUOTE) return k + 1;
    if (c === BACKSLASH) k++;
  }
  return -1;
}

/** Past the value at k (located, not checked), or -1. */
function skipValue(text: string, k: number): number {
  const c = text.charCodeAt(k);
  if (c === QUOTE) return skipString(text, k);
  if (c !== OPEN_BRACE && c !== OPEN_BRACKET) {
    // a number or a literal: up to the next delimiter
    while (k < text.length && text.charCodeAt(k) !== COMMA && text.charCodeAt(k) !== CLOSE_BRACE && !isSpace(text.charCodeAt(k))) k++;
    return k;
  }
  let depth = 0;
  while (k < text.length) {
    const d = text.charCodeAt(k);
    if (d === QUOTE) {
      k = skipString(text, k);
      if (k < 0) return -1;
      continue;
    }
    if (d === OPEN_BRACE || d === OPEN_BRACKET) depth++;
    else if ((d === CLOSE_BRACE || d === CLOSE_BRACKET) && --depth === 0) return k + 1;
    k++;
  }
  return -1;
}

/** A venue file's text without the byte-order mark an editor may write first (the command line drops it too), or the venue as given. */
export function withoutByteOrderMark<T>(venue: T): T {
  return typeof venue === "string" && venue.charCodeAt(0) === 0xfeff ? (venue.slice(1) as T) : venue;
}

/**
 * Finds the top-level `accounts` member of a venue file's text and parses the rest with
 * JSON.parse, or returns null when the text is not of that form (no object at the top, no or
 * several `accounts` keys, a key written with an escape, anything JSON.parse refuses). The rest
 * is only located here, not checked: JSON.parse checks it, and the accounts reader checks its
 * own part strictly.
 */
export function splitVenueText(text: string): VenueTextParts | null {
  let k = skipSpace(text, 0), start = -1, end = -1;
  if (text.charCodeAt(k) !== OPEN_BRACE) return null;
  k = skipSpace(text, k + 1);
  if (text.charCodeAt(k) === CLOSE_BRACE) return null;
  for (;;) {
    k = skipSpace(text, k);
    if (text.charCodeAt(k) !== QUOTE) return null;
    const keyStart = k;
    k = skipString(text, k);
    if (k < 0) return null;
    const key = text.slice(keyStart + 1, k - 1);
    if (key.includes("\\")) return null;
    k = skipSpace(text, k);
    if (text.charCodeAt(k) !== COLON) return null;
    const from = skipSpace(text, k + 1);
    k = skipValue(text, from);
    if (k < 0) return null;
    if (key === "accounts") {
      if (start >= 0) return null;
      start = from;
      end = k;
    }
    k = skipSpace(text, k);
    const c = text.charCodeAt(k++);
    if (c === CLOSE_BRACE) break;
    if (c !== COMMA) return null;
  }
  if (start < 0) return null;
  let file: unknown;
  try {
    file = JSON.parse(text.slice(0, start) + "null" + text.slice(end));
  } catch {
    return null;
  }
  if (typeof file !== "object" || file === null || isArray(file)) return null;
  const parsed = file as Record<string, unknown>;
  if (parsed.accounts !== null) return null;
  return { file: parsed, settings: settingsOf(parsed), accountsStart: start, accountsEnd: end };
}
