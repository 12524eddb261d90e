// Opening build/preview.html in Chromium and waiting for what it shows to settle.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { browserLaunchOptions, collectErrors } from "./chromium.mjs";
import { formatDecimal, parseDecimal } from "../reference/decimal.mjs";

export const pageUrl = new URL("../../build/preview.html", import.meta.url).href;

/** A shown money figure ("42,840.1875") as raw units at 1e6. */
export const shown = (text) => parseDecimal(text.replace(/,/g, ""), 6);

/** The venue with underlying `id` at `price`: every source prints it, spot is it, linear marks move in proportion. */
export function venueAtPrice(venue, id, price, index) {
  const p = parseDecimal(price, 8);
  return {
    ...venue,
    underlyings: venue.underlyings.map((u) => (u.id !== id ? u : { ...u, spot: price, sources: (u.sources ?? []).map((s) => ({ ...s, price })) })),
    instruments: venue.instruments.map((row) => (row.underlying !== id || (row.kind !== "perp" && row.kind !== "future") ? row
      : { ...row, mark: formatDecimal((parseDecimal(row.mark, 8) * p) / index, 8) })),
  };
}

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

/**
 * Chromium for one test file, launched before its first test and closed after its last, and a
 * scratch folder (named from `prefix`) for the venue files its tests write, removed then:
 * `suite.browser` (once the tests run), `suite.scratch`, and `suite.loadVenue(page, venue, name)`,
 * which writes `venue` there as `name`, loads it through the page's file input and waits for its
 * first account's figures (or, without accounts, for the load), resolving to the evaluations
 * counted then.
 */
export function previewSuite(test, prefix) {
  const suite = {
    browser: null,
    scratch: mkdtempSync(join(tmpdir(), prefix)),
    async loadVenue(page, venue, name) {
      const file = join(suite.scratch, name);
      writeFileSync(file, JSON.stringify(venue));
      const [loads, count] = await page.evaluate(() => [Number(document.body.dataset.loads), Number(document.body.dataset.evaluations)]);
      await page.setInputFiles("#file-input", file);
      await page.waitForFunction((n) => Number(document.body.dataset.loads) > n, loads);
      return settled(page, count);
    },
  };
  test.before(async () => {
    suite.browser = await chromium.launch(browserLaunchOptions());
  });
  test.after(async () => {
    await suite.browser.close();
    rmSync(suite.scratch, { recursive: true, force: true });
  });
  return suite;
}
