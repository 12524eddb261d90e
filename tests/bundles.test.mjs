// The browser builds and the package's exports: the lean entry carries no report renderer, uPlot
// or generator and stays under its size budget; bundlers resolve "margin-core" to the browser
// build for the browser and to the Node entry for Node; TypeScript typechecks an import of every
// exported path under moduleResolution bundler and nodenext; the script-tag build defines its
// global in a plain <script> context.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import vm from "node:vm";
import * as esbuild from "esbuild";

const root = fileURLToPath(new URL("../", import.meta.url));
const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
/** The budgets docs/browser.md states, gzip -9: the main browser bundle (the SIMD module inside, the scalar one apart), and the script-tag build (both inside). */
const BROWSER_GZIP_BUDGET = 80_000, SCRIPT_TAG_GZIP_BUDGET = 117_000;

const scratch = [];
test.after(() => {
  for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
});

/** A scratch project whose node_modules/margin-core is this repository. */
function project(files) {
  const dir = mkdtempSync(join(tmpdir(), "margin-core-consumer-"));
  scratch.push(dir);
  mkdirSync(join(dir, "node_modules"));
  symlinkSync(root, join(dir, "node_modules", "margin-core"), "dir");
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

test("the lean browser entry bundles no report renderer, uPlot or generator", async () => {
  const result = await esbuild.build({
    entryPoints: [join(root, "bindings/browser.ts")], bundle: true, format: "esm", platform: "browser", write: false,
    loader: { ".wasm": "binary" }, metafile: true, logLevel: "silent",
  });
  const inputs = Object.keys(result.metafile.inputs);
  assert.ok(inputs.some((p) => p.endsWith("bindings/engine.ts")), "the engine is in");
  const unwanted = inputs.filter((p) => /bindings\/tools\/|node_modules\/(uplot|pure-rand)\//.test(p));
  assert.equal(unwanted, []);
});

test("the browser builds' sizes: the ES module within its gzip budget, the script-tag build within its own", () => {
  for (const [file, budget] of [["build/margin-core.browser.js", BROWSER_GZIP_BUDGET], ["build/margin-core.iife.js", SCRIPT_TAG_GZIP_BUDGET]]) {
    const bytes = readFileSync(join(root, file));
    const gzipped = gzipSync(bytes, { level: 9 }).length;
    console.log(`  ${file}: ${bytes.length} bytes, ${gzipped} gzipped`);
    assert.ok(gzipped <= budget, `${file} is ${gzipped} bytes gzipped`);
    assert.not.match(bytes.toString("utf8"), /require\(|node:/);
  }
});

/** A browser bundle takes the lean build and, as a chunk of its own, the scalar module it loads on demand. */
const BROWSER_FILES = ["build/margin-core.browser.js", "build/margin-core.scalar.js"];

test("esbuild resolves margin-core to the browser build for browsers and the Node entry for Node", async () => {
  const dir = project({});
  const resolved = async (source, platform) => {
    const result = await esbuild.build({
      stdin: { contents: source, resolveDir: dir, loader: "js" }, bundle: true, format: "esm", platform, write: false, metafile: true,
      logLevel: "silent", external: ["node:*"],
    });
    return Object.keys(result.metafile.inputs).map((p) => p.replace(/^.*?(build\/[^/]+)$/, "$1")).filter((p) => p.startsWith("build/")).sort();
  };
  assert.equal(await resolved(`import { MarginEngine } from "margin-core"; console.log(MarginEngine);`, "browser"), BROWSER_FILES);
  assert.ok((await resolved(`import { MarginEngine } from "margin-core"; console.log(MarginEngine);`, "node")).includes("build/index.js"));
  assert.equal(await resolved(`import { MarginEngine } from "margin-core/browser"; console.log(MarginEngine);`, "browser"), BROWSER_FILES);
  assert.equal(await resolved(`import { MarginEngine } from "margin-core/build/margin-core.browser.js"; console.log(MarginEngine);`, "browser"), BROWSER_FILES);
  assert.equal(await resolved(`import "margin-core/iife"; console.log(globalThis.MarginCore);`, "browser"), ["build/margin-core.iife.js"]);
});

/** Every exported path that is a module, with a line that uses it. */
const USES = {
  "margin-core": `import { MarginEngine, MarginError, parseDecimal } from "margin-core";\nexport const a: Promise<MarginEngine> = MarginEngine.create(); export const b: bigint = parseDecimal("1.5", 8, "x"); export const c = MarginError;`,
  "margin-core/browser": `import { MarginEngine, type AccountRisk } from "margin-core/browser";\nexport const d = async (): Promise<AccountRisk> => (await MarginEngine.create()).account("x");`,
  "margin-core/build/margin-core.browser.js": `import { MarginEngine, type OrderSide } from "margin-core/build/margin-core.browser.js";\nconst side: OrderSide = "buy"; export const e = async () => (await MarginEngine.create()).maxOrder("a", "b", side, "1");`,
  "margin-core/iife": `import "margin-core/iife";\nexport const f = MarginCore.MarginEngine.create; export const g: string = MarginCore.formatDecimal(1n, 8);`,
  "margin-core/sharded": `import * as sharded from "margin-core/sharded";\nexport const h = sharded;`,
  "margin-core/report": `import { renderReport } from "margin-core/report";\nexport const i: typeof renderReport = renderReport;`,
  "margin-core/generate": `import { generateVenue } from "margin-core/generate";\nexport const j = generateVenue({ accounts: 1, seed: 1 }).columns.count;`,
  "margin-core/cli": `import { runCli, type CliIo } from "margin-core/cli";\nexport const k = (io: CliIo): Promise<number> => runCli(["--help"], io);`,
};

test("every class the Node entries export is called by its exported name", async () => {
  const classes = [];
  for (const entry of ["index.js", "sharded-engine.js", "report.js", "generate.js", "cli.js"]) {
    for (const [name, value] of Object.entries(await import(`../build/${entry}`))) {
      if (typeof value === "function" && /^class\b/.test(Function.prototype.toString.call(value))) classes.push([`${entry} ${name}`, value.name === name]);
    }
  }
  assert.ok(classes.some(([name]) => name.endsWith(" ShardedEngine")), "ShardedEngine is among them");
  assert.equal(classes.filter(([, named]) => !named), []);
});

test("every module path in package.json exports is covered here", () => {
  const modules = Object.keys(pkg.exports).filter((k) => !/\.(html|json)$/.test(k)).map((k) => (k === "." ? "margin-core" : `margin-core/${k.slice(2)}`));
  assert.equal(modules.sort(), Object.keys(USES).sort());
});

for (const [resolution, module, conditions] of [["bundler", "esnext", []], ["bundler", "esnext", ["browser"]], ["nodenext", "nodenext", []]]) {
  test(`tsc typechecks an import of every exported path (moduleResolution ${resolution}${conditions.length ? ", conditions browser" : ""})`, () => {
    const sources = Object.fromEntries(Object.values(USES).map((code, k) => [`use${k}.ts`, code]));
    const dir = project({
      ...sources,
      "package.json": JSON.stringify({ name: "consumer", type: "module" }),
      "tsconfig.json": JSON.stringify({
        compilerOptions: {
          target: "es2022", module, moduleResolution: resolution, strict: true, noEmit: true, lib: ["es2022", "dom"], types: ["node"],
          typeRoots: [join(root, "node_modules/@types")], ...(conditions.length ? { customConditions: conditions } : {}),
        },
        include: ["*.ts"],
      }),
    });
    try {
      execFileSync(join(root, "node_modules/.bin/tsc"), ["-p", dir], { encoding: "utf8", stdio: "pipe" });
    } catch (error) {
      assert.unreachable(`tsc failed:\n${error.stdout}${error.stderr}`);
    }
  });
}

test("tsc fails on a misuse, so the checks above can fail", () => {
  const dir = project({
    "package.json": JSON.stringify({ name: "consumer", type: "module" }),
    "bad.ts": `import { MarginEngine } from "margin-core/browser";\nexport const x: number = MarginEngine.create();`,
    "tsconfig.json": JSON.stringify({ compilerOptions: { module: "esnext", moduleResolution: "bundler", strict: true, noEmit: true, lib: ["es2022", "dom"], types: [] }, include: ["*.ts"] }),
  });
  assert.throws(() => execFileSync(join(root, "node_modules/.bin/tsc"), ["-p", dir], { stdio: "pipe" }));
});

test("the script-tag build defines MarginCore as a classic script, and it margins the example venue", async () => {
  // what a page gives a classic script and the build uses: Blob, Response and DecompressionStream inflate its modules
  const context = vm.createContext({ WebAssembly, TextDecoder, TextEncoder, console, atob, Date, performance, Blob, Response, DecompressionStream });
  vm.runInContext(readFileSync(join(root, "build/margin-core.iife.js"), "utf8"), context);
  const { MarginEngine } = context.MarginCore;
  const engine = await MarginEngine.fromVenue(readFileSync(join(root, "examples/venue.json"), "utf8"));
  const { MarginEngine: NodeEngine } = await import("../build/index.js");
  const reference = await NodeEngine.fromVenue(readFileSync(join(root, "examples/venue.json"), "utf8"));
  assert.is(JSON.stringify(engine.accounts()), JSON.stringify(reference.accounts()));
});

test.run();
