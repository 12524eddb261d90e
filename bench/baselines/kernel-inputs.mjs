// Inputs shared by the baselines (native C, JS f64, BigInt twin), taken from the generated columns
// and the engine's public API only: the same accounts, the same scenario grid and the engine's own
// risk arrays (its single f64 step, docs/methodology.md §5). The per-lot constants are worked out
// here from the venue rows with exact bigints, split as docs/methodology.md and the engine split
// them (money part and sub-µ rests), so each baseline runs the engine's algorithm on its own tables.
import { writeFileSync } from "node:fs";
import { formatDecimal, parseDecimal } from "../../build/index.js";
import { guardedMark } from "../../tests/reference/standard-margin.mjs";

const F = 10n ** 9n;
const P = 10n ** 8n;
const TO_MONEY = 10n ** 10n;            // quantity (1e8) × price (1e8) → money (1e6)
const TO_MONEY_FRACTION = 10n ** 19n;   // quantity × price × fraction → money
const DEFAULTS = {
  maxMarkDeviation: "0.05", shortOptionMin: "0.01", optIm: "0.15", optImMin: "0.10", optMm: "0.075", imMultiplier: "1.25",
};
const KINDS = { perp: 0, future: 1 };

/** x = money·d + rest with 0 ≤ rest < d, for x ≥ 0. */
const split = (x, d) => [x / d, x % d];
/** A per-unit requirement u (scale 1e17) per lot: money·1e19 + restHigh·1e9 + restLow. */
function splitRequirement(lotSize, unit) {
  const [money, rest] = split(lotSize * unit, TO_MONEY_FRACTION);
  return [money, rest / F, rest % F];
}
const max = (a, b) => (a > b ? a : b);

/**
 * Flat tables for the kernels, from an engine holding `columns` (evaluated: its risk arrays are
 * current). Exact tables are BigInt64Arrays; the risk arrays also come as f64 (exact integers).
 */
export function kernelInputs(engine, venue, columns) {
  const params = venue.params ?? {};
  if (params.correlation) throw new Error("the baselines add bucket losses up; a venue with params.correlation is not supported");
  if (params.dynamicMargin) throw new Error("the baselines use one grid for every underlying; a venue with params.dynamicMargin is not supported");
  const fraction = (key) => parseDecimal(String(params[key] ?? DEFAULTS[key]), 9, `params.${key}`);
  const dev = fraction("maxMarkDeviation"), shortOptionMin = fraction("shortOptionMin");
  const optIm = fraction("optIm"), optImMin = fraction("optImMin"), optMm = fraction("optMm"), imMultiplier = fraction("imMultiplier");
  const shockCollateral = params.shockCollateral ?? true;
  const underlyingIds = venue.underlyings.map((u) => u.id);
  const underlyingOf = new Map(underlyingIds.map((id, k) => [id, k]));
  const index = underlyingIds.map((id) => engine.underlyingIndex(id));
  const grid = engine.scenarioGrid();
  const S = grid.length, U = underlyingIds.length;

  const moves = new BigInt64Array(U * S), paired = new Uint8Array(U);
  underlyingIds.forEach((id, u) => {
    const rows = engine.scenarioGrid(id);
    rows.forEach((s, k) => { moves[u * S + k] = s.move; });
    paired[u] = pairedLayout(rows) ? 1 : 0;
  });

  const I = venue.instruments.length;
  const table = (n = I) => new BigInt64Array(n);
  const inst = {
    kind: new Uint8Array(I), underlying: new Int32Array(I), lotSize: table(), markUsed: table(), money: table(), rest: table(),
    minMoney: table(), minHigh: table(), minLow: table(), imMoney: table(), imHigh: table(), imLow: table(),
    mmMoney: table(), mmHigh: table(), mmLow: table(), capMoney: table(), capRest: table(),
    tierStart: new Int32Array(I), tierCount: new Int32Array(I), risk: table(I * S), riskF64: new Float64Array(I * S),
    riskBound: new Float64Array(I),
  };
  const tiers = { upTo: [], imf: [], mmf: [] };
  const riskArrays = new Map();
  for (const row of venue.instruments) {
    const i = engine.instrumentIndex(row.id);
    const u = underlyingOf.get(row.underlying), S0 = index[u];
    const lotSize = parseDecimal(row.lotSize, 8, "lotSize");
    const option = row.kind === "option";
    const markUsed = guardedMark(row, S0, dev, option ? engine.optionModelValue(row.id) : 0n);
    inst.kind[i] = option ? (row.right === "call" ? 2 : 3) : KINDS[row.kind];
    inst.underlying[i] = u;
    inst.lotSize[i] = lotSize;
    inst.markUsed[i] = markUsed;
    [inst.money[i], inst.rest[i]] = split(lotSize * markUsed, TO_MONEY);
    inst.tierStart[i] = tiers.upTo.length;
    inst.tierCount[i] = (row.tiers ?? []).length;
    for (const t of row.tiers ?? []) {
      tiers.upTo.push(parseDecimal(t.upTo, 6, "upTo"));
      tiers.imf.push(parseDecimal(t.imf, 9, "imf"));
      tiers.mmf.push(parseDecimal(t.mmf, 9, "mmf"));
    }
    if (!option) continue;
    const strike = parseDecimal(row.strike, 8, "strike");
    const otm = max(0n, row.right === "call" ? strike - S0 : S0 - strike);
    [inst.minMoney[i], inst.minHigh[i], inst.minLow[i]] = splitRequirement(lotSize, S0 * shortOptionMin);
    [inst.imMoney[i], inst.imHigh[i], inst.imLow[i]] = splitRequirement(lotSize, max(optIm * S0 - otm * F, optImMin * S0) + markUsed * F);
    [inst.mmMoney[i], inst.mmHigh[i], inst.mmLow[i]] = splitRequirement(lotSize, optMm * S0 + markUsed * F);
    [inst.capMoney[i], inst.capRest[i]] = split(lotSize * strike, TO_MONEY);
    const risk = engine.riskArray(row.id);
    riskArrays.set(row.id, risk);
    let bound = 0;
    risk.forEach((r, s) => {
      inst.risk[i * S + s] = r;
      inst.riskF64[i * S + s] = Number(r);
      bound = Math.max(bound, Math.abs(Number(r)));
    });
    inst.riskBound[i] = bound;
  }

  // assets: priced by their underlying's index when they name one, else at their own price
  const assetRows = venue.assets ?? [];
  const A = Math.max(0, ...assetRows.map((a) => engine.assetIndex(a.id) + 1));
  const asset = {
    underlying: new Int32Array(A).fill(-1), isCash: new Uint8Array(A),
    creditHigh: table(A), creditLow: table(A), loanHigh: table(A), loanLow: table(A),
  };
  for (const row of assetRows) {
    const a = engine.assetIndex(row.id);
    const u = row.underlying === undefined ? -1 : underlyingOf.get(row.underlying);
    const price = u >= 0 ? index[u] : parseDecimal(row.price, 8, "price");
    const haircut = row.id === (venue.settlement ?? "USD") ? 0n : parseDecimal(row.haircut ?? "0", 9, "haircut");
    asset.underlying[a] = u;
    asset.isCash[a] = price === P && haircut === 0n ? 1 : 0;
    [asset.creditHigh[a], asset.creditLow[a]] = split(price * (F - haircut), F);
    [asset.loanHigh[a], asset.loanLow[a]] = split(price * (F + haircut), F);
  }

  const N = columns.count;
  const positions = columns.positionOffsets[N], collaterals = columns.collateralOffsets[N];
  const books = sortedBooks(columns, inst.underlying);
  return {
    accounts: N, positions, collaterals, instruments: I, assets: A, underlyings: U, scenarios: S, tierRows: tiers.upTo.length,
    shockCollateral, imMultiplier, moves, paired,
    cover: BigInt64Array.from(grid, (g) => g.cover),
    inst, asset,
    tiers: { upTo: BigInt64Array.from(tiers.upTo), imf: BigInt64Array.from(tiers.imf), mmf: BigInt64Array.from(tiers.mmf) },
    mode: Uint8Array.from(columns.mode),
    positionOffsets: Uint32Array.from(columns.positionOffsets),
    ...books,
    collateralOffsets: Uint32Array.from(columns.collateralOffsets),
    collateralAsset: columns.collateralAsset.subarray(0, collaterals),
    collateralAmount: columns.collateralAmount.subarray(0, collaterals),
    /** Bytes of the per-account arrays a kernel walks (mode, offsets, positions, balances), per account. */
    bytesPerAccount: N === 0 ? 0 : (9 * (N + 1) + 14 * positions + 9 * collaterals) / N,
    /** The engine's tables as the BigInt twin takes them (tests/differential-standard.test.mjs). */
    twinTables: { optionModelValue: memo((id) => engine.optionModelValue(id)), riskArray: (id) => riskArrays.get(id), grid: () => grid },
  };
}

/**
 * Each book's positions in the order the engine stores them (assembly/store/staging.ts): by
 * underlying, then instrument, so a price group is one run.
 */
function sortedBooks(columns, underlying) {
  const N = columns.count, positions = columns.positionOffsets[N];
  const positionInstrument = new Uint16Array(positions), positionLots = new Int32Array(positions), positionEntry = new BigInt64Array(positions);
  const key = (p) => underlying[columns.positionInstrument[p]] * 65536 + columns.positionInstrument[p];
  for (let a = 0; a < N; a++) {
    const start = columns.positionOffsets[a], end = columns.positionOffsets[a + 1];
    const order = Array.from({ length: end - start }, (_, k) => start + k).sort((x, y) => key(x) - key(y));
    order.forEach((p, k) => {
      positionInstrument[start + k] = columns.positionInstrument[p];
      positionLots[start + k] = columns.positionLots[p];
      positionEntry[start + k] = columns.positionEntry[p];
    });
  }
  return { positionInstrument, positionLots, positionEntry };
}

/** True when a grid has span16's paired layout (docs/methodology.md §5; assembly/risk/scenarios.ts). */
function pairedLayout(rows) {
  if (rows.length !== 16 || rows.slice(0, 14).some((s) => s.cover !== F)) return false;
  const m = rows.map((s) => s.move);
  for (let k = 0; k < 7; k++) if (m[2 * k] !== m[2 * k + 1]) return false;
  if (m[0] !== 0n) return false;
  for (const k of [1, 3, 5]) if (m[2 * k] < 0n || m[2 * k + 2] !== -m[2 * k]) return false;
  return m[14] >= 0n && m[15] === -m[14];
}

function memo(fn) {
  const cache = new Map();
  return (key) => {
    if (!cache.has(key)) cache.set(key, fn(key));
    return cache.get(key);
  };
}

const MAGIC = "MCKERN02";
const align8 = (n) => (n + 7) & ~7;

/**
 * Writes the tables and the account columns for bench/baselines/portfolio-kernel.c: the magic,
 * the header (counts and parameters, i64 each), then each array little-endian and 8-byte
 * aligned, in the order the C program reads them.
 */
export function writeKernelFile(path, inputs) {
  const { inst, asset, tiers } = inputs;
  const header = new BigInt64Array([
    inputs.accounts, inputs.positions, inputs.collaterals, inputs.instruments, inputs.assets, inputs.underlyings,
    inputs.scenarios, inputs.tierRows, inputs.shockCollateral ? 1 : 0, inputs.imMultiplier,
  ].map(BigInt));
  const sections = [
    header, inputs.moves, inputs.paired, inputs.cover,
    inst.kind, inst.underlying, inst.lotSize, inst.markUsed, inst.money, inst.rest, inst.minMoney, inst.minHigh, inst.minLow,
    inst.imMoney, inst.imHigh, inst.imLow, inst.mmMoney, inst.mmHigh, inst.mmLow, inst.capMoney, inst.capRest,
    inst.tierStart, inst.tierCount, inst.risk, inst.riskF64, inst.riskBound,
    tiers.upTo, tiers.imf, tiers.mmf,
    asset.underlying, asset.isCash, asset.creditHigh, asset.creditLow, asset.loanHigh, asset.loanLow,
    inputs.mode, inputs.positionOffsets, inputs.positionInstrument, inputs.positionLots, inputs.positionEntry,
    inputs.collateralOffsets, inputs.collateralAsset, inputs.collateralAmount,
  ];
  const size = MAGIC.length + sections.reduce((n, s) => n + align8(s.byteLength), 0);
  const out = new Uint8Array(size);
  out.set(new TextEncoder().encode(MAGIC), 0);
  let at = MAGIC.length;
  for (const s of sections) {
    out.set(new Uint8Array(s.buffer, s.byteOffset, s.byteLength), at);
    at += align8(s.byteLength);
  }
  writeFileSync(path, out);
  return size;
}

/**
 * A venue-file object holding `sample` accounts spread evenly over the columns, all in
 * portfolio mode, for the BigInt twin; `accountIndex[k]` is the column row of its k-th account.
 */
export function twinVenue(engine, venue, columns, sample) {
  const N = columns.count;
  const count = Math.min(sample, N);
  const stride = count === 0 ? 1 : N / count;
  const lotSizes = venue.instruments.map((i) => parseDecimal(i.lotSize, 8, "lotSize"));
  const assetIds = [];
  for (const row of venue.assets ?? []) assetIds[engine.assetIndex(row.id)] = row.id;
  const accountIndex = new Uint32Array(count);
  const accounts = [];
  for (let k = 0; k < count; k++) {
    const a = Math.floor(k * stride);
    accountIndex[k] = a;
    const collateral = {};
    for (let c = columns.collateralOffsets[a]; c < columns.collateralOffsets[a + 1]; c++) {
      collateral[assetIds[columns.collateralAsset[c]]] = formatDecimal(columns.collateralAmount[c], 8);
    }
    const positions = [];
    for (let p = columns.positionOffsets[a]; p < columns.positionOffsets[a + 1]; p++) {
      const i = columns.positionInstrument[p];
      positions.push({
        instrument: venue.instruments[i].id,
        qty: formatDecimal(BigInt(columns.positionLots[p]) * lotSizes[i], 8),
        entry: formatDecimal(columns.positionEntry[p], 8),
      });
    }
    accounts.push({ id: `acc-${a}`, mode: "portfolio", collateral, positions });
  }
  return { venue: { ...venue, accounts }, accountIndex };
}
