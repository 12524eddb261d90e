// The public result and option types of MarginEngine: plain data, money as decimal strings (or
// raw bigints where the name says Raw), so they serialize as they are.
import type { STATUS_NAMES } from "../core/constants.generated.js";
import type { RuntimeOptions } from "../module/wasm.js";
import type { VenueSettingsText } from "../venue/file.js";

export type { RuntimeOptions };

/** An account's status by the module's code, 0 healthy … 3 bankrupt. */
export type AccountStatus = (typeof STATUS_NAMES)[number];

/** Greeks of one underlying: delta and gamma in base units, vega and theta in money (docs/methodology.md §7). */
export interface Greeks { delta: string; gamma: string; vega: string; theta: string }
/** Per-lot greeks as raw fixed point: delta and gamma at scale 1e9, vega and theta at 1e6. */
export interface RawGreeks { delta: bigint; gamma: bigint; vega: bigint; theta: bigint }

export interface ScenarioGrid {
  account: string;
  buckets: {
    underlying: string;
    scenarios: { move: string; vol: "down" | "none" | "up"; cover: string; pnl: string }[];
    shortOptionMinimum: string;
    margin: string;
    /** Index of the scenario whose covered loss is the margin; null when the minimum (or nothing) binds. */
    binding: number | null;
  }[];
}

export interface AccountRisk {
  id: string;
  mode: "standard" | "portfolio";
  parent: string | null;
  subAccounts: string[];
  equity: string;
  initialMargin: string;
  maintenanceMargin: string;
  /** MM / equity for display; null when equity ≤ 0. */
  marginRatio: number | null;
  status: AccountStatus;
  /** Per underlying the account holds positions on. */
  greeks: Record<string, Greeks>;
  /** Per underlying held: the nearest index price at which the account is liquidatable (null: none within ±99 %). */
  liquidationPrice?: Record<string, string | null>;
}

/** Which accounts `accounts()` describes, and whether with liquidation prices (a search per underlying held: slower). */
export interface AccountsOptions {
  liquidationPrices?: boolean;
  /** The first account, in account order (default 0). */
  offset?: number;
  /** How many accounts at most (default all); with `offset`, pages through a large venue. */
  limit?: number;
}

export interface VenueRisk {
  accounts: number;
  equity: string;
  initialMargin: string;
  maintenanceMargin: string;
  statusCounts: Record<AccountStatus, number>;
  /** Net greeks of all accounts, per underlying with open positions. */
  greeks: Record<string, Greeks>;
}


/** Runtime options and the venue settings (`now` defaults to the current time). */
export interface EngineOptions extends RuntimeOptions, VenueSettingsText {}

export interface LiquidationOrder { instrument: string; qty: string; price: string }
export interface AdlOrder { account: string; instrument: string; qty: string; price: string; amount: string }
export interface Liquidation {
  id: string;
  rank: number;
  equity: string;
  maintenanceMargin: string;
  shortfall: string;
  /** equity / MM for display; null stands for −∞ (negative equity with no MM). */
  health: number | null;
  /** An underlying the account is exposed to has no fresh price: no orders until it has. */
  deferred: boolean;
  orders: LiquidationOrder[];
  /** Liquidation fee paid to the insurance fund. */
  fee: string;
  bankruptcy: boolean;
  /** What the insurance fund paid towards the deficit. */
  insurancePaid: string;
  adl: AdlOrder[];
  /** Deficit nothing could cover (no fund left and no opposing position). */
  uncoveredDeficit: string;
}
export interface LiquidationReport {
  queue: Liquidation[];
  insuranceFund: string;
  feesPaid: string;
  insurancePaid: string;
  socializedLoss: string;
}

export interface OrderRequest { account: string; instrument: string; qty: string; price: string }
export type OrderRejection = "INSUFFICIENT_MARGIN" | "STALE_PRICE" | "ACCOUNT_BANKRUPT" | "OVER_TIER_LIMIT";
export interface OrderCheck {
  accepted: boolean;
  reason: OrderRejection | null;
  initialMarginBefore: string;
  initialMarginAfter: string;
  equityAfter: string;
}
/** checkOrderRaw's answer: money raw at 1e6. */
export interface RawOrderCheck {
  accepted: boolean;
  reason: OrderRejection | null;
  initialMarginBefore: bigint;
  initialMarginAfter: bigint;
  equityAfter: bigint;
}

/** Stored per-account results; status codes index STATUS_NAMES (0 healthy … 3 bankrupt). */
export interface RiskColumns {
  equity: BigInt64Array;
  maintenanceMargin: BigInt64Array;
  status: Uint8Array;
  equityTotal: bigint;
  maintenanceMarginTotal: bigint;
  statusCounts: Record<AccountStatus, number>;
}

export interface RawAccountRisk { equity: bigint; initialMargin: bigint; maintenanceMargin: bigint; status: AccountStatus }
