// Auto-deleveraging (docs/methodology.md §10): a deficit the fund cannot pay is taken from
// opposing positions, ranked by PnL% × leverage, closed at the bankruptcy price. A fill never
// takes an opponent's equity below zero or below its maintenance margin: each opponent gives the
// most lots that keep it at or above both, and the rest moves to the next in rank.
import { ceilDiv } from "../../core/decimal.js";
import { MarginError } from "../../core/errors.js";
import { QTY_PRICE_TO_MONEY, STATUS_RESTRICTED } from "../../core/constants.generated.js";
import { Col, type ColumnViews } from "../../module/views.js";
import type { AdlFill, InstrumentOrder, Skip } from "./entry.js";
import type { Ledger } from "./ledger.js";
import type { PositionCloser } from "./positions.js";

interface Ranked { account: number; score: number }

/** Rankings per instrument and side: lists are built at first need in a pass, all in one scan. */
const key = (instrument: number, side: number) => instrument * 2 + (side > 0 ? 1 : 0);

export class Deleverager {
  private rankings: Map<number, Ranked[]> | null = null;

  constructor(
    private readonly views: ColumnViews,
    private readonly ledger: Ledger,
    private readonly closer: PositionCloser,
  ) {}

  /** Forgets the rankings: the next pass ranks afresh. */
  reset(): void {
    this.rankings = null;
  }

  /**
   * Ranks the holders of every (instrument, side) in `wanted` in one scan: accounts at or above
   * maintenance margin with positive equity and a profit on the position, scored by
   * PnL / |entry notional| × notional / equity, highest first, ties by account index.
   */
  rank(wanted: Iterable<number>): void {
    const v = this.views, catalog = this.ledger.catalog;
    const want = new Uint8Array(catalog.instruments.length * 2);
    for (const k of wanted) want[k] = 1;
    const rankings = new Map<number, Ranked[]>();
    const starts = v.i32(Col.AccountPositionStart), counts = v.u8(Col.AccountPositionCount), statuses = v.u8(Col.AccountStatus);
    const instruments = v.u16(Col.PositionInstrument), lotsColumn = v.i32(Col.PositionLots), entries = v.i64(Col.PositionEntry);
    const equities = v.i64(Col.AccountEquity), marks = v.i64(Col.InstrumentMarkUsed);
    const n = this.ledger.book.count();
    for (let a = 0; a < n; a++) {
      if (statuses[a] > STATUS_RESTRICTED) continue;
      const equity = Number(equities[a]);
      if (!(equity > 0)) continue;
      for (let p = starts[a], end = starts[a] + counts[a]; p < end; p++) {
        const i = instruments[p], lots = lotsColumn[p], k = key(i, lots);
        if (want[k] === 0) continue;
        // The score orders, it is not money: double precision from the exact integers, the
        // same operations in the same order everywhere, so every host ranks alike.
        const mark = Number(marks[i]), entry = Number(entries[p]);
        const pnl = lots * (mark - entry);
        if (!(pnl > 0)) continue;
        const notional = Math.abs(lots) * Number(catalog.instruments[i].lotSize) * mark / 1e10;
        const score = (pnl / (Math.abs(lots) * entry)) * (notional / equity);
        let list = rankings.get(k);
        if (list === undefined) rankings.set(k, (list = []));
        list.push({ account: a, score });
      }
    }
    for (const list of rankings.values()) list.sort((x, y) => (x.score !== y.score ? y.score - x.score : x.account - y.account));
    this.rankings = rankings;
  }

  get ranked(): boolean {
    return this.rankings !== null;
  }

  /**
   * Takes `share` (money) for account `a` from the holders opposite its closed trade `order`
   * (`lots` lots were closed), at the bankruptcy price. Returns the fills; their amounts add up
   * to at most `share`.
   */
  take(a: number, order: InstrumentOrder, share: bigint, skipped: Skip[]): AdlFill[] {
    const fills: AdlFill[] = [];
    const i = order.instrument, size = BigInt(Math.abs(order.lots)), side = -Math.sign(order.lots);
    const row = this.ledger.catalog.instruments[i];
    // the price at which closing the bankrupt position would have paid the share: a long
    // sells above the mark, a short buys below it
    const perUnit = (share * QTY_PRICE_TO_MONEY) / (size * row.lotSize);
    const mark = this.views.i64(Col.InstrumentMarkUsed)[i];
    const price = side > 0 ? mark + perUnit : mark - perUnit;
    /** Cumulative amount once `filled` of the `size` lots are taken: ⌈share × filled / size⌉. */
    const paidAt = (filled: bigint) => ceilDiv(share * filled, size);
    let filled = 0n;
    for (const opponent of this.rankings?.get(key(i, -side)) ?? []) {
      if (filled === size) break;
      const b = opponent.account;
      if (b === a) continue;
      const held = this.ledger.positions(b).find((h) => h.instrument === i)?.lots ?? 0;
      if (Math.sign(held) !== -side) continue;
      const v = this.views;
      const equity = v.i64(Col.AccountEquity)[b], maintenance = v.i64(Col.AccountMaintenanceMargin)[b];
      if (equity <= 0n || equity < maintenance) continue;
      const most = BigInt(Math.abs(held)) < size - filled ? BigInt(Math.abs(held)) : size - filled;
      // within equity: ⌈share × (filled + k) / size⌉ − paid ≤ equity  ⇔  filled + k ≤ ⌊(equity + paid) × size / share⌋
      const paid = paidAt(filled);
      const withinEquity = (equity + paid) * size / share - filled;
      let k = withinEquity < most ? withinEquity : most;
      if (k <= 0n) continue;
      this.ledger.touch(b);
      const keepsMargin = (lots: bigint) => {
        const [, mm] = this.ledger.evaluateWith(b, new Map([[i, held + Math.sign(held) * -Number(lots)]]));
        return equity - (paidAt(filled + lots) - paid) >= mm;
      };
      if (!keepsMargin(k)) {
        let low = 0n, high = k; // keepsMargin(low) holds (no fill), keepsMargin(high) does not
        while (high - low > 1n) {
          const mid = (low + high) / 2n;
          if (keepsMargin(mid)) low = mid;
          else high = mid;
        }
        k = low;
      }
      if (k === 0n) {
        this.ledger.commit(b);
        continue;
      }
      const amount = paidAt(filled + k) - paid;
      const lots = -Math.sign(held) * Number(k);
      this.ledger.begin();
      try {
        this.closer.move(b, i, lots);
        this.ledger.addCash(b, -amount);
        this.ledger.addCash(a, amount);
        this.ledger.keep();
      } catch (error) {
        if (!(error instanceof MarginError)) throw error;
        this.ledger.undo();
        skipped.push({ account: b, code: error.code, field: error.field, message: error.detail });
        continue;
      }
      this.ledger.commit(b);
      this.ledger.commit(a);
      filled += k;
      fills.push({ account: b, instrument: i, lots: -lots, price, amount, equityBefore: equity, equityAfter: equity - amount });
    }
    return fills;
  }
}
