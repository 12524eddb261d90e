// Loaded with `node --import`: renaming a temporary file (`….tmp`) first waits RENAME_WAIT_MS, so
// that a test can interrupt a run while its output is written but not yet in place.
import fs from "node:fs";
import { syncBuiltinESMExports } from "node:module";

export const RENAME_WAIT_MS = 3000;
const temporary = (path) => String(path).endsWith(".tmp");

const { renameSync } = fs;
fs.renameSync = (from, to) => {
  if (temporary(from)) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, RENAME_WAIT_MS);
  return renameSync(from, to);
};
const { rename } = fs.promises;
fs.promises.rename = async (from, to) => {
  if (temporary(from)) await new Promise((resolve) => setTimeout(resolve, RENAME_WAIT_MS));
  return rename(from, to);
};
syncBuiltinESMExports();
