// The facade's decimal parser (one pass, a double for up to 15 digits) against the twin's
// regex-and-BigInt parser on random strings, valid and not: the same raw value, or a rejection
// with INVALID_NUMBER or PRECISION where the twin rejects.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { xoroshiro128plus } from "pure-rand/generator/xoroshiro128plus";
import { uniformInt } from "pure-rand/distribution/uniformInt";
import { parseDecimal, formatDecimal, MarginError } from "../build/index.js";
import { parseDecimal as referenceParse } from "./reference/decimal.mjs";

const ALPHABET = "0123456789.-+e ";

test("random strings parse exactly as the twin parses them, or fail where it fails", () => {
  const rng = xoroshiro128plus(20261130);
  const pick = (n) => uniformInt(rng, 0, n - 1);
  let valid = 0;
  for (let k = 0; k < 50_000; k++) {
    const shape = pick(3);
    let text;
    if (shape === 0) {
      text = Array.from({ length: 1 + pick(12) }, () => ALPHABET[pick(ALPHABET.length)]).join("");
    } else {
      const digits = (n) => Array.from({ length: n }, () => "0123456789"[pick(10)]).join("");
      text = (pick(4) === 0 ? "-" : "") + digits(1 + pick(20)) + (pick(2) ? "." + digits(1 + pick(11)) : "");
    }
    const scale = [6, 8, 9][pick(3)];
    let expected;
    try {
      expected = referenceParse(text, scale);
    } catch {
      expected = null;
    }
    try {
      const got = parseDecimal(text, scale, "f");
      assert.is(got, expected, `${JSON.stringify(text)} at scale ${scale}`);
      valid++;
    } catch (error) {
      if (!(error instanceof MarginError)) throw error;
      assert.is(expected, null, `${JSON.stringify(text)} rejected: ${error.message}`);
      assert.ok(["INVALID_NUMBER", "PRECISION"].includes(error.code), error.code);
    }
  }
  assert.ok(valid > 20_000, `${valid} valid strings`);
});

test("formatting and parsing round-trip at every scale", () => {
  for (const raw of [0n, 1n, -1n, 123_456_789n, -987_654_321_000n, 10n ** 18n, -(10n ** 26n) + 7n]) {
    for (const scale of [6, 8, 9]) assert.is(parseDecimal(formatDecimal(raw, scale), scale, "f"), raw);
  }
});


test("formatDecimal takes a bigint, or a number only when it is a whole count of raw units", () => {
  assert.is(formatDecimal(150_000_000, 8), "1.5");
  assert.is(formatDecimal(-0, 8), "0");
  assert.is(formatDecimal(-1234567, 6), "-1.234567");
  for (const [raw, code] of [[1.5, "INVALID_NUMBER"], [NaN, "INVALID_NUMBER"], [Infinity, "INVALID_NUMBER"], [2 ** 53, "INVALID_NUMBER"], ["15", "MALFORMED"], [null, "MALFORMED"], [undefined, "MALFORMED"]]) {
    try {
      formatDecimal(raw, 8);
      assert.unreachable(`formatDecimal(${String(raw)}, 8) was accepted`);
    } catch (error) {
      assert.instance(error, MarginError, String(raw));
      assert.equal([error.code, error.field], [code, "raw"], String(raw));
    }
  }
  for (const decimals of [-1, 1.5, NaN, "8", 65]) {
    try {
      formatDecimal(1n, decimals);
      assert.unreachable(`decimals ${String(decimals)} was accepted`);
    } catch (error) {
      assert.equal([error.code, error.field], ["OUT_OF_RANGE", "decimals"], String(decimals));
    }
  }
});

test("parseDecimal refuses a count of decimals outside whole [0, 64] as formatDecimal does, never with a RangeError", () => {
  assert.is(parseDecimal("1", 64), 10n ** 64n);
  assert.is(parseDecimal("7", 0), 7n);
  for (const decimals of [-1, 1.5, NaN, "8", 65, undefined]) {
    try {
      parseDecimal("1", decimals, "x");
      assert.unreachable(`decimals ${String(decimals)} was accepted`);
    } catch (error) {
      assert.instance(error, MarginError, String(decimals));
      assert.equal([error.code, error.field], ["OUT_OF_RANGE", "decimals"], String(decimals));
    }
  }
  // the value is judged first, as formatDecimal judges its raw units first
  assert.throws(() => parseDecimal(1, -1), (error) => error.code === "MALFORMED" && error.field === "value");
});

test("parseDecimal without a field name names the value", () => {
  try {
    parseDecimal("NaN", 8);
    assert.unreachable("accepted");
  } catch (error) {
    assert.is(error.message, 'INVALID_NUMBER at value: "NaN" is not a decimal number');
  }
});

test.run();
