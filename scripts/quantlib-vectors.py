#!/usr/bin/python3
"""Golden Black-76 vectors from QuantLib (Debian's quantlib-python), for tests/pricing.test.mjs.

Each case prices a European option with QuantLib's BlackCalculator on the forward
F = S·e^{rT}, standard deviation σ√T and discount e^{−rT} (T in 365-day years), and records
value, delta and gamma (∂/∂S), vega (∂V/∂σ, per 1.00 of volatility) and theta (∂V/∂t per
year) — QuantLib's own conventions for these, which are the engine's before it scales greeks.

Run: /usr/bin/python3 scripts/quantlib-vectors.py > tests/vectors/black76.json
"""
import datetime
import itertools
import json
import math

import QuantLib as ql

SPOTS = [42.0, 100.0, 150.0, 3500.0, 65000.0]
MONEYNESS = [0.5, 0.8, 0.95, 1.0, 1.05, 1.2, 2.0]
YEARS = [1 / 8760, 1 / 365, 7 / 365, 0.25, 1.0, 3.0]
VOLS = [0.05, 0.2, 0.6, 1.5, 3.0]
RATES = [-0.02, 0.0, 0.05, 0.1]


def case(right, spot, strike, years, vol, rate):
    discount = math.exp(-rate * years)
    forward = spot / discount
    payoff = ql.PlainVanillaPayoff(ql.Option.Call if right == "call" else ql.Option.Put, strike)
    black = ql.BlackCalculator(payoff, forward, vol * math.sqrt(years), discount)
    return {
        "right": right, "spot": spot, "strike": strike, "years": years, "vol": vol, "rate": rate,
        "value": black.value(), "delta": black.delta(spot), "gamma": black.gamma(spot),
        "vega": black.vega(years), "theta": black.theta(spot, years),
    }


def main():
    grid = list(itertools.product(["call", "put"], SPOTS, MONEYNESS, YEARS, VOLS, RATES))
    cases = [case(r, s, round(s * m, 6), t, v, q) for k, (r, s, m, t, v, q) in enumerate(grid) if k % 13 == 0]
    cases.append(case("call", 42.0, 40.0, 0.5, 0.2, 0.1))  # Hull's textbook example
    cases.append(case("put", 42.0, 40.0, 0.5, 0.2, 0.1))
    print(json.dumps({
        "generator": "scripts/quantlib-vectors.py", "quantlib": ql.__version__,
        "generated": datetime.date.today().isoformat(), "cases": cases,
    }, indent=1))


main()
