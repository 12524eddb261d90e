// The Node entry of margin-core: the engine, its errors and decimal helpers, and (for
// compatibility) the generator and the crash report, which also have their own subpaths.
export * from "./browser.js";
export { generateVenue } from "./tools/generate.js";
export { renderReport } from "./tools/report.js";
export type { CrashReport, CrashSummary, CrashTick } from "./tools/report.js";
