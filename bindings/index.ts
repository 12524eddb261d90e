export { MarginEngine } from "./engine.js";
export type {
  AccountRisk, VenueRisk, AccountStatus, EngineOptions, RuntimeOptions, RawAccountRisk, Greeks, RawGreeks, ScenarioGrid,
  Liquidation, LiquidationOrder, LiquidationReport, AdlOrder, OrderRequest, OrderCheck, OrderRejection, RiskColumns,
} from "./engine.js";
export { MarginError } from "./errors.js";
export type { MarginErrorCode } from "./errors.js";
export type { AccountColumns } from "./account-columns.js";
export { parseDecimal, formatDecimal, PRICE_SCALE, MONEY_SCALE, FRACTION_SCALE } from "./decimal.js";
export { generateVenue } from "./generate.js";
export { renderReport } from "./report.js";
export type { CrashReport, CrashTick } from "./report.js";
