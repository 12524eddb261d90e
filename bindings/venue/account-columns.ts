// The bulk-load format of `MarginEngine.loadColumns`: accounts in compressed-sparse-row form.
// Instrument and asset indices refer to the engine's definition order (`instrumentIndex`, `assetIndex`).
import type { STAGED_FIELDS } from "../core/constants.generated.js";

export interface AccountColumns {
  count: number;
  /** Account ids; when omitted, account i is `acc-${i}`. */
  ids?: string[];
  /** 0 standard, 1 portfolio. */
  mode: Uint8Array;
  /** Parent account index, or -1. */
  parent: Int32Array;
  /** Length count + 1: account i's positions are rows [positionOffsets[i], positionOffsets[i + 1]). */
  positionOffsets: Uint32Array;
  positionInstrument: Uint16Array;
  /** Signed whole lots, never 0. */
  positionLots: Int32Array;
  /** Entry price, raw at scale 1e8. */
  positionEntry: BigInt64Array;
  /** Length count + 1. */
  collateralOffsets: Uint32Array;
  collateralAsset: Uint8Array;
  /** Amount in asset units, raw at scale 1e8 (negative = a loan). */
  collateralAmount: BigInt64Array;
}

/** A staged column's name, as the module's validation reports it. */
export type StagedFieldName = (typeof STAGED_FIELDS)[number];
