// The ADL ranking (docs/methodology.md §10): per instrument and side, the holders at or above
// maintenance margin with positive equity and a profit on the position, scored by
// PnL / |entry notional| × notional / equity, highest first, ties by account index; the entry
// counts as at least one price unit, so an option bought at a premium of 0 scores finitely. Every
// (instrument, side) a pass needs is ranked in one scan of the position columns; each list is
// then ordered lazily from a heap, since ADL rarely reaches past its first few holders.
import { STATUS_RESTRICTED } from "../../core/constants.generated.js";
import { readI64, wordsOf } from "../../core/units.js";
import { Col, type ColumnViews } from "../../module/views.js";
import type { Catalog } from "../catalog.js";

/** The key of an instrument and the side its holders hold (positive: long). */
export const rankingKey = (instrument: number, side: number) => instrument * 2 + (side > 0 ? 1 : 0);

/** Holders of one (instrument, side), handed out best first. */
export class Ranking {
  /** Holders already handed out, in rank order. */
  private readonly ordered: number[] = [];
  /** A max-heap of candidate indexes by (score desc, account asc). */
  private readonly heap: number[];

  constructor(private readonly accounts: number[], private readonly scores: number[]) {
    this.heap = accounts.map((_, k) => k);
    for (let k = (this.heap.length >> 1) - 1; k >= 0; k--) this.sink(k);
  }

  /** The holder of rank `k` (from 0), or −1 past the last. */
  at(k: number): number {
    while (this.ordered.length <= k && this.heap.length > 0) {
      const top = this.heap[0], last = this.heap.pop()!;
      if (this.heap.length > 0) {
        this.heap[0] = last;
        this.sink(0);
      }
      this.ordered.push(this.accounts[top]);
    }
    return k < this.ordered.length ? this.ordered[k] : -1;
  }

  private before(x: number, y: number): boolean {
    const sx = this.scores[x], sy = this.scores[y];
    return sx !== sy ? sx > sy : this.accounts[x] < this.accounts[y];
  }

  private sink(k: number): void {
    const heap = this.heap, n = heap.length;
    for (;;) {
      const l = 2 * k + 1, r = l + 1;
      let best = k;
      if (l < n && this.before(heap[l], heap[best])) best = l;
      if (r < n && this.before(heap[r], heap[best])) best = r;
      if (best === k) return;
      [heap[k], heap[best]] = [heap[best], heap[k]];
      k = best;
    }
  }
}

/** Ranks the holders of every key in `wanted` in one scan of the stored results and books. */
export function rankHolders(views: ColumnViews, catalog: Catalog, accounts: number, wanted: Iterable<number>): Map<number, Ranking> {
  const v = views;
  const want = new Uint8Array(catalog.instruments.length * 2);
  for (const k of wanted) want[k] = 1;
  // The score orders, it is not money: doubles from the exact integers (each correctly rounded),
  // the same operations in the same order everywhere, so every host ranks alike.
  const exactMarks = v.i64(Col.InstrumentMarkUsed), marks = Array.from(exactMarks.subarray(0, catalog.instruments.length), Number);
  const lotSizes = catalog.instruments.map((row) => Number(row.lotSize));
  const starts = v.i32(Col.AccountPositionStart), counts = v.u8(Col.AccountPositionCount), statuses = v.u8(Col.AccountStatus);
  const instruments = v.u16(Col.PositionInstrument), lotsColumn = v.i32(Col.PositionLots);
  const exactEntries = v.i64(Col.PositionEntry), entryWords = wordsOf(exactEntries);
  const equities = v.i64(Col.AccountEquity);
  const found = new Map<number, { accounts: number[]; scores: number[] }>();
  for (let a = 0; a < accounts; a++) {
    if (statuses[a] > STATUS_RESTRICTED) continue;
    let equity = NaN;
    for (let p = starts[a], end = starts[a] + counts[a]; p < end; p++) {
      const i = instruments[p], lots = lotsColumn[p], k = rankingKey(i, lots);
      if (want[k] === 0) continue;
      // entries are positive: the high word times 2^32 is exact, and adding the low word rounds once
      const entry = readI64(entryWords, p);
      const mark = marks[i];
      let pnl = lots * (mark - entry);
      // past 2^53 a mark and an entry a few units apart can round to one double: the profit is
      // then taken from the exact difference, so a holder in profit is never passed over
      if (mark === entry) pnl = lots * Number(exactMarks[i] - exactEntries[p]);
      if (!(pnl > 0)) continue;
      if (Number.isNaN(equity)) equity = Number(equities[a]);
      if (!(equity > 0)) break;
      const notional = Math.abs(lots) * lotSizes[i] * mark / 1e10;
      // an option's premium may be 0: the most a PnL ratio can be is taken over one price unit (10^-8)
      const score = (pnl / (Math.abs(lots) * Math.max(entry, 1))) * (notional / equity);
      let list = found.get(k);
      if (list === undefined) found.set(k, (list = { accounts: [], scores: [] }));
      list.accounts.push(a);
      list.scores.push(score);
    }
  }
  return new Map([...found].map(([k, list]) => [k, new Ranking(list.accounts, list.scores)]));
}
