// Splitting a bulk load into contiguous account ranges, one per shard, never separating a
// sub-account from its parent, and cutting the CSR columns so each shard loads its own range.
import type { AccountColumns } from "./account-columns.js";

/**
 * Start indexes of `shards` contiguous ranges of about equal size (plus the end). A cut at c is
 * legal when no account at or after c names a parent before c.
 */
export function shardBoundaries(parent: Int32Array, count: number, shards: number): number[] {
  // earliest[c] = the smallest family root among accounts c … count − 1
  const earliest = new Int32Array(count + 1).fill(count);
  for (let a = count - 1; a >= 0; a--) earliest[a] = Math.min(earliest[a + 1], parent[a] >= 0 ? parent[a] : a);
  const cuts = [0];
  for (let k = 1; k < shards; k++) {
    let c = Math.max(cuts[k - 1], Math.round((count * k) / shards));
    while (c < count && earliest[c] < c) c++;
    cuts.push(c);
  }
  cuts.push(count);
  return cuts;
}

/** Accounts [from, to) as columns of their own: offsets and parents rebased, rows shared by view. */
export function sliceColumns(columns: AccountColumns, from: number, to: number): AccountColumns {
  const p0 = columns.positionOffsets[from], p1 = columns.positionOffsets[to];
  const c0 = columns.collateralOffsets[from], c1 = columns.collateralOffsets[to];
  const rebase = (offsets: Uint32Array, base: number) => offsets.slice(from, to + 1).map((o) => o - base);
  return {
    count: to - from,
    ...(columns.ids === undefined ? {} : { ids: columns.ids.slice(from, to) }),
    mode: columns.mode.subarray(from, to),
    parent: columns.parent.slice(from, to).map((p) => (p >= 0 ? p - from : -1)),
    positionOffsets: rebase(columns.positionOffsets, p0),
    positionInstrument: columns.positionInstrument.subarray(p0, p1),
    positionLots: columns.positionLots.subarray(p0, p1),
    positionEntry: columns.positionEntry.subarray(p0, p1),
    collateralOffsets: rebase(columns.collateralOffsets, c0),
    collateralAsset: columns.collateralAsset.subarray(c0, c1),
    collateralAmount: columns.collateralAmount.subarray(c0, c1),
  };
}
