// An account's liquidation price (docs/methodology.md §12) depends on its own book and the prices
// alone: the search moves and re-prepares only what evaluating that account reads, so among
// thousands of other books holding other options on the same underlying it finds what it finds
// for the account loaded on its own.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { MarginEngine, generateVenue } from "../build/index.js";

test("each account's liquidation prices equal those of the account loaded alone, on a venue of option-heavy books", async () => {
  const { venue, columns } = generateVenue({ accounts: 3000, seed: 11 });
  const engine = await MarginEngine.fromVenue({ ...venue, accounts: [] });
  engine.loadColumns(columns);
  const file = engine.toVenue();
  const risks = engine.accounts({ liquidationPrices: true, limit: 120 });
  let prices = 0, options = 0;
  for (const [k, risk] of risks.entries()) {
    const { parent, ...row } = file.accounts[k];
    const alone = await MarginEngine.fromVenue({ ...file, accounts: [row] });
    assert.equal(risk.liquidationPrice, alone.account(row.id).liquidationPrice, row.id);
    prices += Object.values(risk.liquidationPrice).filter((p) => p !== null).length;
    if (row.positions.some((p) => file.instruments.find((i) => i.id === p.instrument).kind === "option")) options++;
  }
  assert.ok(prices > 60 && options > 30, `${prices} prices found, ${options} option books`);
});

test("an index under 100 price units is searched below too, down to the least price", async () => {
  // index 0.0000005 (50 units); long 1e9 units (1e5 lots of 10,000) bought there, 100 USD. At a
  // price of p units, equity = 100 + 10·(p − 50) and MM = 0.05 × 10·p USD: at 42, 20 < 21
  // (liquidatable); at 43, 30 ≥ 21.5 (not). 1 % of the index rounds to 0 units.
  const venue = {
    now: "2026-11-24T00:00:00Z",
    underlyings: [{ id: "MICRO", spot: "0.0000005", vol: "1" }],
    instruments: [{ id: "MICRO-PERP", kind: "perp", underlying: "MICRO", lotSize: "10000", mark: "0.0000005", tiers: [{ upTo: "1000000", imf: "0.1", mmf: "0.05" }] }],
    accounts: [
      { id: "long", collateral: { USD: "100" }, positions: [{ instrument: "MICRO-PERP", qty: "1000000000", entry: "0.0000005" }] },
      // never liquidatable: even at the least price, 1 unit, equity is 100 − 4.9 = 95.1 against an MM of 0.005
      { id: "safe", collateral: { USD: "100" }, positions: [{ instrument: "MICRO-PERP", qty: "10000000", entry: "0.0000005" }] },
    ],
  };
  const engine = await MarginEngine.fromVenue(venue);
  assert.equal(engine.account("long").liquidationPrice, { MICRO: "0.00000042" });
  assert.equal(engine.account("safe").liquidationPrice, { MICRO: null });
  // the engine agrees at those prices, the perpetual's mark moved with the index
  const copy = await MarginEngine.restore(engine.snapshot());
  let time = Date.parse(venue.now);
  for (const [price, status] of [["0.00000042", "liquidatable"], ["0.00000043", "restricted"]]) {
    copy.setPrice("MICRO", price, ++time);
    copy.setPrice("MICRO-PERP", price, time);
    assert.is(copy.account("long").status, status, price);
  }
});

test("at an index of few units every price is tried: hedged perpetuals get the nearest crossing, as every price set in turn shows", async () => {
  // marks move by whole units and money by whole µ: at these indexes equity less MM steps back and
  // forth, so a bisection from the far end found a farther crossing, or none
  const units = (x) => { const s = x.toString().padStart(9, "0"); return `${s.slice(0, -8)}.${s.slice(-8)}`; };
  const perp = (id, mark, mmf) => ({ id, kind: "perp", underlying: "U", lotSize: "0.00000001", mark, tiers: [{ upTo: "10000000000", imf: "1", mmf }] });
  const books = [
    { index: 96n, mode: "portfolio", usd: "0.000001", instruments: [perp("P0", "0.00000097", "0.005"), perp("P1", "0.00000098", "0.5")], positions: [["P0", "-3.10131214", "0.00000097"], ["P1", "6.44233231", "0.00000095"]] },
    { index: 96n, mode: "standard", usd: "0.000005", instruments: [perp("P0", "0.00000097", "0.005"), perp("P1", "0.00000098", "0.5")], positions: [["P0", "-3.10131214", "0.00000097"], ["P1", "6.44233231", "0.00000095"]] },
    { index: 83n, mode: "portfolio", usd: "0.000003", instruments: [perp("P0", "0.00000085", "0.005"), perp("P1", "0.00000083", "0.05")], positions: [["P0", "8.3781708", "0.00000083"], ["P1", "-6.17688448", "0.00000084"]] },
  ];
  const found = [];
  for (const book of books) {
    const venue = {
      now: "2026-11-24T00:00:00Z", underlyings: [{ id: "U", spot: units(book.index), vol: "0.5" }], instruments: book.instruments,
      accounts: [{ id: "a", mode: book.mode, collateral: { USD: book.usd }, positions: book.positions.map(([instrument, qty, entry]) => ({ instrument, qty, entry })) }],
    };
    const engine = await MarginEngine.fromVenue(venue);
    const reported = engine.account("a").liquidationPrice.U;
    // every price of the range set in turn on a copy: the index and each mark moved to ⌊mark × p / S⌋
    const bytes = engine.snapshot(), time = Date.parse(venue.now) + 1000;
    let nearest = null;
    for (let p = 1n; p <= (book.index * 199n) / 100n; p++) {
      const copy = await MarginEngine.restore(bytes);
      copy.setPrice("U", units(p), time);
      for (const row of book.instruments) copy.setPrice(row.id, units((BigInt(row.mark.slice(2)) * p) / book.index), time);
      const distance = (x) => (x > book.index ? x - book.index : book.index - x);
      if (["liquidatable", "bankrupt"].includes(copy.accountRaw("a").status) && (nearest === null || distance(p) < distance(nearest) || (distance(p) === distance(nearest) && p < nearest))) nearest = p;
    }
    assert.ok(nearest !== null, "each book is liquidatable somewhere in the range");
    assert.is(reported, units(nearest), `${book.mode} at ${book.index} units`);
    found.push(reported);
  }
  // the nearest is above the index for the first two (97 units, against 93 below), below for the third
  assert.equal(found, ["0.00000097", "0.00000097", "0.00000023"]);
});

test("a portfolio account under a correlation matrix that is not positive semi-definite: a liquidatable region that ends before +99 % is found", async () => {
  // A~B = A~C = 1, B~C = 0: MM = √((L_A + L_B + L_C)² − 2 L_B L_C) bends the other way in A's
  // loss, and with a scan range of 0.9, equity less MM dips below 0 above the index and comes back
  const venue = {
    now: "2026-11-24T00:00:00Z", params: { correlation: { A: { B: "1", C: "1" } }, priceScan: "0.9", extremeMultiple: "1", maxMarkDeviation: "0" },
    underlyings: ["A", "B", "C"].map((id) => ({ id, spot: "100", vol: "0.5" })),
    instruments: ["A", "B", "C"].map((id) => ({ id: `${id}-PERP`, kind: "perp", underlying: id, lotSize: "1", mark: "100", tiers: [{ upTo: "9000000000", imf: "0.1", mmf: "0.05" }] })),
    accounts: [{
      id: "acc", mode: "portfolio", collateral: { USD: "2383" },
      positions: ["A", "B", "C"].map((id) => ({ instrument: `${id}-PERP`, qty: "10", entry: "100" })),
    }],
  };
  const engine = await MarginEngine.fromVenue(venue);
  const reported = engine.account("acc").liquidationPrice.A;
  assert.is(reported, "112.3031905");
  const bytes = engine.snapshot(), time = Date.parse(venue.now) + 1000;
  const statusAt = async (price) => {
    const copy = await MarginEngine.restore(bytes);
    copy.setPrice("A", price, time);
    copy.setPrice("A-PERP", price, time);
    return copy.accountRaw("acc").status;
  };
  assert.is(await statusAt(reported), "liquidatable");
  assert.is(await statusAt("112.30319049"), "restricted", "one unit nearer the index");
  for (let p = 100; p <= 112; p++) assert.is(await statusAt(String(p)), "restricted", `at ${p}`);
  // the far end is safe again: a search that asks only there finds nothing
  assert.is(await statusAt("199"), "restricted");
});

test("crossings as near below as above: the one below is reported", async () => {
  // a short straddle at 1,000 with no option charges: equity 150,000 − 100 × |S − 1,000| meets MM 0 at 250 and 1,750, one unit beyond each
  const option = (id, right) => ({ id, kind: "option", underlying: "U", right, strike: "1000", expiry: "2026-11-24T01:00:00Z", lotSize: "1", mark: "0" });
  const engine = await MarginEngine.fromVenue({
    now: "2026-11-24T00:00:00Z", params: { optMm: "0", optIm: "0", optImMin: "0" }, underlyings: [{ id: "U", spot: "1000", vol: "0.01" }],
    instruments: [option("C", "call"), option("P", "put")],
    accounts: [{ id: "a", collateral: { USD: "150000" }, positions: [{ instrument: "C", qty: "-100", entry: "0" }, { instrument: "P", qty: "-100", entry: "0" }] }],
  });
  assert.equal(engine.account("a").liquidationPrice, { U: "249.99999999" });
});

test.run();
