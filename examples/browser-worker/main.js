// The page's side: one request at a time per id, answered by the worker.
const worker = new Worker(new URL("./worker.js", import.meta.url), { type: "module" });
const waiting = new Map();
let next = 0;
let failure = null;
worker.onmessage = ({ data }) => {
  const { resolve, reject } = waiting.get(data.id);
  waiting.delete(data.id);
  // a MarginError arrives as { name, code, field, detail, message }
  if (data.error) reject(Object.assign(new Error(data.error.message), data.error));
  else resolve(data);
};
// a worker whose script, or the engine it imports, did not load says no more than that it failed
worker.onerror = (event) => {
  failure = new Error(event.message || "the worker did not start: worker.js or the engine it imports did not load (serve the repository's root)");
  for (const { reject } of waiting.values()) reject(failure);
  waiting.clear();
};
const ask = (message) => new Promise((resolve, reject) => {
  if (failure) return reject(failure);
  const id = ++next;
  waiting.set(id, { resolve, reject });
  worker.postMessage({ ...message, id });
});

try {
  const response = await fetch(new URL("../venue.json", import.meta.url));
  if (!response.ok) throw new Error(`${response.url} answered ${response.status} (serve the repository's root)`);
  const loaded = await ask({ type: "load", venue: await response.text() });
  const { account } = await ask({ type: "account", account: "alice" });
  const { check } = await ask({ type: "checkOrder", order: { account: "bob", instrument: "BTC-PERP", qty: "0.05", price: "65010" } });
  document.querySelector("output").textContent = JSON.stringify({ loaded, account, check }, (_k, v) => (typeof v === "bigint" ? v.toString() : v), 2);
  globalThis.result = { loaded, account, check };
} catch (error) {
  document.querySelector("output").textContent = error.message;
  globalThis.result = { error: { code: error.code, field: error.field, message: error.message } };
}
