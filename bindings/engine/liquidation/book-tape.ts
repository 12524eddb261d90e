// Account books saved for the ledger's undo (ledger.ts), copied as they sit in the module's
// columns onto two growing tapes: per record its wide offset, the position and balance counts,
// each position's instrument and lots and each balance's asset (32-bit words), then the
// positions' entries and the balances' amounts (64-bit). Saving makes no object per position or
// balance, so a pass that journals thousands of books leaves little for the collector; only a
// restore reads them back as values.
import { Col, type ColumnViews } from "../../module/views.js";
import type { WasmExports } from "../../module/wasm.js";

export class BookTape {
  private words = new Int32Array(1 << 12);
  private wides = new BigInt64Array(1 << 11);
  private wordCount = 0;
  private wideCount = 0;

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
    const words = this.words, at = this.wordCount, wideAt = this.wideCount;
    words[at] = wideAt;
    words[at + 1] = pn;
    words[at + 2] = cn;
    const instruments = v.u16(Col.PositionInstrument), assets = v.u8(Col.CollateralAsset);
    for (let k = 0; k < pn; k++) words[at + 3 + k] = instruments[ps + k];
    words.set(v.i32(Col.PositionLots).subarray(ps, ps + pn), at + 3 + pn);
    for (let k = 0; k < cn; k++) words[at + 3 + 2 * pn + k] = assets[cs + k];
    this.wides.set(v.i64(Col.PositionEntry).subarray(ps, ps + pn), wideAt);
    this.wides.set(v.i64(Col.CollateralAmount).subarray(cs, cs + cn), wideAt + pn);
    this.wordCount = at + 3 + 2 * pn + cn;
    this.wideCount = wideAt + pn + cn;
    return at;
  }

  /** Puts account a's book back as the record at `at` saved it: whatever it holds now is cleared first. */
  restore(a: number, at: number): void {
    const v = this.views, words = this.words, wides = this.wides;
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
    if (this.wideCount + wides > this.wides.length) {
      const grown = new BigInt64Array(Math.max(2 * this.wides.length, this.wideCount + wides));
      grown.set(this.wides.subarray(0, this.wideCount));
      this.wides = grown;
    }
  }
}
