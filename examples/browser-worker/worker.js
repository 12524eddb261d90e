// A module worker that owns the engine, so loading and margining never block the page.
// In an app built with a bundler, import from "margin-core" instead.
import { MarginEngine } from "../../build/margin-core.browser.js";

let engine = null;

self.onmessage = async ({ data }) => {
  try {
    if (data.type === "load") {
      engine = await MarginEngine.fromVenue(data.venue); // JSON text or a parsed object
      const { status, equityTotal, maintenanceMarginTotal, statusCounts } = engine.riskColumns();
      self.postMessage({ id: data.id, accounts: status.length, equity: equityTotal, maintenanceMargin: maintenanceMarginTotal, statusCounts });
    } else if (data.type === "account") {
      self.postMessage({ id: data.id, account: engine.account(data.account) });
    } else if (data.type === "checkOrder") {
      self.postMessage({ id: data.id, check: engine.checkOrder(data.order) });
    }
  } catch (error) {
    // an Error loses its class and own fields crossing threads: post what the page needs
    const { name, code, field, detail, message } = error;
    self.postMessage({ id: data.id, error: { name, code, field, detail, message } });
  }
};
