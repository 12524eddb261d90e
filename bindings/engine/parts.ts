// The engine's parts, built once per instance and wired to each other directly: each part
// receives the parts it reads, so no part reaches back into the facade.
import { MONEY_SCALE, parseWithinLimits, rangeText } from "../core/decimal.js";
import { fail } from "../core/errors.js";
import { asId } from "../core/json.js";
import { MAX_FUND } from "../core/constants.generated.js";
import { parseTime } from "../core/time.js";
import { ColumnViews } from "../module/views.js";
import { RUNTIME_OPTION_KEYS, type Instance, type WasmExports } from "../module/wasm.js";
import { givenParams, parseParams } from "../venue/params.js";
import { AccountBook } from "./accounts.js";
import { Catalog } from "./catalog.js";
import { Expiry } from "./expiry.js";
import { MemoryGuard } from "./memory.js";
import { GreekSums } from "./greeks.js";
import { InstrumentResults } from "./instruments.js";
import { Liquidator } from "./liquidation/pass.js";
import { Liquidations } from "./liquidations.js";
import { LiquidationPriceSearch } from "./liquidation-price.js";
import { MaxOrder } from "./max-order.js";
import { Orders } from "./orders.js";
import { Presenter } from "./present.js";
import { Prices } from "./prices.js";
import { Refresh } from "./refresh.js";
import { Results } from "./results.js";
import type { EngineOptions } from "./types.js";

export interface EngineParts {
  wasm: WasmExports;
  views: ColumnViews;
  simd: boolean;
  /** The size of the build it runs. */
  wasmBytes: number;
  refresh: Refresh;
  catalog: Catalog;
  prices: Prices;
  book: AccountBook;
  results: Results;
  greeks: GreekSums;
  present: Presenter;
  orders: Orders;
  maxOrder: MaxOrder;
  liquidator: Liquidator;
  liquidations: Liquidations;
  instruments: InstrumentResults;
  expiry: Expiry;
  memory: MemoryGuard;
}

/** The keys an EngineOptions object may have: the runtime's and the venue settings'. */
export const ENGINE_OPTION_KEYS: readonly string[] = [...RUNTIME_OPTION_KEYS, "now", "settlement", "params", "insuranceFund"];

/**
 * Settings are checked in the order the venue file lists them: now, settlement, params, fund;
 * their errors are named at `field` + the setting (`options.` for create's, nothing for a file's).
 */
export function assembleParts({ exports: wasm, simd, wasmBytes }: Instance, options: EngineOptions, field = ""): EngineParts {
  const views = new ColumnViews(wasm);
  const now = options.now === undefined ? Date.now() : parseTime(options.now, `${field}now`);
  const settlement = asId(options.settlement ?? "USD", `${field}settlement`);
  // kept (toVenue, snapshots) as given, less the parameters given as null
  const paramOverrides = givenParams(options.params, `${field}params`);
  const params = parseParams(paramOverrides, `${field}params`);
  const fund = parseFund(options.insuranceFund ?? "0", `${field}insuranceFund`);
  const refresh = new Refresh(wasm);
  const memory = new MemoryGuard(wasm, views, refresh);
  const catalog = new Catalog(wasm, views, refresh, memory, { now, settlement, params, paramOverrides });
  const book = new AccountBook(wasm, views, catalog, refresh, memory);
  const results = new Results(wasm, views, refresh, memory);
  const greeks = new GreekSums(wasm, views, catalog);
  const priceSearch = new LiquidationPriceSearch(wasm, views, catalog);
  const liquidator = new Liquidator(wasm, views, catalog, book, results, fund);
  const expiry = new Expiry(wasm, views, catalog, book, refresh, memory);
  const orders = new Orders(wasm, views, catalog, book, refresh, expiry, memory);
  return {
    wasm, views, simd, wasmBytes, refresh, catalog, book, results, greeks, liquidator, expiry, memory, orders,
    maxOrder: new MaxOrder(wasm, views, catalog, book, orders),
    prices: new Prices(catalog, expiry),
    present: new Presenter(wasm, views, catalog, book, results, greeks, refresh, priceSearch),
    liquidations: new Liquidations(catalog, book, refresh, liquidator),
    instruments: new InstrumentResults(views, catalog, refresh),
  };
}

function parseFund(value: unknown, field: string): bigint {
  const raw = parseWithinLimits(value, MONEY_SCALE, field);
  if (raw < 0n || raw > MAX_FUND) fail("OUT_OF_RANGE", field, `outside ${rangeText(0n, MAX_FUND, MONEY_SCALE)}`);
  return raw;
}
