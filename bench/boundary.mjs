// The JS boundary cases of the benchmark suite (bench/run.mjs): a venue file's text in, formatted
// accounts out.
// fromVenue of a venue file's text against JSON.parse of the same text, and accounts() against
// JSON.stringify of the array it returned: the generator's venue with min(--accounts, 100,000)
// accounts, written by toVenue(). The samples of each pair alternate, so a drift of the
// machine's speed weighs on both sides alike; the two pairs run one after the other.
import { MarginEngine, generateVenue } from "../build/index.js";

/** Records fromVenue/JSON.parse, accounts()/JSON.stringify and accounts() again/JSON.parse of accounts(). */
export async function boundaryCases({ accounts, seed, venue, columns, maxTime, log, record }) {
  const fmt = (n) => n.toLocaleString("en-US");
  const boundaryAccounts = Math.min(accounts, 100_000);
  const source = boundaryAccounts === accounts ? { venue, columns } : generateVenue({ accounts: boundaryAccounts, seed });
  const writer = await MarginEngine.fromVenue({ ...source.venue, accounts: [] });
  writer.loadColumns(source.columns);
  const text = JSON.stringify(writer.toVenue());
  const boundaryCase = { accounts: boundaryAccounts, positionsPerAccount: source.columns.positionOffsets[boundaryAccounts] / boundaryAccounts, textBytes: text.length };
  log(`boundary: a venue file of ${fmt(boundaryAccounts)} accounts, ${fmt(text.length)} characters`);
  /** Samples of two functions, alternating, at least 5 each and over at least 2 × --max-time. */
  async function alternate(first, second) {
    const samples = [[], []];
    for (const start = performance.now(); samples[0].length < 5 || performance.now() - start < 2 * maxTime * 1000;) {
      for (const [k, fn] of [first, second].entries()) {
        const begin = performance.now();
        await fn();
        samples[k].push(performance.now() - begin);
      }
    }
    return samples;
  }
  let loaded;
  const [parsed, loads] = await alternate(() => JSON.parse(text), async () => { loaded = await MarginEngine.fromVenue(text); });
  record("JSON.parse", parsed, boundaryCase);
  record("fromVenue", loads, boundaryCase);
  let described = loaded.accounts();
  const [formatted, serialized] = await alternate(() => { described = loaded.accounts(); }, () => JSON.stringify(described));
  record("accounts()", formatted, boundaryCase);
  record("JSON.stringify", serialized, boundaryCase);
  // the same objects built by V8's own parser, from the text of that array: what allocating them costs
  const describedText = JSON.stringify(described);
  const [formattedAgain, reparsed] = await alternate(() => { described = loaded.accounts(); }, () => JSON.parse(describedText));
  record("accounts() again", formattedAgain, boundaryCase);
  record("JSON.parse of accounts()", reparsed, boundaryCase);
}
