/** Stable error codes; `field` names the offending input path (e.g. `accounts[3].positions[0].qty`). */
export type MarginErrorCode =
  | "MALFORMED"        // not valid JSON, or a value of the wrong type or shape
  | "INVALID_NUMBER"   // not a decimal string: NaN, Infinity, exponent, junk
  | "PRECISION"        // more decimals than the field's scale
  | "OUT_OF_RANGE"     // outside docs/limits.md (includes negative lot sizes and volatilities)
  | "NOT_WHOLE_LOTS"   // a quantity that is not a whole number of lots
  | "UNKNOWN_ID"       // names an id that does not exist
  | "DUPLICATE_ID"     // an id defined twice
  | "EXPIRED"          // an option or future already expired (at load, or by the clock for trading)
  | "NOT_FOUND";       // a file the command line was given does not exist; the browser bundle's scalar module, or DecompressionStream

const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;
const NAMED: Record<string, string> = { "\n": "\\n", "\r": "\\r", "\t": "\\t" };
const MAX_PART = 1000;

/** Echoed input on one line: control characters escaped, very long parts cut. */
export function oneLine(text: string): string {
  const escaped = text.replace(CONTROL, (c) => NAMED[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
  return escaped.length > MAX_PART ? `${escaped.slice(0, MAX_PART)}… (${escaped.length - MAX_PART} more characters)` : escaped;
}

/** A refusal: `code` and `field` as given, `message` one line (`CODE at FIELD: detail`, the input it echoes escaped and cut by oneLine). */
export class MarginError extends Error {
  readonly code: MarginErrorCode;
  readonly field: string;
  /** The message without the code and field. */
  readonly detail: string;
  constructor(code: MarginErrorCode, field: string, detail: string) {
    // a field named by the caller (parseDecimal's, loadColumns's fieldOf) may be no string: it is named as one
    const named = String(field);
    super(`${code} at ${oneLine(named)}: ${oneLine(detail)}`);
    this.name = "MarginError";
    this.code = code;
    this.field = named;
    this.detail = detail;
  }
}

// the browser builds are minified: a debugger and constructor.name would show a one-letter class
Object.defineProperty(MarginError, "name", { value: "MarginError" });

export function fail(code: MarginErrorCode, field: string, message: string): never {
  throw new MarginError(code, field, message);
}
