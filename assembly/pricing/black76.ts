// Black-76 on the forward F = S·e^{rT}, discounted by e^{−rT}, T in 365-day years.
// see: F. Black, "The pricing of commodity contracts", J. Financial Economics 3 (1976) 167–179.
// Pure f64 inside the module, so every host computes the same bits.
import { normalCdf, normalPdf } from "./normal";

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

/** Sensitivities of the last `black76Greeks` call, per base unit, in spot terms, time in years. */
export let greekDelta: f64 = 0;
export let greekGamma: f64 = 0;
export let greekVega: f64 = 0;
export let greekTheta: f64 = 0;
export function black76Delta(): f64 { return greekDelta; }
export function black76Gamma(): f64 { return greekGamma; }
export function black76Vega(): f64 { return greekVega; }
export function black76Theta(): f64 { return greekTheta; }

/**
 * Analytic Black-76 sensitivities: ∂V/∂S, ∂²V/∂S², ∂V/∂σ and ∂V/∂t (calendar time passing, per
 * year). With F = S·e^{rT} these are the Black–Scholes spot greeks without dividends. At or after
 * expiry, or with no volatility, delta is the discounted step and the rest are zero.
 */
export function black76Greeks(isCall: bool, spot: f64, strike: f64, years: f64, sigma: f64, rate: f64): void {
  const time = max(years, 0.0);
  const discount = Math.exp(-rate * time);
  const forward = spot * Math.exp(rate * time);
  const root = Math.sqrt(time);
  const deviation = sigma * root;
  if (deviation <= 0.0) {
    const inTheMoney = isCall ? forward > strike : forward < strike;
    greekDelta = inTheMoney ? (isCall ? 1.0 : -1.0) : 0.0;
    greekGamma = 0.0;
    greekVega = 0.0;
    greekTheta = 0.0;
    return;
  }
  const d1 = (Math.log(forward / strike) + 0.5 * deviation * deviation) / deviation;
  const d2 = d1 - deviation;
  const density = normalPdf(d1);
  greekDelta = isCall ? normalCdf(d1) : normalCdf(d1) - 1.0;
  greekGamma = density / (spot * deviation);
  greekVega = spot * density * root;
  const decay = -spot * density * sigma / (2.0 * root);
  const carry = rate * strike * discount;
  greekTheta = isCall ? decay - carry * normalCdf(d2) : decay + carry * normalCdf(-d2);
}
