// Command-line arguments: ranges as help and docs give them, checked before any work; help; `--`;
// and the --params file's errors, which name it.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { cli } from "./helpers/cli.mjs";

const EXAMPLE = new URL("../examples/venue.json", import.meta.url).pathname;

test("demo takes the synthetic venue sizes that load whole, as bench and generate do, and says so", async () => {
  const started = Date.now();
  const tooMany = await cli("demo", "--accounts", "10000001");
  assert.equal(tooMany, { status: 2, stdout: "", stderr: "error: MALFORMED at argv: --accounts must be an integer in [1, 10000000]\n" });
  assert.ok(Date.now() - started < 1_000, "refused up front");
  for (const command of ["demo", "bench", "generate"]) assert.match((await cli(command, "--help")).stdout, "1 … 10,000,000");
});

test("arguments after -- are positionals as given, a negative number after an option name included", async () => {
  assert.equal(await cli("liquidations", "--", "--limit", "-5"), { status: 2, stdout: "", stderr: "error: MALFORMED at argv: usage: margin-core liquidations VENUE.json [--limit N]\n" });
  assert.equal(await cli("margin", "--", "-0.5"), { status: 2, stdout: "", stderr: 'error: NOT_FOUND at argv: no file "-0.5"\n' });
  const limited = await cli("liquidations", "--limit", "1", "--", EXAMPLE);
  assert.is(limited.status, 0, limited.stderr);
  assert.is(JSON.parse(limited.stdout).queue.length, 1);
});

test("an unknown option is named, with where the command's options are listed", async () => {
  assert.equal(await cli("margin", EXAMPLE, "--bogus"), { status: 2, stdout: "", stderr: "error: MALFORMED at argv: unknown option --bogus: margin-core margin --help lists its options\n" });
  assert.equal(await cli("check", "-x"), { status: 2, stdout: "", stderr: "error: MALFORMED at argv: unknown option -x: margin-core check --help lists its options\n" });
  assert.equal(await cli("check", "--it's"), { status: 2, stdout: "", stderr: "error: MALFORMED at argv: unknown option --it's: margin-core check --help lists its options\n" });
});

test("help takes at most a command name: help COMMAND is COMMAND --help, anything else a usage error", async () => {
  const marginHelp = await cli("margin", "--help");
  assert.is(marginHelp.status, 0);
  for (const spelling of ["help", "--help", "-h"]) assert.equal(await cli(spelling, "margin"), marginHelp);
  const refused = (stderr) => ({ status: 2, stdout: "", stderr: `error: MALFORMED at argv: ${stderr}\n` });
  assert.equal(await cli("--help", "--bogus", "extra"), refused("usage: margin-core --help [COMMAND]"));
  assert.equal(await cli("help", "--bogus"), refused("usage: margin-core help [COMMAND]"));
  assert.equal(await cli("-h", "margin", "extra"), refused("usage: margin-core -h [COMMAND]"));
  assert.equal(await cli("help", "nosuchcommand"), refused('unknown command "nosuchcommand"; try margin-core --help'));
  // a command's --help stands in for missing arguments, not for extra ones
  assert.equal(await cli("margin", "--help", "a.json", "b.json"), refused("usage: margin-core margin VENUE.json"));
  assert.match((await cli("--help")).stdout, "margin-core help COMMAND prints the same");
});

test("a usage error from the option parser is one line of plain sentences, no escaped line breaks", async () => {
  const cases = [
    ["--accounts", ["generate", "--accounts", "--seed", "1"]],
    ["--qty", ["check", EXAMPLE, "--account", "bob", "--instrument", "BTC-PERP", "--qty", "--price", "1"]],
  ];
  for (const [option, args] of cases) {
    const { status, stdout, stderr } = await cli(...args);
    assert.equal({ status, stdout }, { status: 2, stdout: "" });
    assert.match(stderr, new RegExp(`^error: MALFORMED at argv: Option '${option}' argument is ambiguous\\. Did you forget to specify the option argument for '${option}'\\? \\S`));
    assert.not.match(stderr, "\\n");
    assert.is(stderr.indexOf("\n"), stderr.length - 1);
  }
});

test("each command's help lines its options' descriptions up in one column", async () => {
  for (const command of ["margin", "liquidations", "check", "scenarios", "generate", "demo", "whatif", "bench", "preview"]) {
    const rows = (await cli(command, "--help")).stdout.split("\n").filter((line) => /^ {2}(?:-h,| {3}) --/.test(line));
    assert.ok(rows.length >= 1, command);
    const flags = rows.map((row) => /^( {2}(?:-h,| {3}) --\S+(?: \S+)?)( +)\S/.exec(row));
    assert.equal(new Set(flags.map(([flag]) => flag.length)).size, 1, `${command}: ${rows.join(" | ")}`);
    for (const [, , gap] of flags) assert.ok(gap.length >= 2, `${command}: two spaces at least before each description: ${rows.join(" | ")}`);
  }
});

test("every numeric option's range is in its help line and in docs/api.md's row for the command", async () => {
  const docs = readFileSync(new URL("../docs/api.md", import.meta.url), "utf8");
  const NUMERIC = new Set(["N", "S", "T", "AMOUNT", "FRACTION"]);
  const RANGE = /\d[\d,]* … [\d,]*\d|\(0, 1\)/;
  let checked = 0;
  for (const command of ["margin", "liquidations", "check", "scenarios", "generate", "demo", "whatif", "bench", "preview"]) {
    const row = docs.split("\n").find((line) => line.startsWith(`| \`${command}`));
    assert.ok(row, `docs/api.md has a row for ${command}`);
    for (const [, option, value, text] of (await cli(command, "--help")).stdout.matchAll(/^ {6}--([a-z-]+) (\S+) +(.*)$/gm)) {
      if (!NUMERIC.has(value)) continue;
      const range = RANGE.exec(text)?.[0];
      assert.ok(range, `${command} --${option}: a range in "${text}"`);
      const documented = row.slice(row.indexOf(`\`--${option} ${value}\``));
      assert.ok(row.includes(`\`--${option} ${value}\``) && documented.split("`--")[1].includes(range), `docs/api.md, ${command} --${option}: ${range}`);
      checked++;
    }
  }
  assert.is(checked, 13);
});

test("every failure to read the --params file is named at --params as a params file", async () => {
  const dir = mkdtempSync(join(tmpdir(), "margin-core-params-"));
  const notUtf8 = join(dir, "latin1.json"), truncated = join(dir, "truncated.json"), missing = join(dir, "missing.json");
  writeFileSync(notUtf8, Buffer.from([0x7b, 0xff, 0x7d]));
  writeFileSync(truncated, '{"optIm":');
  const whatif = (params) => cli("whatif", EXAMPLE, "--params", params);
  const refused = (stderr) => ({ status: 2, stdout: "", stderr: `error: ${stderr}\n` });
  assert.equal(await whatif(notUtf8), refused(`MALFORMED at --params: "${notUtf8}" is not UTF-8 text`));
  assert.equal(await whatif(dir), refused(`MALFORMED at --params: "${dir}" is a directory, not a params file`));
  assert.equal(await whatif(missing), refused(`NOT_FOUND at --params: no file "${missing}"`));
  assert.equal(await whatif("/dev/zero"), refused('OUT_OF_RANGE at --params: "/dev/zero" is larger than 268,435,456 bytes, the params file limit'));
  assert.match((await whatif(truncated)).stderr, /^error: MALFORMED at --params: ".*truncated\.json" is not JSON: /);
});

test.run();
