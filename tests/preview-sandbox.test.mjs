// The preview's what-if venue (bindings/tools/preview/sandbox.ts), checked directly: it keeps what
// the edited account touches and nothing else, the account margins in it as among the whole
// venue, and a refusal in it is named by ids as the loaded venue names them.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { readFileSync } from "node:fs";
import { MarginEngine, formatDecimal } from "../build/index.js";
import { importBindings } from "./helpers/internal.mjs";
import { parseDecimal } from "./reference/decimal.mjs";

const { sandboxVenue, venueField } = await importBindings("tools/preview/sandbox.ts");
const example = JSON.parse(readFileSync(new URL("../examples/venue.json", import.meta.url), "utf8"));
const perp = (id, underlying, mark) => ({ id, kind: "perp", underlying, lotSize: "0.001", mark, tiers: [{ upTo: "1000000", imf: "0.02", mmf: "0.01" }] });

/** The example with ETH, 20 underlyings Z0…Z19, an asset ZC priced by Z3, a correlation over held and untouched pairs, and two accounts. */
function manyUnderlyings() {
  const venue = structuredClone(example);
  const btc = venue.underlyings[0];
  venue.underlyings.push({ ...btc, id: "ETH", spot: "3000", sources: btc.sources.map((source) => ({ ...source, price: "3000" })) });
  for (let k = 0; k < 20; k++) venue.underlyings.push({ id: `Z${k}`, spot: "10", vol: "0.5", rate: "0" });
  venue.assets.push({ id: "ZC", price: "10", haircut: "0.1", underlying: "Z3" });
  venue.instruments.push(perp("ETH-PERP", "ETH", "3000"), perp("Z1-PERP", "Z1", "10"));
  venue.params = { correlation: { BTC: { ETH: "-0.4", Z1: "0.9" }, Z1: { Z2: "0.3", Z3: "0.5" } } };
  venue.accounts.push(
    { id: "dave", mode: "portfolio", collateral: { USD: "20000" }, positions: [{ instrument: "BTC-PERP", qty: "0.3", entry: "64000" }, { instrument: "ETH-PERP", qty: "-4", entry: "3100" }] },
    // collateral priced by an underlying it holds no instrument on
    { id: "erin", mode: "portfolio", collateral: { USD: "100", ZC: "5" }, positions: [{ instrument: "Z1-PERP", qty: "1", entry: "10" }] },
  );
  return venue;
}

/** The venue as the preview holds it, an account of it as the page edits it, and the prices at the indexes. */
async function loaded(venue) {
  const engine = await MarginEngine.fromVenue(venue);
  const held = engine.toVenue();
  const indexes = Object.fromEntries(held.underlyings.map((u) => [u.id, formatDecimal(engine.underlyingIndex(u.id), 8)]));
  const draft = (id) => {
    const row = held.accounts.find((a) => a.id === id);
    return { id, mode: row.mode, collateral: { ...row.collateral }, positions: row.positions.map(({ instrument, qty, entry }) => ({ instrument, qty, entry })) };
  };
  return { engine, held, indexes, draft };
}

const ids = (rows) => rows.map((row) => row.id);
/** An account's risk without its family, which the one-account venue does not carry (the page shows the loaded venue's). */
const figures = ({ parent, subAccounts, ...risk }) => risk;

test("the what-if venue keeps the account's instruments, the underlyings they and its collateral are priced from, and their correlations", async () => {
  const { held, indexes, draft } = await loaded(manyUnderlyings());
  const dave = sandboxVenue(held, draft("dave"), indexes, indexes);
  assert.equal(ids(dave.instruments), ["BTC-PERP", "ETH-PERP"]);
  assert.equal(ids(dave.underlyings), ["BTC", "ETH"]);
  assert.equal(ids(dave.assets), ["USD"]);
  assert.equal(dave.params.correlation, { BTC: { ETH: "-0.4" } });
  // an order's instrument is kept too
  assert.equal(ids(sandboxVenue(held, draft("dave"), indexes, indexes, ["Z1-PERP"]).underlyings), ["BTC", "ETH", "Z1"]);
  const erin = sandboxVenue(held, draft("erin"), indexes, indexes);
  assert.equal(ids(erin.underlyings), ["Z1", "Z3"]);
  assert.equal(ids(erin.assets), ["USD", "ZC"]);
  // an empty row stays: the buckets still combine under correlation
  assert.equal(erin.params.correlation, { Z1: { Z3: "0.5" } });
  assert.equal(sandboxVenue({ ...held, params: { correlation: {} } }, draft("erin"), indexes, indexes).params.correlation, {});
  assert.equal(sandboxVenue({ ...held, params: {} }, draft("erin"), indexes, indexes).params, {});
});

test("each account margins in its what-if venue as among the whole venue, at the venue's prices and at a moved one", async () => {
  const venue = manyUnderlyings();
  const { engine, held, indexes, draft } = await loaded(venue);
  for (const id of ["dave", "erin", "alice", "bob", "carol"]) {
    const alone = await MarginEngine.fromVenue(sandboxVenue(held, draft(id), indexes, indexes));
    assert.equal(figures(alone.account(id)), figures(engine.account(id)), id);
  }
  // BTC 5 % down: sources, spot and linear marks moved as the page moves them
  const price = formatDecimal((engine.underlyingIndex("BTC") * 95n) / 100n, 8);
  const moved = structuredClone(venue);
  moved.underlyings[0] = { ...moved.underlyings[0], spot: price, sources: moved.underlyings[0].sources.map((s) => ({ ...s, price })) };
  for (const row of moved.instruments) if (row.underlying === "BTC" && row.kind !== "option") row.mark = formatDecimal((parseDecimal(row.mark, 8) * parseDecimal(price, 8)) / engine.underlyingIndex("BTC"), 8);
  const whole = await MarginEngine.fromVenue(moved);
  const alone = await MarginEngine.fromVenue(sandboxVenue(held, draft("dave"), { ...indexes, BTC: price }, indexes));
  assert.equal(figures(alone.account("dave")), figures(whole.account("dave")));
  assert.ok(alone.account("dave").equity !== engine.account("dave").equity, "the move changed dave's figures");
});

test("a refusal in the what-if venue names the loaded venue's rows by id", () => {
  const sandbox = { accounts: [{ id: "dave" }], instruments: [{ id: "FAR-PERP" }], underlyings: [{ id: "ETH" }], assets: [{ id: "USD" }, { id: "ZC" }] };
  assert.is(venueField(sandbox, "accounts[0].positions[1].qty"), "accounts.dave.positions[1].qty");
  assert.is(venueField(sandbox, "instruments[0].mark"), "instruments.FAR-PERP.mark");
  assert.is(venueField(sandbox, "underlyings[0].spot"), "underlyings.ETH.spot");
  assert.is(venueField(sandbox, "assets[1].price"), "assets.ZC.price");
  assert.is(venueField(sandbox, "params.correlation.BTC.ETH"), "params.correlation.BTC.ETH");
});

test.run();
