// Black-76 on the forward F = S·e^{rT}, discounted by e^{−rT}, T in 365-day years.
// see: F. Black, "The pricing of commodity contracts", J. Financial Economics 3 (1976) 167–179.
// Pure f64 inside the module, so every host computes the same bits.
import { normalCdf } from "./normal";

/** Value per base unit; at or after expiry (T ≤ 0) or with no volatility it is the discounted intrinsic value on the forward. */
export function black76Value(isCall: bool, spot: f64, strike: f64, years: f64, sigma: f64, rate: f64): f64 {
  const time = max(years, 0.0);
  const discount = Math.exp(-rate * time);
  const forward = spot * Math.exp(rate * time);
  const deviation = sigma * Math.sqrt(time);
  if (deviation <= 0.0) {
    return discount * max(isCall ? forward - strike : strike - forward, 0.0);
  }
  const d1 = (Math.log(forward / strike) + 0.5 * deviation * deviation) / deviation;
  const d2 = d1 - deviation;
  return isCall
    ? discount * (forward * normalCdf(d1) - strike * normalCdf(d2))
    : discount * (strike * normalCdf(-d2) - forward * normalCdf(-d1));
}
