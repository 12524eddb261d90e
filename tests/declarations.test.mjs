// The published declarations admit what the runtime takes: one consumer module, written as
// docs/api.md describes the calls (null options meaning their defaults, formatDecimal given a
// safe-integer number, a skipped entry's code as a MarginErrorCode, generateVenue's venue handed
// to ShardedEngine.create as it is), typechecked by tsc under
// strict settings and then run, type annotations stripped, against the built package. Every
// example in MarginEngine's declarations that shows a value gives it on examples/venue.json.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import * as esbuild from "esbuild";
import { MarginEngine } from "../build/index.js";

const root = fileURLToPath(new URL("../", import.meta.url));

const CONSUMER = `
import { MarginEngine, MarginError, formatDecimal, type EngineOptions, type MarginErrorCode, type RuntimeOptions } from "margin-core";
import { ShardedEngine, type ShardOptions } from "margin-core/sharded";
import { generateVenue } from "margin-core/generate";
import { runCli, type CliIo } from "margin-core/cli";

export async function run(venueText: string, venuePath: string) {
  const runtime: RuntimeOptions = { simd: null, initialMemory: null, maximumMemory: null };
  const engine = await MarginEngine.fromVenue(venueText, runtime);
  const options: EngineOptions = { now: "2026-11-24T00:00:00Z", settlement: null, params: null, insuranceFund: null, ...runtime };
  const empty = await MarginEngine.create(options);
  const restored = await MarginEngine.restore(engine.snapshot(), { simd: null });
  const codes: MarginErrorCode[] = engine.liquidationQueue({ limit: null }).skipped.map((s) => s.code);
  const { venue, columns } = generateVenue({ accounts: 10, seed: 1 });
  const shardOptions: ShardOptions = { shards: null, simd: null };
  const sharded = await ShardedEngine.create(venue, columns, { ...shardOptions, shards: 1 });
  const shards = sharded.shardCount;
  await sharded.close();
  let refused: MarginErrorCode | null = null;
  try {
    formatDecimal(1.5, 8);
  } catch (error) {
    if (error instanceof MarginError) refused = error.code;
  }
  let printed = "";
  const io: CliIo = { stdout: { write: (text: string) => (printed += text) }, stderr: { write: () => true } };
  // a stream given as null is the process's own (nothing is written to stderr here)
  const exitCode = await runCli(["check", venuePath, "--account", "bob", "--instrument", "BTC-PERP", "--qty", "0.001", "--price", "65000"], { ...io, stderr: null });
  return {
    cli: { exitCode, check: JSON.parse(printed) as unknown },
    accounts: engine.accounts(null).length, settlement: empty.toVenue().settlement, fund: empty.fund(),
    restored: restored.account("bob").equity, codes, shards, formatted: formatDecimal(150_000_000, 8), refused,
  };
}
`;

let dir;
test.before(() => {
  dir = mkdtempSync(join(tmpdir(), "margin-core-declarations-"));
  mkdirSync(join(dir, "node_modules"));
  symlinkSync(root, join(dir, "node_modules", "margin-core"), "dir");
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "consumer", type: "module" }));
  writeFileSync(join(dir, "consumer.ts"), CONSUMER);
  writeFileSync(join(dir, "tsconfig.json"), JSON.stringify({
    compilerOptions: {
      target: "es2022", module: "nodenext", moduleResolution: "nodenext", strict: true, noEmit: true, lib: ["es2022", "dom"],
      types: ["node"], typeRoots: [join(root, "node_modules/@types")],
    },
    include: ["*.ts"],
  }));
});
test.after(() => rmSync(dir, { recursive: true, force: true }));

test("tsc accepts the documented calls: null options, a number for formatDecimal, a skipped entry's code, a generated venue, the command line in-process", () => {
  try {
    execFileSync(join(root, "node_modules/.bin/tsc"), ["-p", dir], { encoding: "utf8", stdio: "pipe" });
  } catch (error) {
    assert.unreachable(`tsc failed:\n${error.stdout}${error.stderr}`);
  }
});

test("the same module runs: each null takes its default", async () => {
  const { code } = await esbuild.transform(CONSUMER, { loader: "ts", format: "esm" });
  writeFileSync(join(dir, "consumer.mjs"), code);
  const { run } = await import(pathToFileURL(join(dir, "consumer.mjs")).href);
  const result = await run(readFileSync(join(root, "examples/venue.json"), "utf8"), join(root, "examples/venue.json"));
  assert.equal(result, {
    cli: { exitCode: 0, check: { accepted: true, reason: null, initialMarginBefore: "260.04", initialMarginAfter: "261.3402", equityAfter: "302.01" } },
    accounts: 3, settlement: "USD", fund: "0", restored: "302", codes: [], shards: 1, formatted: "1.5", refused: "INVALID_NUMBER",
  });
});

test("each '@example EXPRESSION // VALUE' of MarginEngine's declarations gives that value on examples/venue.json", async () => {
  const declarations = readFileSync(join(root, "build/types/engine.d.ts"), "utf8");
  const examples = [...declarations.matchAll(/@example (engine\..*?) \/\/ (.*?)(?: \*\/)?$/gm)].map(([, expression, value]) => ({ expression, value }));
  assert.ok(examples.length >= 10, `${examples.length} examples with a value`);
  const venue = readFileSync(join(root, "examples/venue.json"), "utf8");
  for (const { expression, value } of examples) {
    const engine = await MarginEngine.fromVenue(venue);
    const got = new Function("engine", `return ${expression};`)(engine);
    assert.equal(got, new Function(`return ${value};`)(), `${expression} // ${value}`);
  }
});

test.run();
