// margin-core: the module's exported surface. State lives in flat columns (store/), kernels in
// risk/; the facade in bindings/ views the columns through typed arrays.
import * as reference from "./store/reference";
import * as accounts from "./store/accounts";
import * as staging from "./store/staging";
import { recomputeAll, evaluateAccount, totals, statusCounts } from "./risk/evaluate";
import * as evaluate from "./risk/evaluate";
import { prepareInstruments } from "./risk/prepare";

export { columnCount, columnPointer, columnShift, liveBytes } from "./columns";
export { setCounts as setReferenceCounts, setParameters } from "./store/reference";
export { addAccounts, setAccountMode } from "./store/accounts";
export { setPosition, setCollateral, compactArenas } from "./store/books";
export { stageLoad, validateStaged, commitStaged, discardStaged } from "./store/staging";
export { sumNetLots } from "./risk/open-interest";
export { markUnderlyingDirty, refreshUnderlyings, refreshAccount, prepareUnderlyingOnly } from "./risk/refresh";
export { invalidateExposure } from "./store/exposure";
export { buildQueue } from "./risk/queue";
export { standaloneMaintenance } from "./risk/position-charges";
import { clearDirty } from "./risk/refresh";
export { setPortfolioParameters, setCorrelated } from "./risk/scenarios";
/** The grid's size and the underlying count its moves are kept for; sizes the portfolio scratch too. */
export function setScenarioCount(count: i32, underlyings: i32): void {
  scenarios.setScenarioCount(count, underlyings);
  portfolio.reservePortfolioScratch(underlyings, count);
}
export { ewmaDailyVariance, scanCandidate } from "./risk/scan-range";
import * as portfolio from "./risk/portfolio";
import * as scenarios from "./risk/scenarios";
/** Buckets of the account last evaluated (portfolio accounts). */
export function bucketCount(): i32 { return portfolio.bucketCount; }
export function scenarioCount(): i32 { return scenarios.scenarioCount; }
export { scenarioPnl, bucketMinimum } from "./risk/portfolio";
export { evaluateAccount, prepareInstruments };

export function rejectedField(): i32 { return staging.rejectedField; }
export function rejectedRow(): i32 { return staging.rejectedRow; }
export function accountCount(): i32 { return accounts.accountCount; }
export function positionSlots(): i32 { return accounts.positionSlots; }
export function collateralSlots(): i32 { return accounts.collateralSlots; }
export function underlyingCount(): i32 { return reference.underlyingCount; }
export function instrumentCount(): i32 { return reference.instrumentCount; }

export function recompute(): void {
  clearDirty();
  recomputeAll();
}
/** IM of the account last passed to evaluateAccount. */
export function lastInitialMargin(): i64 { return evaluate.lastInitialMargin; }
export function statusCount(status: i32): i32 { return statusCounts[status]; }

/** Venue totals as two 64-bit words (0 equity, 1 IM, 2 MM). */
export function totalLow(which: i32): u64 { return <u64>totals[which << 1]; }
export function totalHigh(which: i32): i64 { return totals[(which << 1) + 1]; }

export { black76Value, black76Greeks, normalCdf } from "./pricing";
import * as black76 from "./pricing/black76";
/** The last black76Greeks results: 0 delta, 1 gamma, 2 vega, 3 theta (per year). */
export function black76Greek(which: i32): f64 {
  return which == 0 ? black76.greekDelta : which == 1 ? black76.greekGamma : which == 2 ? black76.greekVega : black76.greekTheta;
}

/** Bytes of linear memory in use (pages × 64 KiB). */
export function memoryBytes(): f64 { return <f64>memory.size() * 65536.0; }

export { heldPosition, trialOrder } from "./risk/order-trial";
import * as orderTrial from "./risk/order-trial";
/** The last heldPosition / trialOrder results: 0 held lots, 1 held entry, 2 IM before, 3 IM after, 4 equity after, 5 status before. */
export function trialResult(which: i32): i64 {
  return which == 0 ? <i64>orderTrial.heldLots : which == 1 ? orderTrial.heldEntry : which == 2 ? orderTrial.trialInitialBefore
    : which == 3 ? orderTrial.trialInitialAfter : which == 4 ? orderTrial.trialEquityAfter : <i64>orderTrial.trialStatusBefore;
}
