// Builds build/preview.html: one self-contained file with the page script (uPlot included), the
// engine worker's script (the module embedded) as text, the styles and examples/venue.json, and a
// Content-Security-Policy that admits exactly the page's own script by its hash.
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";

const dir = "bindings/tools/preview/";

/** Bundles one entry as a classic script, minified, and returns its text. */
async function bundle(esbuild, entry) {
  const result = await esbuild.build({
    entryPoints: [entry], bundle: true, format: "iife", platform: "browser", target: "es2022", minify: !process.env.PREVIEW_UNMINIFIED,
    loader: { ".wasm": "binary" }, write: false, logLevel: "warning", legalComments: "eof",
  });
  return result.outputFiles[0].text;
}

/** Script text that cannot end its element early: `</script` only occurs in strings or regexes, where `<\/` reads the same. */
function scriptText(text) {
  if (text.includes("<!--")) throw new Error("a bundled script contains <!--, which would change how the page parses");
  return text.replace(/<\/(script)/gi, "<\\/$1");
}

/** JSON safe inside a script element: `<` only occurs inside strings, where \u003c reads the same. */
function venueScriptText(json) {
  return json.replace(/</g, "\\u003c");
}

export async function buildPreview(esbuild) {
  const [worker, page] = await Promise.all([bundle(esbuild, `${dir}worker.ts`), bundle(esbuild, `${dir}page.ts`)]);
  const pageJs = scriptText(page);
  const hash = createHash("sha256").update(pageJs).digest("base64");
  const csp = [
    "default-src 'none'", `script-src 'sha256-${hash}' 'wasm-unsafe-eval'`, "worker-src blob:", "style-src 'unsafe-inline'",
    "img-src data: blob:", "connect-src 'self'", "base-uri 'none'",
  ].join("; ");
  const parts = {
    __CSP__: csp,
    __UPLOT_CSS__: readFileSync("node_modules/uplot/dist/uPlot.min.css", "utf8"),
    __PAGE_CSS__: readFileSync(`${dir}page.css`, "utf8"),
    __WORKER__: scriptText(worker),
    __VENUE_NAME__: "examples/venue.json",
    __VENUE__: venueScriptText(readFileSync("examples/venue.json", "utf8")),
    __PAGE_JS__: pageJs,
  };
  const template = readFileSync(`${dir}page.html`, "utf8");
  const html = template.replace(/__[A-Z_]+__/g, (name) => {
    if (!(name in parts)) throw new Error(`page.html has an unknown placeholder ${name}`);
    return parts[name];
  });
  writeFileSync("build/preview.html", html);
  return { bytes: Buffer.byteLength(html), workerBytes: worker.length, pageBytes: page.length };
}
