// The synthetic venue generator: deterministic per seed, valid CSR columns inside the limits,
// and the intended mix of books and statuses.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { MarginEngine, generateVenue } from "../build/index.js";

test("same seed, same columns; another seed differs", () => {
  const a = generateVenue({ accounts: 3000, seed: 42 }).columns;
  const b = generateVenue({ accounts: 3000, seed: 42 }).columns;
  const c = generateVenue({ accounts: 3000, seed: 43 }).columns;
  for (const key of Object.keys(a)) assert.equal(a[key], b[key], key);
  assert.not.equal(a.positionLots, c.positionLots);
});

test("CSR invariants and book shapes", () => {
  const { venue, columns } = generateVenue({ accounts: 20_000, seed: 9 });
  const n = columns.count;
  let total = 0, portfolio = 0, subAccounts = 0;
  for (let a = 0; a < n; a++) {
    const start = columns.positionOffsets[a], end = columns.positionOffsets[a + 1];
    assert.ok(end - start >= 1 && end - start <= 16, `account ${a} holds ${end - start} positions`);
    const held = new Set(columns.positionInstrument.subarray(start, end));
    assert.is(held.size, end - start, `account ${a} holds an instrument twice`);
    for (let p = start; p < end; p++) assert.ok(columns.positionLots[p] !== 0);
    total += end - start;
    portfolio += columns.mode[a];
    if (columns.parent[a] >= 0) {
      subAccounts++;
      assert.ok(columns.parent[a] < a && columns.parent[columns.parent[a]] === -1, `account ${a}'s parent`);
    }
  }
  const mean = total / n;
  assert.ok(mean > 7.5 && mean < 9.5, `mean positions ${mean}`);
  assert.ok(portfolio / n > 0.2 && portfolio / n < 0.4, `portfolio share ${portfolio / n}`);
  assert.ok(subAccounts / n > 0.01 && subAccounts / n < 0.03, `sub-account share ${subAccounts / n}`);
  const kinds = new Set(venue.instruments.map((i) => i.kind));
  assert.equal([...kinds].sort(), ["future", "option", "perp"]);
});

test("every generated value loads inside the limits, with a stressed status mix", async () => {
  const { venue, columns } = generateVenue({ accounts: 50_000, seed: 1 });
  const engine = await MarginEngine.fromVenue({ ...venue, accounts: [] });
  engine.loadColumns(columns); // validates every row against docs/limits.md
  const { statusCounts, accounts } = engine.totals();
  const share = (s) => statusCounts[s] / accounts;
  // collateral is sized from standard-style requirements, so portfolio accounts land either side
  assert.ok(share("liquidatable") > 0.03 && share("liquidatable") < 0.09, `liquidatable ${share("liquidatable")}`);
  assert.ok(share("restricted") > 0.02 && share("restricted") < 0.1, `restricted ${share("restricted")}`);
  assert.ok(share("bankrupt") > 0.001 && share("bankrupt") < 0.01, `bankrupt ${share("bankrupt")}`);
});

test.run();
