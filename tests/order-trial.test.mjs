// A pre-trade check leaves nothing behind: not its trial position, not a book moved to make room
// for it (a loaded book is full, and a move is kept until a compaction, putting the book out of
// account order), not an exposure bit for an underlying the account does not hold. Checks on
// every account of a generated venue, new instruments and closing orders alike, leave the
// engine's live bytes and snapshot as they were, and the ticks after them give what a full
// recompute gives.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { MarginEngine, generateVenue, formatDecimal, parseDecimal } from "../build/index.js";

const { venue, columns } = generateVenue({ accounts: 2000, seed: 3 });

async function loaded() {
  const engine = await MarginEngine.fromVenue({ ...venue, accounts: [] });
  engine.loadColumns(columns);
  engine.totals();
  return engine;
}

/** Per account: an order opening a perpetual it does not hold, and one closing its first position. */
function ordersOf(engine) {
  const file = engine.toVenue(), perps = file.instruments.filter((i) => i.kind === "perp");
  const byId = new Map(file.instruments.map((i) => [i.id, i]));
  const orders = [];
  for (const account of file.accounts) {
    const held = new Set(account.positions.map((p) => p.instrument));
    const opening = perps.find((i) => !held.has(i.id));
    if (opening) orders.push({ account: account.id, instrument: opening.id, qty: opening.lotSize, price: opening.mark });
    const [first] = account.positions;
    if (first) {
      const qty = formatDecimal(-parseDecimal(first.qty, 8), 8);
      orders.push({ account: account.id, instrument: first.instrument, qty, price: byId.get(first.instrument).mark ?? "1" });
    }
  }
  return orders;
}

test("pre-trade checks on every account leave its books where they were and its snapshot as it was", async () => {
  const engine = await loaded();
  const orders = ordersOf(engine);
  assert.ok(orders.filter((o) => !o.qty.startsWith("-")).length > 1500, "opening orders on most accounts");
  engine.checkOrder(orders[0]); // the first may size the arena's columns for the trial's copy
  const bytes = engine.stats().liveBytes, snapshot = engine.snapshot();
  const outcomes = orders.map((order) => engine.checkOrder(order));
  assert.ok(outcomes.some((o) => o.accepted) && outcomes.some((o) => !o.accepted), "accepted and refused orders both met");
  // a book moved to the arena's end for each opening check grew the arena by some 35,000 rows
  assert.is(engine.stats().liveBytes, bytes);
  assert.equal(engine.snapshot(), snapshot);
});

test("after the checks, ticks on every underlying move each account as a full recompute does", async () => {
  const checked = await loaded();
  const untouched = await MarginEngine.restore(checked.snapshot());
  for (const order of ordersOf(checked)) checked.checkOrder(order);
  const clock = Date.parse(venue.now) + 1000;
  for (const [k, underlying] of venue.underlyings.entries()) {
    const price = formatDecimal((parseDecimal(underlying.spot, 8) * BigInt(97 - k)) / 100n, 8);
    for (const engine of [checked, untouched]) engine.setPrice(underlying.id, price, clock + k);
    untouched.recompute();
    const a = checked.riskColumns(), b = untouched.riskColumns();
    assert.equal(a.equity, b.equity, `${underlying.id}: equity`);
    assert.equal(a.maintenanceMargin, b.maintenanceMargin, `${underlying.id}: MM`);
    assert.equal(a.status, b.status, `${underlying.id}: status`);
    assert.equal(checked.totals(), untouched.totals(), `${underlying.id}: totals and greeks`);
  }
});

test.run();
