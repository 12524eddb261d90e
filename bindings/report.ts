// The `margin-core/report` entry: the crash-replay HTML report (embeds uPlot).
export { renderReport } from "./tools/report.js";
export type { CrashReport, CrashSummary, CrashTick } from "./tools/report.js";
