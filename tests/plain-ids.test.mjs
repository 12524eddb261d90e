// Ids and keys are plain data: an underlying, asset, instrument, account, oracle source,
// collateral key or correlation key named "__proto__", "constructor", "toString" … behaves as
// any other name — in venue files (text or object), in every output keyed by ids, through
// toVenue() and snapshots — and a params key is rejected unless it is a parameter, whatever its
// name. The venue with such names gives, name for name, what the example venue gives.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { readFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { MarginEngine } from "../build/index.js";
import { expectMarginError } from "./helpers/margin-error.mjs";

const BASE = readFileSync(new URL("../examples/venue.json", import.meta.url), "utf8")
  .replace('"params": {}', '"params": { "correlation": { "BTC": { "BTC": "1" } } }');

const RENAMINGS = [
  { BTC: "__proto__", "BTC-PERP": "constructor", alice: "toString", feedA: "hasOwnProperty", USD: "valueOf" },
  { BTC: "constructor", "BTC-PERP": "toString", carol: "__proto__", feedB: "valueOf", "BTC-20261225": "hasOwnProperty", USD: "__defineGetter__" },
];

/** Every quoted occurrence of each id replaced (a JSON string token), in either direction. */
function rename(text, names, back = false) {
  let out = text;
  for (const [from, to] of Object.entries(names)) out = out.replaceAll(JSON.stringify(back ? to : from), JSON.stringify(back ? from : to));
  return out;
}

/** Everything an integrator reads from an engine, as JSON text. */
function everything(engine, names) {
  const account = names.alice ?? "alice", child = names.carol ?? "carol";
  return JSON.stringify({
    accounts: engine.accounts({ liquidationPrices: true }),
    account: engine.account(account),
    child: engine.account(child),
    totals: engine.totals(),
    scenarios: engine.scenarios(account),
    venue: engine.toVenue(),
    queue: engine.liquidationQueue(),
    order: engine.checkOrder({ account, instrument: names["BTC-PERP"] ?? "BTC-PERP", qty: "0.1", price: "65000" }),
  });
}

for (const names of RENAMINGS) {
  const label = Object.values(names).join(", ");
  test(`ids named ${label}: every output is the example's, name for name`, async () => {
    const reference = everything(await MarginEngine.fromVenue(BASE), {});
    const text = rename(BASE, names);
    for (const venue of [text, JSON.parse(text)]) {
      const engine = await MarginEngine.fromVenue(venue);
      assert.is(rename(everything(engine, names), names, true), reference, `${typeof venue} venue`);
      const copy = await MarginEngine.restore(engine.snapshot());
      assert.is(rename(everything(copy, names), names, true), reference, "restored from a snapshot");
      const reloaded = await MarginEngine.fromVenue(JSON.stringify(engine.toVenue()));
      assert.is(rename(everything(reloaded, names), names, true), reference, "reloaded from toVenue()");
    }
  });
}

test('an underlying named "__proto__": greeks and liquidation prices keep it as a key', async () => {
  const engine = await MarginEngine.fromVenue(rename(BASE, { BTC: "__proto__" }));
  const alice = engine.account("alice");
  assert.equal(Object.keys(alice.greeks), ["__proto__"]);
  assert.is(alice.greeks.__proto__.delta, "0.2388015");
  assert.equal(Object.keys(alice.liquidationPrice), ["__proto__"]);
  assert.equal(Object.keys(engine.accounts()[2].greeks), ["__proto__"]);
  assert.equal(Object.keys(engine.totals().greeks), ["__proto__"]);
  assert.is(engine.totals().greeks.__proto__.delta, "0.36940075");
  // nothing is inherited by a record keyed by ids
  assert.is(alice.greeks.toString, undefined);
  assert.not.ok("hasOwnProperty" in alice.greeks);
  // and a record still compares with an object literal
  assert.equal(engine.account("bob").liquidationPrice, JSON.parse('{"__proto__": "64134.01435102"}'));
});

test('a "__proto__" balance survives toVenue(): alice keeps 42,840.1875 of equity on reload', async () => {
  const text = BASE.replace('{ "id": "BTC", "price": "65000"', '{ "id": "__proto__", "price": "65000"').replace('"BTC": "0.5"', '"__proto__": "0.5"');
  const engine = await MarginEngine.fromVenue(text);
  assert.is(engine.account("alice").equity, "42840.1875");
  const venue = engine.toVenue();
  assert.equal(Object.keys(venue.accounts[0].collateral), ["USD", "__proto__"]);
  const reloaded = await MarginEngine.fromVenue(JSON.stringify(venue));
  assert.is(reloaded.account("alice").equity, "42840.1875");
  assert.is((await MarginEngine.fromVenue(venue)).account("alice").equity, "42840.1875", "toVenue()'s object, loaded as it is");
});

test("params keys are parameters or unknown, whatever their name; a grid vol is a vol name", async () => {
  for (const key of ["constructor", "toString", "__proto__", "hasOwnProperty", "valueOf", "isPrototypeOf", "__defineGetter__"]) {
    const text = BASE.replace('"params": {', `"params": { ${JSON.stringify(key)}: "0.1", `);
    await expectMarginError(() => MarginEngine.fromVenue(text), { code: "UNKNOWN_ID", field: `params.${key}` });
    await expectMarginError(() => MarginEngine.fromVenue(JSON.parse(text)), { code: "UNKNOWN_ID", field: `params.${key}` });
  }
  for (const vol of ["constructor", "toString", "__proto__", "valueOf"]) {
    const text = BASE.replace('"params": {', `"params": { "grid": [{ "move": "0.1", "vol": ${JSON.stringify(vol)} }], `);
    await expectMarginError(() => MarginEngine.fromVenue(text), { code: "MALFORMED", field: "params.grid[0].vol" });
  }
});

test("API calls take prototype-named ids as ids", async () => {
  const names = RENAMINGS[0];
  const engine = await MarginEngine.fromVenue(rename(BASE, names));
  engine.setPrice("__proto__", "64000", Date.parse("2026-11-24T00:00:01Z"), "hasOwnProperty");
  engine.setCollateral("toString", "valueOf", "12000");
  engine.upsertAccount({ id: "__proto__", mode: "portfolio" });
  engine.setPosition("__proto__", "constructor", "0.1", "64000");
  assert.equal(Object.keys(engine.account("__proto__").greeks), ["__proto__"]);
  assert.is(engine.toVenue().accounts.at(-1).id, "__proto__");
  await expectMarginError(() => engine.setPosition("hasOwnProperty", "constructor", "1", "1"), { code: "UNKNOWN_ID", field: "account" });
  await expectMarginError(() => engine.setCollateral("__proto__", "toString", "1"), { code: "UNKNOWN_ID", field: "asset" });
  const copy = await MarginEngine.restore(engine.snapshot());
  assert.is(JSON.stringify(copy.accounts()), JSON.stringify(engine.accounts()));
});

test("a command named after an Object member is an unknown command", () => {
  const bin = new URL("../bin/margin-core.js", import.meta.url).pathname;
  for (const name of ["constructor", "__proto__", "toString"]) {
    const run = spawnSync(process.execPath, [bin, name], { encoding: "utf8" });
    assert.is(run.status, 2, name);
    assert.is(run.stderr, `error: MALFORMED at argv: unknown command "${name}"; try margin-core --help\n`);
  }
});

test.run();
