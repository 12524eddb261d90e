// What a liquidation pass did, raw (docs/methodology.md §10): per queue entry its trades,
// fees and the settlement of its deficit, and per pass the money each rule moved.
import type { MarginErrorCode } from "../../core/errors.js";

/** An instrument trade: `lots` signed as traded (buying back a short is positive), at `price` (1e8). */
export interface InstrumentOrder { instrument: number; lots: number; price: bigint; notional: bigint; impact: bigint }
/** A collateral trade: `amount` signed as traded (1e8 units; a sale is negative), at `price` (1e8). */
export interface CollateralTrade { asset: number; amount: bigint; price: bigint; notional: bigint; discount: bigint }
/** An opposing position closed by auto-deleveraging: lots signed as the opponent held them. */
export interface AdlFill {
  account: number; instrument: number; lots: number; price: bigint; amount: bigint;
  /** The opponent's equity before and after the fill. */
  equityBefore: bigint; equityAfter: bigint;
}
/** An account a limit kept from being liquidated (or an opponent from one ADL fill). */
export interface Skip { account: number; code: MarginErrorCode; message: string }

export interface QueueEntry {
  account: number;
  rank: number;
  equity: bigint;
  maintenanceMargin: bigint;
  deferred: boolean;
  /** Equity was negative when the entry was processed: everything is closed out. */
  bankruptcy: boolean;
  orders: InstrumentOrder[];
  trades: CollateralTrade[];
  feePaid: bigint;
  impactPaid: bigint;
  discountPaid: bigint;
  /** Equity the entry's collateral trades released (Σ equity + fund moves by it; see PassResult). */
  haircutReleased: bigint;
  /** A cap or an instrument's depth stopped a trade: the account may stay in the queue. */
  cutShort: boolean;
  skipped: boolean;
  /** The deficit settled by this entry (0 when none), and how: fund, ADL, written off. */
  deficit: bigint;
  fundPaid: bigint;
  adl: AdlFill[];
  uncovered: bigint;
}

export interface PassResult {
  entries: QueueEntry[];
  skipped: Skip[];
  feesPaid: bigint;
  impactPaid: bigint;
  discountsPaid: bigint;
  fundPaid: bigint;
  socializedLoss: bigint;
  /** Deficits neither the fund nor ADL covered, written off. */
  badDebt: bigint;
  /** Equity that collateral trades released: the haircut on what became cash, net of rounding. */
  haircutReleased: bigint;
  /** Notional traded in the pass (instruments and collateral, ADL excluded). */
  liquidatedNotional: bigint;
  fundBefore: bigint;
  fundAfter: bigint;
}

export function emptyEntry(account: number, rank: number, equity: bigint, maintenanceMargin: bigint, deferred: boolean): QueueEntry {
  return {
    account, rank, equity, maintenanceMargin, deferred, bankruptcy: false, orders: [], trades: [], feePaid: 0n, impactPaid: 0n,
    discountPaid: 0n, haircutReleased: 0n, cutShort: false, skipped: false, deficit: 0n, fundPaid: 0n, adl: [], uncovered: 0n,
  };
}
