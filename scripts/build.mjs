// Builds the module (asc) and the facade bundles (esbuild); declarations come from tsc.
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { deflateRawSync } from "node:zlib";
import * as esbuild from "esbuild";
import { main as generateConstants } from "./generate-constants.mjs";
import { buildPreview } from "./preview-page.mjs";

const bin = (name) => new URL(`../node_modules/.bin/${name}`, import.meta.url).pathname;
const run = (name, args) => execFileSync(bin(name), args, { stdio: "inherit" });

// First: the facade's constants and column layout are generated from the AssemblyScript source.
generateConstants();
mkdirSync("build", { recursive: true });
run("asc", ["assembly/index.ts", "--config", "asconfig.json", "--target", "release"]);
run("asc", ["assembly/index.ts", "--config", "asconfig.json", "--target", "scalar"]);
// The browser builds carry the same module compiled for size (binaryen's shrink level 1): 8 KB
// less to download deflated, its kernels as fast (docs/browser.md); Node keeps the one tuned for speed.
run("asc", ["assembly/index.ts", "--config", "asconfig.json", "--target", "browser"]);
run("asc", ["assembly/index.ts", "--config", "asconfig.json", "--target", "browser-scalar"]);

const shared = { bundle: true, format: "esm", loader: { ".wasm": "binary" }, target: "es2022", logLevel: "warning" };
rmSync("build/chunks", { recursive: true, force: true });
// The Node entries share one chunk graph, so classes such as MarginError are one class across them.
await esbuild.build({
  ...shared,
  entryPoints: {
    index: "bindings/index.ts", report: "bindings/report.ts", generate: "bindings/generate.ts",
    "sharded-engine": "bindings/node/sharded-engine.ts", "shard-worker": "bindings/node/shard-worker.ts",
  },
  outdir: "build", splitting: true, chunkNames: "chunks/[name]-[hash]", platform: "neutral", external: ["node:*"], mainFields: ["module", "main"],
  // bundling renames classes that share a name with another symbol (MarginEngine was _MarginEngine)
  keepNames: true,
});
await esbuild.build({ ...shared, entryPoints: ["bindings/tools/cli.ts"], outfile: "build/cli.js", platform: "node", packages: "external", keepNames: true });
// The browser build is the lean entry: no report renderer, uPlot or generator.
// The scalar module is a file of its own, build/margin-core.scalar.js, that only a host without
// wasm SIMD loads: the bundle imports it dynamically, by that name beside itself.
const scalarApart = {
  name: "scalar-apart",
  setup(build) {
    build.onResolve({ filter: /^\.\/scalar-bytes\.js$/ }, () => ({ path: "./margin-core.scalar.js", external: true }));
  },
};
// The browser builds embed each module, in its build for size, as raw DEFLATE (base64 like any
// binary): gzip compresses the base64 of the bytes themselves a quarter worse than the bytes, and
// a page downloads the deflated module in 10 KB less. bindings/module/wasm.ts inflates it with
// DecompressionStream.
const deflatedWasm = {
  name: "deflated-wasm",
  setup(build) {
    build.onLoad({ filter: /\.wasm$/ }, ({ path }) => ({
      contents: deflateRawSync(readFileSync(path.replace(/\.wasm$/, ".small.wasm")), { level: 9 }), loader: "binary",
    }));
  },
};
await esbuild.build({ ...shared, entryPoints: ["bindings/browser.ts"], outfile: "build/margin-core.browser.js", platform: "browser", minify: true, plugins: [scalarApart, deflatedWasm] });
await esbuild.build({ ...shared, entryPoints: ["bindings/module/scalar-bytes.ts"], outfile: "build/margin-core.scalar.js", platform: "browser", minify: true, plugins: [deflatedWasm] });
// The same entry as a classic script for a <script> tag (and file://): a global `MarginCore`, also
// set on globalThis so that importing the file for its effect (a bundler, a worker) defines it too.
await esbuild.build({
  ...shared, format: "iife", globalName: "MarginCore", entryPoints: ["bindings/browser.ts"], outfile: "build/margin-core.iife.js",
  platform: "browser", minify: true, footer: { js: "globalThis.MarginCore=MarginCore;" }, plugins: [deflatedWasm],
});
// The margin preview page: one self-contained HTML file.
await buildPreview(esbuild);
run("tsc", ["-p", "tsconfig.json"]);
// bindings/module/wasm.ts reaches the compiler's bindings as ../../build/margin-core.js; from
// build/types/module/ the same file is ../../margin-core.js (its .d.ts sits beside it).
const wasmTypes = "build/types/module/wasm.d.ts";
writeFileSync(wasmTypes, readFileSync(wasmTypes, "utf8").replace('from "../../build/margin-core.js"', 'from "../../margin-core.js"'));
// Declarations beside the browser builds: the ES module's re-exports the lean entry's; the
// script-tag build's declares its global.
writeFileSync("build/margin-core.browser.d.ts", 'export * from "./types/browser.js";\n');
writeFileSync("build/margin-core.iife.d.ts", [
  "// The script-tag build defines the global `MarginCore`: the lean entry's exports.",
  'import type * as MarginCoreModule from "./types/browser.js";',
  "declare global {",
  "  var MarginCore: typeof MarginCoreModule;",
  "}",
  "export {};",
  "",
].join("\n"));
