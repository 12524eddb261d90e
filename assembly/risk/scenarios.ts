// The scenario grid (docs/methodology.md §5) as the facade built it from the venue's parameters, and the
// portfolio parameters the kernels read. Moves and covers are fractions at 1e9.
import { Column } from "../store/column";
import { FRACTION_SCALE } from "../fixed/scales";

export const enum VolShift { Down = -1, None = 0, Up = 1 }

export let scenarioCount: i32 = 0;
/** i64 fraction in [−1, 1], underlying × scenario: each underlying's moves scale with its own scan range. */
/** Byte offsets of span16's extreme rows, 14 (up) and 15 (down), in a row of i64 or f64 per scenario. */
export const EXTREME_UP_AT: usize = 14 << 3;
export const EXTREME_DOWN_AT: usize = 15 << 3;
export const scenarioMove = new Column(3);
export const scenarioVol = new Column(2);   // i32 VolShift
export const scenarioCover = new Column(3); // i64 fraction, in (0, 1]

// the portfolio parameters: written by setPortfolioParameters before anything is evaluated (their
// defaults are bindings/venue/params.ts's)
export let volUp: i64 = 0;
export let volDown: i64 = 0;
export let volTermShort: i64 = 0;
export let volTermLong: i64 = 0;
export let shockCollateral: bool = false;
/** The IM multiplier as imWhole · F + imPart, split once for the kernels. */
export let imWhole: i64 = 0;
export let imPart: i64 = 0;
export let shortOptionMinRate: i64 = 0;
/** Whether buckets aggregate through `correlation` (ρ per pair of underlyings at 1e9) or add up. */
export let correlated: bool = false;
export const correlation = new Column(3); // i64, underlyings × underlyings, diagonal 1e9

/** The matrix is held only under correlation: a venue of many underlyings without it keeps no n² row. */
export function setCorrelated(on: bool, underlyings: i32): void {
  correlated = on;
  if (on) correlation.reserve(underlyings * underlyings);
}

/** Sizes the grid for `count` scenarios and `underlyings` rows of moves. */
export function sizeGrid(count: i32, underlyings: i32): void {
  scenarioMove.reserve(count * underlyings);
  scenarioVol.reserve(count);
  scenarioCover.reserve(count);
  scenarioCount = count;
}

/** The moves of underlying u's grid start here (scenarioCount entries). */
// @ts-ignore: decorator
@inline export function movesOf(u: i32): usize {
  return scenarioMove.ptr + ((<usize>u * <usize>scenarioCount) << 3);
}

export function setPortfolioParameters(up: i64, down: i64, termShort: i64, termLong: i64, shock: bool, multiplier: i64, minimum: i64): void {
  volUp = up;
  volDown = down;
  volTermShort = termShort;
  volTermLong = termLong;
  shockCollateral = shock;
  imWhole = multiplier / FRACTION_SCALE;
  imPart = multiplier - imWhole * FRACTION_SCALE;
  shortOptionMinRate = minimum;
}

/**
 * u8 per underlying: 1 when its grid has span16's layout — 16 rows in pairs of equal moves
 * (vol up, vol down): 0, +P₁, −P₁, +P₂, −P₂, +P₃, −P₃, then +X and −X; rows 0–13 uncovered. The
 * portfolio kernel then closes a bucket with four divisions, pairing each move with its negative.
 */
export const gridPaired = new Column(0);

/** Works out whether underlying u's grid has the paired span16 layout. */
export function checkGridShape(u: i32): void {
  gridPaired.reserve(u + 1);
  let paired = scenarioCount == 16;
  if (paired) {
    const moves = movesOf(u), covers = scenarioCover.ptr;
    for (let s = 0; s < 14; s++) paired = paired && load<i64>(covers + (<usize>s << 3)) == FRACTION_SCALE;
    for (let k = 0; k < 7; k++) paired = paired && load<i64>(moves + (<usize>k << 4)) == load<i64>(moves + (<usize>k << 4), 8);
    paired = paired && load<i64>(moves) == 0;
    for (let k = 1; k < 7; k += 2) {
      const up = load<i64>(moves + (<usize>k << 4)), down = load<i64>(moves + (<usize>(k + 1) << 4));
      paired = paired && up >= 0 && down == -up;
    }
    const up = load<i64>(moves + EXTREME_UP_AT), down = load<i64>(moves + EXTREME_DOWN_AT);
    paired = paired && up >= 0 && down == -up;
  }
  store<u8>(gridPaired.ptr + <usize>u, paired ? 1 : 0);
}
