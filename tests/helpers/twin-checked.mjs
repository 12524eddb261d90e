// A venue loaded into the engine with every account's equity, IM, MM and status checked against
// the BigInt twin: the published-example tests start from it.
import * as assert from "uvu/assert";
import { MarginEngine } from "../../build/index.js";
import { referenceVenueRisk } from "../reference/standard-margin.mjs";
import { engineTables } from "./engine-tables.mjs";

export async function engineCheckedByTwin(venue) {
  const engine = await MarginEngine.fromVenue(venue);
  for (const want of referenceVenueRisk(venue, engineTables(engine)).accounts) {
    const got = engine.accountRaw(want.id);
    assert.equal(got, { equity: want.equity, initialMargin: want.initialMargin, maintenanceMargin: want.maintenanceMargin, status: want.status }, want.id);
  }
  return engine;
}
