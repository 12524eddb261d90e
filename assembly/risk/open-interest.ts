// Net lots per instrument over every account, for venue greek totals: the totals are then
// Σ_instruments netLots × per-lot greek, a few hundred exact products instead of millions. The
// sums are taken again only after a book edit or a load (store/holders.ts), so reading totals
// after price ticks costs no pass over the positions.
import { Column, i32At, u8At, u16At, i64At, setI64At } from "../store/column";
import { instrumentCount } from "../store/reference";
import { takeLotsMoved } from "../store/holders";
import { accountCount, accountPositionStart, accountPositionCount, positionInstrument, positionLots } from "../store/accounts";

/** i64 per instrument: Σ lots (|Σ| ≤ 5e7 accounts × 9e8 lots fits easily). */
export const instrumentNetLots = new Column(3);

/** The instrument count the sums were last taken for (an upsert may add instruments). */
let summedInstruments = -1;

export function sumNetLots(): void {
  if (!takeLotsMoved() && summedInstruments == instrumentCount) return;
  summedInstruments = instrumentCount;
  instrumentNetLots.resetTo(instrumentCount);
  const net = instrumentNetLots.ptr, instruments = positionInstrument.ptr, lots = positionLots.ptr;
  for (let a = 0; a < accountCount; a++) {
    const start = i32At(accountPositionStart.ptr, a), end = start + u8At(accountPositionCount.ptr, a);
    for (let p = start; p < end; p++) {
      const i = u16At(instruments, p);
      setI64At(net, i, i64At(net, i) + <i64>i32At(lots, p));
    }
  }
}
