// Methodology parameters (venue `params`): defaults, validation, and the overrides as given.
import { parseBounded, rangeText, FRACTION_SCALE, MONEY_SCALE } from "../core/decimal.js";
import { fail } from "../core/errors.js";
import { asBoolean, asObject, copyElements, isArray, notPlain } from "../core/json.js";
import { MAX_FUND, MAX_SCENARIOS, ONE } from "../core/constants.generated.js";
import { buildGrid, isNamedGrid, maxScanRange, type GridParams, type Scenario } from "./grid.js";

export interface Params {
  maxMarkDeviation: bigint;
  optIm: bigint;
  optImMin: bigint;
  optMm: bigint;
  maxPriceAgeMs: number;
  /** How far ahead of the oracle clock a price's timestamp may be (ms). */
  maxClockSkewMs: number;
  maxSourceDeviation: bigint;
  grid: Scenario[];
  /** The grid as given (a name, a list or absent) and the fractions a named grid is built from. */
  gridSpec: unknown;
  gridParams: GridParams;
  /** The EWMA scan range (docs/methodology.md §5), or null when `dynamicMargin` is off. */
  dynamicScan: DynamicScan | null;
  volUp: bigint;
  volDown: bigint;
  volTermShort: bigint;
  volTermLong: bigint;
  shockCollateral: boolean;
  imMultiplier: bigint;
  shortOptionMin: bigint;
  liquidationBuffer: bigint;
  liquidationFee: bigint;
  takerFee: bigint;
  /** Collateral trades of a liquidation are priced at the index × (1 ∓ this); the difference goes to the fund. */
  collateralLiquidationDiscount: bigint;
  /** Money caps on one pass (docs/methodology.md §10): liquidated notional per account and in all, fund payouts; null: no cap. */
  liquidationCaps: LiquidationCaps;
  /** ρ per pair of underlying ids (scale 1e9), both orders; null: bucket losses add up. */
  correlation: Map<string, Map<string, bigint>> | null;
}

export interface LiquidationCaps {
  maxLiquidationNotionalPerAccount: bigint | null;
  maxLiquidationNotionalPerPass: bigint | null;
  maxInsuranceLossPerPass: bigint | null;
}
const LIQUIDATION_CAPS = ["maxLiquidationNotionalPerAccount", "maxLiquidationNotionalPerPass", "maxInsuranceLossPerPass"] as const;

export interface DynamicScan {
  /** λ, √mpor and σ multiple as f64: they only steer the f64 variance estimate. */
  lambda: number;
  sigmas: number;
  mporDays: number;
  /** The range never falls below priceScan nor rises past the moves' ±100 % limit (1e9). */
  floor: bigint;
  cap: bigint;
}

export const FRACTION_DEFAULTS = {
  maxMarkDeviation: 50_000_000n,
  optIm: 150_000_000n,
  optImMin: 100_000_000n,
  optMm: 75_000_000n,
  maxSourceDeviation: 30_000_000n,
  priceScan: 160_000_000n,
  extremeMultiple: 3_000_000_000n,
  extremeCover: 330_000_000n,
  volUp: 500_000_000n,
  volDown: 250_000_000n,
  volTermShort: 300_000_000n,
  volTermLong: 130_000_000n,
  imMultiplier: 1_250_000_000n,
  shortOptionMin: 10_000_000n,
  liquidationBuffer: 100_000_000n,
  liquidationFee: 5_000_000n,
  takerFee: 0n,
  collateralLiquidationDiscount: 20_000_000n,
  ewmaLambda: 940_000_000n,
  scanSigmas: 3_500_000_000n,
  mporDays: 1_000_000_000n,
} as const;
const DEFAULT_MAX_PRICE_AGE_S = 60n;
const DEFAULT_MAX_CLOCK_SKEW_S = 86_400n;
/** Every parameter a venue may set: a set, so "constructor" or "__proto__" is as unknown as any other name. */
const PARAMETER_NAMES: ReadonlySet<string> = new Set([
  ...Object.keys(FRACTION_DEFAULTS), "maxPriceAge", "maxClockSkew", "grid", "shockCollateral", "correlation", "dynamicMargin", ...LIQUIDATION_CAPS,
]);

/**
 * The parameters a venue's `params` gives (absent or null: none), each name checked: a copy
 * without the ones given as null, which take their defaults as if left out. The copy goes as deep
 * as parameters do (a grid's rows, a correlation's rows), each value read once: the engine never
 * holds the caller's objects, which could change under it after they were judged.
 */
export function givenParams(overrides: unknown, field = "params"): Record<string, unknown> {
  const copy: Record<string, unknown> = {};
  // the keys listed once: the names checked are the names kept
  for (const [key, value] of Object.entries(asObject(overrides ?? {}, field))) {
    if (!PARAMETER_NAMES.has(key)) fail("UNKNOWN_ID", `${field}.${key}`, `unknown parameter "${key}"`);
    if (value != null) copy[key] = copyOf(value, PARAMETER_DEPTH);
  }
  return copy;
}

/** Below a parameter: a grid (or correlation), its rows, their values. */
const PARAMETER_DEPTH = 2;

/** A copy of parameter overrides to hand out (toVenue, what-if reports): the engine's own stay as they were judged. */
export const copyParams = (overrides: Record<string, unknown>) => copyOf(overrides, PARAMETER_DEPTH + 1) as Record<string, unknown>;

/**
 * Arrays and plain objects copied `depth` levels down (a hole read as undefined); anything else is
 * itself. An array longer than any parameter takes (a grid's MAX_SCENARIOS rows) is left as it
 * is: its parser refuses it by its length, and a sparse one is never walked.
 */
function copyOf(value: unknown, depth: number): unknown {
  if (depth === 0 || typeof value !== "object" || value === null) return value;
  if (isArray(value)) return value.length > MAX_SCENARIOS ? value : copyElements(value).map((item) => copyOf(item, depth - 1));
  if (notPlain(value) !== null) return value;
  const copy: Record<string, unknown> = {};
  // defined, not assigned: an own "__proto__" key (an underlying's id) stays a key
  for (const [key, item] of Object.entries(value)) Object.defineProperty(copy, key, { value: copyOf(item, depth - 1), enumerable: true, writable: true, configurable: true });
  return copy;
}

/** The parameters, defaults filled in, from what givenParams returned (names checked, nulls dropped). */
export function parseParams(given: Record<string, unknown>, field = "params"): Params {
  const fraction = (key: keyof typeof FRACTION_DEFAULTS, high: bigint, rule: string) =>
    given[key] === undefined ? FRACTION_DEFAULTS[key] : parseBounded(given[key], FRACTION_SCALE, `${field}.${key}`, 0n, high, rule);
  const params: Params = {
    maxMarkDeviation: fraction("maxMarkDeviation", ONE - 1n, "[0, 1)"),
    optIm: fraction("optIm", ONE, "[0, 1]"),
    optImMin: fraction("optImMin", ONE, "[0, 1]"),
    optMm: fraction("optMm", ONE, "[0, 1]"),
    maxSourceDeviation: fraction("maxSourceDeviation", ONE, "[0, 1]"),
    volUp: fraction("volUp", 10n * ONE, "[0, 10]"),
    volDown: fraction("volDown", ONE, "[0, 1]"),
    volTermShort: fraction("volTermShort", 2n * ONE, "[0, 2]"),
    volTermLong: fraction("volTermLong", 2n * ONE, "[0, 2]"),
    imMultiplier: fraction("imMultiplier", 10n * ONE, "[1, 10]"),
    shortOptionMin: fraction("shortOptionMin", ONE, "[0, 1]"),
    liquidationBuffer: fraction("liquidationBuffer", 10n * ONE, "[0, 10]"),
    liquidationFee: fraction("liquidationFee", ONE / 10n, "[0, 0.1]"),
    takerFee: fraction("takerFee", ONE / 10n, "[0, 0.1]"),
    collateralLiquidationDiscount: fraction("collateralLiquidationDiscount", ONE - 1n, "[0, 1)"),
    liquidationCaps: Object.fromEntries(LIQUIDATION_CAPS.map((key) => [key, given[key] === undefined ? null
      : parseBounded(given[key], MONEY_SCALE, `${field}.${key}`, 1n, MAX_FUND, rangeText(1n, MAX_FUND, MONEY_SCALE))])) as unknown as LiquidationCaps,
    shockCollateral: given.shockCollateral === undefined ? true : asBoolean(given.shockCollateral, `${field}.shockCollateral`),
    grid: [],
    gridSpec: given.grid,
    gridParams: { priceScan: 0n, extremeMultiple: 0n, extremeCover: ONE },
    dynamicScan: null,
    correlation: given.correlation === undefined ? null : parseCorrelation(given.correlation, `${field}.correlation`),
    maxPriceAgeMs: Number(given.maxPriceAge === undefined
      ? DEFAULT_MAX_PRICE_AGE_S * 1000n
      : parseBounded(given.maxPriceAge, 3, `${field}.maxPriceAge`, 1n, 86_400_000n, "(0, 86400] seconds")),
    maxClockSkewMs: Number(given.maxClockSkew === undefined
      ? DEFAULT_MAX_CLOCK_SKEW_S * 1000n
      : parseBounded(given.maxClockSkew, 3, `${field}.maxClockSkew`, 1n, 31_536_000_000n, "(0, 31536000] seconds")),
  };
  if (params.optImMin > params.optIm) fail("OUT_OF_RANGE", `${field}.optImMin`, "optImMin must not exceed optIm");
  if (params.imMultiplier < ONE) fail("OUT_OF_RANGE", `${field}.imMultiplier`, "IM is at least MM: imMultiplier ≥ 1");
  const gridParams = {
    priceScan: fraction("priceScan", ONE, "[0, 1]"),
    extremeMultiple: fraction("extremeMultiple", 10n * ONE, "[0, 10]"),
    extremeCover: fraction("extremeCover", ONE, "(0, 1]"),
  };
  if (gridParams.extremeCover === 0n) fail("OUT_OF_RANGE", `${field}.extremeCover`, "a cover is in (0, 1]");
  if (gridParams.extremeMultiple * gridParams.priceScan > ONE * ONE) fail("OUT_OF_RANGE", `${field}.extremeMultiple`, "extreme moves must stay within ±100 %");
  params.grid = buildGrid(given.grid, gridParams, `${field}.grid`);
  params.gridParams = gridParams;
  const lambda = fraction("ewmaLambda", ONE - 1n, "(0, 1)");
  if (lambda === 0n) fail("OUT_OF_RANGE", `${field}.ewmaLambda`, "λ is in (0, 1)");
  const sigmas = fraction("scanSigmas", 20n * ONE, "[0, 20]");
  const mporDays = fraction("mporDays", 30n * ONE, "(0, 30] days");
  if (mporDays === 0n) fail("OUT_OF_RANGE", `${field}.mporDays`, "the margin period of risk is in (0, 30] days");
  const dynamic = given.dynamicMargin === undefined ? false : asBoolean(given.dynamicMargin, `${field}.dynamicMargin`);
  if (dynamic) {
    // a custom grid's moves are scaled by R / priceScan: with no priceScan they have no scale
    if (gridParams.priceScan === 0n && !isNamedGrid(given.grid)) fail("OUT_OF_RANGE", `${field}.priceScan`, "a custom grid under dynamicMargin is scaled by R / priceScan: priceScan must be above 0");
    params.dynamicScan = {
      lambda: Number(lambda) / 1e9, sigmas: Number(sigmas) / 1e9, mporDays: Number(mporDays) / 1e9,
      floor: gridParams.priceScan, cap: maxScanRange(params.grid, given.grid, gridParams),
    };
  }
  return params;
}

/**
 * Fails at the first correlation entry naming an id that is not one of `underlyingIds` (the
 * params given at `field`): a matrix over rows that do not exist could not be loaded back.
 */
export function assertCorrelationIds(overrides: Record<string, unknown>, params: Params, underlyingIds: ReadonlyMap<string, unknown>, field = "params"): void {
  // the matrix holds both orders of every pair, so each id named anywhere is one of its keys
  const unknown = [...(params.correlation?.keys() ?? [])].find((id) => !underlyingIds.has(id));
  if (unknown !== undefined) fail("UNKNOWN_ID", correlationPath(overrides, unknown, field), `no underlying "${unknown}"`);
}

/** The path at which the correlation rows given in `overrides` first name underlying `id`: its own row, or the first row naming it. */
function correlationPath(overrides: Record<string, unknown>, id: string, field: string): string {
  const rows = overrides.correlation as Record<string, Record<string, unknown>>;
  if (Object.hasOwn(rows, id)) return `${field}.correlation.${id}`;
  return `${field}.correlation.${Object.keys(rows).find((a) => Object.hasOwn(rows[a], id))}.${id}`;
}

/**
 * `{ "BTC": { "ETH": "0.8" } }`: ρ per pair of underlyings in [−1, 1]; a pair given both ways
 * must agree, an underlying with itself is 1, and a pair not given is 0.
 */
function parseCorrelation(value: unknown, field: string): Map<string, Map<string, bigint>> {
  const rows = asObject(value, field);
  const matrix = new Map<string, Map<string, bigint>>();
  const set = (a: string, b: string, rho: bigint, at: string) => {
    const known = matrix.get(a)?.get(b);
    if (known !== undefined && known !== rho) fail("OUT_OF_RANGE", at, `not symmetric: ρ(${a}, ${b}) is also given as ${Number(known) / 1e9}`);
    if (!matrix.has(a)) matrix.set(a, new Map());
    matrix.get(a)!.set(b, rho);
  };
  for (const [a, row] of Object.entries(rows)) {
    for (const [b, text] of Object.entries(asObject(row, `${field}.${a}`))) {
      const at = `${field}.${a}.${b}`;
      const rho = parseBounded(text, FRACTION_SCALE, at, -ONE, ONE, "[-1, 1]");
      if (a === b && rho !== ONE) fail("OUT_OF_RANGE", at, "an underlying's correlation with itself is 1");
      set(a, b, rho, at);
      set(b, a, rho, at);
    }
  }
  return matrix;
}

