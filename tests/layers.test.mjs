// The folder layers (tests/helpers/layers.mjs has the table): no import cycles among the files
// of assembly/ and bindings/, and every import goes where its folder may go. The checker is
// shown to fail on small fake trees first, then run on this repository.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { fileURLToPath } from "node:url";
import { checkLayers, layerOf, parseImports } from "./helpers/layers.mjs";

const fixture = (name) => fileURLToPath(new URL(`fixtures/layers/${name}/`, import.meta.url));
const root = fileURLToPath(new URL("../", import.meta.url));

/** A violation without its message, for exact comparison. */
const withoutMessage = ({ message, ...rest }) => rest;

test("every form of import is found, and nothing in comments, strings or templates", () => {
  const source = [
    `import { a } from "./a.js";`,
    `import type { B } from './b.js';`,
    `import c, {`,
    `  d as e,`,
    `  type F,`,
    `} from "./c.js";`,
    `import * as g from "../g";`,
    `import "./side-effect";`,
    `export { h } from "./h.js";`,
    `export type { I } from "./i.js";`,
    `export * from "./j";`,
    `export * as k from "./k";`,
    `const l = await import("./l.js");`,
    `type M = typeof import("./m.js");`,
    `import text from "../n.txt" with { type: "text" };`,
    `import { o } from "node:fs";`,
    `// import { p } from "./p.js";`,
    `/* export * from "./q.js"; */`,
    `const r = "import s from './s.js'", t = \`export * from "./t.js" \${u(\`import("./u.js")\`)}\`;`,
    `const v = /import\\("\\.\\/v\\.js"\\)/g, w = import.meta.url, x = y.import("./x.js");`,
    `export const z = 1; export function fromZ() {} export { r as from };`,
    `const dynamic = import(name);`,
    `export { z as zz }`,
    `import late from "./late.js"`,
  ].join("\n");
  assert.equal(parseImports(source), [
    { specifier: "./a.js", line: 1, kind: "import" },
    { specifier: "./b.js", line: 2, kind: "type" },
    { specifier: "./c.js", line: 3, kind: "import" },
    { specifier: "../g", line: 7, kind: "import" },
    { specifier: "./side-effect", line: 8, kind: "side-effect" },
    { specifier: "./h.js", line: 9, kind: "export" },
    { specifier: "./i.js", line: 10, kind: "type" },
    { specifier: "./j", line: 11, kind: "export" },
    { specifier: "./k", line: 12, kind: "export" },
    { specifier: "./l.js", line: 13, kind: "dynamic" },
    { specifier: "./m.js", line: 14, kind: "dynamic" },
    { specifier: "../n.txt", line: 15, kind: "import" },
    { specifier: "node:fs", line: 16, kind: "import" },
    { specifier: "./late.js", line: 24, kind: "import" },
  ]);
});

test("the table places each kind of file, and a new folder nowhere", () => {
  const placed = (path) => layerOf(path)?.files ?? null;
  assert.is(placed("bindings/core/decimal.ts"), "bindings/core/**");
  assert.is(placed("bindings/engine.ts"), "bindings/engine.ts");
  assert.is(placed("bindings/engine/liquidation.ts"), "bindings/engine/**");
  assert.is(placed("bindings/index.ts"), "bindings/*");
  assert.is(placed("bindings/text-modules.d.ts"), "bindings/*");
  assert.is(placed("assembly/limits.ts"), "assembly/limits.ts");
  assert.is(placed("assembly/index.ts"), "assembly/index.ts");
  assert.is(placed("assembly/risk/deep/x.ts"), "assembly/risk/**");
  assert.is(placed("bindings/extras/x.ts"), null);
  assert.is(placed("assembly/other.ts"), null);
  assert.is(placed("assembly/helpers/x.ts"), null);
});

test("a tree that keeps the rules reports nothing", () => {
  const violations = checkLayers(fixture("clean"));
  assert.equal(violations.map((v) => v.message), []);
});

test("a cycle, an upward import and a store → risk import are each reported, and nothing else", () => {
  assert.equal(checkLayers(fixture("broken")).map(withoutMessage), [
    {
      kind: "cycle", files: ["bindings/venue/grid.ts", "bindings/venue/params.ts"],
      path: ["bindings/venue/grid.ts", "bindings/venue/params.ts", "bindings/venue/grid.ts"],
    },
    { kind: "forbidden", from: "assembly/store/registry.ts", to: "assembly/risk/queue.ts", line: 2 },
    { kind: "forbidden", from: "bindings/core/x.ts", to: "bindings/engine/y.ts", line: 1 },
  ]);
});

test("a folder the table does not name, build/ reached outside module/, and a missing file are reported", () => {
  assert.equal(checkLayers(fixture("misplaced")).map(withoutMessage), [
    { kind: "no-layer", file: "assembly/helpers/util.ts" },
    { kind: "no-layer", file: "bindings/extras/helper.ts" },
    { kind: "forbidden", from: "bindings/venue/wasm.ts", to: "build/margin-core.wasm", line: 1 },
    { kind: "unresolved", from: "bindings/venue/wasm.ts", specifier: "./missing.js", line: 2 },
  ]);
});

test("assembly/ and bindings/ keep their layers and have no import cycle", () => {
  const violations = checkLayers(root);
  if (violations.length > 0) assert.unreachable(`${violations.length} layer violations:\n${violations.map((v) => `  ${v.message}`).join("\n")}`);
});

test.run();
