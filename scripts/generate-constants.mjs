// Writes the facade's copy of the module's constants from the AssemblyScript source, so each is
// written once, in assembly/: bindings/core/constants.generated.ts (scales, limits, instrument
// kinds, account statuses, staged fields, rejections) and bindings/module/layout.generated.ts
// (column ids and element sizes). scripts/build.mjs runs it before anything compiles.
//
// The parser is deliberately small and strict: it reads only the files and declarations listed
// here, in the forms they are written in, and stops the build on anything else rather than skip it.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const SCRIPT = "scripts/generate-constants.mjs";
const SCALES = "assembly/fixed/scales.ts";
const LIMITS = "assembly/limits.ts";
const REGISTRY = "assembly/columns.ts";
/**
 * Module enums the facade needs, where each is declared, and what it becomes: a constant per
 * member (`prefix`_MEMBER) and/or an array of member names by value (`names`, in camelCase).
 */
const ENUMS = [
  { name: "InstrumentKind", file: "assembly/store/reference.ts", prefix: "KIND" },
  { name: "AccountMode", file: "assembly/store/accounts.ts", prefix: "MODE", names: "MODE_NAMES" },
  { name: "AccountStatus", file: "assembly/risk/evaluate.ts", prefix: "STATUS", names: "STATUS_NAMES" },
  { name: "StagedField", file: "assembly/store/staging.ts", names: "STAGED_FIELDS" },
  { name: "Rejection", file: "assembly/store/staging.ts", prefix: "REJECTION" },
  { name: "TradesOutcome", file: "assembly/risk/liquidation-trades.ts", prefix: "TRADES" },
  { name: "Cap", file: "assembly/risk/liquidation-trades.ts", prefix: "CAP" },
  { name: "TradeInput", file: "assembly/risk/liquidation-trades.ts", prefix: "TRADE_INPUT" },
  { name: "TradeAmount", file: "assembly/risk/liquidation-trades.ts", prefix: "TRADE_AMOUNT" },
];
/** A limit's unit (its declaration's trailing comment) → the scale constant its value may use. */
const UNITS = { price: "PRICE_SCALE", amount: "PRICE_SCALE", money: "MONEY_SCALE", fraction: "FRACTION_SCALE", lots: null, count: null };
const RANGES = { i32: [-(2n ** 31n), 2n ** 31n - 1n], i64: [-(2n ** 63n), 2n ** 63n - 1n], u64: [0n, 2n ** 64n - 1n] };

export class SourceError extends Error {
  constructor(file, line, message) {
    super(`${file}:${line}: ${message}`);
    this.name = "SourceError";
  }
}

const DECLARATION = /^export const ([A-Z][A-Z0-9_]*): (i32|i64|u64) = ([^;]+);(?: \/\/ (.*))?$/;
const IMPORT = /^import \{ ([A-Z0-9_, ]+) \} from "([^"]+)";$/;

/**
 * `export const NAME: type = value;` declarations, each optionally after a doc comment, in a file
 * holding nothing else but comments and imports from `allowedImport`. A value is a product of
 * integers and constants in `known` (imported or declared above).
 */
function parseConstants(file, text, known, allowedImport) {
  const constants = [];
  let doc = [];
  let inDoc = false;
  text.split("\n").forEach((raw, index) => {
    const line = raw.trimEnd(), at = index + 1;
    if (inDoc) {
      if (!/^ \*( |\/|$)/.test(line)) throw new SourceError(file, at, "expected a doc comment line");
      if (line === " */") inDoc = false;
      else doc.push(line.replace(/^ \* ?/, ""));
      return;
    }
    if (line === "" || line.startsWith("//")) {
      doc = [];
      return;
    }
    if (line === "/**") {
      inDoc = true;
      doc = [];
      return;
    }
    const single = /^\/\*\* (.*) \*\/$/.exec(line);
    if (single) {
      doc = [single[1]];
      return;
    }
    const imported = IMPORT.exec(line);
    if (imported) {
      if (imported[2] !== allowedImport) throw new SourceError(file, at, allowedImport ? `may import only from "${allowedImport}"` : "may import nothing");
      for (const name of imported[1].split(",").map((s) => s.trim())) {
        if (!known.has(name)) throw new SourceError(file, at, `imports ${name}, which ${allowedImport} does not declare`);
      }
      return;
    }
    const match = DECLARATION.exec(line);
    if (!match) throw new SourceError(file, at, "not a comment, an import or `export const NAME: i32|i64|u64 = value;`");
    const [, name, type, expression, unit] = match;
    if (known.has(name)) throw new SourceError(file, at, `${name} is declared twice`);
    const value = evaluate(file, at, expression, known);
    const [low, high] = RANGES[type];
    if (value < low || value > high) throw new SourceError(file, at, `${name} = ${value} does not fit ${type}`);
    known.set(name, value);
    constants.push({ name, type, value, unit, doc, expression, at });
    doc = [];
  });
  if (inDoc) throw new SourceError(file, text.split("\n").length, "unterminated doc comment");
  return constants;
}

/** A product of integer literals (`_` separators allowed) and known constants. */
function evaluate(file, at, expression, known) {
  return expression.split("*").map((factor) => factor.trim()).reduce((product, factor) => {
    if (/^[0-9][0-9_]*$/.test(factor) && !factor.endsWith("_")) return product * BigInt(factor.replaceAll("_", ""));
    if (known.has(factor)) return product * known.get(factor);
    throw new SourceError(file, at, `cannot evaluate "${factor}": values are products of integers and constants declared before`);
  }, 1n);
}

function lineOf(text, offset) {
  return text.slice(0, offset).split("\n").length;
}

/** `export const enum Name { Member = integer, … }`, found exactly once, members numbered 0, 1, … */
function parseEnum(file, text, name) {
  const pattern = new RegExp(`export const enum ${name} \\{([^}]*)\\}`, "g");
  const found = [...text.matchAll(pattern)];
  if (found.length !== 1) throw new SourceError(file, 1, `expected one \`export const enum ${name} { … }\`, found ${found.length}`);
  const at = lineOf(text, found[0].index);
  const members = found[0][1].split(",").map((s) => s.trim()).filter((s, k, all) => s !== "" || k !== all.length - 1);
  return members.map((member, k) => {
    const parsed = /^([A-Z][A-Za-z0-9]*) = (0|[1-9][0-9]*)$/.exec(member);
    if (!parsed) throw new SourceError(file, at, `${name}: "${member}" is not \`Member = integer\``);
    if (Number(parsed[2]) !== k) throw new SourceError(file, at, `${name}.${parsed[1]} is ${parsed[2]}; members must be numbered 0, 1, … in order`);
    return parsed[1];
  });
}

/** The registry's columns in order, each with its element shift from its `new Column(shift)` declaration. */
function parseRegistry(read) {
  const text = read(REGISTRY);
  const modules = new Map();
  for (const match of text.matchAll(/^import \* as (\w+) from "(\.\/[\w/-]+)";$/gm)) modules.set(match[1], `assembly/${match[2].slice(2)}.ts`);
  const lists = [...text.matchAll(/^const columns: Column\[\] = \[\n([^\]]*)\];$/gm)];
  if (lists.length !== 1) throw new SourceError(REGISTRY, 1, "expected one `const columns: Column[] = [ … ];`");
  const first = lineOf(text, lists[0].index) + 1;
  const entries = lists[0][1].split("\n").flatMap((line, k) => line.split(",").map((entry) => ({ entry: entry.trim(), at: first + k })));
  const declarations = new Map();
  return entries.filter(({ entry }) => entry !== "").map(({ entry, at }) => {
    const parsed = /^(\w+)\.(\w+)$/.exec(entry);
    if (!parsed) throw new SourceError(REGISTRY, at, `"${entry}" is not \`module.column\``);
    const [, namespace, variable] = parsed;
    const file = modules.get(namespace);
    if (file === undefined) throw new SourceError(REGISTRY, at, `"${entry}": no \`import * as ${namespace}\``);
    if (!declarations.has(file)) declarations.set(file, columnDeclarations(file, read(file)));
    const shift = declarations.get(file).get(variable);
    if (shift === undefined) throw new SourceError(REGISTRY, at, `${file} has no \`export const ${variable} = new Column(shift);\``);
    return { name: variable[0].toUpperCase() + variable.slice(1), shift, file };
  });
}

function columnDeclarations(file, text) {
  const shifts = new Map();
  for (const match of text.matchAll(/^export const (\w+) = new Column\(([^)]*)\);/gm)) {
    if (!/^[0-3]$/.test(match[2])) throw new SourceError(file, lineOf(text, match.index), `${match[1]}: the shift must be a literal 0 to 3`);
    shifts.set(match[1], Number(match[2]));
  }
  return shifts;
}

const snake = (name) => name.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toUpperCase();
const camel = (name) => name[0].toLowerCase() + name.slice(1);
const grouped = (value) => {
  const digits = (value < 0n ? -value : value).toString().replace(/\B(?=(\d{3})+(?!\d))/g, "_");
  return (value < 0n ? "-" : "") + digits;
};
const comment = (doc) => (doc.length === 0 ? [] : doc.length === 1 ? [`/** ${doc[0]} */`] : ["/**", ...doc.map((l) => ` * ${l}`), " */"]);
const header = (sources) => [
  `// Generated by ${SCRIPT}; do not edit: \`npm run build\` writes it again. Read from:`,
  ...sources.map((source) => `//   ${source}`),
  "",
];

function renderConstants(read) {
  const known = new Map();
  const scales = parseConstants(SCALES, read(SCALES), known, null);
  const limits = parseConstants(LIMITS, read(LIMITS), known, "./fixed/scales");
  const out = [...header([SCALES, LIMITS, ...new Set(ENUMS.map((e) => e.file))])];
  out.push("// Scales: the *_SCALE constants as decimal places; conversion factors as bigints.");
  for (const { name, value, doc, at } of scales) {
    out.push(...comment(doc));
    if (!name.endsWith("_SCALE")) {
      out.push(`export const ${name}: bigint = ${grouped(value)}n;`);
      continue;
    }
    const places = value.toString().length - 1;
    if (value !== 10n ** BigInt(places)) throw new SourceError(SCALES, at, `${name} is not a power of ten`);
    out.push(`export const ${name} = ${places};`);
  }
  out.push("", "// Limits: counts as numbers, every other limit as a bigint at its unit's scale.");
  for (const { name, value, unit, doc, expression, at } of limits) {
    const word = /^(\w+)/.exec(unit ?? "")?.[1];
    if (!(word in UNITS)) throw new SourceError(LIMITS, at, `${name}: end the line with its unit, // ${Object.keys(UNITS).join(" | ")}`);
    const scale = /[A-Z_]+_SCALE/.exec(expression)?.[0];
    if (scale !== undefined && scale !== UNITS[word]) throw new SourceError(LIMITS, at, `${name} is in ${word} but uses ${scale}`);
    const literal = word === "count" ? `number = ${grouped(value)}` : `bigint = ${grouped(value)}n`;
    out.push(...comment(doc), `export const ${name}: ${literal}; // ${unit}`);
  }
  for (const { name, file, prefix, names } of ENUMS) {
    const members = parseEnum(file, read(file), name);
    out.push("", `// ${name} (${file}).`);
    if (prefix) out.push(...members.map((m, k) => `export const ${prefix}_${snake(m)} = ${k};`));
    // a None member has no name: ""
    if (names) out.push(`export const ${names} = [${members.map((m) => `"${m === "None" ? "" : camel(m)}"`).join(", ")}] as const;`);
  }
  return out.join("\n") + "\n";
}

function renderLayout(read) {
  const columns = parseRegistry(read);
  const sources = [REGISTRY, ...new Set(columns.map((c) => c.file))];
  return [
    ...header(sources),
    "/** Column ids: positions in the module's column registry (assembly/columns.ts). */",
    "export const enum Col {",
    ...columns.map((c, k) => `  ${c.name} = ${k},`),
    "}",
    `export const COLUMN_COUNT = ${columns.length};`,
    "/** Each column's element size, log2 bytes (its `new Column(shift)`), by id. */",
    "export const COLUMN_SHIFTS: readonly number[] = [",
    ...columns.map((c) => `  ${c.shift}, // ${c.name}`),
    "];",
  ].join("\n") + "\n";
}

/** The generated files' paths and contents; `read` gives a source file's text by repository path. */
export function generateConstants(read = (path) => readFileSync(join(ROOT, path), "utf8")) {
  return {
    "bindings/core/constants.generated.ts": renderConstants(read),
    "bindings/module/layout.generated.ts": renderLayout(read),
  };
}

/** Writes the generated files, leaving unchanged ones untouched. */
function writeConstants() {
  for (const [path, text] of Object.entries(generateConstants())) {
    const target = join(ROOT, path);
    let current = null;
    try {
      current = readFileSync(target, "utf8");
    } catch {
      // not generated yet
    }
    if (current === text) continue;
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, text);
  }
}

/** Writes the generated files; a source it cannot parse ends the process with the file, line and reason. */
export function main() {
  try {
    writeConstants();
  } catch (error) {
    if (!(error instanceof SourceError)) throw error;
    console.error(`${SCRIPT}: ${error.message}`);
    process.exit(1);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) main();
