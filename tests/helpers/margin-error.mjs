// One way to say "this call must be refused with a MarginError of this code and field".
import * as assert from "uvu/assert";
import { MarginError } from "../../build/index.js";

function check(error, { code, field, label }) {
  // anything but a MarginError is a failure of its own: report it as it is
  if (error === null || typeof error !== "object" || error.name !== "MarginError") throw error;
  const where = label ? `${label}: ` : "";
  assert.instance(error, MarginError, `${where}a MarginError, but not build/index.js's class (${error.message})`);
  assert.is(error.code, code, `${where}code (${error.message})`);
  if (field instanceof RegExp) assert.match(error.field, field, `${where}field ${error.field} (${error.message})`);
  else assert.is(error.field, field, `${where}field (${error.message})`);
  return error;
}

const accepted = ({ code, field, label }) =>
  assert.unreachable(`accepted${label ? ` ${label}` : ""}: expected a MarginError ${code} at ${field}`);

/**
 * Calls `fn` and asserts it throws a MarginError with this `code` and `field` (a string, or a
 * RegExp the field must match); `label` names the case in failure messages. When `fn` returns
 * a promise, so does this, and the promise's rejection is what is checked. Fails with
 * "accepted …" when nothing is thrown, and rethrows any error that is not a MarginError.
 * Returns (or resolves to) the error.
 */
export function expectMarginError(fn, expected) {
  if (typeof expected?.code !== "string" || !(typeof expected.field === "string" || expected.field instanceof RegExp)) {
    throw new TypeError("expectMarginError needs { code, field }");
  }
  let result;
  try {
    result = fn();
  } catch (error) {
    return check(error, expected);
  }
  if (result !== null && typeof result?.then === "function") {
    return Promise.resolve(result).then(() => accepted(expected), (error) => check(error, expected));
  }
  return accepted(expected);
}

/**
 * expectMarginError on a call to `engine`, then the engine as it was before the call: the same
 * snapshot bytes and the same accounts(). A refusal changes nothing. Resolves to the error.
 */
export async function expectRefusedUnchanged(engine, fn, expected) {
  const before = engine.snapshot(), risk = JSON.stringify(engine.accounts());
  const error = await expectMarginError(fn, expected);
  assert.equal(engine.snapshot(), before, `${expected.code} at ${expected.field} changed the snapshot`);
  assert.is(JSON.stringify(engine.accounts()), risk, `${expected.code} at ${expected.field} changed the results`);
  return error;
}
