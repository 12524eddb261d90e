// The `margin-core/generate` entry: the seeded synthetic venue generator.
export { generateVenue, MAX_SEED, MAX_SYNTHETIC_ACCOUNTS } from "./tools/generate.js";
export type { VenueReference } from "./tools/generate.js";
export type { AccountColumns } from "./venue/account-columns.js";
