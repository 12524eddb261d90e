// Results as the API shows them: accounts with their greeks and liquidation prices, venue totals,
// and a portfolio account's scenario grid, money formatted as exact decimal strings.
import { formatDecimal, FRACTION_SCALE, MONEY_SCALE, PRICE_SCALE } from "../core/decimal.js";
import { Col, type ColumnViews } from "../module/views.js";
import type { WasmExports } from "../module/wasm.js";
import { MODE_NAMES } from "../venue/accounts.js";
import type { AccountBook } from "./accounts.js";
import type { Catalog } from "./catalog.js";
import type { GreekSums } from "./greeks.js";
import type { LiquidationPriceSearch } from "./liquidation-price.js";
import type { Refresh } from "./refresh.js";
import type { Results } from "./results.js";
import type { AccountRisk, RawAccountRisk, ScenarioGrid, VenueRisk } from "./types.js";

const VOL_NAMES = ["down", "none", "up"] as const;

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
    const raw = this.accountRaw(id);
    const a = this.book.indexOf(id, "account");
    return { ...this.describe(a, raw, this.book.subAccountsOf(a)), liquidationPrice: this.liquidationPrices(a) };
  }

  accounts(liquidationPrices: boolean): AccountRisk[] {
    this.refresh.refresh();
    const children = this.book.children();
    const out: AccountRisk[] = [];
    for (let a = 0; a < this.book.count(); a++) {
      const risk = this.describe(a, this.results.evaluate(a), children.get(a) ?? []);
      out.push(liquidationPrices ? { ...risk, liquidationPrice: this.liquidationPrices(a) } : risk);
    }
    return out;
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

  private describe(a: number, raw: RawAccountRisk, subAccounts: number[]): AccountRisk {
    const parent = this.book.parentOf(a);
    return {
      id: this.book.accountId(a),
      mode: MODE_NAMES[this.views.u8(Col.AccountMode)[a]],
      parent: parent === undefined ? null : this.book.accountId(parent),
      subAccounts: subAccounts.map((c) => this.book.accountId(c)),
      equity: formatDecimal(raw.equity, MONEY_SCALE),
      initialMargin: formatDecimal(raw.initialMargin, MONEY_SCALE),
      maintenanceMargin: formatDecimal(raw.maintenanceMargin, MONEY_SCALE),
      marginRatio: raw.equity > 0n ? Number(raw.maintenanceMargin) / Number(raw.equity) : null,
      status: raw.status,
      greeks: this.greeks.ofBook(this.book.positions(a)),
    };
  }

  /** Per underlying the account holds positions on: the nearest liquidation price, or null within ±99 %. */
  private liquidationPrices(a: number): Record<string, string | null> {
    const held = new Set(this.book.positions(a).map((h) => this.catalog.underlyingOf(h.instrument)));
    const out: Record<string, string | null> = {};
    for (const u of [...held].sort((x, y) => x - y)) {
      const price = this.priceSearch.find(a, u);
      out[this.catalog.underlyings[u].id] = price === null ? null : formatDecimal(price, PRICE_SCALE);
    }
    return out;
  }

  /** A portfolio account's buckets, evaluated now; a standard account has none. */
  buckets(id: string): Bucket[] {
    const a = this.book.indexOf(id, "account");
    this.refresh.refresh();
    this.wasm.evaluateBuckets(a);
    if (this.views.u8(Col.AccountMode)[a] !== 1) return [];
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
