// The books a liquidation pass edits, with nested undo (docs/methodology.md §10): the pass
// records each account's book (positions and every balance) before its first change at each
// open level — the pass, an entry, one ADL fill — so a dry run puts the whole pass back, and an
// entry or a fill that would break a limit is put back alone while the pass goes on.
//
// The module keeps venue totals of equity, MM and status that follow the stored per-account
// results; evaluating an account overwrites its stored results, so an account is opened (its
// results as the totals count them are remembered) before it is evaluated or changed, and
// committed after: the remembered results go back and the module moves the totals by the change.
import { ceilDiv, MONEY_TO_AMOUNT } from "../../core/decimal.js";
import { fail } from "../../core/errors.js";
import { MAX_COLLATERAL_AMOUNT } from "../../core/constants.generated.js";
import { Col, type ColumnViews } from "../../module/views.js";
import type { WasmExports } from "../../module/wasm.js";
import type { AccountBook, Held } from "../accounts.js";
import type { Catalog } from "../catalog.js";
import { BookTape } from "./book-tape.js";

/** One balance of an account: asset index and signed amount (1e8). */
export interface Balance { asset: number; amount: bigint }

type Counted = [equity: bigint, maintenance: bigint, status: number];

export class Ledger {
  /** Books before their first change, one map per open level (outermost first): account → its record on the tape. */
  private readonly levels: Map<number, number>[] = [];
  private readonly tape: BookTape;
  /** Opened accounts: their results as the venue totals count them. */
  private readonly open = new Map<number, Counted>();
  /**
   * The instruments' and assets' high-water marks when the outermost level opened: edits raise
   * them, so undoing the whole pass puts them back too (they are part of the state a snapshot holds).
   */
  private marks: { lots: BigInt64Array; amounts: BigInt64Array } | null = null;

  constructor(
    private readonly wasm: WasmExports,
    private readonly views: ColumnViews,
    readonly catalog: Catalog,
    readonly book: AccountBook,
  ) {
    this.tape = new BookTape(wasm, views);
  }

  /** The settlement asset's index. */
  get settlement(): number {
    return this.catalog.assetIndex(this.catalog.settings.settlement);
  }

  /** Opens a level: changes from here on can be put back with `undo` or kept with `keep`. */
  begin(): void {
    if (this.levels.length === 0) {
      const v = this.views;
      this.marks = {
        lots: v.i64(Col.InstrumentMaxLots).slice(0, this.catalog.instruments.length),
        amounts: v.i64(Col.AssetMaxAmount).slice(0, this.catalog.assets.length),
      };
    }
    this.levels.push(new Map());
  }

  /** Closes the innermost level keeping its changes (outer levels hold their own records). */
  keep(): void {
    this.levels.pop();
    if (this.levels.length === 0) this.tape.clear();
  }

  /** Closes the innermost level putting back every book it changed, latest change first. */
  undo(): void {
    const level = this.levels.pop()!;
    for (const [a, record] of [...level].reverse()) {
      this.touch(a);
      this.tape.restore(a, record);
      this.commit(a);
    }
    if (this.levels.length === 0 && this.marks !== null) {
      this.views.i64(Col.InstrumentMaxLots).set(this.marks.lots);
      this.views.i64(Col.AssetMaxAmount).set(this.marks.amounts);
      this.tape.clear();
    }
  }

  /** Remembers the account's counted results and book (at every open level that has not yet). */
  touch(a: number): void {
    const v = this.views;
    if (!this.open.has(a)) this.open.set(a, [v.i64(Col.AccountEquity)[a], v.i64(Col.AccountMaintenanceMargin)[a], v.u8(Col.AccountStatus)[a]]);
    let record = -1;
    for (const level of this.levels) {
      if (level.has(a)) continue;
      if (record < 0) record = this.tape.save(a);
      level.set(a, record);
    }
  }

  /** Puts the counted results back and lets the module re-evaluate the account and move the totals. */
  commit(a: number): void {
    const counted = this.open.get(a);
    if (counted === undefined) return;
    const v = this.views;
    v.i64(Col.AccountEquity)[a] = counted[0];
    v.i64(Col.AccountMaintenanceMargin)[a] = counted[1];
    v.u8(Col.AccountStatus)[a] = counted[2];
    this.wasm.refreshAccount(a);
    this.open.delete(a);
  }

  /** The account evaluated as its book stands: [equity, MM] (the account must be touched). */
  evaluate(a: number): [bigint, bigint] {
    this.wasm.evaluateAccount(a);
    return [this.views.i64(Col.AccountEquity)[a], this.views.i64(Col.AccountMaintenanceMargin)[a]];
  }

  /**
   * The account's MM with its lots on `instrument` (which it holds) replaced by `lots`, written in
   * place for one evaluation, then put back.
   */
  maintenanceWith(a: number, instrument: number, lots: number): bigint {
    const column = this.views.i32(Col.PositionLots), p = this.wasm.positionIndex(a, instrument);
    const before = column[p];
    column[p] = lots;
    this.wasm.evaluateAccount(a);
    column[p] = before;
    return this.views.i64(Col.AccountMaintenanceMargin)[a];
  }

  /** The account's lots and entry on an instrument, or null when it holds none. */
  held(a: number, instrument: number): { lots: number; entry: bigint } | null {
    return this.book.held(a, instrument);
  }

  positions(a: number): Held[] {
    return this.book.positions(a);
  }

  positionCount(a: number): number {
    return this.views.u8(Col.AccountPositionCount)[a];
  }

  /** True when the account holds a balance other than the settlement asset. */
  holdsOthers(a: number): boolean {
    const v = this.views, settlement = this.settlement;
    const start = v.i32(Col.AccountCollateralStart)[a], count = v.u8(Col.AccountCollateralCount)[a], assets = v.u8(Col.CollateralAsset);
    for (let c = start; c < start + count; c++) if (assets[c] !== settlement) return true;
    return false;
  }

  /** Every balance of the account, in asset order. */
  balances(a: number): Balance[] {
    const v = this.views;
    const start = v.i32(Col.AccountCollateralStart)[a], count = v.u8(Col.AccountCollateralCount)[a];
    const assets = v.u8(Col.CollateralAsset), amounts = v.i64(Col.CollateralAmount);
    const out: Balance[] = [];
    for (let c = start; c < start + count; c++) out.push({ asset: assets[c], amount: amounts[c] });
    return out;
  }

  balance(a: number, asset: number): bigint {
    return this.book.balance(a, asset);
  }

  /** Sets a position's lots (0 closes it), keeping its entry. */
  setLots(a: number, instrument: number, lots: number, entry: bigint): void {
    this.touch(a);
    this.wasm.setPosition(a, instrument, lots, entry);
  }

  /** Sets a balance, failing (nothing written) past the collateral limits. */
  setBalance(a: number, asset: number, amount: bigint): void {
    this.touch(a);
    const magnitude = amount < 0n ? -amount : amount;
    if (magnitude > MAX_COLLATERAL_AMOUNT || this.wasm.setCollateral(a, asset, amount) !== 0) this.balanceLimit(a, asset);
  }

  /** Fails: the liquidation would take the account's balance of `asset` past its limits. */
  balanceLimit(a: number, asset: number): never {
    fail("OUT_OF_RANGE", `accounts.${this.book.accountId(a)}.collateral`, `the liquidation would take the ${this.catalog.assets[asset].id} balance beyond its limit (docs/limits.md)`);
  }

  /** The least money (µ-units) `addCash` can move into the account's settlement balance within its limit. */
  cashFloor(a: number): bigint {
    return ceilDiv(-MAX_COLLATERAL_AMOUNT - this.balance(a, this.settlement), MONEY_TO_AMOUNT);
  }

  /** Moves `money` (µ-units, signed) into the account's settlement balance. */
  addCash(a: number, money: bigint): void {
    if (money === 0n) return;
    this.setBalance(a, this.settlement, this.balance(a, this.settlement) + money * MONEY_TO_AMOUNT);
  }
}
