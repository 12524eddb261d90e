// Snapshot bytes pinned by hash: a change to the layout, the generator or the snapshot format
// shows up here, and must be deliberate (the hash is then updated with the reason). Last update:
// the format marker MCSNAP03 (indexes judged with a quorum of sources); the bytes after it are unchanged.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { MarginEngine, generateVenue } from "../build/index.js";

const sha256 = (bytes) => createHash("sha256").update(bytes).digest("hex");

test("the example venue's snapshot bytes are pinned", async () => {
  const engine = await MarginEngine.fromVenue(readFileSync(new URL("../examples/venue.json", import.meta.url), "utf8"));
  assert.is(sha256(engine.snapshot()), "d57177360498ed7bac1e192afa70e044bd291446b63073801d43e85ff2889aa9");
});

test("a generated venue's snapshot bytes are pinned (5,000 accounts, seed 7)", async () => {
  const { venue, columns } = generateVenue({ accounts: 5000, seed: 7 });
  const engine = await MarginEngine.fromVenue({ ...venue, accounts: [] });
  engine.loadColumns(columns);
  assert.is(sha256(engine.snapshot()), "72dca858b60f273cc06acd41bed49a5bc86c9bfb4dc50f1f2c93f20ffae9599f");
});

test.run();
