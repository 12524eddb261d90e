// `margin-core preview`: serves the margin preview page (build/preview.html) on localhost with a
// venue file preloaded, until interrupted.
import { readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { basename } from "node:path";
import { fileURLToPath } from "node:url";
import { fail } from "../../core/errors.js";
import { MarginEngine } from "../../engine.js";
import { escapeHtml } from "../report.js";
import { describeErrno, help, integerOption, readVenue, type Command } from "./command.js";

/** The page's preloaded-venue element: the server names its venue and where to fetch it, in place of the example. */
const VENUE_ELEMENT = /(<script type="application\/json" id="venue-data" data-name=")[^"]*(" data-src=")[^"]*(">)[\s\S]*?(<\/script>)/;

export const previewCommand: Command = {
  summary: "the margin preview page on http://127.0.0.1, with a venue preloaded (default: examples/venue.json); serves until interrupted",
  usage: "margin-core preview [VENUE.json] [--port N]",
  options: { ...help, port: { type: "string", value: "N", help: "the port to listen on, 0 … 65,535 (default 0: any free port)" } },
  positionals: 1,
  requiredPositionals: 0,
  async run(values, positionals, io) {
    const port = integerOption(values.port, "--port", 0, 65535, 0);
    const file = positionals[0] ?? fileURLToPath(new URL("../examples/venue.json", import.meta.url));
    const venue = readVenue(file);
    const engine = await MarginEngine.fromVenue(venue); // a bad venue fails here, as every command does
    const html = pageWith(readFileSync(new URL("./preview.html", import.meta.url), "utf8"), basename(file));
    const server = createServer((request, response) => answer(request, response, html, venue));
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, "127.0.0.1", () => {
        server.off("error", reject);
        resolve();
      });
    }).catch((error) => fail("MALFORMED", "--port", `cannot listen on 127.0.0.1:${port}: ${describeErrno(error)}`));
    const address = server.address() as { port: number };
    io.stdout.write(`margin-core preview: http://127.0.0.1:${address.port}/ (${basename(file)}, ${engine.stats().accounts} accounts); Ctrl-C to stop\n`);
    await new Promise<void>((resolve) => {
      const stop = () => {
        server.close(() => resolve());
        server.closeAllConnections();
      };
      process.once("SIGINT", stop);
      process.once("SIGTERM", stop);
    });
  },
};

/**
 * The page set to load /venue.json from this server (its worker fetches it, so a large venue never
 * passes through the page's thread), under the venue file's name.
 */
function pageWith(page: string, name: string): string {
  if (!VENUE_ELEMENT.test(page)) throw new Error("build/preview.html has no preloaded-venue element");
  return page.replace(VENUE_ELEMENT, (_all, open: string, src: string, close: string, end: string) => `${open}${escapeHtml(name)}${src}venue.json${close}${end}`);
}

function answer(request: IncomingMessage, response: ServerResponse, html: string, venue: string): void {
  const path = (request.url ?? "/").split("?")[0];
  const body = path === "/" || path === "/index.html" ? { type: "text/html; charset=utf-8", text: html } : path === "/venue.json" ? { type: "application/json", text: venue } : null;
  if (request.method !== "GET" && request.method !== "HEAD") {
    response.writeHead(405, { allow: "GET, HEAD" }).end();
  } else if (body === null) {
    response.writeHead(404, { "content-type": "text/plain" }).end("not found\n");
  } else {
    response.writeHead(200, { "content-type": body.type, "cache-control": "no-store", "x-content-type-options": "nosniff" });
    response.end(request.method === "HEAD" ? undefined : body.text);
  }
}
