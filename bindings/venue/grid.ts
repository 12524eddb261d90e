// Scenario grids (docs/methodology.md §5): span16, wide, or a custom list, built with exact fractions.
import { parseBounded, FRACTION_SCALE } from "../core/decimal.js";
import { fail } from "../core/errors.js";
import { asArray, asObject } from "../core/json.js";
import { MAX_SCENARIOS, ONE } from "../core/constants.generated.js";

/** A scenario: price move and cover at scale 1e9, vol shift −1 down, 0 none, +1 up. */
export interface Scenario { move: bigint; vol: -1 | 0 | 1; cover: bigint }

/** Vol shifts by name: a map, so only these three names are names. */
const VOL_SHIFTS: ReadonlyMap<unknown, -1 | 0 | 1> = new Map<unknown, -1 | 0 | 1>([["down", -1], ["none", 0], ["up", 1]]);

/** What a custom grid row may hold: strict, as `params` is, so a misspelt `cover` is never read as the default 1. */
const GRID_ROW_KEYS: readonly string[] = ["move", "vol", "cover"];

/** n / d rounded half away from zero (d > 0). */
function roundDiv(n: bigint, d: bigint): bigint {
  const q = (2n * (n < 0n ? -n : n) + d) / (2n * d);
  return n < 0n ? -q : q;
}

export interface GridParams { priceScan: bigint; extremeMultiple: bigint; extremeCover: bigint }

function regularGrid(steps: number, vols: (-1 | 0 | 1)[], p: GridParams): Scenario[] {
  const rows: Scenario[] = [];
  for (const j of [0, ...Array.from({ length: steps }, (_, k) => [k + 1, -(k + 1)]).flat()]) {
    for (const vol of vols) rows.push({ move: roundDiv(p.priceScan * BigInt(j), BigInt(steps)), vol, cover: ONE });
  }
  const extreme = roundDiv(p.extremeMultiple * p.priceScan, ONE);
  rows.push({ move: extreme, vol: 0, cover: p.extremeCover }, { move: -extreme, vol: 0, cover: p.extremeCover });
  return rows;
}

export function buildGrid(grid: unknown, p: GridParams, field = "params.grid"): Scenario[] {
  if (grid === undefined || grid === "span16") return regularGrid(3, [1, -1], p);
  if (grid === "wide") return regularGrid(4, [-1, 0, 1], p);
  if (typeof grid === "string") fail("UNKNOWN_ID", field, `unknown grid "${grid}"; expected "span16", "wide" or a list`);
  const rows = asArray(grid, field);
  if (rows.length < 1 || rows.length > MAX_SCENARIOS) fail("OUT_OF_RANGE", field, `a grid has 1 to ${MAX_SCENARIOS} scenarios`);
  // Array.from, not map: a hole is a row too, and refused as one
  return Array.from(rows, (r, k) => {
    const row = asObject(r, `${field}[${k}]`);
    for (const key of Object.keys(row)) {
      if (!GRID_ROW_KEYS.includes(key)) fail("UNKNOWN_ID", `${field}[${k}].${key}`, `unknown scenario field "${key}"; a grid row takes ${GRID_ROW_KEYS.join(", ")}`);
    }
    const vol = VOL_SHIFTS.get(row.vol ?? "none");
    if (vol === undefined) fail("MALFORMED", `${field}[${k}].vol`, 'expected "up", "down" or "none"');
    return {
      move: parseBounded(row.move, FRACTION_SCALE, `${field}[${k}].move`, -ONE, ONE, "[-1, 1]"),
      vol,
      cover: parseBounded(row.cover ?? "1", FRACTION_SCALE, `${field}[${k}].cover`, 1n, ONE, "(0, 1]"),
    };
  });
}

/** Whether a `grid` param names a built-in grid (absent: span16) rather than giving rows. */
export const isNamedGrid = (spec: unknown) => spec === undefined || spec === "span16" || spec === "wide";

/**
 * The grid for a dynamic scan range: a named grid is rebuilt with `range` in place of
 * priceScan; a custom grid's moves are scaled by range / priceScan.
 */
export function gridForRange(base: Scenario[], spec: unknown, p: GridParams, range: bigint): Scenario[] {
  if (range === p.priceScan) return base;
  if (isNamedGrid(spec)) return buildGrid(spec, { ...p, priceScan: range });
  // priceScan > 0 here: parseParams refuses a custom grid under dynamic margin without one
  return base.map((s) => ({ ...s, move: roundDiv(s.move * range, p.priceScan) }));
}

/** The widest scan range whose moves all stay within ±100 %. */
export function maxScanRange(base: Scenario[], spec: unknown, p: GridParams): bigint {
  if (isNamedGrid(spec)) return p.extremeMultiple <= ONE ? ONE : (ONE * ONE) / p.extremeMultiple;
  const widest = base.reduce((m, s) => {
    const size = s.move < 0n ? -s.move : s.move;
    return size > m ? size : m;
  }, 0n);
  if (widest === 0n) return ONE;
  const cap = (p.priceScan * ONE) / widest;
  return cap < ONE ? cap : ONE;
}
