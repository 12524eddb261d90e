// Imports internal modules of bindings/ that the package does not export (the decimal fast path,
// the venue text reader), bundled on the fly with the build's esbuild settings, so a test can
// check them directly against the twin.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import * as esbuild from "esbuild";

const root = new URL("../../", import.meta.url);

/** The named exports of the given bindings/ files (paths relative to bindings/), as one module. */
export async function importBindings(...files) {
  const entry = files.map((file) => `export * from ${JSON.stringify(new URL(`bindings/${file}`, root).pathname)};`).join("\n");
  const result = await esbuild.build({
    stdin: { contents: entry, resolveDir: new URL("bindings/", root).pathname, loader: "ts" },
    bundle: true, format: "esm", platform: "neutral", target: "es2022", loader: { ".wasm": "binary" },
    write: false, logLevel: "silent",
  });
  const file = join(mkdtempSync(join(tmpdir(), "margin-core-internal-")), "bundle.mjs");
  writeFileSync(file, result.outputFiles[0].text);
  return import(pathToFileURL(file).href);
}
