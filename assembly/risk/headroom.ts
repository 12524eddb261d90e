// How many bytes growing the venue could allocate, for the facade's headroom probes
// (store/headroom.ts): the edit's own columns, and what reads may then allocate for the venue's
// size — a liquidation queue as long as the account table and a rebuilt exposure index — so
// that a read never meets a full memory. Each block is counted whole, as if none could reuse
// another's space: conservative by the growth step.
import { accountCount, accountTableBytes, accountTableGrowthBytes } from "../store/accounts";
import { collateralGrowthBytes, positionGrowthBytes } from "../store/books";
import { exposureBytes, exposureGrowthBytes } from "../store/exposure";
import { queueGrowthBytes } from "./queue";

function readReserve(accounts: i32): f64 {
  return queueGrowthBytes(accounts) + exposureGrowthBytes(accounts);
}

/** Bytes adding accounts up to `accounts` could allocate. */
export function accountGrowthBytes(accounts: i32): f64 {
  return accountTableGrowthBytes(accounts) + readReserve(accounts);
}

/** Bytes one more position in `account` could allocate. */
export function positionInsertBytes(account: i32): f64 {
  return positionGrowthBytes(account) + readReserve(accountCount);
}

/** Bytes one more balance in `account` could allocate. */
export function collateralInsertBytes(account: i32): f64 {
  return collateralGrowthBytes(account) + readReserve(accountCount);
}

/** Bytes a bulk load of this size allocates: staging (committed as the arenas), the account table, reads. */
export function loadBytes(accounts: i32, positions: i32, collaterals: i32): f64 {
  const staging = <f64>accounts * 9.0 + 8.0 + <f64>positions * 14.0 + <f64>collaterals * 9.0;
  return staging + accountTableBytes(accounts) + queueGrowthBytes(accounts) + exposureBytes(accounts);
}
