// The pieces a partial liquidation's sizing searches (docs/methodology.md §10), from the venue
// file's rows: where a falling maintenance rate or a negative correlation can make the slack
// stop being concave in the lots closed. Shared by both liquidation twins.
import { parseDecimal } from "./decimal.mjs";

/** Most lots tried one by one under a negative correlation. */
export const SCAN_LOTS = 4096n;

/** ρ between underlyings u and v as the venue gives it (once or twice), 0 when not given. */
function correlationOf(venue, u, v) {
  const table = venue.params?.correlation ?? {};
  const text = table[u]?.[v] ?? table[v]?.[u];
  return text === undefined ? 0n : parseDecimal(text, 9);
}

/**
 * How to search the closes of 1 … allowed lots of `size` lots of instrument `row`, at its guarded
 * `mark`, held by `account` (its book when the entry starts): `{ scan: true }` to try every count,
 * else `{ pieces: [[low, high], …] }`, ascending, each searched as concave.
 */
export function sizingPieces(venue, account, row, mark, size, allowed) {
  const underlyingOf = new Map(venue.instruments.map((x) => [x.id, x.underlying]));
  const assetUnderlying = new Map(venue.assets.map((x) => [x.id, x.underlying ?? null]));
  const mode = account.mode ?? "standard";
  if (mode === "portfolio" && allowed <= SCAN_LOTS) {
    const held = [
      ...account.positions.map((p) => underlyingOf.get(p.instrument)),
      ...Object.keys(account.collateral ?? {}).map((asset) => assetUnderlying.get(asset)).filter((u) => u !== null),
    ];
    if (held.some((v) => v !== row.underlying && correlationOf(venue, row.underlying, v) < 0n)) return { scan: true };
  }
  const starts = [];
  if (mode === "standard" && row.kind !== "option") {
    const tiers = row.tiers;
    const lotSize = parseDecimal(row.lotSize, 8);
    for (let k = 0; k + 1 < tiers.length; k++) {
      if (parseDecimal(tiers[k + 1].mmf, 9) >= parseDecimal(tiers[k].mmf, 9)) continue;
      // the most lots whose notional ⌈r × lotSize × mark / 10^10⌉ stays within the bound
      const bound = parseDecimal(tiers[k].upTo, 6);
      const within = mark === 0n ? size : (bound * 10n ** 10n) / (lotSize * mark);
      const start = size - (within < size ? within : size);
      if (start > 1n && start <= allowed) starts.push(start);
    }
  }
  const sorted = [...new Set(starts)].sort((x, y) => (x < y ? -1 : 1));
  const pieces = [];
  let low = 1n;
  for (const start of sorted) {
    pieces.push([low, start - 1n]);
    low = start;
  }
  pieces.push([low, allowed]);
  return { pieces };
}

/**
 * Whether some close in [low, high] restores, the slack concave there (slackAt(k): the slack of
 * closing k lots): the upper end of a run of restoring closes, or null. When closing `high` does
 * not restore, a smaller close can only at the slack's peak, where it falls over the last lot,
 * found by bisecting on its slope over [low, high − 1].
 */
export function restoringTop(low, high, slackAt) {
  if (slackAt(high) >= 0n) return high;
  if (high === low || slackAt(high - 1n) < slackAt(high)) return null;
  let peak = low;
  for (let end = high - 1n; peak < end;) {
    const mid = (peak + end) / 2n;
    if (slackAt(mid) >= slackAt(mid + 1n)) end = mid;
    else peak = mid + 1n;
  }
  return slackAt(peak) >= 0n ? peak : null;
}
