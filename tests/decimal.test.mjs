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

test.run();
