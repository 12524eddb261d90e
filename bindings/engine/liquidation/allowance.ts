// What one liquidation pass may still trade (docs/methodology.md §10): the notional caps per
// account and per pass, and the notional filled on each instrument against its depth (the
// module sizes and prices position trades from these; collateral trades are sized here). A
// trade's notional is its size at the mark (an instrument) or at the asset's price (a balance),
// in money rounded up; a cap that is not set never binds.
import { CAP_ACCOUNT, CAP_PASS, CAP_PASS_UNTOUCHED, QTY_PRICE_TO_MONEY } from "../../core/constants.generated.js";
import type { Catalog } from "../catalog.js";

interface Saved { pass: bigint | null; account: bigint | null; traded: boolean }

const least = (a: bigint | null, b: bigint | null): bigint | null => (a === null ? b : b === null || a < b ? a : b);

export class Allowance {
  /** Notional the pass may still trade (null: no cap). */
  private pass: bigint | null;
  /** Notional the current account may still trade. */
  private account: bigint | null = null;
  /** Whether the pass has made a trade, of any notional (zero included): its cap is then no longer untouched. */
  private traded = false;
  /** Notional filled per instrument in this pass. */
  private readonly filled = new Map<number, bigint>();
  /** Each change to `filled` since the last `save`: the instrument and what it held before. */
  private readonly changes: [number, bigint][] = [];

  constructor(private readonly catalog: Catalog) {
    this.pass = catalog.params.liquidationCaps.maxLiquidationNotionalPerPass;
  }

  /** A new account's trades start: its own cap applies afresh. */
  startAccount(): void {
    this.account = this.catalog.params.liquidationCaps.maxLiquidationNotionalPerAccount;
  }

  /** True when the pass's notional cap is used up: nothing more can be traded in it. */
  passExhausted(): boolean {
    return this.pass !== null && this.pass <= 0n;
  }

  /** Starts an entry: `restore` puts back what it uses (changes before it are kept for good, so forgotten). */
  save(): Saved {
    this.changes.length = 0;
    return { pass: this.pass, account: this.account, traded: this.traded };
  }

  restore(saved: Saved): void {
    this.pass = saved.pass;
    this.account = saved.account;
    this.traded = saved.traded;
    while (this.changes.length > 0) {
      const [i, before] = this.changes.pop()!;
      this.filled.set(i, before);
    }
  }

  /** The caps the account's trades start from, for the module (assembly/risk/liquidation-trades.ts): which are set, and what they leave. */
  caps(): { set: number; pass: bigint; account: bigint } {
    return {
      set: (this.pass === null ? 0 : 1 << CAP_PASS) | (this.account === null ? 0 : 1 << CAP_ACCOUNT)
        | (this.traded ? 0 : 1 << CAP_PASS_UNTOUCHED),
      pass: this.pass ?? 0n,
      account: this.account ?? 0n,
    };
  }

  /** Notional filled on instrument `i` in this pass. */
  filledOn(i: number): bigint {
    return this.filled.get(i) ?? 0n;
  }

  /** Notional the account may still trade, with `planned` of its own trades not yet made (null: no cap). */
  private left(planned: bigint): bigint | null {
    const caps = least(this.pass, this.account);
    const left = caps === null ? null : caps - planned;
    return left === null ? null : left > 0n ? left : 0n;
  }

  /** The most units (≤ wanted, 1e8) of an asset at `price` whose notional fits the caps left. */
  amount(price: bigint, wanted: bigint, planned = 0n): bigint {
    const left = this.left(planned);
    if (left === null) return wanted;
    if (left === 0n) return 0n;
    if (price === 0n) return wanted;
    const fits = (left * QTY_PRICE_TO_MONEY) / price;
    return fits < wanted ? fits : wanted;
  }

  /** Records a trade's notional against the caps (and instrument `i`'s depth, when given). */
  use(i: number | null, notional: bigint): void {
    this.traded = true;
    if (this.pass !== null) this.pass -= notional;
    if (this.account !== null) this.account -= notional;
    if (i === null) return;
    const before = this.filled.get(i) ?? 0n;
    this.changes.push([i, before]);
    this.filled.set(i, before + notional);
  }
}
