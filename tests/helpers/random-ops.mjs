// Seeded random API operations on a small venue, good and bad: prices with and without sources,
// at old, current and far-future times; positions, balances, accounts and reference rows; bulk
// loads; liquidation passes; order checks; expiry settlement; reads. The generator keeps its own
// list of ids (it never asks an engine), so the same seed gives the same operations for any
// number of engines.
import { xoroshiro128plus } from "pure-rand/generator/xoroshiro128plus";
import { uniformInt } from "pure-rand/distribution/uniformInt";
import { readFileSync } from "node:fs";

const NOW = Date.parse("2026-11-24T00:00:00Z");
const MINUTE = 60_000, DAY = 86_400_000;

/** The example venue with dynamic margin on, a spot-only underlying, its perp, and more assets and accounts. */
export function opsVenue() {
  const v = JSON.parse(readFileSync(new URL("../../examples/venue.json", import.meta.url), "utf8"));
  v.params = { dynamicMargin: true };
  v.underlyings.push({ id: "ETH", spot: "3500", vol: "0.7", rate: "0.01" });
  v.assets.push({ id: "ETH", price: "3500", haircut: "0.1", underlying: "ETH" }, { id: "EUR", price: "1.08", haircut: "0.02" });
  v.instruments.push(
    { id: "ETH-PERP", kind: "perp", underlying: "ETH", lotSize: "0.01", mark: "3501", tiers: [{ upTo: "500000", imf: "0.05", mmf: "0.025" }] },
    { id: "ETH-1D-3500-P", kind: "option", underlying: "ETH", right: "put", strike: "3500", expiry: "2026-11-25T00:00:00Z", lotSize: "0.1", mark: "60" },
  );
  v.accounts.push(
    { id: "dave", mode: "portfolio", collateral: { USD: "3000", ETH: "1" }, positions: [{ instrument: "ETH-PERP", qty: "-2", entry: "3400" }] },
    { id: "erin", collateral: { EUR: "800" }, positions: [{ instrument: "ETH-1D-3500-P", qty: "-1", entry: "70" }] },
  );
  return v;
}

const SIZES = { "BTC-PERP": 100_000n, "BTC-20261225-70000-C": 10_000_000n, "BTC-20261225": 100_000n, "ETH-PERP": 1_000_000n, "ETH-1D-3500-P": 10_000_000n };

const text = (raw) => {
  const negative = raw < 0n, digits = (negative ? -raw : raw).toString().padStart(9, "0");
  const fraction = digits.slice(-8).replace(/0+$/, "");
  return (negative ? "-" : "") + digits.slice(0, -8) + (fraction ? "." + fraction : "");
};

export function randomOps(seed) {
  const rng = xoroshiro128plus(seed);
  const int = (lo, hi) => uniformInt(rng, lo, hi);
  const pick = (list) => list[int(0, list.length - 1)];
  const chance = (p) => int(0, 9999) < p * 10_000;
  const accounts = ["alice", "bob", "carol", "dave", "erin"];
  const instruments = Object.keys(SIZES);
  const sizes = { ...SIZES };
  const assets = ["USD", "BTC", "ETH", "EUR"];
  const spot = { BTC: 65_000, ETH: 3500 };
  let time = NOW, made = 0;

  const odd = () => pick([null, undefined, "", "x", "NaN", "1e3", "-0", "0", 1, {}, [], "__proto__", "10000000000.00000001", "0.000000001"]);
  const price = (u) => {
    spot[u] = Math.max(1, spot[u] * (1 + (int(-300, 300) / 10_000)));
    return spot[u].toFixed(u === "BTC" ? 1 : 2);
  };
  const stamp = () => {
    const roll = int(0, 99);
    if (roll < 70) return (time += int(0, 20) * 1000);
    if (roll < 80) return time - int(1, 5) * MINUTE;
    if (roll < 85) return time + 2 * DAY;
    if (roll < 88) return pick([NaN, 8.64e15 + 1, -1, 1.5, "1", null]);
    return (time += int(1, 90) * MINUTE);
  };
  const qty = (instrument) => (chance(0.05) ? odd() : text(BigInt(int(-300, 300)) * (sizes[instrument] ?? 100_000n)));
  const account = () => (chance(0.04) ? pick(["nobody", "", null, "__proto__"]) : pick(accounts));
  const instrument = () => (chance(0.04) ? pick(["NOPE", null, "BTC"]) : pick(instruments));

  const generators = [
    [14, () => ["setPrice", "BTC", chance(0.05) ? odd() : price("BTC"), stamp(), chance(0.9) ? pick(["feedA", "feedB"]) : pick([undefined, null, "feedZ"])]],
    [6, () => ["setPrice", "ETH", chance(0.05) ? odd() : price("ETH"), stamp(), chance(0.9) ? undefined : "feedA"]],
    [4, () => ["setPrice", pick(["BTC-PERP", "ETH-PERP", "BTC-20261225", "ETH-1D-3500-P", "EUR", "USD", "ETH"]), chance(0.1) ? odd() : String(int(1, 70_000)), stamp()]],
    [3, () => ["checkPrice", pick(["BTC", "ETH", "BTC-PERP"]), price("BTC"), stamp(), pick([undefined, "feedA"])]],
    [14, () => { const i = instrument(); return ["setPosition", account(), i, qty(i), chance(0.05) ? odd() : String(int(1, 70_000))]; }],
    [8, () => ["setCollateral", account(), chance(0.05) ? "DOGE" : pick(assets), chance(0.05) ? odd() : text(BigInt(int(-2000, 20_000)) * 1_000_000n)]],
    [5, () => {
      const id = chance(0.7) ? `acc${made++}` : account();
      if (typeof id === "string" && id.startsWith("acc") && !accounts.includes(id)) accounts.push(id);
      const row = { id };
      if (chance(0.5)) row.mode = pick(["standard", "portfolio", "other"]);
      if (chance(0.3)) row.parent = pick([null, ...accounts.slice(0, 3), "nobody"]);
      return ["upsertAccount", chance(0.03) ? odd() : row];
    }],
    [2, () => ["upsertUnderlying", { id: "ETH", spot: price("ETH"), vol: pick(["0.5", "0.9", "-1", "0"]) }]],
    [2, () => ["upsertAsset", { id: "EUR", price: pick(["1.1", "1.05", "0"]), haircut: pick(["0.02", "0.5", "1"]) }]],
    [3, () => {
      const id = `OPT-${int(0, 5)}`;
      if (!instruments.includes(id)) { instruments.push(id); sizes[id] = 10_000_000n; }
      const expiry = new Date(time + int(-10, 240) * MINUTE).toISOString();
      return ["upsertInstrument", { id, kind: "option", underlying: pick(["BTC", "ETH"]), right: pick(["call", "put"]), strike: String(int(1000, 80_000)), expiry, lotSize: "0.1", mark: String(int(1, 5000)) }];
    }],
    [1, () => {
      const n = int(0, 6), ids = Array.from({ length: n }, (_, k) => `bulk${made}-${k}`);
      made++;
      if (chance(0.9)) { accounts.splice(0, accounts.length, ...ids); }
      return ["loadColumns", chance(0.1) ? odd() : {
        count: n, ids, mode: Uint8Array.from(ids, () => int(0, 1)), parent: new Int32Array(n).fill(-1),
        positionOffsets: Uint32Array.from({ length: n + 1 }, (_, k) => k), positionInstrument: Uint16Array.from(ids, () => int(0, 4)),
        positionLots: Int32Array.from(ids, () => int(1, 50) * pick([1, -1])), positionEntry: BigInt64Array.from(ids, () => BigInt(int(1, 7000)) * 100_000_000n),
        collateralOffsets: Uint32Array.from({ length: n + 1 }, (_, k) => k), collateralAsset: new Uint8Array(n),
        collateralAmount: BigInt64Array.from(ids, () => BigInt(int(-100, 5000)) * 100_000_000n),
      }];
    }],
    [4, () => ["liquidate", pick([undefined, null, { limit: int(0, 3) }, { limit: -1 }, { limit: null }])]],
    [3, () => ["liquidationQueue", pick([undefined, null, { limit: 2 }])]],
    [6, () => { const i = instrument(); return ["checkOrder", { account: account(), instrument: i, qty: qty(i), price: String(int(1, 70_000)) }]; }],
    [2, () => ["checkOrderRaw", int(0, 6), int(0, 5), int(-500, 500), BigInt(int(1, 70_000)) * 100_000_000n]],
    [2, () => ["settleExpired", chance(0.8) ? (time += int(0, 120) * MINUTE) : pick([NaN, null, time - DAY])]],
    [6, () => [pick(["accountRaw", "account", "scenarios", "accountBuckets"]), account()]],
    [4, () => [pick(["totals", "runningTotals", "riskColumns", "queueOrder", "staleUnderlyings", "fund", "clock"])]],
    [2, () => [pick(["riskArray", "lotGreeks", "optionModelValue", "scanRange", "underlyingIndex"]), pick([...instruments, "BTC", "ETH"])]],
  ];
  const total = generators.reduce((n, [w]) => n + w, 0);
  return () => {
    let roll = int(0, total - 1);
    for (const [weight, make] of generators) {
      if (roll < weight) return make();
      roll -= weight;
    }
    throw new Error("unreachable");
  };
}

/** What an operation did, comparable across engines: its result, or its MarginError (anything else is rethrown). */
export function outcome(engine, [method, ...args]) {
  try {
    const result = engine[method](...args);
    return `ok: ${JSON.stringify(result, (_, v) => (typeof v === "bigint" ? `${v}n` : ArrayBuffer.isView(v) ? Array.from(v, String) : v))}`;
  } catch (error) {
    if (error?.name !== "MarginError") throw error;
    return `error: ${error.message}`;
  }
}
