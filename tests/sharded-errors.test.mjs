// ShardedEngine's refusals equal one engine's: the same code, field and detail for the same
// input, every time, however the shards' answers race.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { MarginEngine } from "../build/index.js";
import { ShardedEngine } from "../build/sharded-engine.js";

const NOW = "2026-11-24T00:00:00Z", T0 = Date.parse(NOW);
const EMPTY = {
  count: 0, mode: new Uint8Array(0), parent: new Int32Array(0), positionOffsets: Uint32Array.from([0]), positionInstrument: new Uint16Array(0),
  positionLots: new Int32Array(0), positionEntry: new BigInt64Array(0), collateralOffsets: Uint32Array.from([0]), collateralAsset: new Uint8Array(0),
  collateralAmount: new BigInt64Array(0),
};

/** What a call threw, as code, field and detail; "accepted" when it did not throw (a sharded engine it made is closed). */
async function outcome(call) {
  try {
    const made = await call();
    if (made instanceof ShardedEngine) await made.close();
    return "accepted";
  } catch (error) {
    if (error?.name !== "MarginError") throw error;
    return `${error.code} at ${error.field}: ${error.detail}`;
  }
}

test("setPrice judges its arguments in the engine's order: price, timestamp, source, id, then the clock", async () => {
  const venue = { now: NOW, underlyings: [{ id: "BTC", spot: "65000", vol: "0.5" }] };
  const single = await MarginEngine.fromVenue(venue);
  single.loadColumns(EMPTY);
  const sharded = await ShardedEngine.create(venue, EMPTY, { shards: 2 });
  try {
    const T = T0 + 1000, beyondSkew = T0 + 3 * 86_400_000;
    const cases = [
      [["BTC", "abc", "x"], "INVALID_NUMBER at price"],
      [[5, "abc", T], "INVALID_NUMBER at price"],
      [["BTC", "1e3", T, 5], "INVALID_NUMBER at price"],
      [[null, "100", NaN], "INVALID_NUMBER at timestamp"],
      [[5, "100", "x"], "MALFORMED at timestamp"],
      [[5, "100", T, 7], "MALFORMED at source"],
      // the arguments' types before the clock: a bad id is named even at a time past maxClockSkew
      [[5, "100", beyondSkew], "MALFORMED at id"],
      [["BTC", "100", beyondSkew], "OUT_OF_RANGE at timestamp"],
      // values no worker could receive are judged before any is sent
      [[Symbol("BTC"), "100", T], "MALFORMED at id"],
      [["BTC", () => "100", T], "MALFORMED at price"],
    ];
    for (const [args, expected] of cases) {
      const one = await outcome(() => single.setPrice(...args)), many = await outcome(() => sharded.setPrice(...args));
      assert.ok(one.startsWith(`${expected}:`), `${String(args.map(String))}: one engine ${one}`);
      assert.is(many, one, String(args.map(String)));
    }
  } finally {
    await sharded.close();
  }
});

test.run();
