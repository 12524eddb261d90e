// The lean library entry (the browser build): the engine, its errors and decimal helpers, and
// nothing else — no report renderer, chart library or generator.
export { MarginEngine } from "./engine.js";
export type * from "./engine/types.js";
export type { Scenario } from "./venue/grid.js";
export type { Bucket } from "./engine/present.js";
export { MarginError } from "./core/errors.js";
export type { MarginErrorCode } from "./core/errors.js";
export type { AccountColumns } from "./venue/account-columns.js";
export { parseDecimal, formatDecimal, PRICE_SCALE, MONEY_SCALE, FRACTION_SCALE } from "./core/decimal.js";
