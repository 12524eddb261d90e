// The folder layers of assembly/ and bindings/, and a checker for them: every import between
// the module's and the facade's own files must go down (or sideways within a layer) as the
// table below allows, and no file may reach itself through its imports.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, posix } from "node:path";

/**
 * The layers, as "files → what they may import". A pattern is a path relative to the
 * repository: `dir/**` is every file below dir, `dir/*` every file directly in dir, anything
 * else one file. A file takes the first row whose pattern matches it; a file that matches no
 * row has no layer, and that is itself a failure, so a new folder is placed on purpose.
 * `build/**` is the only place outside the two trees that the table speaks of: reaching the
 * built module is the module layer's job.
 */
export const LAYERS = [
  // the facade (bindings/)
  { files: "bindings/core/**", mayImport: ["bindings/core/**"] },
  { files: "bindings/module/**", mayImport: ["bindings/core/**", "bindings/module/**", "build/**"] },
  { files: "bindings/venue/**", mayImport: ["bindings/core/**", "bindings/venue/**"] },
  { files: "bindings/engine/**", mayImport: ["bindings/core/**", "bindings/module/**", "bindings/venue/**", "bindings/engine/**"] },
  { files: "bindings/engine.ts", mayImport: ["bindings/core/**", "bindings/module/**", "bindings/venue/**", "bindings/engine/**"] },
  { files: "bindings/node/**", mayImport: ["bindings/core/**", "bindings/venue/**", "bindings/node/**", "bindings/engine.ts"] },
  { files: "bindings/tools/**", mayImport: ["bindings/core/**", "bindings/module/**", "bindings/venue/**", "bindings/tools/**", "bindings/engine.ts"] },
  // entry points (index.ts, browser.ts, report.ts, generate.ts …) and ambient declarations
  { files: "bindings/*", mayImport: ["bindings/**"] },

  // the module (assembly/)
  { files: "assembly/fixed/**", mayImport: ["assembly/fixed/**"] },
  { files: "assembly/pricing/**", mayImport: ["assembly/fixed/**", "assembly/pricing/**"] },
  { files: "assembly/limits.ts", mayImport: ["assembly/fixed/scales.ts"] },
  { files: "assembly/store/**", mayImport: ["assembly/fixed/**", "assembly/store/**", "assembly/limits.ts"] },
  { files: "assembly/risk/**", mayImport: ["assembly/fixed/**", "assembly/pricing/**", "assembly/store/**", "assembly/risk/**", "assembly/limits.ts"] },
  { files: "assembly/columns.ts", mayImport: ["assembly/store/**", "assembly/risk/**", "assembly/fixed/**"] },
  { files: "assembly/index.ts", mayImport: ["assembly/**"] },
];

/** The trees whose `.ts` files are checked; imports that leave them are not, except into build/ from bindings/. */
export const TREES = ["assembly", "bindings"];
const GUARDED_OUTSIDE = [{ from: "bindings/", to: "build/" }];

/** Whether a repository-relative path matches a pattern of the table. */
export function matches(pattern, path) {
  if (pattern.endsWith("/**")) return path.startsWith(pattern.slice(0, -2));
  if (pattern.endsWith("/*")) {
    const dir = pattern.slice(0, -1);
    return path.startsWith(dir) && !path.slice(dir.length).includes("/");
  }
  return path === pattern;
}

export const layerOf = (path, layers = LAYERS) => layers.find((row) => matches(row.files, path)) ?? null;

const IDENTIFIER = /[A-Za-z0-9_$\u0080-\uffff]/;
/** Words that start a statement, so never belong to an import clause. */
const STATEMENT = new Set(["import", "export", "const", "let", "var", "function", "class", "interface", "enum", "declare", "return", "if", "for", "while"]);
/** Tokens after which a `/` starts a regular expression rather than dividing. */
const BEFORE_REGEX = new Set(["return", "typeof", "instanceof", "in", "of", "new", "delete", "void", "throw", "case", "do", "else", "yield", "await"]);

/**
 * The source's tokens that matter for imports: identifiers and keywords, punctuation, and
 * string literals (with their line); comments, template text and regular expressions are skipped.
 */
function tokenize(source) {
  const tokens = [];
  const braces = []; // for each open `{`: whether it opened a template substitution
  let i = 0, line = 1;
  const push = (type, value) => tokens.push({ type, value, line });
  const regexAllowed = () => {
    const last = tokens[tokens.length - 1];
    if (last === undefined) return true;
    if (last.type === "string") return false;
    if (last.type === "word") return BEFORE_REGEX.has(last.value);
    return !")]}".includes(last.value);
  };
  const skipTemplate = () => { // from after ` or }: to after the closing ` (true) or after ${ (false)
    while (i < source.length) {
      const c = source[i];
      if (c === "\\") { i += 2; continue; }
      if (c === "\n") line++;
      if (c === "`") { i++; return true; }
      if (c === "$" && source[i + 1] === "{") { i += 2; return false; }
      i++;
    }
    return true;
  };
  while (i < source.length) {
    const c = source[i];
    if (c === "\n") { line++; i++; continue; }
    if (/\s/.test(c)) { i++; continue; }
    if (c === "/" && source[i + 1] === "/") {
      while (i < source.length && source[i] !== "\n") i++;
      continue;
    }
    if (c === "/" && source[i + 1] === "*") {
      const end = source.indexOf("*/", i + 2);
      const stop = end < 0 ? source.length : end + 2;
      for (let k = i; k < stop; k++) if (source[k] === "\n") line++;
      i = stop;
      continue;
    }
    if (c === "'" || c === '"') {
      let value = "", k = i + 1;
      while (k < source.length && source[k] !== c && source[k] !== "\n") {
        if (source[k] === "\\") { value += source[k + 1]; k += 2; continue; }
        value += source[k++];
      }
      push("string", value);
      i = k + 1;
      continue;
    }
    if (c === "`") {
      i++;
      if (!skipTemplate()) braces.push(true);
      push("template", "`");
      continue;
    }
    if (c === "{") { braces.push(false); push("punct", c); i++; continue; }
    if (c === "}") {
      if (braces.pop()) {
        i++;
        if (!skipTemplate()) braces.push(true);
        continue;
      }
      push("punct", c);
      i++;
      continue;
    }
    if (c === "/" && regexAllowed()) {
      let k = i + 1, inClass = false;
      while (k < source.length && source[k] !== "\n") {
        if (source[k] === "\\") { k += 2; continue; }
        if (source[k] === "[") inClass = true;
        else if (source[k] === "]") inClass = false;
        else if (source[k] === "/" && !inClass) break;
        k++;
      }
      k++;
      while (k < source.length && IDENTIFIER.test(source[k])) k++;
      push("regex", source.slice(i, k));
      i = k;
      continue;
    }
    if (IDENTIFIER.test(c)) {
      let k = i;
      while (k < source.length && IDENTIFIER.test(source[k])) k++;
      push("word", source.slice(i, k));
      i = k;
      continue;
    }
    push("punct", c);
    i++;
  }
  return tokens;
}

/**
 * Every module specifier a source imports: `import … from "x"`, `import type … from "x"`,
 * `import "x"`, `export … from "x"`, `export type … from "x"` and `import("x")` with a string
 * literal. Each as { specifier, line, kind }.
 */
export function parseImports(source) {
  const tokens = tokenize(source);
  const found = [];
  const at = (k) => tokens[k] ?? { type: "end", value: "" };
  const isWord = (k, value) => at(k).type === "word" && at(k).value === value;
  const isPunct = (k, value) => at(k).type === "punct" && at(k).value === value;
  /** From a clause start, the specifier after `from` (skipping names, braces, `*`, `as`, `type`, `,`). */
  const fromClause = (k) => {
    let depth = 0;
    for (; k < tokens.length; k++) {
      const t = at(k);
      const closed = isPunct(k - 1, "}") && depth === 0; // after `{ … }` only `from` may follow
      if (t.type === "punct" && t.value === "{") depth++;
      else if (t.type === "punct" && t.value === "}") depth--;
      else if (depth === 0 && t.type === "word" && t.value === "from" && at(k + 1).type === "string") return at(k + 1);
      else if (closed || (depth === 0 && STATEMENT.has(t.value))) return null;
      else if (depth === 0 && t.type === "word") continue;
      else if (t.type === "punct" && (t.value === "*" || t.value === ",")) continue;
      else if (depth > 0 && (t.type === "word" || t.type === "string")) continue;
      else return null;
    }
    return null;
  };
  for (let k = 0; k < tokens.length; k++) {
    const t = tokens[k];
    if (t.type !== "word" || (k > 0 && isPunct(k - 1, "."))) continue; // `x.import` is a property
    if (t.value === "import") {
      if (at(k + 1).type === "string") {
        found.push({ specifier: at(k + 1).value, line: t.line, kind: "side-effect" });
      } else if (isPunct(k + 1, "(")) {
        if (at(k + 2).type === "string" && (isPunct(k + 3, ")") || isPunct(k + 3, ","))) {
          found.push({ specifier: at(k + 2).value, line: t.line, kind: "dynamic" });
        }
      } else if (!isPunct(k + 1, ".")) { // not import.meta
        const typeOnly = isWord(k + 1, "type") && !isWord(k + 2, "from") && !isPunct(k + 2, ",");
        const from = fromClause(k + 1);
        if (from !== null) found.push({ specifier: from.value, line: t.line, kind: typeOnly ? "type" : "import" });
      }
    } else if (t.value === "export") {
      const typeOnly = isWord(k + 1, "type");
      const start = typeOnly ? k + 2 : k + 1;
      if (!isPunct(start, "*") && !isPunct(start, "{")) continue; // a declaration, not a re-export
      const from = fromClause(start);
      if (from !== null) found.push({ specifier: from.value, line: t.line, kind: typeOnly ? "type" : "export" });
    }
  }
  return found;
}

function listTs(root, tree) {
  const out = [];
  const walk = (dir) => {
    for (const entry of readdirSync(join(root, dir), { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const path = posix.join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith(".ts")) out.push(path);
    }
  };
  if (existsSync(join(root, tree))) walk(tree);
  return out;
}

const isFile = (root, path) => existsSync(join(root, path)) && statSync(join(root, path)).isFile();

/**
 * Where a relative specifier of `from` points, repository-relative: AssemblyScript's `x` and
 * TypeScript's `x.js` (standing for x.ts) name `x.ts`, else `x/index.ts` (a `.d.ts` counts for
 * `x.js`); a file named in full is itself. Outside the trees the path is taken as written.
 * Null when the target is inside a tree but names no file.
 */
export function resolveSpecifier(root, from, specifier) {
  const base = posix.normalize(posix.join(posix.dirname(from), specifier));
  if (!TREES.some((tree) => base.startsWith(`${tree}/`))) return base; // outside: taken as written
  const stem = base.endsWith(".js") ? base.slice(0, -3) : base;
  const candidates = base.endsWith(".js")
    ? [`${stem}.ts`, `${stem}.d.ts`, `${stem}/index.ts`]
    : [base, `${base}.ts`, `${base}/index.ts`];
  return candidates.find((candidate) => isFile(root, candidate)) ?? null;
}

/** The import graph of the trees: { files, edges: Map<file, [{ to, specifier, line, kind }]>, unresolved }. */
export function importGraph(root) {
  const files = TREES.flatMap((tree) => listTs(root, tree));
  const edges = new Map(), unresolved = [];
  for (const file of files) {
    const out = [];
    for (const { specifier, line, kind } of parseImports(readFileSync(join(root, file), "utf8"))) {
      if (!specifier.startsWith("./") && !specifier.startsWith("../")) continue; // a package or node:*
      const to = resolveSpecifier(root, file, specifier);
      if (to === null) unresolved.push({ from: file, specifier, line });
      else out.push({ to, specifier, line, kind });
    }
    edges.set(file, out);
  }
  return { files, edges, unresolved };
}

/** Strongly connected components with more than one file (or a file importing itself), each sorted. */
function cycles(files, edges) {
  const index = new Map(), low = new Map(), stack = [], onStack = new Set(), found = [];
  let next = 0;
  const targets = (file) => (edges.get(file) ?? []).map((e) => e.to).filter((to) => edges.has(to));
  const visit = (v) => {
    index.set(v, next); low.set(v, next); next++;
    stack.push(v); onStack.add(v);
    for (const w of targets(v)) {
      if (!index.has(w)) { visit(w); low.set(v, Math.min(low.get(v), low.get(w))); }
      else if (onStack.has(w)) low.set(v, Math.min(low.get(v), index.get(w)));
    }
    if (low.get(v) === index.get(v)) {
      const component = [];
      let w;
      do { w = stack.pop(); onStack.delete(w); component.push(w); } while (w !== v);
      if (component.length > 1 || targets(v).includes(v)) found.push(component.sort());
    }
  };
  for (const file of files) if (!index.has(file)) visit(file);
  return found.sort((a, b) => (a[0] < b[0] ? -1 : 1));
}

/** A shortest import path from the first file of a cycle back to itself, within the cycle. */
function cyclePath(component, edges) {
  const members = new Set(component), start = component[0];
  const previous = new Map();
  const queue = [start];
  while (queue.length > 0) {
    const v = queue.shift();
    for (const { to } of edges.get(v)) {
      if (!members.has(to)) continue;
      if (to === start) {
        const path = [start];
        for (let w = v; w !== start; w = previous.get(w)) path.splice(1, 0, w);
        return [...path, start];
      }
      if (!previous.has(to)) { previous.set(to, v); queue.push(to); }
    }
  }
  return [start, start];
}

/**
 * Every violation under `root`, sorted: { kind: "cycle", files, path } for each import cycle,
 * { kind: "no-layer", file } for a file the table does not place, { kind: "forbidden", from,
 * to, line } for an import its layer does not allow, and { kind: "unresolved", from,
 * specifier, line } for a relative import that names no file. Each has a one-line `message`.
 */
export function checkLayers(root, layers = LAYERS) {
  root = root instanceof URL ? root.pathname : root;
  const { files, edges, unresolved } = importGraph(root);
  const violations = [];
  for (const component of cycles(files, edges)) {
    const path = cyclePath(component, edges);
    violations.push({ kind: "cycle", files: component, path, message: `import cycle: ${path.join(" → ")} (${component.length} files: ${component.join(", ")})` });
  }
  for (const file of files) {
    const layer = layerOf(file, layers);
    if (layer === null) {
      violations.push({ kind: "no-layer", file, message: `no layer for ${file}: add its folder to the table in tests/helpers/layers.mjs` });
      continue;
    }
    for (const { to, line, specifier } of edges.get(file)) {
      const guarded = TREES.some((tree) => to.startsWith(`${tree}/`)) || GUARDED_OUTSIDE.some((g) => file.startsWith(g.from) && to.startsWith(g.to));
      if (!guarded || layer.mayImport.some((pattern) => matches(pattern, to))) continue;
      violations.push({ kind: "forbidden", from: file, to, line, message: `${file}:${line} imports ${to} ("${specifier}"), which ${layer.files} may not import` });
    }
  }
  for (const { from, specifier, line } of unresolved) {
    violations.push({ kind: "unresolved", from, specifier, line, message: `${from}:${line} imports "${specifier}", which names no file` });
  }
  return violations;
}

