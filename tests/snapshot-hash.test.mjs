// Snapshot bytes pinned by hash: a change to the layout, the generator or the snapshot format
// shows up here, and must be deliberate (the hash is then updated with the reason).
import { test } from "uvu";
import * as assert from "uvu/assert";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { MarginEngine, generateVenue } from "../build/index.js";

const sha256 = (bytes) => createHash("sha256").update(bytes).digest("hex");

test("the example venue's snapshot bytes are pinned", async () => {
  const engine = await MarginEngine.fromVenue(readFileSync(new URL("../examples/venue.json", import.meta.url), "utf8"));
  assert.is(sha256(engine.snapshot()), "b1f74e2a7ec3bccc0762879bdb31911c6c141c1d7d457475e32c3f9166c6b119");
});

test("a generated venue's snapshot bytes are pinned (5,000 accounts, seed 7)", async () => {
  const { venue, columns } = generateVenue({ accounts: 5000, seed: 7 });
  const engine = await MarginEngine.fromVenue({ ...venue, accounts: [] });
  engine.loadColumns(columns);
  assert.is(sha256(engine.snapshot()), "bdc43ca567debc3f18eb167bbf41221414f355268c8f06316cb3ed4331a3c142");
});

test.run();
