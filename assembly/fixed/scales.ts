// Fixed-point scales (docs/methodology.md §1). The facade's constants are generated from these:
// each *_SCALE as its number of decimal places, the conversion factors as they are.

/** Prices, strikes, lot sizes and collateral amounts: 1e8. */
export const PRICE_SCALE: i64 = 100_000_000;
/** Money (equity, margin, PnL): 1e6 µ-units of the settlement currency. */
export const MONEY_SCALE: i64 = 1_000_000;
/** Fractions (haircut, imf, mmf, vol, rate, parameters): 1e9. */
export const FRACTION_SCALE: i64 = 1_000_000_000;
/** quantity (1e8) × price (1e8) = 1e16; to money (1e6) divide by 1e10. */
export const QTY_PRICE_TO_MONEY: i64 = 10_000_000_000;
/** quantity × price × fraction = 1e25; to money divide by 1e19 (fits u64, not i64). */
export const QTY_PRICE_FRACTION_TO_MONEY: u64 = 10_000_000_000_000_000_000;
/** Milliseconds in a day: the vol term structure's and the EWMA's time unit. */
export const DAY_MS: i64 = 86_400_000;
/** Milliseconds in a year of time to expiry (365 days): Black-76's T = (expiry − now) / YEAR_MS. */
export const YEAR_MS: i64 = 31_536_000_000;
