// The exact number path of bindings/core/units.ts (the venue reader's decimal parser and the
// result formatter) against the twin's regex-and-BigInt decimals: every string it accepts has the
// twin's value, every string it declines is one the twin rejects or one past 2^53 raw units;
// every integer it formats reads as the twin writes it; i64 words round-trip.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { xoroshiro128plus } from "pure-rand/generator/xoroshiro128plus";
import { uniformInt } from "pure-rand/distribution/uniformInt";
import { uniformBigInt } from "pure-rand/distribution/uniformBigInt";
import { parseDecimal as twinParse, formatDecimal as twinFormat } from "./reference/decimal.mjs";
import { importBindings } from "./helpers/internal.mjs";

const { unitsOf, formatUnits, formatI64, readI64, writeI64, wordsOf } = await importBindings("core/units.ts");
const SAFE = BigInt(Number.MAX_SAFE_INTEGER);
const I64_MIN = -(2n ** 63n), I64_MAX = 2n ** 63n - 1n;

/** The twin's value at `scale`, or null where it rejects. */
function twin(text, scale) {
  try {
    return twinParse(text, scale);
  } catch {
    return null;
  }
}

/** unitsOf agrees with the twin: the same value, or NaN exactly where the twin rejects or the value is past ±(2^53 − 1). */
function check(text, scale) {
  const expected = twin(text, scale);
  const got = unitsOf(text, scale);
  if (expected !== null && expected >= -SAFE && expected <= SAFE) {
    if (Number.isNaN(got) || BigInt(got) !== expected) assert.unreachable(`${JSON.stringify(text)} at scale ${scale}: ${got}, twin ${expected}`);
    assert.ok(Number.isSafeInteger(got), `${JSON.stringify(text)}: ${got} is a safe integer`);
  } else if (!Number.isNaN(got)) {
    assert.unreachable(`${JSON.stringify(text)} at scale ${scale}: accepted as ${got}, twin ${expected ?? "rejects"}`);
  }
  return expected !== null;
}

test("edge strings: signs, points, zeros, exponents, junk, every scale", () => {
  const cases = [
    "0", "-0", "0.0", "-0.000", "00", "007", "7.", ".7", "-.7", "-", "", "+1", "1e3", "1E3", "1e-3", " 1", "1 ", "1_000",
    "1,5", "--1", "1.2.3", "0x10", "Infinity", "NaN", "١٢", "1\n", "12345678.12345678", "-12345678.12345678",
    "90071992.54740991", "90071992.54740992", "-90071992.54740991", "-90071992.54740992", "9007199254740991", "9007199254740992",
    "92233720368.54775807", "92233720368.54775808", "10000000000", "0.00000001", "0.000000001", "1.000000000", "1.0000000000",
    "100000000000000000000000000000", "0." + "0".repeat(40), "0".repeat(400) + "1", "9".repeat(400), "1" + "0".repeat(15),
    "123456789012345", "1234567890123456", "12345678901234567", "1234567890123456789",
  ];
  for (const text of cases) for (let scale = 0; scale <= 9; scale++) check(text, scale);
  assert.ok(Object.is(unitsOf("-0", 8), -0));
  assert.ok(Number.isNaN(unitsOf(12, 8)), "a number is not a decimal string");
  assert.ok(Number.isNaN(unitsOf(null, 8)));
  assert.is(unitsOf("90071992.54740991", 8), Number.MAX_SAFE_INTEGER);
  assert.ok(Number.isNaN(unitsOf("90071992.54740992", 8)), "2^53 raw units decline");
});

test("random strings, valid and not, at every scale: the twin's value or a decline", () => {
  const rng = xoroshiro128plus(20261201);
  const pick = (n) => uniformInt(rng, 0, n - 1);
  const digits = (n) => Array.from({ length: n }, () => "0123456789"[pick(10)]).join("");
  let valid = 0;
  for (let k = 0; k < 60_000; k++) {
    let text;
    const shape = pick(4);
    if (shape === 0) text = Array.from({ length: 1 + pick(14) }, () => "0123456789.-+eE "[pick(16)]).join("");
    else if (shape === 1) text = (pick(3) === 0 ? "-" : "") + digits(1 + pick(20)) + (pick(2) ? "." + digits(1 + pick(11)) : "");
    // 15 to 19 significant digits: around 2^53 once scaled
    else if (shape === 2) text = (pick(2) ? "-" : "") + digits(15 + pick(5)).replace(/^0+/, "1");
    else {
      const whole = digits(1 + pick(12)), fraction = digits(pick(10));
      text = (pick(2) ? "-" : "") + whole + (fraction ? "." + fraction + "0".repeat(pick(4)) : "");
    }
    if (check(text, pick(10))) valid++;
  }
  assert.ok(valid > 30_000, `${valid} valid strings`);
});

test("formatting: the twin's text for random and edge integers below 2^53, at every scale", () => {
  const rng = xoroshiro128plus(7);
  const values = [0n, 1n, -1n, 9n, 10n, 99n, 100n, 999_999n, 1_000_000n, 1_000_001n, 2n ** 52n - 1n, -(2n ** 52n) + 1n, 2n ** 52n, SAFE, -SAFE];
  for (let k = 0; k < 20_000; k++) {
    const magnitude = 10n ** BigInt(uniformInt(rng, 0, 16));
    const v = uniformBigInt(rng, -magnitude, magnitude);
    // trailing zeros in the fraction: multiples of powers of ten
    values.push(k % 3 === 0 ? (v / 1000n) * 1000n : v > SAFE ? SAFE : v < -SAFE ? -SAFE : v);
  }
  for (const raw of values) {
    for (let scale = 0; scale <= 18; scale++) {
      const got = formatUnits(Number(raw), scale), want = twinFormat(raw, scale);
      if (got !== want) assert.unreachable(`${raw} at scale ${scale}: "${got}", twin "${want}"`);
    }
  }
  assert.is(formatUnits(-0, 6), "0");
  assert.is(formatUnits(-500_000, 6), "-0.5");
});

test("i64 words: every value reads back exactly below 2^53 and past it through the BigInt path", () => {
  const rng = xoroshiro128plus(11);
  const array = new BigInt64Array(4), words = wordsOf(array);
  const values = [0n, 1n, -1n, SAFE, -SAFE, 2n ** 32n - 1n, 2n ** 32n, -(2n ** 32n), I64_MIN, I64_MAX, 2n ** 53n, -(2n ** 53n) - 1n];
  for (let k = 0; k < 20_000; k++) values.push(uniformBigInt(rng, k % 2 ? -SAFE : I64_MIN, k % 2 ? SAFE : I64_MAX));
  for (const raw of values) {
    array[1] = raw;
    const read = readI64(words, 1);
    if (raw >= -SAFE && raw <= SAFE) {
      assert.is(read, Number(raw), `${raw} reads exactly`);
      array[2] = 0n;
      writeI64(words, 2, read);
      assert.is(array[2], raw, `${raw} writes back`);
    } else {
      assert.ok(Math.abs(read) >= 2 ** 53, `${raw} reads as a double past 2^53`);
    }
    for (const scale of [6, 8, 9]) {
      const got = formatI64(array, words, 1, scale), want = twinFormat(raw, scale);
      if (got !== want) assert.unreachable(`${raw} at scale ${scale}: "${got}", twin "${want}"`);
    }
  }
});

test.run();
