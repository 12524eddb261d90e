// A premium of zero is legal: a worthless far strike, or a premium rounded to the cent,
// loads, prices, trades and round-trips; perpetual and future prices stay > 0.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { readFileSync } from "node:fs";
import { MarginEngine } from "../build/index.js";
import { expectMarginError } from "./helpers/margin-error.mjs";

const T1 = Date.parse("2026-11-24T00:00:01Z");

function venue() {
  const v = JSON.parse(readFileSync(new URL("../examples/venue.json", import.meta.url), "utf8"));
  v.instruments.push({ id: "BTC-20261225-200000-C", kind: "option", underlying: "BTC", right: "call", strike: "200000", expiry: "2026-12-25T08:00:00Z", lotSize: "0.1", mark: "0" });
  v.accounts[1].positions.push({ instrument: "BTC-20261225-200000-C", qty: "-1", entry: "0" });
  return v;
}

test("an option marked and entered at 0 loads: the worthless short moves bob's equity by nothing, his margin by its minimum", async () => {
  const engine = await MarginEngine.fromVenue(venue());
  assert.is(engine.account("bob").equity, "302");
  // short 1 BTC of calls at 0: IM = optImMin × S = 0.1 × 65,002.5 = 6,500.25 on top of the perp's 260.04
  assert.is(engine.account("bob").initialMargin, "6760.29");
  assert.equal(JSON.parse(JSON.stringify(engine.toVenue())).instruments[3].mark, "0");
  assert.equal((await MarginEngine.fromVenue(JSON.stringify(engine.toVenue()))).snapshot(), engine.snapshot());
  assert.equal((await MarginEngine.restore(engine.snapshot())).accounts(), engine.accounts());
});

test("a zero premium through the API: marks, entries and order prices of options", async () => {
  const engine = await MarginEngine.fromVenue(venue());
  engine.setPrice("BTC-20261225-70000-C", "0", T1);
  engine.setPosition("carol", "BTC-20261225-200000-C", "0.5", "0");
  const check = engine.checkOrder({ account: "alice", instrument: "BTC-20261225-200000-C", qty: "1", price: "0" });
  assert.is(check.reason, null);
  engine.upsertInstrument({ id: "BTC-X", kind: "option", underlying: "BTC", right: "put", strike: "1000", expiry: "2026-12-25T08:00:00Z", lotSize: "1", mark: "0" });
});

test("perpetual and future prices stay > 0", async () => {
  const engine = await MarginEngine.fromVenue(venue());
  const before = engine.snapshot();
  await expectMarginError(() => engine.setPrice("BTC-PERP", "0", T1), { code: "OUT_OF_RANGE", field: "price" });
  await expectMarginError(() => engine.setPrice("BTC", "0", T1, "feedA"), { code: "OUT_OF_RANGE", field: "price" });
  await expectMarginError(() => engine.setPosition("bob", "BTC-20261225", "0.1", "0"), { code: "OUT_OF_RANGE", field: "entry" });
  await expectMarginError(() => engine.checkOrder({ account: "bob", instrument: "BTC-PERP", qty: "0.1", price: "0" }), { code: "OUT_OF_RANGE", field: "order.price" });
  assert.equal(engine.snapshot(), before);
  const perp = venue();
  perp.accounts[1].positions[0].entry = "0";
  await expectMarginError(() => MarginEngine.fromVenue(perp), { code: "OUT_OF_RANGE", field: "accounts[1].positions[0].entry" });
  const mark = venue();
  mark.instruments[0].mark = "0";
  await expectMarginError(() => MarginEngine.fromVenue(mark), { code: "OUT_OF_RANGE", field: "instruments[0].mark" });
});

test.run();
