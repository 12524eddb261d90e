// What every command shares: its shape and help, where it writes, usage errors, option parsing,
// and reading a venue file within the documented size limit.
import { closeSync, fstatSync, openSync, readSync } from "node:fs";
import { fail, MarginError } from "../../core/errors.js";

/**
 * Where a command writes: process.stdout/stderr, or any sink with `write` (tests run the CLI
 * in-process); `write` returning false means the output is full until `drained` resolves.
 */
export interface Sink { write(chunk: string): unknown; drained?(): Promise<void> }

/** Writes `text` to `out`, then waits while `out` is full. */
export async function writeWhenRoom(out: Sink, text: string): Promise<void> {
  if (out.write(text) === false) await out.drained?.();
}
export interface CliIo { stdout: Sink; stderr: Sink }

/** One option: its parseArgs type, the placeholder its value takes, what it means and its default. */
export interface OptionSpec {
  type: "string" | "boolean";
  short?: string;
  value?: string;
  help: string;
}

export interface Command {
  summary: string;
  usage: string;
  options: Record<string, OptionSpec>;
  /** Positional arguments taken: exactly this many, or from requiredPositionals up to this many. */
  positionals: number;
  requiredPositionals?: number;
  /** Checks every argument and output path, then does the work. */
  run(values: Record<string, unknown>, positionals: string[], io: CliIo): Promise<void>;
}

export const help: Record<string, OptionSpec> = { help: { type: "boolean", short: "h", help: "this help" } };

/** The largest venue file the command line reads (bytes); checked before reading, for streams and devices too. */
const MAX_VENUE_FILE_BYTES = 256 * 2 ** 20;

export const VENUE_NOTE = `VENUE.json is a venue file (docs/api.md), at most ${MAX_VENUE_FILE_BYTES.toLocaleString("en-US")} bytes (256 MiB).`;
export const SIGNS = "Signs: a qty > 0 buys (long), < 0 sells (short); a negative collateral balance is a loan.";

export function usageError(message: string): never {
  throw new MarginError("MALFORMED", "argv", message);
}

export function integerOption(value: unknown, name: string, low: number, high: number, fallback: number | undefined): number {
  if (value === undefined) {
    if (fallback === undefined) usageError(`${name} is required`);
    return fallback;
  }
  const n = typeof value === "string" && /^\d+$/.test(value) ? Number(value) : NaN;
  if (!(n >= low && n <= high)) usageError(`${name} must be an integer in [${low}, ${high}]`);
  return n;
}

export function requiredString(value: unknown, name: string): string {
  if (typeof value !== "string") usageError(`--${name} is required`);
  return value;
}

/** An errno as plain words. */
export function describeErrno(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  const words: Record<string, string> = {
    ENOENT: "no such file or directory", EACCES: "permission denied", EPERM: "operation not permitted",
    EISDIR: "is a directory", ENOTDIR: "a part of the path is not a directory", ELOOP: "too many symbolic links",
    ENAMETOOLONG: "the name is too long", EMFILE: "too many open files", EAGAIN: "would block (non-blocking input)",
    EROFS: "read-only file system", ENOSPC: "no space left on the device", EFBIG: "the file would pass the size limit",
    EADDRINUSE: "the port is in use", ENXIO: "no such device or address (a socket, or a device not there)",
  };
  return (code && words[code]) ?? (error as Error).message;
}

/** A file a command reads, as its errors name it: what it is, and the field for a failure to read it and for text that is not UTF-8. */
interface InputFile { kind: string; field: string; textField: string }
/** The venue file, a positional argument; its text is the whole document, `$`. */
const VENUE_FILE: InputFile = { kind: "venue file", field: "argv", textField: "$" };
const PARAMS_FILE: InputFile = { kind: "params file", field: "--params", textField: "--params" };

/** A venue file's text (readText). */
export function readVenue(path: string): string {
  return readText(path, VENUE_FILE);
}

/** The proposal a `--params` file holds: its JSON, within the venue file's size limit. */
export function readParams(path: string): unknown {
  const text = readText(path, PARAMS_FILE);
  try {
    return JSON.parse(text);
  } catch (error) {
    return fail("MALFORMED", PARAMS_FILE.field, `"${path}" is not JSON: ${(error as Error).message}`);
  }
}

/**
 * A file's text, read in chunks so a stream or device (a FIFO, /dev/zero) is refused as soon as
 * it passes MAX_VENUE_FILE_BYTES instead of filling memory. UTF-8; a BOM is dropped.
 */
function readText(path: string, file: InputFile): string {
  const unreadable = (error: unknown) => fail("MALFORMED", file.field, `cannot read "${path}": ${describeErrno(error)}`);
  const tooLarge = () => fail("OUT_OF_RANGE", file.field, `"${path}" is larger than ${MAX_VENUE_FILE_BYTES.toLocaleString("en-US")} bytes, the ${file.kind} limit`);
  let fd: number;
  try {
    fd = openSync(path, "r");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") fail("NOT_FOUND", file.field, `no file "${path}"`);
    return unreadable(error);
  }
  try {
    const stat = fstatSync(fd);
    if (stat.isDirectory()) fail("MALFORMED", file.field, `"${path}" is a directory, not a ${file.kind}`);
    if (stat.isFile() && stat.size > MAX_VENUE_FILE_BYTES) tooLarge();
    const chunks: Buffer[] = [];
    let total = 0;
    const buffer = Buffer.allocUnsafe(1 << 20);
    for (;;) {
      const n = readSync(fd, buffer, 0, buffer.length, null);
      if (n === 0) break;
      total += n;
      if (total > MAX_VENUE_FILE_BYTES) tooLarge();
      chunks.push(Buffer.from(buffer.subarray(0, n)));
    }
    try {
      return new TextDecoder("utf-8", { fatal: true }).decode(Buffer.concat(chunks, total));
    } catch {
      return fail("MALFORMED", file.textField, `"${path}" is not UTF-8 text`);
    }
  } catch (error) {
    if (error instanceof MarginError) throw error;
    return unreadable(error);
  } finally {
    closeSync(fd);
  }
}
