// The preview page's engine, in a Web Worker so that loading and evaluating never block the page.
// It holds the loaded venue (parsed once) and its engine; each evaluation margins the edited
// account alone in a small what-if venue (sandbox.ts) at the chosen prices.
import { MarginEngine, type AccountRisk } from "../../engine.js";
import { MarginError } from "../../core/errors.js";
import { formatDecimal, PRICE_SCALE } from "../../core/decimal.js";
import type { AccountReply, Curve, EvaluateReply, InstrumentInfo, LoadReply, OrderTicket, Reply, Request, VenueSource } from "./protocol.js";
import { priceLadder, sandboxVenue, venueField, type DraftAccount, type Json } from "./sandbox.js";

/** The chart's price range: ±50 % of the index in 81 steps. */
const CHART_SPAN_PER_MILLE = 500, CHART_POINTS = 81;

interface Loaded { venue: Json; engine: MarginEngine; accounts: Map<string, Json>; indexes: Record<string, string> }
let loaded: Loaded | null = null;

const scope = self as unknown as { onmessage: ((event: MessageEvent<Request>) => void) | null; postMessage(message: Reply, transfer?: Transferable[]): void };

scope.onmessage = (event) => {
  void handle(event.data);
};

async function handle(request: Request): Promise<void> {
  try {
    const { value, transfer } = await answer(request);
    scope.postMessage({ id: request.id, ok: true, value }, transfer);
  } catch (error) {
    const message = error instanceof MarginError ? error.message : `${(error as Error).name}: ${(error as Error).message}`;
    scope.postMessage({ id: request.id, ok: false, error: message });
  }
}

async function answer(request: Request): Promise<{ value: LoadReply | AccountReply | EvaluateReply; transfer?: Transferable[] }> {
  if (request.type === "load") return load(await textOf(request.source), request.name);
  if (loaded === null) throw new Error("no venue is loaded");
  if (request.type === "account") return { value: account(loaded, request.account) };
  return { value: await evaluate(loaded, request.draft, request.prices, request.order, request.chart) };
}

/** The venue's text, read here rather than on the page's thread. */
async function textOf(source: VenueSource): Promise<string> {
  if ("text" in source) return source.text;
  if ("file" in source) return source.file.text();
  const response = await fetch(source.url);
  if (!response.ok) throw new MarginError("MALFORMED", "venue", `${source.url} answered ${response.status}`);
  return response.text();
}

async function load(text: string, name: string): Promise<{ value: LoadReply; transfer: Transferable[] }> {
  const started = performance.now();
  let venue: Json;
  try {
    venue = JSON.parse(text) as Json;
  } catch (error) {
    throw new MarginError("MALFORMED", "venue", `not valid JSON: ${(error as Error).message}`);
  }
  const engine = await MarginEngine.fromVenue(venue);
  // the venue as the engine holds it: its valuation time written out (a file may leave it to the
  // load), the settlement asset listed, every row in the engine's own form — so each what-if
  // margins what the engine loaded, at the same time
  venue = engine.toVenue();
  const accounts = new Map<string, Json>();
  for (const row of (venue.accounts ?? []) as Json[]) accounts.set(row.id as string, row);
  const stale = new Set(engine.staleUnderlyings());
  const underlyings = ((venue.underlyings ?? []) as Json[]).map((u) => {
    const id = u.id as string;
    return { id, index: formatDecimal(engine.underlyingIndex(id), PRICE_SCALE), stale: stale.has(id) };
  });
  const indexes = Object.fromEntries(underlyings.map((u) => [u.id, u.index]));
  const instruments = ((venue.instruments ?? []) as Json[]).map((row): InstrumentInfo => ({
    id: row.id as string, kind: row.kind as string, underlying: row.underlying as string, lotSize: row.lotSize as string, mark: row.mark as string,
    strike: row.strike as string | undefined, right: row.right as string | undefined, expiry: row.expiry as string | undefined,
  }));
  const assets = ((venue.assets ?? []) as Json[]).map((row) => ({ id: row.id as string, underlying: (row.underlying as string | undefined) ?? null }));
  const columns = engine.riskColumns();
  const ids = [...accounts.keys()];
  const mode = Uint8Array.from(ids, (id) => (accounts.get(id)!.mode === "portfolio" ? 1 : 0));
  loaded = { venue, engine, accounts, indexes };
  const value: LoadReply = {
    name, settlement: String(venue.settlement ?? "USD"), now: String(venue.now ?? ""), underlyings, assets, instruments, totals: engine.totals(), idsJson: JSON.stringify(ids), mode,
    status: columns.status, equity: columns.equity, maintenanceMargin: columns.maintenanceMargin, loadMs: performance.now() - started,
  };
  return { value, transfer: [mode.buffer, columns.status.buffer, columns.equity.buffer, columns.maintenanceMargin.buffer] };
}

function account(state: Loaded, id: string): AccountReply {
  const row = state.accounts.get(id);
  if (row === undefined) throw new MarginError("UNKNOWN_ID", "account", `no account "${id}"`);
  const risk = state.engine.account(id);
  const positions = ((row.positions ?? []) as Json[]).map((p) => ({ instrument: p.instrument as string, qty: p.qty as string, entry: p.entry as string }));
  const draft: DraftAccount = { id, mode: risk.mode, collateral: { ...((row.collateral ?? {}) as Record<string, string>) }, positions };
  return { draft, parent: risk.parent, subAccounts: risk.subAccounts };
}

async function evaluate(state: Loaded, draft: DraftAccount, prices: Record<string, string>, order: OrderTicket | null, chart: string | null): Promise<EvaluateReply> {
  const keep = order ? [order.instrument] : [];
  const venue = sandboxVenue(state.venue, draft, prices, state.indexes, keep);
  const engine = await sandboxEngine(venue);
  const risk = engine.account(draft.id);
  const scenarios = draft.mode === "portfolio" ? engine.scenarios(draft.id) : null;
  const curve = chart !== null && Object.hasOwn(state.indexes, chart) ? await curveOf(state, draft, prices, chart) : null;
  const marks = Object.fromEntries((venue.instruments as Json[]).map((row) => [row.id as string, row.mark as string]));
  return { risk, scenarios, order: order ? checkTicket(engine, draft.id, order) : null, curve, marks };
}

/** The what-if venue's engine; a refusal names the field as the loaded venue does (venueField). */
async function sandboxEngine(venue: Json): Promise<MarginEngine> {
  try {
    return await MarginEngine.fromVenue(venue);
  } catch (error) {
    if (error instanceof MarginError) throw new MarginError(error.code, venueField(venue, error.field), error.detail);
    throw error;
  }
}

function checkTicket(engine: MarginEngine, account: string, order: OrderTicket): EvaluateReply["order"] {
  let max: string | null = null;
  try {
    max = engine.maxOrder(account, order.instrument, order.side, order.price);
  } catch (error) {
    if (!(error instanceof MarginError)) throw error;
  }
  try {
    const qty = order.side === "sell" && !/^0*\.?0*$/.test(order.qty) ? `-${order.qty}` : order.qty;
    return { check: engine.checkOrder({ account, instrument: order.instrument, qty, price: order.price }), max, error: null };
  } catch (error) {
    if (!(error instanceof MarginError)) throw error;
    return { check: null, max, error: error.message };
  }
}

/**
 * Equity, IM and MM of the account at each price of the ladder for one underlying, the others as
 * chosen. A price the engine refuses (a mark moved in proportion past the price limit, a holding
 * past its notional) is a gap in the curve, not a refusal of the account's figures.
 */
async function curveOf(state: Loaded, draft: DraftAccount, prices: Record<string, string>, underlying: string): Promise<Curve> {
  const ladder = priceLadder(state.indexes[underlying], CHART_SPAN_PER_MILLE, CHART_POINTS);
  const curve: Curve = { underlying, prices: ladder, equity: [], maintenanceMargin: [], initialMargin: [], refused: null };
  for (const price of ladder) {
    let risk: AccountRisk | null = null;
    try {
      risk = (await sandboxEngine(sandboxVenue(state.venue, draft, { ...prices, [underlying]: price }, state.indexes))).account(draft.id);
    } catch (error) {
      if (!(error instanceof MarginError)) throw error;
      curve.refused = { count: (curve.refused?.count ?? 0) + 1, message: curve.refused?.message ?? error.message };
    }
    curve.equity.push(risk?.equity ?? null);
    curve.maintenanceMargin.push(risk?.maintenanceMargin ?? null);
    curve.initialMargin.push(risk?.initialMargin ?? null);
  }
  return curve;
}
