// Merging per-shard liquidation queues into the one order a single engine would give: health
// (equity / MM) ascending compared exactly by cross-multiplying in BigInt, accounts with MM 0
// first, ties by larger MM, then by account index (docs/methodology.md §10).

/** One shard's queue: global account indexes in its order, with their raw equity and MM. */
export interface ShardQueue { accounts: Int32Array; equity: BigInt64Array; maintenanceMargin: BigInt64Array }

export interface QueueEntry { account: number; equity: bigint; maintenanceMargin: bigint }

function healthOrder(x: QueueEntry, y: QueueEntry): number {
  const xZero = x.maintenanceMargin === 0n, yZero = y.maintenanceMargin === 0n;
  if (xZero !== yZero) return xZero ? -1 : 1;
  if (!xZero) {
    const left = x.equity * y.maintenanceMargin, right = y.equity * x.maintenanceMargin;
    if (left !== right) return left < right ? -1 : 1;
  }
  if (x.maintenanceMargin !== y.maintenanceMargin) return x.maintenanceMargin > y.maintenanceMargin ? -1 : 1;
  return x.account - y.account;
}

/** k-way merge of queues each already in health order; the first `limit` entries. */
export function mergeQueues(queues: ShardQueue[], limit: number): QueueEntry[] {
  const at = queues.map(() => 0);
  const head = (q: number): QueueEntry => ({
    account: queues[q].accounts[at[q]], equity: queues[q].equity[at[q]], maintenanceMargin: queues[q].maintenanceMargin[at[q]],
  });
  const out: QueueEntry[] = [];
  while (out.length < limit) {
    let best = -1, bestEntry: QueueEntry | null = null;
    for (let q = 0; q < queues.length; q++) {
      if (at[q] >= queues[q].accounts.length) continue;
      const entry = head(q);
      if (bestEntry === null || healthOrder(entry, bestEntry) < 0) {
        best = q;
        bestEntry = entry;
      }
    }
    if (bestEntry === null) break;
    out.push(bestEntry);
    at[best]++;
  }
  return out;
}
