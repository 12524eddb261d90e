// The twin of the dynamic scan range (docs/methodology.md §5), written from the rule: EWMA variance of
// index log returns per day, candidate = sigmas × σ_daily × √mpor (floor and cap), and the charged
// range kept within [candidate, 1.25 × candidate]. The variance is f64 on both sides.
const DAY_MS = 86_400_000;

const ceilQuarterMore = (c) => (c * 5n + 3n) / 4n;

/**
 * Replays `samples` ({ index: bigint raw 1e8, time: ms }) from `start`; returns the candidate and
 * charged range (fractions, 1e9 raw) after each sample.
 */
export function referenceScanPath({ vol, lambda, sigmas, mporDays, floor, cap }, start, samples) {
  const candidateOf = (variance) => {
    const range = Math.ceil(sigmas * Math.sqrt(variance) * Math.sqrt(mporDays) * 1e9);
    if (range >= Number(cap)) return cap;
    return BigInt(range) < floor ? floor : BigInt(range);
  };
  const band = (candidate) => (ceilQuarterMore(candidate) < cap ? ceilQuarterMore(candidate) : cap);
  const sigma = Number(vol) / 1e9;
  let variance = (sigma * sigma) / 365, index = start.index, time = start.time;
  let candidate = candidateOf(variance), range = band(candidate);
  const path = [{ candidate, range }];
  for (const sample of samples) {
    if (sample.time > time) {
      const days = (sample.time - time) / DAY_MS;
      const logReturn = Math.log(Number(sample.index) / Number(index));
      const keep = Math.pow(lambda, days);
      variance = keep * variance + (1 - keep) * logReturn * logReturn / days;
      candidate = candidateOf(variance);
      if (range < candidate) range = candidate;
      else if (range > band(candidate)) range = band(candidate);
      index = sample.index;
      time = sample.time;
    }
    path.push({ candidate, range });
  }
  return path;
}
