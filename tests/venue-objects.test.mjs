// A venue given as an object must be plain data. What a page has in hand before it reads a
// file or a response — the Promise of `response.text()` without its await, the Response, a File
// or Blob, the bytes — holds no venue member of its own: each used to load as an empty venue
// valued at the current time, with no error. Each is MALFORMED at $, saying what it got.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { readFileSync } from "node:fs";
import { MarginEngine, generateVenue } from "../build/index.js";
import { ShardedEngine } from "../build/sharded-engine.js";
import { expectMarginError } from "./helpers/margin-error.mjs";

const TEXT = readFileSync(new URL("../examples/venue.json", import.meta.url), "utf8");

const NOT_A_VENUE = [
  ["a Promise", () => Promise.resolve(TEXT), /got a Promise: await it first$/],
  ["a Response", () => new Response(TEXT), /got a Response: read it first \(await value\.text\(\)\)$/],
  ["a Blob", () => new Blob([TEXT]), /got a Blob: read it first/],
  ["bytes", () => new TextEncoder().encode(TEXT), /got a Uint8Array$/],
  ["a Map", () => new Map(Object.entries(JSON.parse(TEXT))), /got a Map$/],
  ["a String object", () => new String(TEXT), /got a String$/],
];

test("fromVenue refuses a value that is not JSON text or a plain venue object, naming what it got", async () => {
  for (const [label, make, message] of NOT_A_VENUE) {
    const error = await expectMarginError(() => MarginEngine.fromVenue(make()), { code: "MALFORMED", field: "$", label });
    assert.match(error.message, /^MALFORMED at \$: expected JSON text or a venue object, got a /);
    assert.match(error.message, message, label);
  }
});

test("the text, the parsed object, a null-prototype copy and a structured clone still load, with the same totals", async () => {
  const expected = (await MarginEngine.fromVenue(TEXT)).totals();
  assert.is(expected.accounts, 3);
  const parsed = JSON.parse(TEXT);
  for (const venue of [parsed, Object.assign(Object.create(null), parsed), structuredClone(parsed)]) {
    assert.equal((await MarginEngine.fromVenue(venue)).totals(), expected);
  }
});

test("a member of a venue, a record of a call or the runtime options that is not plain data is named at its own field", async () => {
  const venue = JSON.parse(TEXT);
  const refused = async (call, field, message) => assert.match((await expectMarginError(call, { code: "MALFORMED", field })).message, message, field);
  await refused(() => MarginEngine.fromVenue({ ...venue, params: Promise.resolve({}) }), "params", /expected an object, got a Promise: await it first$/);
  await refused(() => MarginEngine.fromVenue({ ...venue, underlyings: [new Map(Object.entries(venue.underlyings[0]))] }), "underlyings[0]", /got a Map$/);
  await refused(() => MarginEngine.fromVenue(venue, new Map([["simd", false]])), "runtime", /got a Map$/);
  const engine = await MarginEngine.fromVenue(venue);
  const before = engine.snapshot();
  const order = { account: venue.accounts[0].id, instrument: venue.instruments[0].id, qty: "0.001", price: venue.instruments[0].mark };
  await refused(() => engine.checkOrder(new Map(Object.entries(order))), "order", /got a Map$/);
  assert.equal(engine.snapshot(), before);
  assert.is(engine.checkOrder(order).accepted, true, "the same order as a plain object is checked");
});

test("ShardedEngine.create refuses such a venue the same way", async () => {
  const { columns } = generateVenue({ accounts: 2, seed: 1 });
  await expectMarginError(() => ShardedEngine.create(Promise.resolve(TEXT), columns, { shards: 1 }), { code: "MALFORMED", field: "$" });
});

test("a venue object's members are read once: a getter's later answer is never read", async () => {
  const venue = JSON.parse(TEXT);
  const instruments = venue.instruments;
  delete venue.instruments;
  let reads = 0;
  Object.defineProperty(venue, "instruments", { enumerable: true, get: () => (reads++ === 0 ? instruments : 5) });
  const engine = await MarginEngine.fromVenue(venue);
  assert.is(reads, 1);
  assert.equal(engine.toVenue().instruments.map((i) => i.id), instruments.map((i) => i.id));
});

test("an account row's members are read once: positions that grow after they were counted never load", async () => {
  const venue = JSON.parse(TEXT);
  const { positions, mode, ...rest } = venue.accounts[1];
  const counted = { positions: 0, mode: 0 };
  const more = [...positions, { instrument: "BTC-20261225", qty: "0.1", entry: "66000" }];
  venue.accounts[1] = Object.defineProperties(rest, {
    positions: { enumerable: true, get: () => (counted.positions++ === 0 ? positions : more) },
    mode: { enumerable: true, get: () => (counted.mode++ === 0 ? "portfolio" : "standard") },
  });
  const engine = await MarginEngine.fromVenue(venue);
  assert.equal(counted, { positions: 1, mode: 1 });
  const bob = engine.toVenue().accounts[1];
  assert.equal([bob.mode, bob.positions.map((p) => p.instrument)], ["portfolio", positions.map((p) => p.instrument)]);
  assert.equal((await MarginEngine.restore(engine.snapshot())).toVenue(), engine.toVenue());
});

test.run();
