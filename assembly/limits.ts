// The documented limits (docs/limits.md), written once. The module checks staged rows against
// them; scripts/generate-constants.mjs copies them into the facade's generated constants.
// Each declaration ends with its unit: `price`, `amount` (both at PRICE_SCALE), `money`,
// `fraction`, `lots` or `count`. The facade holds counts as numbers, every other limit as a bigint.
import { PRICE_SCALE, MONEY_SCALE, FRACTION_SCALE } from "./fixed/scales";

/** 1 as a fraction. */
export const ONE: i64 = FRACTION_SCALE; // fraction

/** Any price: spot, index, mark, entry, strike, asset price (1e10 units). */
export const MAX_PRICE: i64 = 10_000_000_000 * PRICE_SCALE; // price
/** The smallest lot size, 1e-8 units. */
export const MIN_LOT_SIZE: i64 = 1; // price
export const MAX_LOT_SIZE: i64 = 10_000 * PRICE_SCALE; // price
/** |lots| of one position: fits i32. */
export const MAX_LOTS: i32 = 900_000_000; // lots
/** |qty| × max(mark, entry, index, strike) of one position (1e10 settlement units). */
export const MAX_POSITION_NOTIONAL: i64 = 10_000_000_000 * MONEY_SCALE; // money
export const MAX_POSITIONS_PER_ACCOUNT: i32 = 64; // count

/** |amount| of one balance (1e10 asset units). */
export const MAX_COLLATERAL_AMOUNT: i64 = 10_000_000_000 * PRICE_SCALE; // amount
/** |amount| × price of one balance (1e11 settlement units). */
export const MAX_COLLATERAL_VALUE: i64 = 100_000_000_000 * MONEY_SCALE; // money
export const MAX_COLLATERAL_PER_ACCOUNT: i32 = 16; // count

/** Tiers per instrument, and the largest `upTo` bound (1e10 settlement units). */
export const MAX_TIERS: i32 = 64; // count
export const MAX_TIER_BOUND: i64 = 10_000_000_000 * MONEY_SCALE; // money
/** vol and iv. */
export const MAX_VOL: i64 = 10 * FRACTION_SCALE; // fraction
/**
 * |rate| × years from now to an option's expiry: Black-76's discount e^(−rT) and forward growth
 * e^(rT) stay within [1/e, e], so a put is worth at most e × its strike and nothing overflows.
 */
export const MAX_RATE_YEARS: i64 = FRACTION_SCALE; // fraction
/** Scenarios in a grid. */
export const MAX_SCENARIOS: i32 = 64; // count

/** Instruments are u16 indices and assets u8 indices. */
export const MAX_INSTRUMENTS: i32 = 65_535; // count
export const MAX_UNDERLYINGS: i32 = 1_024; // count
export const MAX_ASSETS: i32 = 255; // count
export const MAX_ACCOUNTS: i32 = 50_000_000; // count
/** Oracle sources of one underlying (their ids, prices and medians live in the facade only). */
export const MAX_SOURCES: i32 = 64; // count
/** Characters of an id (accounts, instruments, assets, underlyings, sources); ids live in the facade only. */
export const MAX_ID_LENGTH: i32 = 128; // count
/** Position rows and collateral rows in one load: an i64 column of them stays under the allocator's 1 GiB block. */
export const MAX_ROWS: i32 = 120_000_000; // count
/** The insurance fund (1e12 settlement units). */
export const MAX_FUND: i64 = 1_000_000_000_000 * MONEY_SCALE; // money
