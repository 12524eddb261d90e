// The cases of the benchmark suite (bench/run.mjs) timed call by call, each call on its own, so
// the median and the 99th percentile are per call (benchmark.js reports means of cycles); the
// steps of a pair alternate call by call after a warm-up.
import { parseDecimal, PRICE_SCALE } from "../build/index.js";
import { heldFewVenue, printThenMargin } from "./cases.mjs";

/** Per-call timings (median, p99) of `calls` calls of each step, alternating between them after a warm-up. */
function perCall(steps, calls, extras) {
  const times = steps.map(() => new Float64Array(calls));
  for (let k = 0; k < 2_000; k++) for (const step of steps) step();
  for (let k = 0; k < calls; k++) {
    steps.forEach((step, s) => {
      const start = process.hrtime.bigint();
      step();
      times[s][k] = Number(process.hrtime.bigint() - start) / 1e6;
    });
  }
  return times.map((t, s) => {
    const sorted = Float64Array.from(t).sort();
    return { samples: Array.from(t), p99Ms: sorted[Math.floor(calls * 0.99)], ...extras[s] };
  });
}

/** Records checkOrder/checkOrderRaw, the setPrice pair and new account/edited account on `engine` (the portfolio venue). */
export async function perCallCases({ engine, venue, columns, accounts, scenarios, log, record }) {
  // Pre-trade check from JS on an 8-position portfolio account, through the string API and the
  // raw one (indexes, lots, raw price).
  {
    let target = 0;
    while (target < accounts - 1 && columns.positionOffsets[target + 1] - columns.positionOffsets[target] !== 8) target++;
    const held = columns.positionInstrument[columns.positionOffsets[target]];
    const instrument = venue.instruments[held];
    const order = { account: `acc-${target}`, instrument: instrument.id, qty: instrument.lotSize, price: instrument.mark };
    const rawPrice = parseDecimal(instrument.mark, PRICE_SCALE, "price");
    const bookSize = columns.positionOffsets[target + 1] - columns.positionOffsets[target];
    const checks = perCall([() => engine.checkOrder(order), () => engine.checkOrderRaw(target, held, 1, rawPrice)], 20_000,
      [{}, {}].map(() => ({ accounts: 1, positionsPerAccount: bookSize, scenarios })));
    ["checkOrder", "checkOrderRaw"].forEach((name, k) => {
      const { samples, ...extra } = checks[k];
      log(`${name} on ${order.account} (${bookSize} positions): p50 ${(1000 * samples.slice().sort((a, b) => a - b)[samples.length >> 1]).toFixed(2)} µs, p99 ${(extra.p99Ms * 1000).toFixed(2)} µs`);
      record(name, samples, extra);
    });
  }

  // A BTC print then one account's margin, on a venue of 100 BTC instruments and on one of 10,000,
  // a handful held in both.
  {
    const venues = [await heldFewVenue(venue.now, 100), await heldFewVenue(venue.now, 10_000)];
    const timings = perCall(venues.map((v) => () => printThenMargin(v)), 5_000,
      venues.map((v) => ({ accounts: 10, positionsPerAccount: v.held, scenarios, instruments: v.instruments, heldInstruments: v.held })));
    ["setPrice 100 instruments", "setPrice 10k instruments"].forEach((name, k) => {
      const { samples, ...extra } = timings[k];
      record(name, samples, extra);
    });
  }

  // An account opened (an empty account given a balance) then its margin, against an existing
  // account's balance edited then its margin: both evaluate one account.
  {
    let opened = 0, amount = 1000;
    const timings = perCall([
      () => {
        const id = `opened-${opened++}`;
        engine.upsertAccount({ id, mode: "portfolio" });
        engine.setCollateral(id, venue.settlement, "1000");
        engine.accountRaw(id);
      },
      () => {
        engine.setCollateral("acc-0", venue.settlement, String((amount ^= 1)));
        engine.accountRaw("acc-0");
      },
    ], 3_000, [{}, {}].map(() => ({ accounts: 1, positionsPerAccount: 0, scenarios })));
    ["new account", "edited account"].forEach((name, k) => {
      const { samples, ...extra } = timings[k];
      record(name, samples, extra);
    });
  }
}
