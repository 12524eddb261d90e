// Compiles bench/baselines/margin-kernel.c once at run time (gcc -O3 -march=native, or $CC) into a
// temporary directory and writes the kernel inputs there; each run() spawns it, and reads back its
// own timings, every account's equity, IM, MM and status, and the venue totals. Never throws:
// without a compiler, or when anything fails, it returns (or run() returns) { skipped: reason }.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { writeKernelFile } from "./kernel-inputs.mjs";

const SOURCE = new URL("./margin-kernel.c", import.meta.url).pathname;
const FLAGS = ["-O3", "-march=native", "-std=c11"];

/**
 * { compiler, run({ minReps, maxSeconds, maxReps }), close() } over `inputs`, or { skipped }.
 * run() gives { samplesMs, equity, initialMargin, maintenanceMargin (BigInt64Array each),
 * status (Uint8Array), totals (bigints) } or { skipped }.
 */
export function nativeKernel(inputs) {
  const compiler = process.env.CC || "gcc";
  let dir = null;
  const close = () => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = null;
  };
  try {
    dir = mkdtempSync(join(tmpdir(), "margin-core-native-"));
    const binary = join(dir, "margin-kernel"), input = join(dir, "input.bin"), output = join(dir, "results.bin");
    const compiled = spawnSync(compiler, [...FLAGS, "-o", binary, SOURCE, "-lm"], { encoding: "utf8" });
    if (compiled.error) return skip(`no C compiler (${compiler}: ${compiled.error.code ?? compiled.error.message})`);
    if (compiled.status !== 0) return skip(`${compiler} failed: ${firstLine(compiled.stderr)}`);
    writeKernelFile(input, inputs);
    return { compiler: `${compiler} ${FLAGS.slice(0, 2).join(" ")}`, close, run: (options) => runOnce(binary, input, output, inputs.accounts, options) };
  } catch (error) {
    return skip(`the native kernel could not run: ${error.message}`);
  }

  function skip(reason) {
    close();
    return { skipped: reason };
  }
}

function runOnce(binary, input, output, n, { minReps = 5, maxSeconds = 0.5, maxReps = 200 } = {}) {
  try {
    const ran = spawnSync(binary, [input, output, String(minReps), String(maxSeconds), String(maxReps)], { encoding: "utf8", maxBuffer: 1 << 24 });
    if (ran.error) return { skipped: `the native kernel failed: ${ran.error.message}` };
    if (ran.status !== 0) return { skipped: `the native kernel failed (exit ${ran.status ?? ran.signal}): ${firstLine(ran.stderr)}` };
    const { samplesMs, totals } = JSON.parse(ran.stdout);
    const bytes = readFileSync(output);
    if (bytes.byteLength !== 25 * n || samplesMs.length === 0) return { skipped: "the native kernel returned incomplete output" };
    const words = (k) => new BigInt64Array(bytes.buffer.slice(bytes.byteOffset + 8 * k * n, bytes.byteOffset + 8 * (k + 1) * n));
    return {
      samplesMs,
      equity: words(0), initialMargin: words(1), maintenanceMargin: words(2),
      status: new Uint8Array(bytes.buffer.slice(bytes.byteOffset + 24 * n, bytes.byteOffset + 25 * n)),
      totals: { equity: BigInt(totals.equity), initialMargin: BigInt(totals.initialMargin), maintenanceMargin: BigInt(totals.maintenanceMargin) },
    };
  } catch (error) {
    return { skipped: `the native kernel could not run: ${error.message}` };
  }
}

function firstLine(text) {
  const line = (text ?? "").split("\n").find((l) => l.trim() !== "");
  return line?.trim() ?? "no message";
}
