// Snapshots are faithful: an engine and a copy restored from its snapshot at random points receive
// the same 10,000+ random operations, good and bad (tests/helpers/random-ops.mjs), and must give
// identical outputs: the same result or the same MarginError for every call, and equal snapshot
// bytes and account risk at every checkpoint. MARGIN_FUZZ_SCALE multiplies the run.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { MarginEngine } from "../build/index.js";
import { opsVenue, outcome, randomOps } from "./helpers/random-ops.mjs";

const SCALE = Number(process.env.MARGIN_FUZZ_SCALE ?? 1);
const OPERATIONS = 10_000 * SCALE;

test(`${OPERATIONS.toLocaleString("en-US")} random operations give identical outputs on an engine and on copies restored from its snapshots`, async () => {
  const original = await MarginEngine.fromVenue(opsVenue());
  let copy = await MarginEngine.restore(original.snapshot());
  const next = randomOps(Number(process.env.MARGIN_FUZZ_SEED ?? 12));
  let restores = 1, refused = 0, checkpoints = 0;
  for (let k = 0; k < OPERATIONS; k++) {
    if (k % 97 === 13) {
      copy = await MarginEngine.restore(original.snapshot());
      restores++;
    }
    const op = next();
    const expected = outcome(original, op);
    if (expected.startsWith("error:")) refused++;
    assert.is(outcome(copy, op), expected, `operation ${k}: ${op[0]}`);
    if (k % 50 === 49) {
      checkpoints++;
      assert.equal(copy.snapshot(), original.snapshot(), `snapshot bytes after operation ${k}`);
      assert.equal(copy.accounts({ liquidationPrices: true }), original.accounts({ liquidationPrices: true }), `accounts after operation ${k}`);
    }
  }
  console.log(`snapshot differential: ${OPERATIONS} operations (${refused} refused), ${restores} restores, ${checkpoints} checkpoints, 0 differences`);
  assert.ok(refused > OPERATIONS / 20 && refused < OPERATIONS / 2, `${refused} refused`);
});

test.run();
