// Results as the API shows them: accounts with their greeks and liquidation prices, venue totals,
// and a portfolio account's scenario grid, money formatted as exact decimal strings.
import { formatDecimal, FRACTION_SCALE, MONEY_SCALE, PRICE_SCALE } from "../core/decimal.js";
import { MODE_NAMES, MODE_PORTFOLIO, STATUS_NAMES } from "../core/constants.generated.js";
import { fail } from "../core/errors.js";
import { idRecord, setId } from "../core/records.js";
import { formatI64, formatUnits, readI64, wordsOf } from "../core/units.js";
import { Col, type ColumnViews } from "../module/views.js";
import type { WasmExports } from "../module/wasm.js";
import type { AccountBook } from "./accounts.js";
import type { Catalog } from "./catalog.js";
import type { AccountGreeks, GreekSums } from "./greeks.js";
import type { LiquidationPriceSearch } from "./liquidation-price.js";
import { pageOf } from "./page.js";
import type { Refresh } from "./refresh.js";
import type { Results } from "./results.js";
import type { AccountRisk, AccountsOptions, RawAccountRisk, ScenarioGrid, VenueRisk } from "./types.js";

const VOL_NAMES = ["down", "none", "up"] as const;
/** Below 2^53 an i64 the module hands over as a double is that integer exactly; from there on it may be rounded. */
const EXACT_LIMIT = 2 ** 53;

/** A portfolio account's bucket: its margin (raw money) and the binding scenario (−1: none, or the minimum). */
export interface Bucket { underlying: string; loss: bigint; binding: number }

export class Presenter {
  constructor(
    private readonly wasm: WasmExports,
    private readonly views: ColumnViews,
    private readonly catalog: Catalog,
    private readonly book: AccountBook,
    private readonly results: Results,
    private readonly greeks: GreekSums,
    private readonly refresh: Refresh,
    private readonly priceSearch: LiquidationPriceSearch,
  ) {}

  accountRaw(id: string): RawAccountRisk {
    this.refresh.refresh();
    return this.results.evaluate(this.book.indexOf(id, "account"));
  }

  account(id: string): AccountRisk {
    const a = this.book.indexOf(id, "account");
    this.refresh.refresh();
    return this.describe(a, a + 1, true, new Map([[a, this.book.subAccountsOf(a)]]))[0];
  }

  /** Accounts [offset, offset + limit) in account order (clipped to those that exist). */
  accounts(options: AccountsOptions | null | undefined): AccountRisk[] {
    // null, as absent, means the default
    const liquidationPrices = options?.liquidationPrices ?? false;
    if (typeof liquidationPrices !== "boolean") fail("MALFORMED", "options.liquidationPrices", "expected true or false");
    const { from, to } = pageOf(options, this.book.count());
    this.refresh.refresh();
    return this.describe(from, to, liquidationPrices, this.book.children());
  }

  totals(): VenueRisk {
    const raw = this.results.totals();
    return {
      accounts: this.book.count(),
      equity: formatDecimal(raw.equity, MONEY_SCALE),
      initialMargin: formatDecimal(raw.initialMargin, MONEY_SCALE),
      maintenanceMargin: formatDecimal(raw.maintenanceMargin, MONEY_SCALE),
      statusCounts: this.results.statusCounts(),
      greeks: this.greeks.ofVenue(),
    };
  }

  /**
   * Accounts [from, to) as the API shows them (stored results must be current), formatted
   * straight from the result columns: equity and MM are read from their columns as doubles where
   * exact (core/units.ts), IM as the totals count it (from MM, or the cache slot) likewise, and
   * greeks summed likewise — no account is walked again.
   */
  private describe(from: number, to: number, liquidationPrices: boolean, children: Map<number, number[]>): AccountRisk[] {
    const out = new Array<AccountRisk>(to - from);
    const { wasm, views, book } = this;
    let buffer: ArrayBuffer | null = null;
    let equity!: BigInt64Array, equityWords!: Int32Array, maintenance!: BigInt64Array, maintenanceWords!: Int32Array;
    let mode!: Uint8Array, status!: Uint8Array, greeks!: AccountGreeks;
    for (let a = from; a < to; a++) {
      if (wasm.memory.buffer !== buffer) {
        // views are taken again if memory ever moved
        buffer = wasm.memory.buffer;
        equity = views.i64(Col.AccountEquity);
        equityWords = wordsOf(equity);
        maintenance = views.i64(Col.AccountMaintenanceMargin);
        maintenanceWords = wordsOf(maintenance);
        mode = views.u8(Col.AccountMode);
        status = views.u8(Col.AccountStatus);
        greeks = this.greeks.reader();
      }
      const im = wasm.countedInitialMarginNumber(a);
      const e = readI64(equityWords, a);
      const parent = book.parentOf(a);
      const subAccounts = children.get(a);
      const risk: AccountRisk = {
        id: book.accountId(a),
        mode: MODE_NAMES[mode[a]],
        parent: parent === undefined ? null : book.accountId(parent),
        subAccounts: subAccounts === undefined ? [] : subAccounts.map((c) => book.accountId(c)),
        equity: formatI64(equity, equityWords, a, MONEY_SCALE),
        initialMargin: Math.abs(im) < EXACT_LIMIT ? formatUnits(im, MONEY_SCALE) : formatDecimal(wasm.countedInitialMargin(a), MONEY_SCALE),
        maintenanceMargin: formatI64(maintenance, maintenanceWords, a, MONEY_SCALE),
        marginRatio: e > 0 ? readI64(maintenanceWords, a) / e : null,
        status: STATUS_NAMES[status[a]],
        greeks: greeks.of(a),
      };
      if (liquidationPrices) risk.liquidationPrice = this.liquidationPrices(a);
      out[a - from] = risk;
    }
    return out;
  }

  /**
   * Per underlying the account holds positions on or a balance priced by: the nearest liquidation
   * price, or null within ±99 %.
   */
  private liquidationPrices(a: number): Record<string, string | null> {
    const held = new Set(this.book.positions(a).map((h) => this.catalog.underlyingOf(h.instrument)));
    const v = this.views, start = v.i32(Col.AccountCollateralStart)[a];
    for (let c = start; c < start + v.u8(Col.AccountCollateralCount)[a]; c++) {
      const underlying = this.catalog.assets[v.u8(Col.CollateralAsset)[c]].underlying;
      if (underlying !== null) held.add(this.catalog.underlyingIndex(underlying));
    }
    const out = idRecord<string | null>();
    for (const u of [...held].sort((x, y) => x - y)) {
      const price = this.priceSearch.find(a, u, held);
      setId(out, this.catalog.underlyings[u].id, price === null ? null : formatDecimal(price, PRICE_SCALE));
    }
    return out;
  }

  /** A portfolio account's buckets, evaluated now; a standard account has none. */
  buckets(id: string): Bucket[] {
    const a = this.book.indexOf(id, "account");
    this.refresh.refresh();
    this.wasm.evaluateBuckets(a);
    if (this.views.u8(Col.AccountMode)[a] !== MODE_PORTFOLIO) return [];
    return Array.from(this.views.i32(Col.BucketUnderlying).subarray(0, this.wasm.bucketCount()), (u) => ({
      underlying: this.catalog.underlyings[u].id,
      loss: this.views.i64(Col.BucketLoss)[u],
      binding: this.views.i32(Col.BucketBinding)[u],
    }));
  }

  scenarios(accountId: string): ScenarioGrid {
    return {
      account: accountId,
      buckets: this.buckets(accountId).map((b) => {
        const u = this.catalog.underlyingIndex(b.underlying);
        return {
          underlying: b.underlying,
          scenarios: this.catalog.gridOf(u).map((s, k) => ({
            move: formatDecimal(s.move, FRACTION_SCALE),
            vol: VOL_NAMES[s.vol + 1],
            cover: formatDecimal(s.cover, FRACTION_SCALE),
            pnl: formatDecimal(this.wasm.scenarioPnl(u, k), MONEY_SCALE),
          })),
          shortOptionMinimum: formatDecimal(this.wasm.bucketMinimum(u), MONEY_SCALE),
          margin: formatDecimal(b.loss, MONEY_SCALE),
          binding: b.binding < 0 ? null : b.binding,
        };
      }),
    };
  }
}
