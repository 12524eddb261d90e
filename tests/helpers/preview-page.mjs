// Opening build/preview.html in Chromium and waiting for what it shows to settle.
import { collectErrors } from "./chromium.mjs";
import { parseDecimal } from "../reference/decimal.mjs";

export const pageUrl = new URL("../../build/preview.html", import.meta.url).href;

/** A shown money figure ("42,840.1875") as raw units at 1e6. */
export const shown = (text) => parseDecimal(text.replace(/,/g, ""), 6);

/** A page with every console error, page error and CSP violation collected. */
export async function openPage(browser, url = pageUrl, viewport = { width: 1280, height: 900 }) {
  const page = await browser.newPage({ viewport });
  const errors = collectErrors(page);
  await page.addInitScript(() => document.addEventListener("securitypolicyviolation", (e) => console.error(`CSP: ${e.violatedDirective} ${e.blockedURI}`)));
  await page.goto(url);
  await settled(page, 0);
  return { page, errors };
}

/** Waits until the page has rendered more than `after` evaluations and has none pending. */
export async function settled(page, after) {
  await page.waitForFunction((n) => Number(document.body.dataset.evaluations ?? 0) > n && document.body.dataset.pending === "0" && document.body.dataset.loading === "0", after, { timeout: 60_000 });
  return page.evaluate(() => Number(document.body.dataset.evaluations));
}
