// Two builds of the engine side by side in one process: `node bench/compare-builds.mjs --base DIR
// [--build DIR] [--accounts N] [--seed S] [--rounds R] [--cases tick,btc,recompute,crash,cleared,accounts,scattered,checked,compacted]`,
// where --base is another build's `build/` folder (copied aside before a change, say) and --build
// this one's (by default the repository's `build/`). The same generated venue, every account in
// portfolio mode, is loaded into an engine of each build; each case is sampled in alternation
// (the two builds' samples of a case side by side, round after round), each sample the process's
// CPU time after a collection (bench/interleave.mjs), and the medians and their ratio are printed. The cases:
// `tick` a BTC print and the read that absorbs it (the suite's tick refresh), `btc` the recompute
// of the venue keeping only BTC positions, `recompute` the full recompute, `crash` and `cleared`
// the suite's crash ticks, `accounts` the formatted accounts() of the whole venue, and `scattered` the tick on the venue after 40 % of its accounts, in
// random order, each opened a SOL perpetual — their books and cache slots moved to their arenas'
// ends, as trading leaves them between compactions —, `compacted` that tick after `compact()`, and
// `checked` the tick after the same accounts each had a pre-trade check of that order (nothing
// applied).
// After the rounds, the two builds' snapshots are compared byte for byte, and so are the crash
// tick's reports and the JSON of accounts(): a change meant to be faster must not change a result.
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { isDeepStrictEqual } from "node:util";
import { xoroshiro128plus } from "pure-rand/generator/xoroshiro128plus";
import { uniformInt } from "pure-rand/distribution/uniformInt";
import { benchOptions, accountsOption, seedOption } from "./arguments.mjs";
import { timeOnce, median } from "./interleave.mjs";
import { keepPositions } from "./cases.mjs";

const KNOWN = ["tick", "btc", "recompute", "crash", "cleared", "accounts", "scattered", "checked", "compacted"];
const { values, refuse } = benchOptions("node bench/compare-builds.mjs", {
  base: { value: "DIR", required: true, help: "another build's build/ folder, to compare this one with" },
  build: { value: "DIR", default: fileURLToPath(new URL("../build", import.meta.url)), help: "this build's folder" },
  accounts: accountsOption(100_000),
  seed: seedOption,
  rounds: { value: "R", integer: [1, 1000], default: 10, help: "rounds of samples, each build's samples of a case side by side" },
  cases: { value: "CASE,…", default: "tick,btc,recompute,crash", help: `the cases to compare, of ${KNOWN.join(", ")}` },
});
const { accounts, seed, rounds } = values;
for (const option of ["base", "build"]) {
  if (!existsSync(resolve(values[option], "index.js"))) refuse(`--${option}: ${values[option]} holds no index.js (a build/ folder)`);
}
const wanted = values.cases.split(",");
for (const name of wanted) if (!KNOWN.includes(name)) refuse(`--cases: unknown case ${name} (known: ${KNOWN.join(", ")})`);
const log = (line) => process.stderr.write(line + "\n");

const builds = [
  { label: "this", module: await import(pathToFileURL(resolve(values.build, "index.js")).href) },
  { label: "base", module: await import(pathToFileURL(resolve(values.base, "index.js")).href) },
];
const { venue, columns } = builds[0].module.generateVenue({ accounts, seed });
const portfolio = { ...columns, mode: new Uint8Array(accounts).fill(1) };
const btc = wanted.includes("btc") ? keepPositions(venue, portfolio, (i) => i.underlying === "BTC") : null;
/** Every account not holding the SOL perpetual among a seeded random 40 %, in that random order. */
function scatteredAccounts() {
  const perpetual = venue.instruments.findIndex((i) => i.underlying === "SOL" && i.kind === "perp");
  // a seeded Fisher–Yates shuffle of the account indices
  const rng = xoroshiro128plus(seed + 1), order = Array.from({ length: accounts }, (_, a) => a);
  for (let k = accounts - 1; k > 0; k--) {
    const j = uniformInt(rng, 0, k);
    [order[k], order[j]] = [order[j], order[k]];
  }
  const holds = (a) => columns.positionInstrument.subarray(columns.positionOffsets[a], columns.positionOffsets[a + 1]).includes(perpetual);
  return { perpetual: venue.instruments[perpetual], moved: order.slice(0, Math.floor(accounts * 0.4)).filter((a) => !holds(a)) };
}
const scattered = ["scattered", "checked", "compacted"].some((c) => wanted.includes(c)) ? scatteredAccounts() : null;
const tickTime = Date.parse(venue.now) + 1000;

async function engineOf(MarginEngine, accountColumns) {
  const engine = await MarginEngine.fromVenue({ ...venue, accounts: [] });
  engine.loadColumns(accountColumns);
  engine.recompute();
  return engine;
}

/** A BTC print and the read that absorbs it, the price one higher each sample. */
function tickSample(engine) {
  let price = 65000;
  return () => timeOnce(() => { engine.setPrice("BTC", String((price += 1)), tickTime); engine.lotGreeks("BTC-PERP"); });
}

const cases = [];
const checks = [];
for (const build of builds) {
  const { MarginEngine } = build.module;
  const name = (what) => `${what} (${build.label})`;
  const recomputed = await engineOf(MarginEngine, portfolio);
  const ticked = await engineOf(MarginEngine, portfolio);
  if (wanted.includes("tick")) cases.push({ name: name("tick"), sample: tickSample(ticked) });
  if (wanted.includes("recompute")) cases.push({ name: name("recompute"), sample: () => timeOnce(() => recomputed.recompute()) });
  let described = null;
  if (wanted.includes("accounts")) cases.push({ name: name("accounts"), batch: 1, sample: () => timeOnce(() => { described = recomputed.accounts(); }) });
  if (btc) {
    const btcEngine = await engineOf(MarginEngine, btc);
    cases.push({ name: name("btc"), sample: () => timeOnce(() => btcEngine.recompute()) });
  }
  for (const what of ["scattered", "compacted"].filter((c) => wanted.includes(c))) {
    const moved = await engineOf(MarginEngine, portfolio);
    for (const a of scattered.moved) moved.setPosition(`acc-${a}`, scattered.perpetual.id, scattered.perpetual.lotSize, "100");
    moved.totals();
    if (what === "compacted") {
      if (typeof moved.compact !== "function") refuse(`--cases compacted: the ${build.label} build has no compact()`);
      moved.compact();
    }
    cases.push({ name: name(what), sample: tickSample(moved) });
  }
  if (wanted.includes("checked")) {
    const checkedEngine = await engineOf(MarginEngine, portfolio);
    const order = { instrument: scattered.perpetual.id, qty: scattered.perpetual.lotSize, price: "100" };
    for (const a of scattered.moved) checkedEngine.checkOrder({ ...order, account: `acc-${a}` });
    checkedEngine.totals();
    cases.push({ name: name("checked"), sample: tickSample(checkedEngine) });
  }
  const snapshot = recomputed.snapshot();
  const reports = {};
  for (const crash of ["crash", "cleared"].filter((c) => wanted.includes(c))) {
    let start = snapshot;
    if (crash === "cleared") {
      const clearing = await MarginEngine.restore(snapshot);
      clearing.liquidate();
      start = clearing.snapshot();
    }
    let engine = null;
    cases.push({
      name: name(crash), batch: 1,
      setup: async () => {
        engine = await MarginEngine.restore(start);
        engine.totals();
      },
      sample: () => timeOnce(() => {
        engine.setPrice("BTC", String(65000 * 0.98), tickTime);
        engine.queueOrder();
        reports[crash] = engine.liquidate();
      }),
    });
  }
  checks.push({ label: build.label, ticked, reports, described: () => described });
}

log(`${accounts} portfolio accounts, ${rounds} rounds, cases ${wanted.join(", ")}…`);
// each case of one build right beside the same case of the other, which goes first in every
// other round (whatever runs second in a pair may find the machine in another state)
const pairs = wanted.map((what) => builds.map((b) => cases.find((c) => c.name === `${what} (${b.label})`)));
const samples = new Map(cases.map((c) => [c.name, []]));
for (const c of cases) {
  await c.setup?.();
  c.sample();
}
for (let r = 0; r < rounds; r++) {
  for (const pair of pairs) {
    for (const c of r % 2 === 0 ? pair : [...pair].reverse()) {
      for (let k = 0; k < (c.batch ?? 3); k++) {
        await c.setup?.();
        samples.get(c.name).push(c.sample());
      }
    }
  }
}
for (const what of wanted) {
  const [mine, theirs] = builds.map((b) => median(samples.get(`${what} (${b.label})`)));
  console.log(`${what.padEnd(10)} this ${mine.toFixed(2).padStart(8)} ms   base ${theirs.toFixed(2).padStart(8)} ms   this/base ${(mine / theirs).toFixed(3)}   (${samples.get(`${what} (this)`).length} samples each)`);
}

// the same prices on both (each tick case saw the same prints), so the same bytes
const [a, b] = checks;
if (wanted.includes("tick")) {
  const same = Buffer.from(a.ticked.snapshot()).equals(Buffer.from(b.ticked.snapshot()));
  console.log(`ticked engines' snapshots ${same ? "identical" : "DIFFER"}`);
  if (!same) process.exitCode = 1;
}
for (const crash of Object.keys(a.reports)) {
  const same = isDeepStrictEqual(a.reports[crash], b.reports[crash]);
  console.log(`${crash} reports ${same ? "identical" : "DIFFER"}`);
  if (!same) process.exitCode = 1;
}
if (wanted.includes("accounts")) {
  // the records of the two builds inherit from prototypes of their own: compared as JSON
  const same = JSON.stringify(a.described()) === JSON.stringify(b.described());
  console.log(`accounts() ${same ? "identical" : "DIFFER"}`);
  if (!same) process.exitCode = 1;
}
