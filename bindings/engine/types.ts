// The public result and option types of MarginEngine: plain data, money as decimal strings (or
// raw bigints where the name says Raw), so they serialize as they are.
import type { STATUS_NAMES } from "../core/constants.generated.js";
import type { MarginErrorCode } from "../core/errors.js";
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
  /** Per underlying the account holds a position on or a balance priced by: the nearest index price at which it is liquidatable (its index when it already is; null: none within ±99 % and the price limit). */
  liquidationPrice?: Record<string, string | null>;
}

/** Which accounts `accounts()` describes, and whether with liquidation prices (a search per underlying held: slower). */
export interface AccountsOptions {
  liquidationPrices?: boolean | null;
  /** The first account, in account order (default 0). */
  offset?: number | null;
  /** How many accounts at most (default all); with `offset`, pages through a large venue. */
  limit?: number | null;
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

/** An instrument trade of a liquidation: qty signed as traded (buying back a short is positive), at its fill price. */
export interface LiquidationOrder { instrument: string; qty: string; price: string }
/** A collateral trade of a liquidation: qty in asset units, negative for a sale, positive for a loan bought back. */
export interface CollateralOrder { asset: string; qty: string; price: string }
/** An opposing position closed by auto-deleveraging, signed as the opponent held it, and what it paid. */
export interface AdlOrder { account: string; instrument: string; qty: string; price: string; amount: string; equityBefore: string; equityAfter: string }
export interface Liquidation {
  id: string;
  rank: number;
  equity: string;
  maintenanceMargin: string;
  shortfall: string;
  /** equity / MM for display; null stands for −∞ (negative equity with no MM). */
  health: number | null;
  /** An underlying the account is exposed to is stale (no quorum of fresh sources): no liquidation orders until it is fresh. */
  deferred: boolean;
  /** Instrument trades, then collateral trades. */
  orders: (LiquidationOrder | CollateralOrder)[];
  /** Notional of those trades (instruments at the mark, collateral at its price). */
  notional: string;
  /** Liquidation fee paid to the insurance fund. */
  fee: string;
  /** Price impact of the fills against instruments' depth, paid to the fund. */
  priceImpact: string;
  /** Discount on the collateral trades, paid to the fund. */
  collateralDiscount: string;
  /** Equity was negative: the account is closed out. */
  bankruptcy: boolean;
  /** A cap or an instrument's depth kept some trade back: the account stays in the queue while it is liquidatable. */
  cutShort: boolean;
  /** A limit kept the account from being liquidated (see the report's `skipped`). */
  skipped: boolean;
  /** The deficit settled in this pass (flat account, negative equity), and how. */
  deficit: string;
  /** What the insurance fund paid towards the deficit. */
  insurancePaid: string;
  adl: AdlOrder[];
  /** Deficit neither the fund nor ADL could cover: written off as bad debt. */
  uncoveredDeficit: string;
}
/** An account left as it was because liquidating it would break a limit; it stays in the queue. */
export interface SkippedLiquidation { account: string; code: MarginErrorCode; message: string }
export interface LiquidationReport {
  queue: Liquidation[];
  skipped: SkippedLiquidation[];
  /** The insurance fund before and after the pass. */
  fundBefore: string;
  insuranceFund: string;
  feesPaid: string;
  priceImpact: string;
  collateralDiscounts: string;
  insurancePaid: string;
  socializedLoss: string;
  /** Deficits written off: Σ uncoveredDeficit. */
  badDebt: string;
  /** Equity collateral trades released (their haircut, net of the discount to the fund and rounding). */
  haircutReleased: string;
  /** Notional the pass traded: instrument fills at the mark and collateral at its price (ADL excluded). */
  liquidatedNotional: string;
}

/** The direction of an order for maxOrder: buy adds lots, sell removes them. */
export type OrderSide = "buy" | "sell";
export interface OrderRequest { account: string; instrument: string; qty: string; price: string }
export type OrderRejection = "INSUFFICIENT_MARGIN" | "STALE_PRICE" | "ACCOUNT_BANKRUPT" | "OVER_TIER_LIMIT" | "EXPIRED";

/** One oracle source of an underlying as the engine holds it, judged at the oracle clock. */
export interface OracleSource {
  id: string;
  /** Its last price (8 decimals). */
  price: string;
  /** The time of that price, ms since the epoch. */
  time: number;
  /** Fresh at the oracle clock and within maxSourceDeviation of the fresh sources' median: part of the index while such sources are more than half. */
  counted: boolean;
}

/** What settleExpired did: money as decimal strings (6 decimals), prices and quantities at 8. */
export interface ExpirySettlement {
  /** Instruments with positions settled by this call, each at its underlying's index (one may also be listed under `deferred`, for holders it could not settle yet). */
  instruments: { id: string; index: string }[];
  /** Positions closed: quantity as held, and the cash credited to the settlement balance (negative: debited). */
  positions: { account: string; instrument: string; qty: string; amount: string }[];
  /** Expired instruments still held: their underlying is stale, or a holder's settlement balance would pass its limit. */
  deferred: string[];
}
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

/** One side of an account in a what-if: its status and figures. */
export interface WhatIfSide { status: AccountStatus; equity: string; initialMargin: string; maintenanceMargin: string }
/** An account the proposal pushes into restricted, liquidatable or bankrupt. */
export interface WhatIfAccount { id: string; before: WhatIfSide; after: WhatIfSide; maintenanceMarginChange: string }
export interface VenueTotals { equity: string; initialMargin: string; maintenanceMargin: string }
/** The venue against itself under proposed parameters (docs/methodology.md §14). */
export interface WhatIfReport {
  /** The parameter overrides in force and proposed. */
  params: { before: Record<string, unknown>; after: Record<string, unknown> };
  accountCount: number;
  /** Accounts whose status changes, per (from, to) pair with a count above zero. */
  transitions: { from: AccountStatus; to: AccountStatus; count: number }[];
  statusCounts: { before: Record<AccountStatus, number>; after: Record<AccountStatus, number> };
  /** Proposed minus current venue totals. */
  delta: VenueTotals;
  totals: { before: VenueTotals; after: VenueTotals };
  /** How many accounts move to a worse status that is at least restricted. */
  worsened: number;
  /** The first `top` of those, largest rise in MM first (ties by account order). */
  accounts: WhatIfAccount[];
}
