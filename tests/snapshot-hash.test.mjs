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
  assert.is(sha256(engine.snapshot()), "f73ac2f42c4ea22896075bf1990d8d816a6f0decfcbb733046dfedb4afd1af6b");
});

test("a generated venue's snapshot bytes are pinned (5,000 accounts, seed 7)", async () => {
  const { venue, columns } = generateVenue({ accounts: 5000, seed: 7 });
  const engine = await MarginEngine.fromVenue({ ...venue, accounts: [] });
  engine.loadColumns(columns);
  assert.is(sha256(engine.snapshot()), "3ac1079d8b182a6b74c654f7e5068ffbd36aeb691d2a23e7d8868c117e5e2eeb");
});

test.run();
