// Launch options for Debian's Chromium: headless, no sandbox when running as root, and no
// background networking (this machine's network is closed, and the browser needs none).
import { existsSync } from "node:fs";
import { pathToFileURL } from "node:url";

/** Debian's Chromium, or the browser CHROMIUM_PATH names (playwright-core downloads none). */
export function browserLaunchOptions() {
  const named = process.env.CHROMIUM_PATH;
  if (named && !existsSync(named)) throw new Error(`CHROMIUM_PATH names no file: ${named}`);
  const executablePath = named || ["/usr/bin/chromium", "/usr/bin/chromium-browser"].find(existsSync);
  if (!executablePath) throw new Error("Chromium is not installed (apt-get install chromium, or set CHROMIUM_PATH to a Chromium or Chrome executable)");
  return {
    executablePath,
    headless: true,
    args: [
      "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ],
  };
}

/** Collects the page's console errors and uncaught exceptions, as they happen. */
export function collectErrors(page) {
  const errors = [];
  page.on("console", (message) => { if (message.type() === "error") errors.push(message.text()); });
  page.on("pageerror", (error) => errors.push(error.message));
  return errors;
}

/** Opens a built HTML file and waits until it marks `body[data-ready=true]`. */
export async function openReadyFile(browser, file, viewport = { width: 1280, height: 900 }) {
  const page = await browser.newPage({ viewport });
  const errors = collectErrors(page);
  await page.goto(pathToFileURL(file).href);
  await page.waitForSelector("body[data-ready=true]", { timeout: 10_000 });
  return { page, errors };
}
