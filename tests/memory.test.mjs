// Wasm memory sized up front: an engine given memoryEstimate() for its load never grows its
// memory (the allocator's doubling is what kept 10M accounts out of 2 GiB) and computes what an
// engine growing on demand computes; a bad size is refused naming the option.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { MarginEngine, MarginError, generateVenue } from "../build/index.js";

const PAGE = 65536;

test("a load sized by memoryEstimate stays in its initial memory and agrees with a growing one", async () => {
  const accounts = 50_000;
  const { venue, columns } = generateVenue({ accounts, seed: 5 });
  const initialMemory = MarginEngine.memoryEstimate({
    accounts, positions: columns.positionOffsets[accounts], collaterals: columns.collateralOffsets[accounts],
  });
  const sized = await MarginEngine.fromVenue({ ...venue, accounts: [] }, { initialMemory });
  const growing = await MarginEngine.fromVenue({ ...venue, accounts: [] });
  const before = sized.stats().memoryBytes;
  assert.is(before, Math.ceil(initialMemory / PAGE) * PAGE);
  for (const engine of [sized, growing]) {
    engine.loadColumns(columns);
    engine.recompute();
    engine.queueOrder();
  }
  assert.is(sized.stats().memoryBytes, before, "never grew");
  assert.ok(sized.stats().liveBytes <= initialMemory, "the live state fits the estimate");
  assert.equal(sized.riskColumns(), growing.riskColumns());
});

test("initialMemory outside [0, 4 GiB] is refused naming it", async () => {
  for (const initialMemory of [-1, 1.5, 2 ** 32 + 1, Number.NaN]) {
    try {
      await MarginEngine.create({ initialMemory });
      assert.unreachable(`accepted ${initialMemory}`);
    } catch (error) {
      assert.instance(error, MarginError);
      assert.is(error.code, "OUT_OF_RANGE");
      assert.is(error.field, "initialMemory");
    }
  }
});

test.run();
