// A tick on one underlying (docs/methodology.md §9), fused like the full walk: one function visits
// the accounts the exposure index names for u. A portfolio account has only u's group
// recomputed — the same inlined group code as the walk — and its old margin and part of equity
// read from its cache slot (store/cache.ts); equity, MM, IM and status move by the difference,
// and the venue totals by the sum of the differences. A standard account is walked again.
import { i32At, i64At, setI64At, u8At, setU8At } from "../store/column";
import { instrumentKind, instrumentUnderlying, instrumentLotSize, instrumentMarkUsed, assetUnderlying } from "../store/reference";
import {
  accountMode, accountPositionStart, accountPositionCount, accountCollateralStart, accountCollateralCount,
  accountEquity, accountMaintenanceMargin, accountStatus, accountCacheStart, accountCacheCapacity,
  positionInstrument, positionLots, positionEntry, collateralAsset, collateralAmount,
} from "../store/accounts";
import { cacheWords } from "../store/cache";
import { exposureBits, exposureStride } from "../store/exposure";
import { lotMarkMoney, lotMarkRest, riskArrayF64, riskBound, shortMinMoney, shortMinRestHigh, shortMinRestLow } from "./prepare";
import { scenarioCount, scenarioMove, scenarioCover, gridPaired, shockCollateral, correlated } from "./scenarios";
import { collateralValue } from "./terms";
import { rowF64, initialFromMaintenance } from "./portfolio";
import { group, groupEquity, Span16, AnyGrid } from "./group";
import { AccountStatus, Total, totals, statusCounts } from "./evaluate";
import { rewalk, correlatedFromSlot } from "./account-refresh";

/** Applies a tick on u to every account exposed to it (u's instruments already prepared); returns how many. */
export function tickUnderlying(u: i32): i32 {
  return scenarioCount == 16 ? tick<Span16>(u) : tick<AnyGrid>(u);
}

/** True when balance c's underlying v (below u) forms a group of its own, met for the first time at c. */
function balanceGroupFirstMet(v: i32, ps: i32, pe: i32, cs: i32, c: i32): bool {
  for (let p = ps; p < pe; p++) if (i32At(instrumentUnderlying.ptr, <i32>load<u16>(positionInstrument.ptr + (<usize>p << 1))) == v) return false;
  for (let k = cs; k < c; k++) if (i32At(assetUnderlying.ptr, u8At(collateralAsset.ptr, k)) == v) return false;
  return true;
}

// @ts-ignore: decorator
@inline function tick<G>(u: i32): i32 {
  const SPAN16 = sizeof<G>() == 1;
  const modes = accountMode.ptr, positionStarts = accountPositionStart.ptr, positionCounts = accountPositionCount.ptr;
  const collateralStarts = accountCollateralStart.ptr, collateralCounts = accountCollateralCount.ptr;
  const equities = accountEquity.ptr, maintenances = accountMaintenanceMargin.ptr, statuses = accountStatus.ptr;
  const slotStarts = accountCacheStart.ptr, capacities = accountCacheCapacity.ptr;
  const instruments = positionInstrument.ptr, lotsColumn = positionLots.ptr, entries = positionEntry.ptr;
  const assets = collateralAsset.ptr, amounts = collateralAmount.ptr, assetUnderlyings = assetUnderlying.ptr;
  const underlyings = instrumentUnderlying.ptr, kinds = instrumentKind.ptr, lotSizes = instrumentLotSize.ptr;
  const marks = instrumentMarkUsed.ptr, moneys = lotMarkMoney.ptr, rests = lotMarkRest.ptr;
  const risks = riskArrayF64.ptr, bounds = riskBound.ptr, paired = gridPaired.ptr;
  const minMoney = shortMinMoney.ptr, minHigh = shortMinRestHigh.ptr, minLow = shortMinRestLow.ptr;
  const moveRows = scenarioMove.ptr, cover14 = SPAN16 ? load<i64>(scenarioCover.ptr, 112) : 0;
  const cover15 = SPAN16 ? load<i64>(scenarioCover.ptr, 120) : 0;
  const row = rowF64.ptr, shock = shockCollateral, isCorrelated = correlated;
  const bits0 = exposureBits.ptr + ((<usize>u * <usize>exposureStride) << 2), words = exposureStride;

  // the totals move by Σ (new − old), each term added on its own as (low, high) words
  let equityLow: u64 = 0, equityHigh: i64 = 0, initialLow: u64 = 0, initialHigh: i64 = 0;
  let maintenanceLow: u64 = 0, maintenanceHigh: i64 = 0;
  let healthy = 0, restricted = 0, liquidatable = 0, bankrupt = 0, visited = 0;
  for (let w = 0; w < words; w++) {
    let bits = load<u32>(bits0 + (<usize>w << 2));
    while (bits != 0) {
      const a = (w << 5) + <i32>ctz(bits);
      bits &= bits - 1;
      visited++;
      if (u8At(modes, a) != 1) {
        rewalk(a);
        continue;
      }
      // u's group is the slot after every group below u: runs of positions, then balances priced lower
      const ps = i32At(positionStarts, a), pe = ps + u8At(positionCounts, a);
      let p = ps, slot = 0, last = -1;
      while (p < pe) {
        const v = i32At(underlyings, <i32>load<u16>(instruments + (<usize>p << 1)));
        if (v >= u) break;
        if (v != last) slot++;
        last = v;
        p++;
      }
      let balance: i64 = 0, balances = false;
      const cs = i32At(collateralStarts, a), ce = cs + u8At(collateralCounts, a);
      for (let c = cs; c < ce; c++) {
        const asset = u8At(assets, c), v = i32At(assetUnderlyings, asset);
        if (v == u) {
          balance += collateralValue(asset, i64At(amounts, c));
          balances = true;
        } else if (v >= 0 && v < u && balanceGroupFirstMet(v, ps, p, cs, c)) {
          slot++;
        }
      }
      const run = p < pe && i32At(underlyings, <i32>load<u16>(instruments + (<usize>p << 1))) == u;
      if (!run && !balances) continue; // a stale exposure bit: nothing of a is priced from u any more
      if ((slot + 1) << 1 > u8At(capacities, a)) {
        rewalk(a);
        continue;
      }
      const loss = group<G>(
        u, p, pe, balance, false, shock, instruments, underlyings, lotsColumn, entries, kinds, lotSizes, marks,
        moneys, rests, risks, bounds, minMoney, minHigh, minLow, paired, moveRows, cover14, cover15, row,
      );
      const part = groupEquity;
      const at = cacheWords.ptr + ((<usize>i32At(slotStarts, a) + (<usize>slot << 1)) << 3);
      const oldLoss = load<i64>(at), oldPart = load<i64>(at, 8);
      store<i64>(at, loss);
      store<i64>(at, part, 8);

      const equity = i64At(equities, a), maintenance = i64At(maintenances, a), status = u8At(statuses, a);
      const newEquity = equity - oldPart + part;
      const newMaintenance = isCorrelated ? correlatedFromSlot(a) : maintenance - oldLoss + loss;
      const initial = initialFromMaintenance(maintenance), newInitial = initialFromMaintenance(newMaintenance);
      setI64At(equities, a, newEquity);
      setI64At(maintenances, a, newMaintenance);
      const newStatus = newEquity < 0 ? AccountStatus.Bankrupt
        : newEquity < newMaintenance ? AccountStatus.Liquidatable
        : newEquity < newInitial ? AccountStatus.Restricted : AccountStatus.Healthy;
      setU8At(statuses, a, newStatus);
      let sum = equityLow - <u64>equity;
      equityHigh -= i64(sum > equityLow) + (equity >> 63);
      equityLow = sum;
      sum = equityLow + <u64>newEquity;
      equityHigh += i64(sum < equityLow) + (newEquity >> 63);
      equityLow = sum;
      sum = initialLow - <u64>initial;
      initialHigh -= i64(sum > initialLow);
      initialLow = sum;
      sum = initialLow + <u64>newInitial;
      initialHigh += i64(sum < initialLow);
      initialLow = sum;
      sum = maintenanceLow - <u64>maintenance;
      maintenanceHigh -= i64(sum > maintenanceLow);
      maintenanceLow = sum;
      sum = maintenanceLow + <u64>newMaintenance;
      maintenanceHigh += i64(sum < maintenanceLow);
      maintenanceLow = sum;
      healthy += i32(newStatus == AccountStatus.Healthy) - i32(status == AccountStatus.Healthy);
      restricted += i32(newStatus == AccountStatus.Restricted) - i32(status == AccountStatus.Restricted);
      liquidatable += i32(newStatus == AccountStatus.Liquidatable) - i32(status == AccountStatus.Liquidatable);
      bankrupt += i32(newStatus == AccountStatus.Bankrupt) - i32(status == AccountStatus.Bankrupt);
    }
  }
  addWords(Total.Equity, equityLow, equityHigh);
  addWords(Total.InitialMargin, initialLow, initialHigh);
  addWords(Total.MaintenanceMargin, maintenanceLow, maintenanceHigh);
  unchecked(statusCounts[AccountStatus.Healthy] += healthy);
  unchecked(statusCounts[AccountStatus.Restricted] += restricted);
  unchecked(statusCounts[AccountStatus.Liquidatable] += liquidatable);
  unchecked(statusCounts[AccountStatus.Bankrupt] += bankrupt);
  return visited;
}

/** A total's (low, high) words += the 128-bit (low, high). */
function addWords(total: Total, low: u64, high: i64): void {
  const before = <u64>unchecked(totals[total << 1]), sum = before + low;
  unchecked(totals[(total << 1) + 1] += high + i64(sum < before));
  unchecked(totals[total << 1] = <i64>sum);
}
