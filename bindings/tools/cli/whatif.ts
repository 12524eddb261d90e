// `margin-core whatif`: the venue under a parameter proposal, and with --crash the same crash under both.
import { FRACTION_SCALE, parseBounded } from "../../core/decimal.js";
import { ONE } from "../../core/constants.generated.js";
import { whatIf } from "../what-if.js";
import { renderWhatIf } from "../what-if-report.js";
import { help, integerOption, readParams, readVenue, requiredString, usageError, type Command } from "./command.js";
import { checkOutputPath, writeOutputFile } from "./output-file.js";

export const whatIfCommand: Command = {
  summary: "governance what-if: status transitions, Δ totals and the accounts pushed under, for a parameter proposal (nothing is applied)",
  usage: "margin-core whatif VENUE.json --params PROPOSAL.json [--top N] [--crash] [--drop FRACTION] [--ticks T] [--report FILE.html]",
  options: {
    ...help,
    params: { type: "string", value: "PROPOSAL.json", help: "a JSON object of venue params replacing the venue's (null restores a default) (required)" },
    top: { type: "string", value: "N", help: "accounts listed, largest rise in MM first, 0 … 1,000,000 (default 20)" },
    crash: { type: "boolean", help: "also replay a crash under both parameter sets (default: off)" },
    drop: { type: "string", value: "FRACTION", help: "with --crash: the index fall over the replay, in (0, 1) (default 0.35)" },
    ticks: { type: "string", value: "T", help: "with --crash: ticks of 10 s, 1 … 10,000 (default 60)" },
    report: { type: "string", value: "FILE.html", help: "also write an HTML page comparing them (default: none); checked before the run" },
  },
  positionals: 1,
  async run(values, [file], io) {
    const params = requiredString(values.params, "params");
    if (typeof values.report === "string") checkOutputPath(values.report, "--report", [{ kind: "venue file", path: file }, { kind: "params file", path: params }]);
    const text = readVenue(file);
    const proposal = readParams(params);
    const top = integerOption(values.top, "--top", 0, 1_000_000, 20);
    if (!values.crash && (values.drop !== undefined || values.ticks !== undefined)) usageError("--drop and --ticks go with --crash");
    const drop = values.drop === undefined ? 350_000_000n : parseBounded(values.drop, FRACTION_SCALE, "--drop", 1n, ONE - 1n, "(0, 1)");
    const crash = values.crash ? { drop, ticks: integerOption(values.ticks, "--ticks", 1, 10_000, 60) } : undefined;
    const outcome = await whatIf(text, proposal, { top, crash });
    // the report first, so a failure to write it leaves nothing on stdout
    if (typeof values.report === "string") {
      await writeOutputFile(values.report, "--report", renderWhatIf({ venue: file, generatedAt: new Date().toISOString(), currency: currencyOf(text), ...outcome }));
    }
    io.stdout.write(JSON.stringify(outcome.report) + "\n");
    if (typeof values.report === "string") io.stderr.write(`report written to ${values.report}\n`);
  },
};

function currencyOf(text: string): string {
  const settlement = (JSON.parse(text) as { settlement?: unknown }).settlement;
  return typeof settlement === "string" ? settlement : "USD";
}
