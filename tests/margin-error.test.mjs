// expectMarginError (tests/helpers/margin-error.mjs) fails the way each mistake deserves: an
// accepted input says "accepted", a foreign error comes through as itself, and a MarginError
// of the wrong code or field names what differs.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { MarginError } from "../build/index.js";
import { expectMarginError } from "./helpers/margin-error.mjs";

const refused = (code, field) => () => { throw new MarginError(code, field, "refused"); };
const later = (fn) => async () => { await null; return fn(); };

/** The assertion error `run` throws or rejects with. */
async function failure(run) {
  try {
    await run();
  } catch (error) {
    return error;
  }
  throw new Error("expected a failure");
}

test("a MarginError with the code and field passes and is returned, sync and async", async () => {
  const error = expectMarginError(refused("OUT_OF_RANGE", "qty"), { code: "OUT_OF_RANGE", field: "qty" });
  assert.instance(error, MarginError);
  assert.is(error.field, "qty");
  const promised = expectMarginError(later(refused("UNKNOWN_ID", "accounts[3].id")), { code: "UNKNOWN_ID", field: /^accounts\[\d+\]\.id$/ });
  assert.instance(promised, Promise);
  assert.is((await promised).code, "UNKNOWN_ID");
});

test("nothing thrown fails with 'accepted', sync and async", async () => {
  const sync = await failure(() => expectMarginError(() => 42, { code: "MALFORMED", field: "$" }));
  assert.is(sync.name, "Assertion");
  assert.match(sync.message, /^accepted: expected a MarginError MALFORMED at \$/);
  const async = await failure(() => expectMarginError(later(() => 42), { code: "MALFORMED", field: "$", label: "case 7" }));
  assert.is(async.name, "Assertion");
  assert.match(async.message, /^accepted case 7: /);
});

test("an error that is not a MarginError is rethrown as it is", async () => {
  const bug = new TypeError("x is undefined");
  assert.is(await failure(() => expectMarginError(() => { throw bug; }, { code: "MALFORMED", field: "$" })), bug);
  assert.is(await failure(() => expectMarginError(later(() => { throw bug; }), { code: "MALFORMED", field: "$" })), bug);
  const notOurs = Object.assign(new Error("lookalike"), { name: "Error", code: "MALFORMED", field: "$" });
  assert.is(await failure(() => expectMarginError(() => { throw notOurs; }, { code: "MALFORMED", field: "$" })), notOurs);
});

test("the wrong code or field fails naming it", async () => {
  const code = await failure(() => expectMarginError(refused("PRECISION", "qty"), { code: "OUT_OF_RANGE", field: "qty" }));
  assert.is(code.name, "Assertion");
  assert.is(code.actual, "PRECISION");
  assert.is(code.expects, "OUT_OF_RANGE");
  const field = await failure(() => expectMarginError(refused("OUT_OF_RANGE", "price"), { code: "OUT_OF_RANGE", field: "qty" }));
  assert.is(field.actual, "price");
  const pattern = await failure(() => expectMarginError(later(refused("OUT_OF_RANGE", "price")), { code: "OUT_OF_RANGE", field: /qty$/ }));
  assert.is(pattern.name, "Assertion");
  assert.match(pattern.message, /field price/);
});

test("code and field are required", () => {
  assert.throws(() => expectMarginError(refused("MALFORMED", "$"), { code: "MALFORMED" }), /needs \{ code, field \}/);
  assert.throws(() => expectMarginError(refused("MALFORMED", "$"), { field: "$" }), /needs \{ code, field \}/);
});

test.run();
