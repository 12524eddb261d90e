// The columns the facade views (and stats().liveBytes counts), in a fixed order: scripts/generate-constants.mjs writes their
// ids and element sizes from this list into bindings/module/layout.generated.ts.
import { Column } from "./store/column";
import * as reference from "./store/reference";
import * as accounts from "./store/accounts";
import * as staging from "./store/staging";
import * as prepare from "./risk/prepare";
import * as openInterest from "./risk/open-interest";
import * as scenarios from "./risk/scenarios";
import * as portfolio from "./risk/portfolio";
import * as exposure from "./store/exposure";
import * as queue from "./risk/queue";
import * as holders from "./store/holders";
import * as cache from "./store/cache";
import * as trades from "./risk/liquidation-trades";

const columns: Column[] = [
  reference.underlyingIndex, reference.underlyingVol, reference.underlyingRate,
  reference.assetPrice, reference.assetHaircut, reference.assetUnderlying, reference.assetMaxAmount,
  reference.instrumentKind, reference.instrumentUnderlying, reference.instrumentLotSize,
  reference.instrumentMark, reference.instrumentStrike, reference.instrumentExpiry, reference.instrumentIv,
  reference.instrumentTierStart, reference.instrumentTierCount, reference.instrumentMaxLots,
  reference.instrumentMarkUsed, reference.instrumentModelValue,
  reference.tierUpTo, reference.tierImf, reference.tierMmf,
  accounts.accountPositionStart, accounts.accountPositionCount, accounts.accountPositionCapacity,
  accounts.accountCollateralStart, accounts.accountCollateralCount, accounts.accountCollateralCapacity,
  accounts.accountMode, accounts.accountStatus, accounts.accountEquity, accounts.accountMaintenanceMargin,
  accounts.positionInstrument, accounts.positionLots, accounts.positionEntry,
  accounts.collateralAsset, accounts.collateralAmount,
  staging.stagedMode, staging.stagedPositionOffsets, staging.stagedPositionInstrument,
  staging.stagedPositionLots, staging.stagedPositionEntry, staging.stagedCollateralOffsets,
  staging.stagedCollateralAsset, staging.stagedCollateralAmount,
  prepare.lotDelta, prepare.lotGamma, prepare.lotVega, prepare.lotTheta, openInterest.instrumentNetLots,
  scenarios.scenarioMove, scenarios.scenarioVol, scenarios.scenarioCover, prepare.riskArray,
  portfolio.bucketUnderlying, portfolio.bucketLoss, portfolio.bucketBinding, scenarios.correlation,
  exposure.exposureBits, queue.queueAccounts, queue.queueEquity, queue.queueMaintenanceMargin,
  accounts.accountCacheStart, accounts.accountCacheCapacity, cache.cacheWords, holders.instrumentHolders,
  prepare.kernelRecords, prepare.assetRecords,
  trades.tradeInputs, trades.tradeOrders, trades.tradeAmounts,
];

export function columnCount(): i32 { return columns.length; }
export function columnPointer(id: i32): usize { return columns[id].ptr; }
export function columnShift(id: i32): u32 { return columns[id].elementShift; }
export function columnCapacity(id: i32): i32 { return columns[id].capacity; }

/**
 * Bytes held by the storage of the columns listed above: accounts, books, tick cache, reference
 * rows and results. The module's scratch — the queue sort's keys, the preparation's per-lot and
 * previous-record tables, holder lists — and the allocator's slack are not counted.
 */
export function liveBytes(): f64 {
  let bytes: f64 = 0;
  for (let c = 0; c < columns.length; c++) {
    const column = unchecked(columns[c]);
    bytes += <f64>(<u64>column.capacity << column.elementShift);
  }
  return bytes;
}

/** Bytes of linear memory in use (pages × 64 KiB). */
export function memoryBytes(): f64 { return <f64>memory.size() * 65536.0; }
