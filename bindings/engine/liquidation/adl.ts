// Auto-deleveraging (docs/methodology.md §10): a deficit the fund cannot pay is taken from
// opposing positions outside the bankrupt account's family, ranked by PnL% × leverage
// (ranking.ts), closed at the bankruptcy price. A fill never
// takes an opponent's equity below zero or below its maintenance margin: each opponent gives the
// most lots that keep it at or above both, and the rest moves to the next in rank.
import { ceilDiv } from "../../core/decimal.js";
import { MarginError } from "../../core/errors.js";
import { KIND_CALL, MAX_PRICE, QTY_PRICE_TO_MONEY } from "../../core/constants.generated.js";
import { Col, type ColumnViews } from "../../module/views.js";
import type { AdlFill, InstrumentOrder, Skip } from "./entry.js";
import type { Ledger } from "./ledger.js";
import type { PositionCloser } from "./positions.js";
import { rankHolders, rankingKey, type Ranking } from "./ranking.js";

export class Deleverager {
  private rankings: Map<number, Ranking> | null = null;

  constructor(
    private readonly views: ColumnViews,
    private readonly ledger: Ledger,
    private readonly closer: PositionCloser,
  ) {}

  /** Ranks the holders of every (instrument, side) key in `wanted`, once a pass, at its first ADL. */
  rank(wanted: Iterable<number>): void {
    this.rankings = rankHolders(this.views, this.ledger.catalog, this.ledger.book.count(), wanted);
  }

  get ranked(): boolean {
    return this.rankings !== null;
  }

  /**
   * Takes up to `wanted` (money) for account `a` from the holders opposite its closing trade
   * `order`, over the lots that trade closed, at the bankruptcy price — at most what those lots
   * pay at the furthest price the instrument may have. Returns the fills; their amounts, which add
   * up to at most `wanted`, are the caller's to credit to `a`.
   */
  take(a: number, order: InstrumentOrder, wanted: bigint, skipped: Skip[]): AdlFill[] {
    const fills: AdlFill[] = [];
    const i = order.instrument, size = BigInt(Math.abs(order.lots)), side = -Math.sign(order.lots);
    const row = this.ledger.catalog.instruments[i];
    const mark = this.views.i64(Col.InstrumentMarkUsed)[i];
    // a bankrupt long's lots go to the shorts above the mark, at most at the price limit; a
    // short's to the longs below it, at one price unit at least (an option's premium: at 0)
    const room = side > 0 ? MAX_PRICE - mark : mark - (row.kind >= KIND_CALL ? 0n : 1n);
    const most = (size * row.lotSize * room) / QTY_PRICE_TO_MONEY;
    const share = wanted < most ? wanted : most;
    if (share === 0n) return fills;
    // the price at which closing the bankrupt position would have paid the share
    const perUnit = (share * QTY_PRICE_TO_MONEY) / (size * row.lotSize);
    const price = side > 0 ? mark + perUnit : mark - perUnit;
    /** Cumulative amount once `filled` of the `size` lots are taken: ⌈share × filled / size⌉. */
    const paidAt = (filled: bigint) => ceilDiv(share * filled, size);
    let filled = 0n;
    const ranking = this.rankings?.get(rankingKey(i, -side));
    // nothing flows within a family (docs/api.md, `parent`): its own sub-accounts, parent and siblings are no opponents
    const book = this.ledger.book, family = book.parentOf(a) ?? a;
    for (let rank = 0; ranking !== undefined && filled < size; rank++) {
      const b = ranking.at(rank);
      if (b < 0) break;
      if ((book.parentOf(b) ?? b) === family) continue;
      const held = this.ledger.held(b, i)?.lots ?? 0;
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
        const mm = this.ledger.maintenanceWith(b, i, held + Math.sign(held) * -Number(lots));
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
        // the opponent's realized profit and its payment land in one write: only the balance the
        // fill leaves is held to the limit
        this.closer.move(b, i, lots, -amount);
        this.ledger.keep();
      } catch (error) {
        if (!(error instanceof MarginError)) throw error;
        this.ledger.undo();
        // an opponent a limit keeps back is reported once a pass (its first reason), however many deficits try it
        if (!skipped.some((s) => s.account === b)) {
          skipped.push({ account: b, code: error.code, message: error.message });
        }
        continue;
      }
      this.ledger.commit(b);
      filled += k;
      fills.push({ account: b, instrument: i, lots: -lots, price, amount, equityBefore: equity, equityAfter: equity - amount });
    }
    return fills;
  }
}
