// One shard of a ShardedEngine: its own module instance holding a share of the accounts,
// answering the main thread's requests in order. Errors travel back as their code and field.
import { parentPort } from "node:worker_threads";
import { MarginEngine } from "../engine.js";
import { MarginError } from "../core/errors.js";
import type { ShardRequest } from "./sharded-engine.js";

let engine: MarginEngine;
/** Local account index → the venue-wide index (ascending, so local order is global order). */
let globalIndex: Int32Array = new Int32Array(0);

async function handle(request: ShardRequest): Promise<{ result: unknown; transfer: ArrayBuffer[] }> {
  switch (request.op) {
    case "load":
      engine = await MarginEngine.fromVenue({ ...request.venue, accounts: [] }, { simd: request.simd });
      engine.loadColumns(request.columns);
      globalIndex = request.globalIndex;
      return { result: engine.stats(), transfer: [] };
    case "checkPrice":
      engine.checkPrice(request.id, request.price, request.time, request.source);
      return { result: null, transfer: [] };
    case "setPrice":
      engine.setPrice(request.id, request.price, request.time, request.source);
      return { result: null, transfer: [] };
    case "recompute":
      engine.recompute();
      return { result: engine.runningTotals(), transfer: [] };
    case "totals":
      return { result: engine.runningTotals(), transfer: [] };
    case "riskColumns": {
      const columns = engine.riskColumns();
      return { result: columns, transfer: [columns.equity.buffer, columns.maintenanceMargin.buffer, columns.status.buffer] as ArrayBuffer[] };
    }
    case "queue": {
      const queue = engine.queueOrder();
      for (let k = 0; k < queue.accounts.length; k++) queue.accounts[k] = globalIndex[queue.accounts[k]];
      return { result: queue, transfer: [queue.accounts.buffer, queue.equity.buffer, queue.maintenanceMargin.buffer] as ArrayBuffer[] };
    }
  }
}

parentPort!.on("message", async (request: ShardRequest) => {
  try {
    const { result, transfer } = await handle(request);
    parentPort!.postMessage({ ok: true, result }, transfer);
  } catch (error) {
    const e = error as Error;
    parentPort!.postMessage(e instanceof MarginError
      ? { ok: false, code: e.code, field: e.field, detail: e.detail }
      : { ok: false, message: e.stack ?? String(e) });
  }
});
