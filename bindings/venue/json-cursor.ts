// Strict reading of JSON text by position, for the text path of venue files: a cursor that
// checks what it reads exactly as JSON defines it, and declines (throws) at anything it does not
// read — the caller then leaves the whole text to JSON.parse, which decides.
import {
  BACKSLASH, CLOSE_BRACE, CLOSE_BRACKET, COLON, COMMA, CR, LF, MINUS, NINE, OPEN_BRACE, OPEN_BRACKET, PLUS, POINT, QUOTE, SPACE, TAB, ZERO,
} from "../core/chars.js";
import { hashStep } from "./id-table.js";

/** Nesting skipValue follows before it declines (JSON.parse then takes over). */
const MAX_DEPTH = 64;

const DECLINED = new Error("the venue text is not in the form the text path reads");

/** Gives the text up to JSON.parse. */
export function decline(): never {
  throw DECLINED;
}

export class JsonCursor {
  /** Set by readString: the hash of the characters read (id-table.ts's hashStep). */
  protected hash = 0;

  constructor(protected readonly text: string, protected pos: number, protected readonly end: number) {}

  /** Whether text[start, end) is one JSON value; false too where the cursor declines (past MAX_DEPTH), leaving JSON.parse to decide. */
  static isValue(text: string, start: number, end: number): boolean {
    const cursor = new JsonCursor(text, start, end);
    try {
      cursor.skipValue(0);
    } catch (error) {
      if (error === DECLINED) return false;
      throw error;
    }
    cursor.skipSpace();
    return cursor.pos === end;
  }

  /**
   * Reads a string from its opening quote, leaving `hash` and `pos` after the closing quote.
   * Escapes decline unless allowed (then they are only stepped over; JSON.parse checks them).
   */
  protected readString(escapes: boolean): void {
    const text = this.text;
    let k = this.pos + 1, hash = 0;
    for (;;) {
      const c = text.charCodeAt(k);
      if (c === QUOTE) break;
      if (c < SPACE || c !== c) decline();
      if (c === BACKSLASH) {
        if (!escapes) decline();
        k++;
      }
      hash = hashStep(hash, c);
      k++;
    }
    if (k >= this.end) decline();
    this.hash = hash;
    this.pos = k + 1;
  }

  /** Skips any JSON value, checking it strictly. */
  protected skipValue(depth: number): void {
    if (depth === MAX_DEPTH) decline();
    const c = this.peek();
    if (c === QUOTE) this.skipString();
    else if (c === OPEN_BRACE) {
      this.pos++;
      if (this.peek() === CLOSE_BRACE) {
        this.pos++;
        return;
      }
      for (;;) {
        if (this.peek() !== QUOTE) decline();
        this.skipString();
        this.expect(COLON);
        this.skipValue(depth + 1);
        if (this.closes(CLOSE_BRACE)) return;
      }
    } else if (c === OPEN_BRACKET) {
      this.pos++;
      if (this.peek() === CLOSE_BRACKET) {
        this.pos++;
        return;
      }
      for (;;) {
        this.skipValue(depth + 1);
        if (this.closes(CLOSE_BRACKET)) return;
      }
    } else if (c === 116) this.literal("true");
    else if (c === 102) this.literal("false");
    else if (c === 110) this.literal("null");
    else this.skipNumber();
  }

  /** A string with every escape checked as JSON defines them. */
  protected skipString(): void {
    const text = this.text;
    let k = this.pos + 1;
    for (;;) {
      const c = text.charCodeAt(k++);
      if (c === QUOTE) break;
      if (c < SPACE || c !== c) decline();
      if (c === BACKSLASH) {
        const e = text.charCodeAt(k++);
        if (e === 117) {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(k, k + 4))) decline();
          k += 4;
        } else if (!'"\\/bfnrt'.includes(String.fromCharCode(e))) decline();
      }
    }
    if (k > this.end) decline();
    this.pos = k;
  }

  /** -?(0|[1-9]digits)(.digits)?([eE][+-]?digits)? */
  protected skipNumber(): void {
    const text = this.text;
    let k = this.pos;
    if (text.charCodeAt(k) === MINUS) k++;
    const digits = () => {
      const from = k;
      while (text.charCodeAt(k) >= ZERO && text.charCodeAt(k) <= NINE) k++;
      if (k === from) decline();
      return k - from;
    };
    const first = text.charCodeAt(k);
    if (digits() > 1 && first === ZERO) decline();
    if (text.charCodeAt(k) === POINT) {
      k++;
      digits();
    }
    if ((text.charCodeAt(k) | 32) === 101) {
      k++;
      if (text.charCodeAt(k) === PLUS || text.charCodeAt(k) === MINUS) k++;
      digits();
    }
    if (k > this.end) decline();
    this.pos = k;
  }

  protected literal(word: string): void {
    if (!this.text.startsWith(word, this.pos) || this.pos + word.length > this.end) decline();
    this.pos += word.length;
  }

  /** After an item of a list: true at the list's end (`close`), false at a comma; anything else declines. */
  protected closes(close: number): boolean {
    const c = this.next();
    if (c === close) return true;
    if (c !== COMMA) decline();
    return false;
  }

  /** Skips white space, then reads one structural character. */
  protected next(): number {
    this.skipSpace();
    return this.pos < this.end ? this.text.charCodeAt(this.pos++) : decline();
  }

  protected expect(c: number): void {
    if (this.next() !== c) decline();
    this.skipSpace();
  }

  /** The next character after white space, not consumed. */
  protected peek(): number {
    this.skipSpace();
    return this.text.charCodeAt(this.pos);
  }

  /** Steps over whitespace, never past `end`: the text after the span read (a file's spacing after its accounts) is not the cursor's. */
  protected skipSpace(): void {
    const text = this.text, end = this.end;
    let k = this.pos, c = text.charCodeAt(k);
    while (k < end && (c === SPACE || c === LF || c === CR || c === TAB)) c = text.charCodeAt(++k);
    this.pos = k;
  }
}
