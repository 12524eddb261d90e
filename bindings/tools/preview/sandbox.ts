// The what-if venue the preview evaluates: the loaded venue's reference data with one (edited)
// account, and the chosen underlying prices. Nothing flows between accounts (docs/api.md,
// `parent`), so an account alone margins as it does among the others. What it neither holds nor
// orders is left out — instruments, assets priced by an underlying, underlyings, and their
// correlations — which keeps each evaluation small on a large venue. The loaded venue, as
// `toVenue()` writes it, carries the oracle clock wherever a print moved it past `now`, so the
// underlyings kept are judged fresh at the clock they had among all of them.
//
// A price P for an underlying whose index is I is applied as the liquidation price search
// applies it (docs/methodology.md §12): every oracle source prints P (so the index is P and its
// staleness is unchanged), the spot is P, and each linear mark of that underlying moves in
// proportion, mark × P / I rounded down; option marks stay and the mark guard re-anchors them.
import { parseDecimal, PRICE_SCALE, formatDecimal } from "../../core/decimal.js";

export type Json = Record<string, unknown>;

/** An account as the page edits it: the venue file's shape. */
export interface DraftAccount {
  id: string;
  mode: string;
  collateral: Record<string, string>;
  positions: { instrument: string; qty: string; entry: string }[];
}

const LINEAR = new Set(["perp", "future"]);
const raw = (text: unknown, field: string): bigint => parseDecimal(text, PRICE_SCALE, field);

/**
 * The one-account venue for `draft` with `prices` (underlying id → price, decimal) applied
 * against `indexes` (underlying id → its index in the loaded venue). `keep` names further
 * instruments to include (an order's).
 */
export function sandboxVenue(venue: Json, draft: DraftAccount, prices: Record<string, string>, indexes: Record<string, string>, keep: string[] = []): Json {
  const wanted = new Set([...draft.positions.map((p) => p.instrument), ...keep]);
  const moved = new Map<string, { price: bigint; index: bigint }>();
  for (const [id, price] of Object.entries(prices)) {
    const p = raw(price, `prices.${id}`), index = raw(indexes[id], `indexes.${id}`);
    if (p !== index) moved.set(id, { price: p, index });
  }
  const held = new Set(Object.keys(draft.collateral));
  const assets = (venue.assets as Json[]).filter((row) => row.underlying === undefined || row.underlying === null || held.has(row.id as string));
  const listed = (venue.instruments as Json[]).filter((row) => wanted.has(row.id as string));
  const used = new Set([...listed.map((row) => row.underlying), ...assets.map((row) => row.underlying)]);
  const underlyings = (venue.underlyings as Json[]).filter((u) => used.has(u.id)).map((u) => {
    const move = moved.get(u.id as string);
    if (move === undefined) return u;
    const price = formatDecimal(move.price, PRICE_SCALE);
    const sources = Array.isArray(u.sources) ? (u.sources as Json[]).map((s) => ({ ...s, price })) : u.sources;
    return { ...u, spot: price, sources };
  });
  const instruments = listed.map((row) => {
    const move = moved.get(row.underlying as string);
    if (move === undefined || !LINEAR.has(row.kind as string)) return row;
    return { ...row, mark: formatDecimal((raw(row.mark, "mark") * move.price) / move.index, PRICE_SCALE) };
  });
  const account = { id: draft.id, mode: draft.mode, collateral: draft.collateral, positions: draft.positions };
  return { ...venue, params: paramsAmong(venue.params, used), underlyings, assets, instruments, accounts: [account] };
}

/**
 * The venue's params with `correlation` narrowed to the underlyings kept (the pairs among them
 * unchanged). An empty matrix stays: it still means buckets combine under correlation (ρ = 0),
 * not that their losses add up.
 */
function paramsAmong(params: unknown, kept: Set<unknown>): unknown {
  const correlation = (params as Json | null | undefined)?.correlation as Record<string, Record<string, string>> | null | undefined;
  if (correlation === null || correlation === undefined) return params;
  // fromEntries defines own keys: an id such as `__proto__` stays a key
  const rows = Object.entries(correlation).filter(([a]) => kept.has(a))
    .map(([a, row]) => [a, Object.fromEntries(Object.entries(row).filter(([b]) => kept.has(b)))]);
  return { ...(params as Json), correlation: Object.fromEntries(rows) };
}

/**
 * A field of the what-if venue as the loaded venue names it. The copy's rows (its one account,
 * and the instruments, underlyings and assets it keeps) are not at their places in the venue, so
 * they are named by id, as the liquidation pass names an account: `accounts[0].positions[1].qty`
 * is `accounts.acc-17.positions[1].qty`, `underlyings[0].spot` is `underlyings.BTC.spot`.
 */
export function venueField(sandbox: Json, field: string): string {
  const match = /^(accounts|instruments|underlyings|assets)\[(\d+)\](?:\.(.*))?$/s.exec(field);
  const row = match === null ? undefined : (sandbox[match[1]] as Json[])[Number(match[2])];
  if (match === null || row === undefined) return field;
  const rest = match[3] === undefined ? "" : `.${match[3]}`;
  return `${match[1]}.${row.id as string}${rest}`;
}

/** `count` prices evenly spaced over index × [1 − span, 1 + span], span in thousandths, as exact decimals. */
export function priceLadder(index: string, spanPerMille: number, count: number): string[] {
  const base = raw(index, "index");
  return Array.from({ length: count }, (_, k) => {
    const perTenThousand = BigInt(Math.round(-spanPerMille * 10 + (k * 20 * spanPerMille) / (count - 1)));
    return formatDecimal((base * (10_000n + perTenThousand)) / 10_000n, PRICE_SCALE);
  });
}

/** index × (1000 + perMille) / 1000, rounded down to a whole price unit. */
export function priceAt(index: string, perMille: number): string {
  return formatDecimal((raw(index, "index") * BigInt(1000 + perMille)) / 1000n, PRICE_SCALE);
}
