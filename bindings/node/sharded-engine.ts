// A venue sharded by account over worker threads (Node): each worker holds its own module
// instance and a share of the accounts (whole families); prices are broadcast, totals add up exactly and
// the liquidation queues merge into the single-engine order. Node's own worker_threads suffice:
// shards keep state between requests, which task-pool libraries do not model.
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { checkAccountColumns, type AccountColumns } from "../venue/account-columns.js";
import { MarginEngine, type AccountStatus } from "../engine.js";
import { MarginError, type MarginErrorCode } from "../core/errors.js";
import { optionsOf } from "../core/json.js";
import { formatTime } from "../core/time.js";
import { checkVenueMembers, parseVenueFile, splitVenueText, withoutByteOrderMark } from "../venue/file.js";
import { JsonCursor } from "../venue/json-cursor.js";
import { priceArguments } from "../venue/price-arguments.js";
import { mergeQueues, type QueueEntry, type ShardQueue } from "./queue-merge.js";
import { loadRefusal, priceRefusal, referenceOrder, type ReferenceOrder } from "./shard-errors.js";
import { assignShards, gatherColumns } from "./shard-plan.js";

export type ShardRequest =
  | { op: "load"; venue: Record<string, unknown>; columns: AccountColumns; globalIndex: Int32Array; simd?: boolean | null }
  | { op: "checkPrice" | "setPrice"; id: string; price: string; time: number; source?: string }
  | { op: "recompute" | "totals" | "riskColumns" | "queue" };

type Reply = { ok: true; result: unknown } | { ok: false; code?: MarginErrorCode; field?: string; detail?: string; message?: string };

export interface ShardedTotals { equity: bigint; maintenanceMargin: bigint; statusCounts: Record<AccountStatus, number> }

/** One worker: requests answered in the order sent. */
class Shard {
  private readonly worker: Worker;
  private readonly waiting: ((reply: Reply) => void)[] = [];
  private closed = false;
  constructor(readonly globalIndex: Int32Array) {
    // a worker inherits the process's options, and --input-type (a `node -e` script's) stops a file from starting
    this.worker = new Worker(new URL("./shard-worker.js", import.meta.url), { execArgv: process.execArgv.filter((arg) => !arg.startsWith("--input-type")) });
    this.worker.on("message", (reply: Reply) => this.waiting.shift()!(reply));
    this.worker.on("error", (error) => {
      for (const resolve of this.waiting.splice(0)) resolve({ ok: false, message: String(error) });
    });
    // stopped by close() or gone on its own: nothing it owes an answer will get one, and nothing more is sent
    this.worker.on("exit", () => {
      this.closed = true;
      for (const resolve of this.waiting.splice(0)) resolve({ ok: false, code: "MALFORMED", field: "engine", detail: "the sharded engine closed before answering" });
    });
  }

  request<T>(request: ShardRequest): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      if (this.closed) {
        reject(new MarginError("MALFORMED", "engine", "the sharded engine is closed"));
        return;
      }
      // sent first: a request that cannot be sent must not leave a reply slot behind
      try {
        this.worker.postMessage(request);
      } catch (error) {
        reject(new MarginError("MALFORMED", request.op === "load" ? "venue" : request.op, `cannot be passed to a worker thread: ${(error as Error).message}`));
        return;
      }
      this.waiting.push((reply) => {
        if (reply.ok) resolve(reply.result as T);
        else if (reply.code !== undefined) reject(new MarginError(reply.code, reply.field!, reply.detail!));
        else reject(new Error(reply.message));
      });
    });
  }

  close(): Promise<number> {
    this.closed = true;
    return this.worker.terminate();
  }
}

/** Workers one engine may start: each holds a module instance of its own. */
export const MAX_SHARDS = 64;

export interface ShardOptions {
  /** Worker count, 1 … 64; default: the cores Node reports, at most 64. */
  shards?: number | null;
  /** As MarginEngine's runtime option: false forces the scalar build; null or absent, SIMD where the host has it. */
  simd?: boolean | null;
}

export class ShardedEngine {
  /** The last call's work: each call starts once it has settled, so calls made without awaiting apply in order, whole. */
  private pending: Promise<unknown> = Promise.resolve();

  private constructor(private readonly shards: Shard[], readonly accountCount: number, private readonly now: string, private readonly reference: ReferenceOrder) {}

  /**
   * Runs `work` after every call made before it has settled. A price is checked on every shard and
   * then applied; a second call interleaved between the two would be checked against a state the
   * first then changes, and could pass on some shards and fail on others.
   */
  private inTurn<T>(work: () => Promise<T>): Promise<T> {
    const turn = this.pending.then(work, work);
    this.pending = turn.catch(() => undefined);
    return turn;
  }

  /**
   * Starts the workers and loads each with its share of `columns` (whole families of
   * sub-accounts stay together). `venue` is a venue file without accounts, or whose accounts are ignored.
   */
  static async create(venue: object | string, columns: AccountColumns, options?: ShardOptions | null): Promise<ShardedEngine> {
    venue = withoutByteOrderMark(venue);
    const given = optionsOf(options, "options", ["shards", "simd"]) as ShardOptions;
    const count = given.shards ?? Math.min(availableParallelism(), MAX_SHARDS);
    if (!Number.isInteger(count) || count < 1 || count > MAX_SHARDS) throw new MarginError("OUT_OF_RANGE", "options.shards", `must be an integer in [1, ${MAX_SHARDS}]`);
    if (given.simd !== undefined && given.simd !== null && typeof given.simd !== "boolean") throw new MarginError("MALFORMED", "options.simd", "expected true or false");
    // a venue text's accounts are ignored: skipped unread (venue/file.ts) where the strict cursor reads them as JSON, else the
    // text is parsed whole, so text that is not JSON is refused as fromVenue refuses it
    const split = typeof venue === "string" ? splitVenueText(venue) : null;
    const skipped = split !== null && JsonCursor.isValue(venue as string, split.accountsStart, split.accountsEnd);
    if (skipped) checkVenueMembers(split.file);
    const file = skipped ? split.file : parseVenueFile(venue).file;
    // one valuation time for every shard: left to each worker, each would take its own clock's (null is passed on, refused as fromVenue refuses it)
    const reference = { ...file, now: file.now === undefined ? formatTime(Date.now()) : file.now, accounts: [] };
    // the whole batch's layout, ids and families are judged here, as one engine would judge them, and each
    // shard's share copied out, all before the first await: columns the caller changes once the call has
    // returned its promise change nothing; the batch's refusal waits for the venue's, which one engine names first
    let batch: { checked: AccountColumns; plan: { members: Int32Array; columns: AccountColumns }[] } | null = null, batchError: unknown = null;
    try {
      const checked = checkAccountColumns(columns);
      batch = { checked, plan: assignShards(checked.parent, checked.count, count).map((members) => ({ members, columns: gatherColumns(checked, members) })) };
    } catch (error) {
      batchError = error;
    }
    // the venue is judged here first, as one engine judges it before any columns: its refusal comes before a bad
    // batch's, and a member no worker could receive (a function) is named at its own field, not at venue;
    // the shards load what it judged, written out by that engine, so nothing of the caller's is read again
    const judged = (await MarginEngine.fromVenue(reference)).toVenue();
    if (batch === null) throw batchError;
    const { checked, plan } = batch;
    const shards = plan.map(({ members }) => new Shard(members));
    const engine = new ShardedEngine(shards, checked.count, reference.now as string, referenceOrder(judged));
    // every shard's outcome, so the error named is the one engine's, not the first to arrive
    const outcomes = await Promise.allSettled(shards.map((s, k) => s.request({
      op: "load", venue: judged, columns: plan[k].columns, globalIndex: s.globalIndex, simd: given.simd,
    })));
    const refusal = loadRefusal(outcomes, checked, plan);
    if (refusal !== null) {
      await engine.close();
      throw refusal.error;
    }
    return engine;
  }

  /** What JSON.stringify writes of a sharded engine: a summary, never its workers. */
  toJSON(): { engine: "margin-core/sharded"; shards: number; accounts: number; now: string } {
    return { engine: "margin-core/sharded", shards: this.shards.length, accounts: this.accountCount, now: this.now };
  }

  get shardCount(): number {
    return this.shards.length;
  }

  /** Full recompute on every shard at once; exact venue totals. */
  async recompute(): Promise<ShardedTotals> {
    return this.inTurn(async () => sumTotals(await Promise.all(this.shards.map((s) => s.request<ShardedTotals>({ op: "recompute" })))));
  }

  async totals(): Promise<ShardedTotals> {
    return this.inTurn(async () => sumTotals(await Promise.all(this.shards.map((s) => s.request<ShardedTotals>({ op: "totals" })))));
  }

  /** A price for every shard: checked on all of them first, so a rejection changes no shard. */
  async setPrice(id: string, price: string, timestampMs: number, source?: string | null): Promise<void> {
    // judged here as one engine judges them, so only strings and numbers travel to the workers
    const { id: key, time, source: feed } = priceArguments(id, price, timestampMs, source);
    const update = { id: key, price, time, source: feed };
    await this.inTurn(async () => {
      const refusal = priceRefusal(await Promise.allSettled(this.shards.map((s) => s.request({ op: "checkPrice", ...update }))), this.reference);
      if (refusal !== null) throw refusal.error;
      await Promise.all(this.shards.map((s) => s.request({ op: "setPrice", ...update })));
    });
  }

  /** The venue's liquidation queue: every shard's queue, merged exactly (global account indexes). */
  async queueOrder(limit?: number | null): Promise<QueueEntry[]> {
    // however large, as one engine's paging limits take it
    if (limit !== undefined && limit !== null && limit !== Infinity && !(Number.isInteger(limit) && limit >= 0)) throw new MarginError("OUT_OF_RANGE", "limit", "must be a non-negative integer");
    return this.inTurn(async () => mergeQueues(await Promise.all(this.shards.map((s) => s.request<ShardQueue>({ op: "queue" }))), limit ?? Infinity));
  }

  /** Equity, MM and status of every account in global order (raw money). */
  async riskColumns(): Promise<{ equity: BigInt64Array; maintenanceMargin: BigInt64Array; status: Uint8Array }> {
    type Part = { equity: BigInt64Array; maintenanceMargin: BigInt64Array; status: Uint8Array };
    const parts = await this.inTurn(() => Promise.all(this.shards.map((s) => s.request<Part>({ op: "riskColumns" }))));
    const out = { equity: new BigInt64Array(this.accountCount), maintenanceMargin: new BigInt64Array(this.accountCount), status: new Uint8Array(this.accountCount) };
    parts.forEach((part, k) => {
      this.shards[k].globalIndex.forEach((a, local) => {
        out.equity[a] = part.equity[local];
        out.maintenanceMargin[a] = part.maintenanceMargin[local];
        out.status[a] = part.status[local];
      });
    });
    return out;
  }

  async close(): Promise<void> {
    await Promise.all(this.shards.map((s) => s.close()));
  }
}

function sumTotals(parts: ShardedTotals[]): ShardedTotals {
  const statusCounts = { ...parts[0].statusCounts };
  for (const part of parts.slice(1)) {
    for (const key of Object.keys(statusCounts) as AccountStatus[]) statusCounts[key] += part.statusCounts[key];
  }
  return {
    equity: parts.reduce((sum, p) => sum + p.equity, 0n),
    maintenanceMargin: parts.reduce((sum, p) => sum + p.maintenanceMargin, 0n),
    statusCounts,
  };
}
export { assignShards } from "./shard-plan.js";
