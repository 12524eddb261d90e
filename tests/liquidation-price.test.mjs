// An account's liquidation price (docs/methodology.md §12) depends on its own book and the prices
// alone: the search moves and re-prepares only what evaluating that account reads, so among
// thousands of other books holding other options on the same underlying it finds what it finds
// for the account loaded on its own.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { MarginEngine, generateVenue } from "../build/index.js";

test("each account's liquidation prices equal those of the account loaded alone, on a venue of option-heavy books", async () => {
  const { venue, columns } = generateVenue({ accounts: 3000, seed: 11 });
  const engine = await MarginEngine.fromVenue({ ...venue, accounts: [] });
  engine.loadColumns(columns);
  const file = engine.toVenue();
  const risks = engine.accounts({ liquidationPrices: true, limit: 120 });
  let prices = 0, options = 0;
  for (const [k, risk] of risks.entries()) {
    const { parent, ...row } = file.accounts[k];
    const alone = await MarginEngine.fromVenue({ ...file, accounts: [row] });
    assert.equal(risk.liquidationPrice, alone.account(row.id).liquidationPrice, row.id);
    prices += Object.values(risk.liquidationPrice).filter((p) => p !== null).length;
    if (row.positions.some((p) => file.instruments.find((i) => i.id === p.instrument).kind === "option")) options++;
  }
  assert.ok(prices > 60 && options > 30, `${prices} prices found, ${options} option books`);
});

test.run();
