// The pieces a partial liquidation's sizing searches (docs/methodology.md §10), from the venue
// file's rows and the account's bucket losses: where a falling maintenance rate, or a correlated
// MM that is not convex in a bucket's loss, can make the slack stop being concave in the lots
// closed. Shared by both liquidation twins.
import { parseDecimal } from "./decimal.mjs";
import { correlationOf } from "./correlation.mjs";

/** Most lots tried one by one where a correlated MM may not be convex. */
const SCAN_LOTS = 4096n;

const F = 10n ** 9n;

/**
 * Whether a correlated MM may fail to be convex in bucket u's loss L, the other buckets' losses
 * L_c fixed: MM = √((L + α)² + γ − α²) with α = Σ_c ρ_uc L_c, γ = Σ_c Σ_d ρ_cd L_c L_d over the
 * others, convex and rising in L ≥ 0 when α ≥ 0 and γ ≥ α² (at ρ's scale: γ × F ≥ α²).
 */
function mayBend(rho, buckets, u) {
  const others = [...buckets].filter(([v]) => v !== u);
  let alpha = 0n, gamma = 0n;
  for (const [v, { loss }] of others) {
    alpha += rho(u, v) * loss;
    for (const [w, other] of others) gamma += rho(v, w) * loss * other.loss;
  }
  return !(alpha >= 0n && gamma * F >= alpha * alpha);
}

/**
 * How to search the closes of 1 … allowed lots of `size` lots of instrument `row`, at its guarded
 * `mark`, held by `account`, whose buckets (a portfolio account's, underlying → { loss }, for its
 * book as it stands) are `buckets`: `{ scan: true }` to try every count, else
 * `{ pieces: [[low, high], …] }`, ascending, each searched as concave.
 */
function sizingPieces(venue, account, row, mark, size, allowed, buckets) {
  const mode = account.mode ?? "standard";
  const rho = correlationOf(venue.params);
  if (mode === "portfolio" && rho !== null && allowed <= SCAN_LOTS && mayBend(rho, buckets, row.underlying)) return { scan: true };
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
 * The first run of restoring closes sizing finds among 1 … allowed lots (slackAt(k), a bigint k:
 * the slack of closing k lots), as `{ bottom, top }`: closing `top` restores, and the fewest
 * restoring lots are within [bottom, top] — the piece it lies in, or, where every count is
 * tried, the fewest itself. null when no close restores. Arguments as sizingPieces takes them.
 */
export function restoringRun(venue, account, row, mark, size, allowed, buckets, slackAt) {
  const search = sizingPieces(venue, account, row, mark, size, allowed, buckets);
  if (search.scan) {
    for (let k = 1n; k <= allowed; k++) if (slackAt(k) >= 0n) return { bottom: k, top: k };
    return null;
  }
  for (const [low, high] of search.pieces) {
    const top = restoringTop(low, high, slackAt);
    if (top !== null) return { bottom: low, top };
  }
  return null;
}

/**
 * Whether some close in [low, high] restores, the slack concave there: the upper end of a run of
 * restoring closes, or null. When closing `high` does not restore, a smaller close can only at
 * the slack's peak, where it falls over the last lot, found by bisecting on its slope over
 * [low, high − 1].
 */
function restoringTop(low, high, slackAt) {
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
