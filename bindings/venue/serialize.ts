// Reference rows back into venue-file shapes (decimal strings), for toVenue() and snapshots.
import { formatDecimal, FRACTION_SCALE, MONEY_SCALE, PRICE_SCALE } from "../core/decimal.js";
import { formatTime } from "../core/time.js";
import { KIND_CALL, KIND_PERP, KIND_PUT } from "../core/constants.generated.js";
import type { AssetRow, InstrumentRow, UnderlyingSpec } from "./reference.js";

export function assetToVenue(a: AssetRow) {
  return {
    id: a.id, price: formatDecimal(a.price, PRICE_SCALE), haircut: formatDecimal(a.haircut, FRACTION_SCALE),
    ...(a.underlying === null ? {} : { underlying: a.underlying }),
  };
}

export function underlyingToVenue(u: UnderlyingSpec) {
  return {
    id: u.id,
    ...(u.spot === null ? {} : { spot: formatDecimal(u.spot, PRICE_SCALE) }),
    vol: formatDecimal(u.vol, FRACTION_SCALE), rate: formatDecimal(u.rate, FRACTION_SCALE),
    ...(u.sources.length === 0 ? {} : {
      sources: u.sources.map((s) => ({ id: s.id, price: formatDecimal(s.price, PRICE_SCALE), time: formatTime(s.time) })),
    }),
  };
}

export function instrumentToVenue(i: InstrumentRow) {
  const common = {
    id: i.id, underlying: i.underlying, lotSize: formatDecimal(i.lotSize, PRICE_SCALE), mark: formatDecimal(i.mark, PRICE_SCALE),
    ...(i.liquidity === null ? {} : { liquidity: { notional: formatDecimal(i.liquidity.notional, MONEY_SCALE), slippage: formatDecimal(i.liquidity.slippage, FRACTION_SCALE) } }),
  };
  const tiers = i.tiers.map((t) => ({ upTo: formatDecimal(t.upTo, MONEY_SCALE), imf: formatDecimal(t.imf, FRACTION_SCALE), mmf: formatDecimal(t.mmf, FRACTION_SCALE) }));
  if (i.kind === KIND_PERP) return { ...common, kind: "perp", tiers };
  if (i.kind < KIND_CALL) return { ...common, kind: "future", expiry: formatTime(i.expiry), tiers };
  return {
    ...common, kind: "option", right: i.kind === KIND_PUT ? "put" : "call", strike: formatDecimal(i.strike, PRICE_SCALE),
    expiry: formatTime(i.expiry), ...(i.iv === 0n ? {} : { iv: formatDecimal(i.iv, FRACTION_SCALE) }),
  };
}
