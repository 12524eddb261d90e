// A plain JavaScript portfolio-MM kernel over doubles: the engine's algorithm (docs/methodology.md
// §5; assembly/risk/group.ts) — price groups in ascending underlying order, Σ lots × risk in f64
// under the same guard, span16's ± moves paired, the covered extremes — kept exact the way a
// double can be: every intermediate is an integer below 2^53. Products that could pass 2^53 are
// taken in base-1e5 limbs (JavaScript has no 64-bit integer but BigInt), and a bucket whose
// magnitudes break a guard is redone in BigInt. It computes MM only (the engine's recompute also
// computes equity, IM, status and totals), checked equal to the engine on every account.
const LIMB = 1e5;
const TWO53 = 2 ** 53, TWO52 = 2 ** 52;
const F = 1e9;

/** ⌊x·c / (1e5·d)⌋ (round = Math.floor) or ⌈…⌉ (Math.ceil) for |x| < 2^31 and 0 ≤ c < 1e10 given as (c1, c0) = (⌊c / 1e5⌋, c mod 1e5), d ≤ 1e5. */
function mulDivLimbs(x, c1, c0, d, round) {
  const high = x * c1, low = x * c0; // each below 2^31 · 1e5
  const q = Math.floor(high / d), r = high - q * d;
  return q + round((r * LIMB + low) / (d * LIMB));
}

/** The exact tables and scratch the kernel walks, built once (not timed). */
export function createF64Kernel(inputs) {
  const { accounts: N, underlyings: U, scenarios: S, inst, asset, paired, shockCollateral } = inputs;
  const I = inputs.instruments;
  const moves = Float64Array.from(inputs.moves, Number), covers = Float64Array.from(inputs.cover, Number);
  const isOption = Uint8Array.from(inst.kind, (k) => (k >= 2 ? 1 : 0));
  const money = Float64Array.from(inst.money, Number);
  const rest1 = Float64Array.from(inst.rest, (r) => Number(r / 100000n)), rest0 = Float64Array.from(inst.rest, (r) => Number(r % 100000n));
  const minMoney = Float64Array.from(inst.minMoney, Number);
  const minHigh1 = Float64Array.from(inst.minHigh, (r) => Number(r / 100000n)), minHigh0 = Float64Array.from(inst.minHigh, (r) => Number(r % 100000n));
  const minLow1 = Float64Array.from(inst.minLow, (r) => Number(r / 100000n)), minLow0 = Float64Array.from(inst.minLow, (r) => Number(r % 100000n));
  // a balance's value ⌊a × c / 1e19⌋ with c = price × (F ∓ haircut) in six base-1e5 limbs
  const creditLimbs = limbsOf(asset.creditHigh, asset.creditLow), loanLimbs = limbsOf(asset.loanHigh, asset.loanLow);
  const amounts = inputs.collateralAmount, amountF64 = Float64Array.from(amounts, Number);
  const { riskF64, riskBound, underlying } = inst;
  const row = new Float64Array(S), balance = new Float64Array(U), listed = new Uint8Array(U), order = new Int32Array(U);
  const columns = new Float64Array(10), digits = new Float64Array(10), limbsOfAmount = new Float64Array(4);
  /** MM per account; an account whose MM is past 2^53 or needed the BigInt path has it in `wide`. */
  const mm = new Float64Array(N), wide = new Map();
  const counts = { exactBuckets: 0 };
  const exact = exactBucket(inputs);
  // ⌊E × m / F⌋ and ⌊−E × m / F⌋, left by `terms`
  let up = 0, down = 0;

  /** up = ⌊E × m / F⌋ and down = ⌊−E × m / F⌋ for E = high·F + low (|E| < 2^52) and 0 ≤ m ≤ F. */
  function terms(high, low, m) {
    const m1 = Math.floor(m / LIMB), m0 = m - m1 * LIMB;
    const x = low * m1, y = low * m0, q = Math.floor(x / 1e4), r = x - q * 1e4;
    const t = r * LIMB + y, w = Math.floor(t / F);
    up = high * m + q + w;
    down = t === w * F ? -up : -up - 1;
  }

  function coveredLoss(result, cover) {
    const high = Math.floor(result / F), low = result - high * F;
    return -(high * cover + mulDivLimbs(low, Math.floor(cover / LIMB), cover % LIMB, 1e4, Math.floor));
  }

  function closeRow(values, u, exposure) {
    const high = Math.floor(exposure / F), low = exposure - high * F;
    let worst = 0;
    for (let s = 0; s < S; s++) {
      const m = moves[u * S + s];
      terms(high, low, Math.abs(m));
      const result = (m >= 0 ? up : down) + values[s];
      worst = Math.max(worst, covers[s] === F ? -result : coveredLoss(result, covers[s]));
    }
    return worst;
  }

  function pairedClose(u, exposure) {
    const high = Math.floor(exposure / F), low = exposure - high * F, base = u * 16;
    let least = Math.min(row[0], row[1]);
    for (let k = 2; k < 14; k += 4) {
      terms(high, low, moves[base + k]);
      least = Math.min(least, row[k] + up, row[k + 1] + up, row[k + 2] + down, row[k + 3] + down);
    }
    terms(high, low, moves[base + 14]);
    const extremes = Math.max(coveredLoss(up + row[14], covers[14]), coveredLoss(down + row[15], covers[15]));
    return Math.max(-least, extremes, 0);
  }

  return {
    counts,
    /** Account a's MM from the last run, as a bigint. */
    maintenanceMargin: (a) => wide.get(a) ?? BigInt(mm[a]),
    run() {
      wide.clear();
      const { positionOffsets, positionInstrument, positionLots, collateralOffsets, collateralAsset } = inputs;
      for (let a = 0; a < N; a++) {
        let listedCount = 0, fallback = false;
        for (let c = collateralOffsets[a], ce = collateralOffsets[a + 1]; c < ce; c++) {
          const as = collateralAsset[c], u = asset.underlying[as];
          if (u < 0 || !shockCollateral) continue;
          const amount = amountF64[c];
          if (!(Math.abs(amount) < TWO53)) fallback = true;
          const value = collateralValue(amount, amount >= 0 ? creditLimbs : loanLimbs, as);
          if (listed[u]) { balance[u] += value; continue; }
          listed[u] = 1;
          balance[u] = value;
          let k = listedCount++;
          while (k > 0 && order[k - 1] > u) { order[k] = order[k - 1]; k--; }
          order[k] = u;
        }
        let p = positionOffsets[a], k = 0, total = 0, exactTotal = 0n, widened = false;
        const pe = positionOffsets[a + 1];
        while (p < pe || k < listedCount) {
          const fromPositions = p < pe ? underlying[positionInstrument[p]] : U, fromBalances = k < listedCount ? order[k] : U;
          const u = Math.min(fromPositions, fromBalances);
          let exposure = 0, magnitude = 0;
          if (fromBalances === u) {
            exposure = balance[u];
            magnitude = Math.abs(exposure);
            listed[u] = 0;
            k++;
          }
          const start = p;
          let minimum = 0, minBound = 0, bound = 0, guarded = !fallback;
          row.fill(0);
          for (; p < pe; p++) {
            const i = positionInstrument[p];
            if (underlying[i] !== u) break;
            const lots = positionLots[p];
            if (!isOption[i]) {
              const whole = lots * money[i];
              const value = whole + mulDivLimbs(lots, rest1[i], rest0[i], LIMB, Math.floor);
              guarded &&= Math.abs(whole) < TWO53;
              exposure += value;
              magnitude += Math.abs(value);
              continue;
            }
            const base = i * S;
            for (let s = 0; s < S; s++) row[s] += lots * riskF64[base + s];
            bound += Math.abs(lots) * riskBound[i];
            if (lots < 0) minBound += -lots * (minMoney[i] + 1);
          }
          guarded &&= bound < TWO52 && magnitude < TWO52 && minBound < TWO53;
          let loss = guarded ? (S === 16 && paired[u] ? pairedClose(u, exposure) : closeRow(row, u, exposure)) : 0;
          // the short-option minimum is a floor: Σ n·(money + 1) bounds it, so it is summed only when that bound passes the loss
          if (guarded && minBound > loss) {
            for (let q2 = start; q2 < p; q2++) {
              const i = positionInstrument[q2], lots = positionLots[q2];
              if (!isOption[i] || lots >= 0) continue;
              const n = -lots, whole = n * minMoney[i];
              const low = mulDivLimbs(n, minLow1[i], minLow0[i], 1e4, Math.ceil);
              const h = n * minHigh1[i], l = n * minHigh0[i] + low, q = Math.floor(h / LIMB), r = h - q * LIMB;
              minimum += whole + q + Math.ceil((r * LIMB + l) / 1e10);
            }
            loss = Math.max(loss, minimum);
          }
          if (guarded && total + loss < TWO53) {
            total += loss;
          } else if (guarded) {
            exactTotal += BigInt(loss);
            widened = true;
          } else {
            counts.exactBuckets++;
            exactTotal += exact(a, u, start, p);
            widened = true;
          }
        }
        mm[a] = total;
        if (widened) wide.set(a, exactTotal + BigInt(total));
      }
    },
  };

  /** ⌊a × c / 1e19⌋ over base-1e5 limbs of |a| (< 2^53: four) and c (six); past 2^53 it is inexact, and the |E| guard sends the bucket to BigInt. */
  function collateralValue(amount, limbs, as) {
    const x = Math.abs(amount);
    limbsOfAmount[0] = x % LIMB;
    limbsOfAmount[1] = Math.floor(x / LIMB) % LIMB;
    limbsOfAmount[2] = Math.floor(x / 1e10) % LIMB;
    limbsOfAmount[3] = Math.floor(x / 1e15);
    columns.fill(0);
    const c0 = as * 6;
    for (let i = 0; i < 4; i++) for (let j = 0; j < 6; j++) columns[i + j] += limbsOfAmount[i] * limbs[c0 + j];
    let carry = 0;
    for (let m = 0; m < 10; m++) {
      const v = columns[m] + carry;
      carry = Math.floor(v / LIMB);
      digits[m] = v - carry * LIMB;
    }
    // 1e19 = 1e5³ · 1e4: the quotient is 10 · (the digits from the fifth up) + ⌊digit₃ / 1e4⌋
    let upper = carry;
    for (let m = 9; m >= 4; m--) upper = upper * LIMB + digits[m];
    const q = upper * 10 + Math.floor(digits[3] / 1e4);
    if (amount >= 0) return q;
    return digits[0] === 0 && digits[1] === 0 && digits[2] === 0 && digits[3] % 1e4 === 0 ? -q : -q - 1;
  }
}

/** Six base-1e5 limbs of high·1e9 + low per asset. */
function limbsOf(high, low) {
  const out = new Float64Array(high.length * 6);
  high.forEach((h, a) => {
    let x = h * 1_000_000_000n + low[a];
    for (let k = 0; k < 6; k++) {
      out[a * 6 + k] = Number(x % 100000n);
      x /= 100000n;
    }
  });
  return out;
}

/** The BigInt fallback: account a's group of underlying u (positions [start, end)) exactly, by the formulas of docs/methodology.md §5. */
function exactBucket(inputs) {
  const { scenarios: S, inst, asset } = inputs;
  const F9 = 1_000_000_000n, M10 = 10_000_000_000n, M19 = 10n ** 19n;
  const floorDiv = (x, d) => (x >= 0n ? x / d : -((-x + d - 1n) / d));
  const ceilDiv = (x, d) => -floorDiv(-x, d);
  return (a, u, start, end) => {
    let exposure = 0n, minimum = 0n;
    const row = new Array(S).fill(0n);
    if (inputs.shockCollateral) {
      for (let c = inputs.collateralOffsets[a]; c < inputs.collateralOffsets[a + 1]; c++) {
        const as = inputs.collateralAsset[c];
        if (asset.underlying[as] !== u) continue;
        const amount = inputs.collateralAmount[c];
        const factor = amount >= 0n ? asset.creditHigh[as] * F9 + asset.creditLow[as] : asset.loanHigh[as] * F9 + asset.loanLow[as];
        exposure += floorDiv(amount * factor, M19);
      }
    }
    for (let p = start; p < end; p++) {
      const i = inputs.positionInstrument[p], lots = BigInt(inputs.positionLots[p]);
      if (inst.kind[i] < 2) {
        exposure += floorDiv(lots * (inst.money[i] * M10 + inst.rest[i]), M10);
        continue;
      }
      for (let s = 0; s < S; s++) row[s] += lots * inst.risk[i * S + s];
      if (lots < 0n) minimum += ceilDiv(-lots * (inst.minMoney[i] * M19 + inst.minHigh[i] * F9 + inst.minLow[i]), M19);
    }
    let worst = minimum > 0n ? minimum : 0n;
    for (let s = 0; s < S; s++) {
      const result = floorDiv(exposure * inputs.moves[u * S + s], F9) + row[s], cover = inputs.cover[s];
      const loss = cover === F9 ? -result : ceilDiv(-result * cover, F9);
      if (loss > worst) worst = loss;
    }
    return worst;
  };
}
