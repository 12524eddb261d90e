// Compiles bench/baselines/portfolio-kernel.c at run time (gcc -O3 -march=native, or $CC) into a
// temporary directory, feeds it the kernel inputs through a binary file and reads back its own
// timings and every account's MM. Never throws: without a compiler, or when anything fails,
// it returns { skipped: reason }.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { writeKernelFile } from "./kernel-inputs.mjs";

const SOURCE = new URL("./portfolio-kernel.c", import.meta.url).pathname;

/** Runs the native kernel over `inputs`; { samplesMs, maintenanceMargin: BigInt64Array } or { skipped }. */
export function runNativeKernel(inputs, { minReps = 5, maxSeconds = 1, maxReps = 200 } = {}) {
  const compiler = process.env.CC || "gcc";
  let dir = null;
  try {
    dir = mkdtempSync(join(tmpdir(), "margin-core-native-"));
    const binary = join(dir, "portfolio-kernel");
    const compiled = spawnSync(compiler, ["-O3", "-march=native", "-std=c11", "-o", binary, SOURCE], { encoding: "utf8" });
    if (compiled.error) return { skipped: `no C compiler (${compiler}: ${compiled.error.code ?? compiled.error.message})` };
    if (compiled.status !== 0) return { skipped: `${compiler} failed: ${firstLine(compiled.stderr)}` };
    const input = join(dir, "input.bin"), output = join(dir, "mm.bin");
    writeKernelFile(input, inputs);
    const ran = spawnSync(binary, [input, output, String(minReps), String(maxSeconds), String(maxReps)], { encoding: "utf8", maxBuffer: 1 << 24 });
    if (ran.error) return { skipped: `the native kernel failed: ${ran.error.message}` };
    if (ran.status !== 0) return { skipped: `the native kernel failed (exit ${ran.status ?? ran.signal}): ${firstLine(ran.stderr)}` };
    const { samplesMs } = JSON.parse(ran.stdout);
    const bytes = readFileSync(output);
    const maintenanceMargin = new BigInt64Array(bytes.buffer, bytes.byteOffset, bytes.byteLength >> 3).slice();
    if (maintenanceMargin.length !== inputs.accounts || samplesMs.length === 0) return { skipped: "the native kernel returned incomplete output" };
    return { samplesMs, maintenanceMargin, compiler };
  } catch (error) {
    return { skipped: `the native kernel could not run: ${error.message}` };
  } finally {
    if (dir) rmSync(dir, { recursive: true, force: true });
  }
}

function firstLine(text) {
  const line = (text ?? "").split("\n").find((l) => l.trim() !== "");
  return line?.trim() ?? "no message";
}
