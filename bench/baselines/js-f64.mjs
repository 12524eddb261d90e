// Plain JS baseline: the portfolio-margin aggregation of docs/methodology.md §5 in f64 over
// Float64Array tables — the same walk as the engine and the native kernel, with no rounding
// rules at all (values in µ-units as doubles), so it is fast and inexact. Its error against the
// engine's exact MM is reported next to its time.

/** Returns run(): fills and returns a Float64Array of every account's MM (µ-units, f64). */
export function createF64Kernel(inputs) {
  const {
    accounts: N, underlyings: U, scenarios: S, moveF64: move, coverF64: cover,
    instrumentUnderlying, instrumentIsOption, lotValueF64: lotValue, shortMinF64: shortMin, riskArrayF64: risk,
    assetUnderlying, creditF64: credit, loanF64: loan,
    positionOffsets, positionInstrument, positionLots, collateralOffsets, collateralAsset, collateralAmountF64: collateralAmount,
  } = inputs;
  const exposure = new Float64Array(U), minimum = new Float64Array(U), pnl = new Float64Array(U * S);
  const inBucket = new Uint8Array(U), bucketList = new Int32Array(U);
  const mm = new Float64Array(N);

  /** Starts bucket u for the account (its scratch zeroed); returns the new bucket count. */
  function open(u, buckets) {
    inBucket[u] = 1;
    bucketList[buckets] = u;
    exposure[u] = 0;
    minimum[u] = 0;
    pnl.fill(0, u * S, u * S + S);
    return buckets + 1;
  }

  return function run() {
    for (let a = 0; a < N; a++) {
      let buckets = 0;
      for (let c = collateralOffsets[a], ce = collateralOffsets[a + 1]; c < ce; c++) {
        const asset = collateralAsset[c], u = assetUnderlying[asset];
        if (u < 0) continue;
        if (inBucket[u] === 0) buckets = open(u, buckets);
        const amount = collateralAmount[c];
        exposure[u] += amount * (amount >= 0 ? credit[asset] : loan[asset]);
      }
      for (let p = positionOffsets[a], pe = positionOffsets[a + 1]; p < pe; p++) {
        const i = positionInstrument[p], lots = positionLots[p], u = instrumentUnderlying[i];
        if (inBucket[u] === 0) buckets = open(u, buckets);
        if (instrumentIsOption[i] === 0) {
          exposure[u] += lots * lotValue[i];
          continue;
        }
        const row = u * S, r = i * S;
        for (let s = 0; s < S; s++) pnl[row + s] += lots * risk[r + s];
        if (lots < 0) minimum[u] -= lots * shortMin[i];
      }
      let total = 0;
      for (let b = 0; b < buckets; b++) {
        const u = bucketList[b], e = exposure[u], row = u * S;
        let worst = 0;
        for (let s = 0; s < S; s++) {
          const loss = -(e * move[s] + pnl[row + s]) * cover[s];
          if (loss > worst) worst = loss;
        }
        if (minimum[u] > worst) worst = minimum[u];
        inBucket[u] = 0;
        total += worst;
      }
      mm[a] = total;
    }
    return mm;
  };
}

/** Relative error of f64 MMs against the exact ones, over the accounts whose exact MM is positive. */
export function relativeError(approximate, exact) {
  let max = 0, sum = 0, counted = 0, zeroMismatches = 0;
  for (let a = 0; a < exact.length; a++) {
    const want = Number(exact[a]);
    if (want === 0) {
      if (Math.abs(approximate[a]) >= 0.5) zeroMismatches++;
      continue;
    }
    const error = Math.abs(approximate[a] - want) / want;
    if (error > max) max = error;
    sum += error;
    counted++;
  }
  return { maxRelativeError: max, meanRelativeError: counted === 0 ? 0 : sum / counted, comparedAccounts: counted, zeroMarginMismatches: zeroMismatches };
}
