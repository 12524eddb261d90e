// Splitting a bulk load over shards: each account goes with its family (a sub-account with its
// parent), families are dealt to shards by the position of their root, and each shard's
// accounts are gathered into CSR columns of their own, in ascending global order.
import type { AccountColumns } from "../venue/account-columns.js";

/**
 * The global indexes each shard holds, ascending. The root (the parent, or the account itself)
 * decides: roots in [k·N/S, (k+1)·N/S) go to shard k, so shards hold about N/S accounts each even
 * when sub-accounts sit far from their parents.
 */
export function assignShards(parent: Int32Array, count: number, shards: number): Int32Array[] {
  const shardOf = new Int32Array(count);
  const sizes = new Array<number>(shards).fill(0);
  for (let a = 0; a < count; a++) {
    const root = parent[a] >= 0 ? parent[a] : a;
    shardOf[a] = Math.min(shards - 1, Math.floor((root * shards) / count));
    sizes[shardOf[a]]++;
  }
  const members = sizes.map((n) => new Int32Array(n));
  const filled = new Array<number>(shards).fill(0);
  for (let a = 0; a < count; a++) members[shardOf[a]][filled[shardOf[a]]++] = a;
  return members;
}

/** The accounts at `indexes` (ascending) as columns of their own, parents renumbered locally. */
export function gatherColumns(columns: AccountColumns, indexes: Int32Array): AccountColumns {
  const n = indexes.length;
  const local = new Map<number, number>();
  indexes.forEach((a, k) => local.set(a, k));
  const positionOffsets = new Uint32Array(n + 1), collateralOffsets = new Uint32Array(n + 1);
  for (let k = 0; k < n; k++) {
    const a = indexes[k];
    positionOffsets[k + 1] = positionOffsets[k] + columns.positionOffsets[a + 1] - columns.positionOffsets[a];
    collateralOffsets[k + 1] = collateralOffsets[k] + columns.collateralOffsets[a + 1] - columns.collateralOffsets[a];
  }
  const positionInstrument = new Uint16Array(positionOffsets[n]), positionLots = new Int32Array(positionOffsets[n]);
  const positionEntry = new BigInt64Array(positionOffsets[n]);
  const collateralAsset = new Uint8Array(collateralOffsets[n]), collateralAmount = new BigInt64Array(collateralOffsets[n]);
  const mode = new Uint8Array(n), parent = new Int32Array(n);
  for (let k = 0; k < n; k++) {
    const a = indexes[k];
    mode[k] = columns.mode[a];
    parent[k] = columns.parent[a] >= 0 ? local.get(columns.parent[a])! : -1;
    const p0 = columns.positionOffsets[a], p1 = columns.positionOffsets[a + 1];
    positionInstrument.set(columns.positionInstrument.subarray(p0, p1), positionOffsets[k]);
    positionLots.set(columns.positionLots.subarray(p0, p1), positionOffsets[k]);
    positionEntry.set(columns.positionEntry.subarray(p0, p1), positionOffsets[k]);
    const c0 = columns.collateralOffsets[a], c1 = columns.collateralOffsets[a + 1];
    collateralAsset.set(columns.collateralAsset.subarray(c0, c1), collateralOffsets[k]);
    collateralAmount.set(columns.collateralAmount.subarray(c0, c1), collateralOffsets[k]);
  }
  return {
    count: n,
    // ids absent or null: the accounts are acc-i, as loadColumns takes them
    ...(columns.ids ? { ids: Array.from(indexes, (a) => columns.ids![a]) } : {}),
    mode, parent, positionOffsets, positionInstrument, positionLots, positionEntry,
    collateralOffsets, collateralAsset, collateralAmount,
  };
}
