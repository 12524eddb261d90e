// Differential test: the module and the BigInt twin agree bit-exactly on equity, IM, MM,
// status and greeks of every account, and on venue totals. ≥ 10,000 random accounts per run by default;
// set MARGIN_DIFF_ACCOUNTS for more.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { MarginEngine, generateVenue } from "../build/index.js";
import { referenceVenueRisk } from "./reference/standard-margin.mjs";
import { parseDecimal } from "./reference/decimal.mjs";
import { randomVenue } from "./reference/random-venue.mjs";
import { referenceGreeks } from "./reference/greeks.mjs";
import { engineTables } from "./helpers/engine-tables.mjs";

const TARGET = Number(process.env.MARGIN_DIFF_ACCOUNTS ?? 10_000);
const PER_VENUE = 250;


async function compare(venue, label) {
  const engine = await MarginEngine.fromVenue(venue);
  const expected = referenceVenueRisk(venue, engineTables(engine));
  for (const want of expected.accounts) {
    const got = engine.accountRaw(want.id);
    for (const key of ["equity", "initialMargin", "maintenanceMargin", "status"]) {
      if (got[key] !== want[key]) assert.unreachable(`${label} account ${want.id} ${key}: module ${got[key]}, twin ${want[key]}`);
    }
    if (want.buckets) {
      const buckets = engine.accountBuckets(want.id);
      assert.is(buckets.length, want.buckets.size, `${label} account ${want.id} bucket count`);
      for (const b of buckets) {
        const w = want.buckets.get(b.underlying);
        if (b.loss !== w.loss || b.binding !== w.binding) assert.unreachable(`${label} account ${want.id} bucket ${b.underlying}: module ${b.loss}@${b.binding}, twin ${w.loss}@${w.binding}`);
      }
    }
  }
  const totals = engine.totals();
  for (const key of ["equity", "initialMargin", "maintenanceMargin"]) {
    assert.is(parseDecimal(totals[key], 6), expected.totals[key], `${label} totals.${key}`);
  }
  // Greeks: exact sums of lots × the module's per-lot greeks, per account and underlying.
  const greeks = referenceGreeks(venue, (id) => engine.lotGreeks(id));
  for (const want of greeks.accounts) {
    const got = engine.account(want.id).greeks;
    if (JSON.stringify(got) !== JSON.stringify(want.greeks)) assert.unreachable(`${label} account ${want.id} greeks: module ${JSON.stringify(got)}, twin ${JSON.stringify(want.greeks)}`);
  }
  assert.equal(totals.greeks, greeks.totals, `${label} venue greeks`);
  return expected.accounts;
}

test(`random edge-case venues: ${TARGET} accounts`, async () => {
  let compared = 0, statuses = new Set(), seed = 1;
  while (compared < TARGET) {
    const accounts = await compare(randomVenue(seed, { accounts: PER_VENUE }), `seed ${seed}`);
    compared += accounts.length;
    accounts.forEach((a) => statuses.add(a.status));
    seed++;
  }
  assert.equal([...statuses].sort(), ["bankrupt", "healthy", "liquidatable", "restricted"], "every status occurs");
});

test("the synthetic venue generator's venues agree too", async () => {
  const { venue, columns } = generateVenue({ accounts: 3000, seed: 11 });
  const loaded = await MarginEngine.fromVenue({ ...venue, accounts: [] });
  loaded.loadColumns(columns);
  const accounts = await compare(loaded.toVenue(), "generated seed 11");
  assert.is(accounts.length, 3000);
});

test.run();
