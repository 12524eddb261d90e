// Inputs shared by the portfolio-margin baselines (native C, JS f64, BigInt twin), taken from
// the generated columns and the engine's public API only: the same accounts, the same scenario
// grid and the engine's own risk arrays (its single f64 step, docs/methodology.md §5), so every
// baseline margins exactly what the engine margins.
import { writeFileSync } from "node:fs";
import { formatDecimal, parseDecimal } from "../../build/index.js";
import { guardedMark } from "../../tests/reference/standard-margin.mjs";

const F = 10n ** 9n;
const TO_MONEY = 10n ** 10n;            // quantity (1e8) × price (1e8) → money (1e6)
const TO_MONEY_FRACTION = 10n ** 19n;   // quantity × price × fraction → money
const DEFAULTS = { maxMarkDeviation: "0.05", shortOptionMin: "0.01" };


/**
 * Flat tables for the kernels, from an engine holding `columns` in portfolio mode (evaluated:
 * its risk arrays are current). Exact tables are bigint columns (BigInt64Array), their f64
 * counterparts (suffix F64) feed the JS f64 kernel.
 */
export function kernelInputs(engine, venue, columns) {
  const params = venue.params ?? {};
  if (params.correlation) throw new Error("the baselines add bucket losses up; a venue with params.correlation is not supported");
  if (params.dynamicMargin) throw new Error("the baselines use one grid for every underlying; a venue with params.dynamicMargin is not supported");
  const fraction = (key) => parseDecimal(String(params[key] ?? DEFAULTS[key]), 9, `params.${key}`);
  const dev = fraction("maxMarkDeviation");
  const shortOptionMin = fraction("shortOptionMin");
  const shockCollateral = params.shockCollateral ?? true;
  const grid = engine.scenarioGrid();
  const S = grid.length;

  const underlyingIds = venue.underlyings.map((u) => u.id);
  const underlyingOf = new Map(underlyingIds.map((id, k) => [id, k]));
  const index = underlyingIds.map((id) => engine.underlyingIndex(id));

  const I = venue.instruments.length;
  const instrumentUnderlying = new Int32Array(I);
  const instrumentIsOption = new Uint8Array(I);
  // lotSize × markUsed = linearMoney · 1e10 + linearRest (linear instruments; 0 for options)
  const linearMoney = new BigInt64Array(I), linearRest = new BigInt64Array(I);
  // lotSize × S × shortOptionMin = shortMinMoney · 1e19 + shortMinRestHigh · 1e9 + shortMinRestLow (options)
  const shortMinMoney = new BigInt64Array(I), shortMinRestHigh = new BigInt64Array(I), shortMinRestLow = new BigInt64Array(I);
  const riskArray = new BigInt64Array(I * S);
  const lotValueF64 = new Float64Array(I), shortMinF64 = new Float64Array(I), riskArrayF64 = new Float64Array(I * S);
  const riskArrays = new Map();
  for (const row of venue.instruments) {
    const i = engine.instrumentIndex(row.id);
    const u = underlyingOf.get(row.underlying);
    const S0 = index[u];
    const lotSize = parseDecimal(row.lotSize, 8, "lotSize");
    instrumentUnderlying[i] = u;
    if (row.kind !== "option") {
      // the guarded linear mark (docs/methodology.md §2), by the twin's own rule
      const markUsed = guardedMark(row, S0, dev);
      const perLot = lotSize * markUsed;
      linearMoney[i] = perLot / TO_MONEY;
      linearRest[i] = perLot % TO_MONEY;
      lotValueF64[i] = Number(perLot) / 1e10;
      continue;
    }
    instrumentIsOption[i] = 1;
    const minimum = lotSize * S0 * shortOptionMin;
    shortMinMoney[i] = minimum / TO_MONEY_FRACTION;
    const rest = minimum % TO_MONEY_FRACTION;
    shortMinRestHigh[i] = rest / F;
    shortMinRestLow[i] = rest % F;
    shortMinF64[i] = Number(minimum) / 1e19;
    const risk = engine.riskArray(row.id);
    riskArrays.set(row.id, risk);
    for (let s = 0; s < S; s++) {
      riskArray[i * S + s] = risk[s];
      riskArrayF64[i * S + s] = Number(risk[s]);
    }
  }

  // Assets: those priced by an underlying are shocked with it (when shockCollateral is on).
  const assetRows = venue.assets ?? [];
  const A = Math.max(0, ...assetRows.map((a) => engine.assetIndex(a.id) + 1));
  const assetUnderlying = new Int32Array(A).fill(-1);
  const assetPrice = new BigInt64Array(A), assetHaircut = new BigInt64Array(A);
  const creditF64 = new Float64Array(A), loanF64 = new Float64Array(A);
  for (const row of assetRows) {
    const a = engine.assetIndex(row.id);
    const u = row.underlying === undefined ? -1 : underlyingOf.get(row.underlying);
    const price = u >= 0 ? index[u] : parseDecimal(row.price, 8, "price");
    const haircut = row.id === (venue.settlement ?? "USD") ? 0n : parseDecimal(row.haircut ?? "0", 9, "haircut");
    assetUnderlying[a] = shockCollateral ? u : -1;
    assetPrice[a] = price;
    assetHaircut[a] = haircut;
    creditF64[a] = Number(price * (F - haircut)) / 1e19;
    loanF64[a] = Number(price * (F + haircut)) / 1e19;
  }

  const N = columns.count;
  const positions = columns.positionOffsets[N], collaterals = columns.collateralOffsets[N];
  return {
    accounts: N, positions, collaterals, instruments: I, assets: A, underlyings: underlyingIds.length, scenarios: S,
    move: BigInt64Array.from(grid, (g) => g.move),
    cover: BigInt64Array.from(grid, (g) => g.cover),
    moveF64: Float64Array.from(grid, (g) => Number(g.move) / 1e9),
    coverF64: Float64Array.from(grid, (g) => Number(g.cover) / 1e9),
    instrumentUnderlying, instrumentIsOption, linearMoney, linearRest, shortMinMoney, shortMinRestHigh, shortMinRestLow, riskArray,
    lotValueF64, shortMinF64, riskArrayF64,
    assetUnderlying, assetPrice, assetHaircut, creditF64, loanF64,
    positionOffsets: Uint32Array.from(columns.positionOffsets),
    positionInstrument: columns.positionInstrument.subarray(0, positions),
    positionLots: columns.positionLots.subarray(0, positions),
    collateralOffsets: Uint32Array.from(columns.collateralOffsets),
    collateralAsset: columns.collateralAsset.subarray(0, collaterals),
    collateralAmount: columns.collateralAmount.subarray(0, collaterals),
    collateralAmountF64: Float64Array.from(columns.collateralAmount.subarray(0, collaterals), Number),
    /** Bytes of the per-account arrays a kernel walks (offsets, positions, balances), per account. */
    bytesPerAccount: N === 0 ? 0 : (8 * (N + 1) + 6 * positions + 9 * collaterals) / N,
    /** The engine's tables as the BigInt twin takes them (tests/differential-standard.test.mjs). */
    twinTables: { optionModelValue: memo((id) => engine.optionModelValue(id)), riskArray: (id) => riskArrays.get(id), grid: () => grid },
  };
}

function memo(fn) {
  const cache = new Map();
  return (key) => {
    if (!cache.has(key)) cache.set(key, fn(key));
    return cache.get(key);
  };
}

const MAGIC = "MCKERN01";
const align8 = (n) => (n + 7) & ~7;

/**
 * Writes the exact tables and the account columns for bench/baselines/portfolio-kernel.c:
 * the magic, eight i64 counts, then each array little-endian and 8-byte aligned, in the order
 * the C program reads them.
 */
export function writeKernelFile(path, inputs) {
  const header = new BigInt64Array([
    inputs.accounts, inputs.positions, inputs.collaterals, inputs.instruments, inputs.assets, inputs.underlyings, inputs.scenarios, 0,
  ].map(BigInt));
  const sections = [
    header, inputs.move, inputs.cover,
    inputs.instrumentUnderlying, inputs.instrumentIsOption, inputs.linearMoney, inputs.linearRest,
    inputs.shortMinMoney, inputs.shortMinRestHigh, inputs.shortMinRestLow, inputs.riskArray,
    inputs.assetUnderlying, inputs.assetPrice, inputs.assetHaircut,
    inputs.positionOffsets, inputs.positionInstrument, inputs.positionLots,
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
