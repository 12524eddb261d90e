// margin-core: the module's exported surface, exports only. State lives in flat columns (store/),
// kernels in risk/; the facade in bindings/ views the columns through typed arrays. A module's
// counters are read through getters exported under the counter's own name.
export { columnCount, columnPointer, columnShift, columnCapacity, liveBytes, memoryBytes } from "./columns";
export { grownCapacity, layoutVersionPointer } from "./store/column";
export {
  setCounts as setReferenceCounts, setParameters, setClock, getInstrumentCount as instrumentCount,
} from "./store/reference";
export {
  getAccountCount as accountCount, getPositionSlots as positionSlots, getCollateralSlots as collateralSlots,
  getPositionHoles as positionHoles, getCollateralHoles as collateralHoles,
} from "./store/accounts";
export {
  positionIndex, setPosition, setCollateral, arenasDense, positionSegmentCapacity, collateralSegmentCapacity, positionsNeedCompacting, collateralsNeedCompacting,
} from "./store/books";
export { compactLayout } from "./store/compaction";
export {
  stageLoad, validateStaged, commitStaged, discardStaged, heldBeyondNotional,
  getRejectedField as rejectedField, getRejectedRow as rejectedRow,
} from "./store/staging";
export { invalidateExposure, exposureStrideFor, exposureFits } from "./store/exposure";
export { listMarkedInstruments } from "./store/holders";
export {
  getCacheWordsUsed as cacheWordsUsed, getCacheHoleWords as cacheHoleWords, cacheNeedsCompacting, cacheCompactionPossible,
} from "./store/cache";
export { probeBlock, releaseProbes } from "./store/headroom";

export {
  ensurePrepared, pricesMoved, instrumentChanged, instrumentRewritten, invalidatePrepared, prepareAccountOn,
} from "./risk/freshness";
export {
  evaluateAccount, evaluateBuckets, getLastInitialMargin as lastInitialMargin, statusCount,
  totalEquityLow, totalEquityHigh, totalInitialMarginLow, totalInitialMarginHigh,
  totalMaintenanceMarginLow, totalMaintenanceMarginHigh,
} from "./risk/evaluate";
export {
  recompute, markUnderlyingDirty, markEdited, refreshUnderlyings, refreshAccount, setAccountMode, addAccount, markAssetMoved,
  countedInitialMargin, countedInitialMarginNumber,
} from "./risk/refresh";
export { sumNetLots } from "./risk/open-interest";
export { buildQueue } from "./risk/queue";
export {
  liquidationTrades, getTradeCount as tradeCount, getTradesBankrupt as tradesBankrupt, getTradesCutShort as tradesCutShort,
  getTradesFeePaid as tradesFeePaid,
  getTradesCash as tradesCash,
} from "./risk/liquidation-trades";
export { setPortfolioParameters, setCorrelated } from "./risk/scenarios";
export {
  setScenarioCount, scenarioPnl, bucketMinimum, getBucketCount as bucketCount, exactBucketCount,
} from "./risk/portfolio";
export { ewmaDailyVariance, scanCandidate } from "./risk/scan-range";
export {
  heldPosition, trialOrder, trialHeldLots, trialHeldEntry,
  trialInitialMarginBefore, trialInitialMarginAfter, trialEquityAfter, trialStatusBefore,
} from "./risk/order-trial";

export { black76Value, black76Greeks, black76Delta, black76Gamma, black76Vega, black76Theta } from "./pricing";
