// Account books saved for the ledger's undo (ledger.ts), copied as they sit in the module's
// columns onto two growing tapes: per record its wide offset, the position and balance counts,
// each position's instrument and lots and each balance's asset (32-bit words), then the
// positions' entries and the balances' amounts (64-bit, copied word by word). Saving makes no
// object per position or balance, so a pass that journals thousands of books leaves little for
// the collector; only a restore reads them back as values.
import { Col, type ColumnViews } from "../../module/views.js";
import type { WasmExports } from "../../module/wasm.js";
import { wordsOf } from "../../core/units.js";

export class BookTape {
  private words = new Int32Array(1 << 12);
  /** The 64-bit values as pairs of 32-bit words, in the host's order (read back through a BigInt64Array over the same buffer). */
  private wides = new Int32Array(1 << 12);
  private wordCount = 0;
  private wideCount = 0;
  /** 32-bit word views of the entry and amount columns, kept while the columns stay where they are. */
  private entryColumn: BigInt64Array | null = null;
  private entryWords: Int32Array = new Int32Array(0);
  private amountColumn: BigInt64Array | null = null;
  private amountWords: Int32Array = new Int32Array(0);

  constructor(private readonly wasm: WasmExports, private readonly views: ColumnViews) {}

  /** Forgets every record (none is referenced any more). */
  clear(): void {
    this.wordCount = 0;
    this.wideCount = 0;
  }

  /** Saves account a's book; returns its record's offset. */
  save(a: number): number {
    const v = this.views;
    const ps = v.i32(Col.AccountPositionStart)[a], pn = v.u8(Col.AccountPositionCount)[a];
    const cs = v.i32(Col.AccountCollateralStart)[a], cn = v.u8(Col.AccountCollateralCount)[a];
    this.reserve(3 + 2 * pn + cn, pn + cn);
    const entries = v.i64(Col.PositionEntry), amounts = v.i64(Col.CollateralAmount);
    if (entries !== this.entryColumn) [this.entryColumn, this.entryWords] = [entries, wordsOf(entries)];
    if (amounts !== this.amountColumn) [this.amountColumn, this.amountWords] = [amounts, wordsOf(amounts)];
    const words = this.words, wides = this.wides, at = this.wordCount, wideAt = this.wideCount;
    const instruments = v.u16(Col.PositionInstrument), lots = v.i32(Col.PositionLots), assets = v.u8(Col.CollateralAsset);
    const entryWords = this.entryWords, amountWords = this.amountWords;
    words[at] = wideAt;
    words[at + 1] = pn;
    words[at + 2] = cn;
    for (let k = 0; k < pn; k++) {
      words[at + 3 + k] = instruments[ps + k];
      words[at + 3 + pn + k] = lots[ps + k];
      wides[2 * (wideAt + k)] = entryWords[2 * (ps + k)];
      wides[2 * (wideAt + k) + 1] = entryWords[2 * (ps + k) + 1];
    }
    for (let k = 0; k < cn; k++) {
      words[at + 3 + 2 * pn + k] = assets[cs + k];
      wides[2 * (wideAt + pn + k)] = amountWords[2 * (cs + k)];
      wides[2 * (wideAt + pn + k) + 1] = amountWords[2 * (cs + k) + 1];
    }
    this.wordCount = at + 3 + 2 * pn + cn;
    this.wideCount = wideAt + pn + cn;
    return at;
  }

  /** Puts account a's book back as the record at `at` saved it: whatever it holds now is cleared first. */
  restore(a: number, at: number): void {
    const v = this.views, words = this.words, wides = new BigInt64Array(this.wides.buffer);
    const ps = v.i32(Col.AccountPositionStart)[a], cs = v.i32(Col.AccountCollateralStart)[a];
    const now = Array.from(v.u16(Col.PositionInstrument).subarray(ps, ps + v.u8(Col.AccountPositionCount)[a]));
    for (const i of now) this.wasm.setPosition(a, i, 0, 0n);
    const held = Array.from(v.u8(Col.CollateralAsset).subarray(cs, cs + v.u8(Col.AccountCollateralCount)[a]));
    for (const asset of held) this.wasm.setCollateral(a, asset, 0n);
    const wideAt = words[at], pn = words[at + 1], cn = words[at + 2];
    for (let k = 0; k < pn; k++) this.wasm.setPosition(a, words[at + 3 + k], words[at + 3 + pn + k], wides[wideAt + k]);
    for (let k = 0; k < cn; k++) this.wasm.setCollateral(a, words[at + 3 + 2 * pn + k], wides[wideAt + pn + k]);
  }

  private reserve(words: number, wides: number): void {
    if (this.wordCount + words > this.words.length) {
      const grown = new Int32Array(Math.max(2 * this.words.length, this.wordCount + words));
      grown.set(this.words.subarray(0, this.wordCount));
      this.words = grown;
    }
    if (2 * (this.wideCount + wides) > this.wides.length) {
      const grown = new Int32Array(Math.max(2 * this.wides.length, 2 * (this.wideCount + wides)));
      grown.set(this.wides.subarray(0, 2 * this.wideCount));
      this.wides = grown;
    }
  }
}
