// Every public method of MarginEngine, called with null, undefined, missing and ill-typed
// arguments: each either does its job (null and undefined options mean the defaults) or throws a
// MarginError and changes nothing — never a TypeError or RangeError. The sweep enumerates the
// class, so a method added later is swept too.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { readFileSync } from "node:fs";
import { MarginEngine } from "../build/index.js";

const VENUE = readFileSync(new URL("../examples/venue.json", import.meta.url), "utf8");
const ODD = [null, undefined, {}, [], "", "x", 0, -1, 1.5, NaN, Infinity, 2 ** 53, 1n, true, { limit: null }, { liquidationPrices: null }, "BTC", "bob"];

/** Argument lists for a method taking up to `arity` arguments: each odd value alone, in every position, and all at once. */
function argumentLists(arity) {
  const lists = [[], [null, null, null, null], [undefined, undefined, undefined, undefined]];
  for (let k = 0; k < Math.max(arity, 1); k++) {
    for (const odd of ODD) lists.push([...Array(k).fill("bob"), odd]);
  }
  return lists;
}

function describe(args) {
  return JSON.stringify(args, (_, v) => (typeof v === "bigint" ? `${v}n` : v === undefined ? "undefined" : Number.isNaN(v) ? "NaN" : v));
}

test("every instance method: a MarginError or a result, never another error, and a refusal changes nothing", async () => {
  const engine = await MarginEngine.fromVenue(VENUE);
  const methods = Object.getOwnPropertyNames(MarginEngine.prototype).filter((m) => m !== "constructor" && typeof engine[m] === "function");
  assert.ok(methods.length >= 39, `${methods.length} methods`);
  let calls = 0, refused = 0;
  for (const method of methods) {
    for (const args of argumentLists(engine[method].length || 4)) {
      const before = engine.snapshot();
      calls++;
      try {
        await engine[method](...args);
      } catch (error) {
        if (error?.name !== "MarginError") assert.unreachable(`${method}(${describe(args)}) threw ${error}`);
        refused++;
        assert.equal(engine.snapshot(), before, `${method}(${describe(args)}) was refused but changed the state`);
      }
    }
  }
  assert.ok(refused > 0 && refused < calls, `${refused} of ${calls} refused`);
});

test("every static method: a MarginError or a result, never another error", async () => {
  for (const method of ["create", "fromVenue", "restore", "memoryEstimate"]) {
    for (const args of argumentLists(2)) {
      try {
        await MarginEngine[method](...args);
      } catch (error) {
        if (error?.name !== "MarginError") assert.unreachable(`${method}(${describe(args)}) threw ${error}`);
      }
    }
  }
});

test("a value of the wrong type is MALFORMED, a bad value OUT_OF_RANGE, an unknown id UNKNOWN_ID, each at the argument's path", async () => {
  const { expectMarginError } = await import("./helpers/margin-error.mjs");
  const engine = await MarginEngine.fromVenue(VENUE);
  const time = Date.parse("2026-11-24T00:00:00Z");
  expectMarginError(() => engine.setPrice(5, "1", time), { code: "MALFORMED", field: "id" });
  expectMarginError(() => engine.checkPrice(null, "1", time), { code: "MALFORMED", field: "id" });
  expectMarginError(() => engine.setPrice("NOPE", "1", time), { code: "UNKNOWN_ID", field: "id" });
  expectMarginError(() => engine.setPrice("", "1", time), { code: "MALFORMED", field: "id" });
  expectMarginError(() => engine.checkPrice("X".repeat(129), "1", time), { code: "MALFORMED", field: "id" });
  expectMarginError(() => engine.checkOrder({ account: "bob", instrument: "NOPE", qty: "0.01", price: "65000" }), { code: "UNKNOWN_ID", field: "order.instrument" });
  const error = expectMarginError(() => engine.checkOrderRaw(0, 0, 1.5, 6_500_000_000_000n), { code: "NOT_WHOLE_LOTS", field: "order.qty" });
  assert.match(error.message, /whole lots/);
});

test("JSON.stringify of an engine is a summary, with or without a replacer, never its internals", async () => {
  const engine = await MarginEngine.fromVenue(VENUE);
  const summary = { engine: "margin-core", accounts: 3, now: "2026-11-24T00:00:00Z", clock: "2026-11-24T00:00:00Z" };
  assert.equal(JSON.parse(JSON.stringify(engine)), summary);
  assert.equal(JSON.parse(JSON.stringify({ engine }, (_, v) => v)).engine, summary);
});

test.run();
