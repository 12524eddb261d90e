// Governance what-if (docs/methodology.md §14): the venue as it is against the same venue under
// proposed parameters — the status transitions, the change of the venue totals, and the accounts
// the proposal pushes into restricted, liquidatable or bankrupt, largest rise in MM first. The
// proposed venue is a separate engine restored from this one's snapshot with the parameters
// changed, so the engine asked is never touched.
import { formatDecimal, MONEY_SCALE } from "../core/decimal.js";
import { asObject } from "../core/json.js";
import { STATUS_NAMES, STATUS_RESTRICTED } from "../core/constants.generated.js";
import { copyParams, givenParams, parseParams } from "../venue/params.js";
import { decodeSnapshot, encodeSnapshot } from "../venue/snapshot.js";
import type { EngineParts } from "./parts.js";
import type { AccountStatus, RawAccountRisk, WhatIfAccount, WhatIfReport } from "./types.js";

/**
 * The snapshot of the same venue under `proposal`: its keys replace the venue's parameter
 * overrides, a key set to null goes back to its default. Validated as venue `params` are.
 */
export function proposedSnapshot(bytes: Uint8Array, proposal: unknown): Uint8Array {
  const changes = asObject(proposal, "params");
  const { header, sections } = decodeSnapshot(bytes);
  const params: Record<string, unknown> = { ...header.params };
  for (const [key, value] of Object.entries(changes)) {
    if (value === null) delete params[key];
    // defined, not assigned: an own "__proto__" key must reach parseParams (and be refused there)
    else Object.defineProperty(params, key, { value, enumerable: true, writable: true, configurable: true });
  }
  // the copy judged is the one written: the proposal's objects are not read again
  const judged = givenParams(params);
  parseParams(judged);
  // the scan states are carried into the proposed parameters when the snapshot is read (readSnapshot)
  return encodeSnapshot({ ...header, params: judged }, sections);
}

/** Whether two snapshots are the same bytes (the engine unchanged between them). */
export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let k = 0; k < a.length; k++) if (a[k] !== b[k]) return false;
  return true;
}

/** The comparison of a venue (`current`) with itself under other parameters (`proposed`). */
export function compareVenues(current: EngineParts, proposed: EngineParts, top: number): WhatIfReport {
  const before = current.results.columns(), after = proposed.results.columns();
  const totalsBefore = current.results.totals(), totalsAfter = proposed.results.totals();
  const n = before.status.length;
  const pairs = new Int32Array(STATUS_NAMES.length * STATUS_NAMES.length);
  const worse: number[] = [];
  for (let a = 0; a < n; a++) {
    const from = before.status[a], to = after.status[a];
    if (from === to) continue;
    pairs[from * STATUS_NAMES.length + to]++;
    if (to > from && to >= STATUS_RESTRICTED) worse.push(a);
  }
  const rise = (a: number) => after.maintenanceMargin[a] - before.maintenanceMargin[a];
  worse.sort((x, y) => (rise(x) !== rise(y) ? (rise(x) > rise(y) ? -1 : 1) : x - y));
  const money = (x: bigint) => formatDecimal(x, MONEY_SCALE);
  const side = (risk: RawAccountRisk) => ({
    status: risk.status, equity: money(risk.equity), initialMargin: money(risk.initialMargin), maintenanceMargin: money(risk.maintenanceMargin),
  });
  const accounts: WhatIfAccount[] = worse.slice(0, top).map((a) => ({
    id: current.book.accountId(a),
    before: side(current.results.evaluate(a)),
    after: side(proposed.results.evaluate(a)),
    maintenanceMarginChange: money(rise(a)),
  }));
  const transitions: WhatIfReport["transitions"] = [];
  STATUS_NAMES.forEach((from, i) => STATUS_NAMES.forEach((to, j) => {
    const count = pairs[i * STATUS_NAMES.length + j];
    if (count > 0) transitions.push({ from: from as AccountStatus, to: to as AccountStatus, count });
  }));
  return {
    params: { before: copyParams(current.catalog.settings.paramOverrides), after: copyParams(proposed.catalog.settings.paramOverrides) },
    accountCount: n,
    transitions,
    statusCounts: { before: before.statusCounts, after: after.statusCounts },
    delta: {
      equity: money(totalsAfter.equity - totalsBefore.equity),
      initialMargin: money(totalsAfter.initialMargin - totalsBefore.initialMargin),
      maintenanceMargin: money(totalsAfter.maintenanceMargin - totalsBefore.maintenanceMargin),
    },
    totals: {
      before: { equity: money(totalsBefore.equity), initialMargin: money(totalsBefore.initialMargin), maintenanceMargin: money(totalsBefore.maintenanceMargin) },
      after: { equity: money(totalsAfter.equity), initialMargin: money(totalsAfter.initialMargin), maintenanceMargin: money(totalsAfter.maintenanceMargin) },
    },
    worsened: worse.length,
    accounts,
  };
}
