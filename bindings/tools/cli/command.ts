// What every command shares: its shape, the --help flag, usage errors, option parsing, reading a venue file.
import { readFileSync } from "node:fs";
import type { ParseArgsConfig } from "node:util";
import { MarginError } from "../../core/errors.js";

export interface Command {
  summary: string;
  usage: string;
  options: NonNullable<ParseArgsConfig["options"]>;
  /** Positional arguments taken: exactly this many, or from requiredPositionals up to this many. */
  positionals: number;
  requiredPositionals?: number;
  run(values: Record<string, unknown>, positionals: string[]): Promise<void>;
}

export const help = { help: { type: "boolean", short: "h" } } as const;

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

export function readVenue(file: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch (error) {
    return usageError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}
