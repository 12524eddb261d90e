// Boundary limits in raw units (docs/limits.md). The module trusts what passes these.
export const MAX_PRICE = 10n ** 18n;                 // 1e10 units at scale 1e8
export const MIN_LOT_SIZE = 1n;                      // 1e-8
export const MAX_LOT_SIZE = 10n ** 12n;              // 1e4
export const MAX_LOTS = 900_000_000n;
export const MAX_POSITION_NOTIONAL = 10n ** 26n;     // 1e10 units at scale 1e16 (qty × price)
export const MAX_COLLATERAL_AMOUNT = 10n ** 18n;     // 1e10 units at scale 1e8
export const MAX_COLLATERAL_VALUE = 10n ** 27n;      // 1e11 units at scale 1e16 (amount × price)
export const MAX_POSITIONS_PER_ACCOUNT = 64;
export const MAX_COLLATERAL_PER_ACCOUNT = 16;
export const MAX_TIERS = 16;
export const MAX_TIER_BOUND = 10n ** 16n;            // 1e10 units in money
export const ONE = 10n ** 9n;                        // 1 at fraction scale
export const MAX_VOL = 10n * ONE;
export const MAX_INSTRUMENTS = 65_535;
export const MAX_UNDERLYINGS = 1_024;
export const MAX_ASSETS = 255;
export const MAX_ACCOUNTS = 50_000_000;
/** Position rows and collateral rows in one load: an i64 column of them stays under the allocator's 1 GiB block. */
export const MAX_ROWS = 120_000_000;
export const MAX_FUND = 10n ** 18n;                  // 1e12 units in money
