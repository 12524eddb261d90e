// Ticks (docs/methodology.md §9), fused like the full walk: one function visits, once each, the
// accounts the exposure index names for the ticked underlyings, and moves each by what the ticks
// changed. A portfolio account has only its ticked groups recomputed — the same inlined group code
// as the walk, its part of equity summed afresh (one term per position, where moving the old part
// by each term's change would take two) — and moves by the change from the margin and part of
// equity its cache slot holds (store/cache.ts). A standard account moves by the change of its terms
// on the ticked underlyings alone — charges and values taken at each instrument's record before
// and after — its IM kept in its slot. Equity, MM, IM and status move by the difference, the venue
// totals by the sum of the differences. An account that cannot be moved (no slot, a slot too
// small, tier rows rewritten) is walked again whole, once; one whose book was edited since its
// results were counted is left to the whole walk that follows the tick (refresh.ts).
import { i32At, i64At, setI64At, u8At, setU8At } from "../store/column";
import { instrumentUnderlying, assetUnderlying, tierUpTo, tierImf, tierMmf } from "../store/reference";
import {
  accountMode, accountPositionStart, accountPositionCount, accountCollateralStart, accountCollateralCount,
  accountEquity, accountMaintenanceMargin, accountStatus, accountCacheStart, accountCacheCapacity,
  positionInstrument, positionLots, positionEntry, collateralAsset, collateralAmount, AccountMode,
} from "../store/accounts";
import { cacheWords } from "../store/cache";
import { exposureBits, exposureStride } from "../store/exposure";
import { kernelRecords, assetRecords } from "./prepare";
import { scenarioCount, scenarioMove, scenarioCover, gridPaired, shockCollateral, correlated, EXTREME_UP_AT, EXTREME_DOWN_AT } from "./scenarios";
import { collateralValue } from "./terms";
import { rowF64, initialFromMaintenance } from "./portfolio";
import { group, groupEquity, recordBytes, Span16, AnyGrid } from "./group";
import { previousAssetRecords, takeRowsRewritten } from "./freshness";
import { Total, totals, statusCounts, statusOf } from "./evaluate";
import { rewalk, correlatedFromSlot } from "./account-refresh";
import { standardDelta, deltaInitial, deltaMaintenance } from "./standard";

/**
 * Applies ticks on the `count` underlyings listed (i32) at `list`, their instruments already
 * prepared, to every account exposed to one of them but the `editedCount` accounts listed
 * ascending at `edited` (walked whole afterwards); returns how many accounts it visited.
 */
export function tickUnderlyings(list: usize, count: i32, edited: usize, editedCount: i32): i32 {
  return scenarioCount == 16 ? tick<Span16>(list, count, edited, editedCount) : tick<AnyGrid>(list, count, edited, editedCount);
}

/** True when balance c's underlying v (below u) forms a group of its own, met for the first time at c. */
function balanceGroupFirstMet(v: i32, ps: i32, pe: i32, cs: i32, c: i32): bool {
  for (let p = ps; p < pe; p++) if (i32At(instrumentUnderlying.ptr, <i32>load<u16>(positionInstrument.ptr + (<usize>p << 1))) == v) return false;
  for (let k = cs; k < c; k++) if (i32At(assetUnderlying.ptr, u8At(collateralAsset.ptr, k)) == v) return false;
  return true;
}

/** Whether account a (in word w) has its bit in underlying u's row of the exposure index at `bits`. */
// @ts-ignore: decorator
@inline function exposed(bits: usize, words: i32, u: i32, w: i32, a: i32): bool {
  return (load<u32>(bits + ((<usize>u * <usize>words + <usize>w) << 2)) & (1 << (a & 31))) != 0;
}

// @ts-ignore: decorator
@inline function tick<G>(list: usize, count: i32, edited: usize, editedCount: i32): i32 {
  const SPAN16 = sizeof<G>() == 1;
  const modes = accountMode.ptr, positionStarts = accountPositionStart.ptr, positionCounts = accountPositionCount.ptr;
  const collateralStarts = accountCollateralStart.ptr, collateralCounts = accountCollateralCount.ptr;
  const equities = accountEquity.ptr, maintenances = accountMaintenanceMargin.ptr, statuses = accountStatus.ptr;
  const slotStarts = accountCacheStart.ptr, capacities = accountCacheCapacity.ptr;
  const instruments = positionInstrument.ptr, lotsColumn = positionLots.ptr, entries = positionEntry.ptr;
  const assets = collateralAsset.ptr, amounts = collateralAmount.ptr, assetUnderlyings = assetUnderlying.ptr, assetTable = assetRecords.ptr;
  const previousAssets = previousAssetRecords.ptr;
  const records = kernelRecords.ptr, stride = recordBytes(SPAN16 ? 16 : scenarioCount), paired = gridPaired.ptr;
  const moveRows = scenarioMove.ptr, cover14 = SPAN16 ? load<i64>(scenarioCover.ptr, EXTREME_UP_AT) : 0;
  const cover15 = SPAN16 ? load<i64>(scenarioCover.ptr, EXTREME_DOWN_AT) : 0;
  const row = rowF64.ptr, shock = shockCollateral, isCorrelated = correlated;
  const upTo = tierUpTo.ptr, imfs = tierImf.ptr, mmfs = tierMmf.ptr;
  let rewritten = false;
  for (let k = 0; k < count; k++) rewritten = takeRowsRewritten(i32At(list, k)) || rewritten;
  // the one column a walk below can move: an account walked again may take a new, larger slot
  let slots = cacheWords.ptr;
  const words = exposureStride, exposureRows = exposureBits.ptr, single = count == 1;

  // the totals move by Σ (new − old), summed as (low, high) words
  let equityLow: u64 = 0, equityHigh: i64 = 0, initialLow: u64 = 0, initialHigh: i64 = 0;
  let maintenanceLow: u64 = 0, maintenanceHigh: i64 = 0;
  let visited = 0, nextEdited = 0;
  for (let w = 0; w < words; w++) {
    let bits: u32 = 0;
    for (let k = 0; k < count; k++) bits |= load<u32>(exposureRows + ((<usize>i32At(list, k) * <usize>words + <usize>w) << 2));
    while (bits != 0) {
      const a = (w << 5) + <i32>ctz(bits);
      bits &= bits - 1;
      // accounts come in ascending order, so the edited list is merged in as they pass
      while (nextEdited < editedCount && i32At(edited, nextEdited) < a) nextEdited++;
      if (nextEdited < editedCount && i32At(edited, nextEdited) == a) continue;
      visited++;
      const equity = i64At(equities, a), maintenance = i64At(maintenances, a);
      const ps = i32At(positionStarts, a), pe = ps + u8At(positionCounts, a);
      const cs = i32At(collateralStarts, a), ce = cs + u8At(collateralCounts, a);
      let newEquity = equity, newMaintenance = maintenance, initial: i64 = 0, newInitial: i64 = 0, walked = false;
      if (u8At(modes, a) != AccountMode.Portfolio) {
        // a standard account: moved by its positions on the ticked underlyings and its balances priced by them
        walked = u8At(capacities, a) == 0 || rewritten; // no slot yet (its mode just changed), or tier rows rewritten
        let changeInitial: i64 = 0;
        for (let k = 0; k < count && !walked; k++) {
          const u = i32At(list, k);
          if (!single && !exposed(exposureRows, words, u, w, a)) continue;
          let p = ps;
          while (p < pe && load<i32>(records + <usize>load<u16>(instruments + (<usize>p << 1)) * stride) < u) p++;
          newEquity += standardDelta(u, p, pe, instruments, lotsColumn, entries, records, stride, upTo, imfs, mmfs);
          newMaintenance += deltaMaintenance;
          changeInitial += deltaInitial;
          for (let c = cs; c < ce; c++) {
            const asset = u8At(assets, c);
            if (i32At(assetUnderlyings, asset) != u) continue;
            const amount = i64At(amounts, c);
            newEquity += collateralValue(assetTable, asset, amount) - collateralValue(previousAssets, asset, amount);
          }
        }
        if (!walked) {
          const at = slots + (<usize>i32At(slotStarts, a) << 3);
          initial = load<i64>(at);
          newInitial = initial + changeInitial;
          store<i64>(at, newInitial);
        }
      } else {
        // a portfolio account: each ticked group is the slot after every group below it (runs of positions, then balances priced lower)
        let changed = false;
        for (let k = 0; k < count && !walked; k++) {
          const u = i32At(list, k);
          if (!single && !exposed(exposureRows, words, u, w, a)) continue;
          let p = ps, slot = 0, last = -1;
          while (p < pe) {
            const v = load<i32>(records + <usize>load<u16>(instruments + (<usize>p << 1)) * stride);
            if (v >= u) break;
            if (v != last) slot++;
            last = v;
            p++;
          }
          // balances priced by u, at the new price
          let balance: i64 = 0, balances = false;
          for (let c = cs; c < ce; c++) {
            const asset = u8At(assets, c), v = i32At(assetUnderlyings, asset);
            if (v == u) {
              balance += collateralValue(assetTable, asset, i64At(amounts, c));
              balances = true;
            } else if (v >= 0 && v < u && balanceGroupFirstMet(v, ps, p, cs, c)) {
              slot++;
            }
          }
          // a stale exposure bit: nothing of a is priced from u any more
          if (!balances && (p == pe || load<i32>(records + <usize>load<u16>(instruments + (<usize>p << 1)) * stride) != u)) continue;
          if ((slot + 1) << 1 > u8At(capacities, a)) {
            walked = true;
            break;
          }
          const at = slots + ((<usize>i32At(slotStarts, a) + (<usize>slot << 1)) << 3);
          const oldLoss = load<i64>(at), oldPart = load<i64>(at, 8);
          const loss = group<G>(
            u, p, pe, balance, false, shock, instruments, lotsColumn, entries, records, paired,
            moveRows, cover14, cover15, row,
          );
          const part = groupEquity;
          if (loss == oldLoss && part == oldPart) continue; // the tick left this group as it was
          changed = true;
          store<i64>(at, loss);
          store<i64>(at, part, 8);
          newEquity += part - oldPart;
          newMaintenance += loss - oldLoss;
        }
        if (!walked && !changed) continue;
        if (!walked) {
          if (isCorrelated) newMaintenance = correlatedFromSlot(a);
          newInitial = initialFromMaintenance(newMaintenance);
          initial = newMaintenance == maintenance ? newInitial : initialFromMaintenance(maintenance);
        }
      }
      if (walked) {
        // the columns still hold what the totals count, so the walk moves them itself
        rewalk(a);
        slots = cacheWords.ptr;
        continue;
      }
      setI64At(equities, a, newEquity);
      setI64At(maintenances, a, newMaintenance);
      // each difference fits i64 (|equity| < 2^62, MM and IM in [0, 2^63) by docs/limits.md); their sum may not
      let d = newEquity - equity, sum = equityLow + <u64>d;
      equityHigh += i64(sum < equityLow) + (d >> 63);
      equityLow = sum;
      d = newInitial - initial;
      sum = initialLow + <u64>d;
      initialHigh += i64(sum < initialLow) + (d >> 63);
      initialLow = sum;
      d = newMaintenance - maintenance;
      sum = maintenanceLow + <u64>d;
      maintenanceHigh += i64(sum < maintenanceLow) + (d >> 63);
      maintenanceLow = sum;
      const status = u8At(statuses, a), newStatus = statusOf(newEquity, newInitial, newMaintenance);
      setU8At(statuses, a, newStatus);
      if (newStatus != status) {
        unchecked(statusCounts[status]--);
        unchecked(statusCounts[newStatus]++);
      }
    }
  }
  addWords(Total.Equity, equityLow, equityHigh);
  addWords(Total.InitialMargin, initialLow, initialHigh);
  addWords(Total.MaintenanceMargin, maintenanceLow, maintenanceHigh);
  return visited;
}

/** A total's (low, high) words += the 128-bit (low, high). */
function addWords(total: Total, low: u64, high: i64): void {
  const before = <u64>unchecked(totals[total << 1]), sum = before + low;
  unchecked(totals[(total << 1) + 1] += high + i64(sum < before));
  unchecked(totals[total << 1] = <i64>sum);
}
