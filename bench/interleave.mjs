// Timing helpers for the suite. The machines this runs on are shared and their speed drifts (up
// to 2× between minutes), so the cases a ratio compares are measured in alternation — round after
// round, a batch of each in turn (A B A B) — each figure the median of all its samples, and each
// sample the CPU time the process spent (user + system), which time slices given to other
// processes do not inflate; the native baseline times itself the same way (CLOCK_PROCESS_CPUTIME_ID).

import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

// A collection before each sample: the process's CPU time also counts V8's helper threads, and a
// case that allocates (a liquidation pass) would otherwise have them collecting during the next one.
setFlagsFromString("--expose-gc");
const collect = runInNewContext("gc");

/** Milliseconds of CPU time one call of `fn` takes, starting from a collected heap. */
export function timeOnce(fn) {
  collect();
  const start = process.cpuUsage();
  fn();
  const spent = process.cpuUsage(start);
  return (spent.user + spent.system) / 1000;
}

/**
 * Samples every case in turn, `rounds` times: a case is { name, sample(): ms } (one timed run,
 * after its untimed `setup()` if it has one, which may be async) or { name, sampleBatch(n): ms[] }
 * (n runs, e.g. of the native baseline, which times itself), optionally with its own `batch`
 * size. A case with `sample` runs once untimed first. Returns name → samples in ms.
 */
export async function interleave(cases, { rounds = 5, batch = 3 } = {}) {
  const samples = new Map(cases.map((c) => [c.name, []]));
  for (const c of cases) {
    if (!c.sample) continue;
    await c.setup?.();
    c.sample();
  }
  for (let r = 0; r < rounds; r++) {
    for (const c of cases) {
      const n = c.batch ?? batch;
      if (c.sampleBatch) {
        samples.get(c.name).push(...c.sampleBatch(n));
        continue;
      }
      for (let k = 0; k < n; k++) {
        await c.setup?.();
        samples.get(c.name).push(c.sample());
      }
    }
  }
  return samples;
}

/** The median of a list of numbers (upper median for an even count). */
export function median(values) {
  return [...values].sort((a, b) => a - b)[values.length >> 1];
}
