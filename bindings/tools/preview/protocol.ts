// Messages between the preview page and its engine worker. Every request carries an id that its
// reply repeats; money and prices travel as exact decimal strings (or raw bigint columns).
import type { AccountRisk, OrderCheck, OrderSide, ScenarioGrid, VenueRisk } from "../../engine.js";
import type { DraftAccount } from "./sandbox.js";

export interface InstrumentInfo { id: string; kind: string; underlying: string; lotSize: string; mark: string; strike?: string; right?: string; expiry?: string }
export interface UnderlyingInfo { id: string; index: string; stale: boolean }

/** Where a venue comes from: text in hand, a picked or dropped file (read in the worker), or a URL to fetch. */
export type VenueSource = { text: string } | { file: Blob } | { url: string };

export interface OrderTicket { instrument: string; side: OrderSide; qty: string; price: string }

export type Request =
  | { id: number; type: "load"; source: VenueSource; name: string }
  | { id: number; type: "account"; account: string }
  | { id: number; type: "evaluate"; draft: DraftAccount; prices: Record<string, string>; order: OrderTicket | null; chart: string | null };

export interface LoadReply {
  name: string;
  settlement: string;
  now: string;
  underlyings: UnderlyingInfo[];
  assets: { id: string; underlying: string | null }[];
  instruments: InstrumentInfo[];
  totals: VenueRisk;
  /** Account ids in venue order, as one JSON array text: one string crosses threads far faster than 10,000. */
  idsJson: string;
  /** Per account, in venue order: 1 portfolio, 0 standard. */
  mode: Uint8Array;
  status: Uint8Array;
  equity: BigInt64Array;
  maintenanceMargin: BigInt64Array;
  loadMs: number;
}

export interface AccountReply { draft: DraftAccount; parent: string | null; subAccounts: string[] }

/** The figures at each price of the ladder; null where the engine refuses that price (`refused` gives how many and the first refusal's line). */
export interface Curve {
  underlying: string; prices: string[]; equity: (string | null)[]; maintenanceMargin: (string | null)[]; initialMargin: (string | null)[];
  refused: { count: number; message: string } | null;
}

export interface EvaluateReply {
  risk: AccountRisk;
  scenarios: ScenarioGrid | null;
  order: { check: OrderCheck | null; max: string | null; error: string | null } | null;
  curve: Curve | null;
  /** The mark of each instrument the draft holds, at the chosen prices (a linear mark moves in proportion). */
  marks: Record<string, string>;
}

export type Reply =
  | { id: number; ok: true; value: LoadReply | AccountReply | EvaluateReply }
  | { id: number; ok: false; error: string };
