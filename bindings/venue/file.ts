// A venue file (JSON text or an object already parsed) and the engine settings at its top level.
import { fail } from "../core/errors.js";
import { asObject } from "../core/json.js";

export interface VenueSettingsText {
  now?: string;
  settlement?: string;
  params?: Record<string, unknown>;
  insuranceFund?: string;
}

export function parseVenueFile(venue: unknown): { file: Record<string, unknown>; settings: VenueSettingsText } {
  if (typeof venue === "string") {
    try {
      venue = JSON.parse(venue);
    } catch (error) {
      fail("MALFORMED", "$", `not valid JSON: ${(error as Error).message}`);
    }
  }
  const file = asObject(venue, "$");
  return {
    file,
    settings: {
      now: file.now as string, settlement: file.settlement as string,
      params: file.params as Record<string, unknown>, insuranceFund: file.insuranceFund as string,
    },
  };
}
