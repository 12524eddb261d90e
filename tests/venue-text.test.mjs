// fromVenue(text) reads the accounts straight from the JSON text (bindings/venue/accounts-text.ts)
// and leaves anything unusual to JSON.parse and the exact path. Checked here: the text path takes
// the common forms and builds the exact path's columns; on thousands of mutated files (types,
// deletions, duplicates, escapes, prototype names, limits, truncation, white space) a text gives
// what the same file as an object gives — the same snapshot bytes, or the same MarginError code,
// field and message; and a generated venue's snapshot is the one its columns give.
// MARGIN_TEXT_MUTATIONS sets the number of mutated files (default 800).
import { test } from "uvu";
import * as assert from "uvu/assert";
import { readFileSync } from "node:fs";
import { createHash } from "node:crypto";
import { xoroshiro128plus } from "pure-rand/generator/xoroshiro128plus";
import { uniformInt } from "pure-rand/distribution/uniformInt";
import { MarginEngine, generateVenue } from "../build/index.js";
import { parseDecimal } from "./reference/decimal.mjs";
import { importBindings } from "./helpers/internal.mjs";

const internal = await importBindings("venue/accounts-text.ts", "venue/accounts.ts", "venue/file.ts");
const MUTATIONS = Number(process.env.MARGIN_TEXT_MUTATIONS ?? 800);
const EXAMPLE = readFileSync(new URL("../examples/venue.json", import.meta.url), "utf8");
const sha = (bytes) => createHash("sha256").update(bytes).digest("hex");

/** The ids the accounts are resolved against, as the engine builds them from a parsed file. */
function lookupOf(file) {
  const assets = (file.assets ?? []).map((a) => a.id);
  const settlement = file.settlement ?? "USD";
  if (!assets.includes(settlement)) assets.unshift(settlement);
  const lotSizes = file.instruments.map((i) => parseDecimal(i.lotSize, 8));
  return {
    instrumentIndex: new Map(file.instruments.map((i, k) => [i.id, k])),
    instrumentLotSize: (i) => lotSizes[i],
    // the kinds' codes as the engine numbers them (perp, future, call, put)
    instrumentKind: (i) => ["perp", "future", "call", "put"].indexOf(file.instruments[i].kind === "option" ? file.instruments[i].right : file.instruments[i].kind),
    assetIndex: new Map(assets.map((id, k) => [id, k])),
  };
}

/** The text path's columns, or null when it declines (or finds a rule broken). */
function textColumns(text) {
  const split = internal.splitVenueText(text);
  if (split === null) return null;
  try {
    return internal.scanAccounts(text, split.accountsStart, split.accountsEnd, lookupOf(split.file));
  } catch {
    return null;
  }
}

const plain = (columns) => Object.fromEntries(Object.entries(columns).map(([k, v]) => [k, ArrayBuffer.isView(v) ? Array.from(v, String) : v]));

/** An engine's outcome for a venue: its snapshot's hash, or the error it gave. */
async function outcome(venue) {
  try {
    return { snapshot: sha((await MarginEngine.fromVenue(venue)).snapshot()) };
  } catch (error) {
    if (error?.name !== "MarginError") throw error;
    return { code: error.code, field: error.field, detail: error.detail };
  }
}

function generatedText(accounts, seed) {
  const { venue, columns } = generateVenue({ accounts, seed });
  return MarginEngine.fromVenue({ ...venue, accounts: [] }).then((engine) => {
    engine.loadColumns(columns);
    return { text: JSON.stringify(engine.toVenue()), columns };
  });
}

test("the text path takes generated venues, written compactly or pretty, and builds the exact path's columns", async () => {
  const { text } = await generatedText(3000, 3);
  const file = JSON.parse(text);
  const shuffled = { ...file, accounts: file.accounts.map(({ positions, collateral, mode, id, ...rest }) => ({ collateral, positions, ...rest, mode, id })) };
  for (const [label, form] of [
    ["compact", text], ["pretty", JSON.stringify(file, null, 2)], ["tabs and CRLF", JSON.stringify(file, null, "\t").replaceAll("\n", "\r\n")],
    ["keys reordered, accounts first", JSON.stringify({ accounts: shuffled.accounts, ...shuffled })],
    // the spacing after the accounts array is the file's, not the array's
    ["pretty, accounts last", JSON.stringify((({ accounts, ...rest }) => ({ ...rest, accounts }))(file), null, 2)],
    ["accounts first, spacing before the comma", `{"accounts":${JSON.stringify(file.accounts)} \n ,${JSON.stringify({ ...file, accounts: undefined }).slice(1)}`],
    ["example", EXAMPLE],
  ]) {
    const got = textColumns(form);
    assert.ok(got !== null, `${label}: the text path declined`);
    const want = internal.parseVenueAccounts(JSON.parse(form).accounts, lookupOf(JSON.parse(form))).columns;
    assert.equal(plain(got), plain(want), label);
  }
});

test("a generated venue through the text path has the snapshot its columns give", async () => {
  const { venue, columns } = generateVenue({ accounts: 5000, seed: 7 });
  const direct = await MarginEngine.fromVenue({ ...venue, accounts: [] });
  direct.loadColumns(columns);
  const text = JSON.stringify(direct.toVenue());
  assert.ok(textColumns(text) !== null, "the text path declined");
  const fromText = await MarginEngine.fromVenue(text);
  assert.ok(Buffer.from(fromText.snapshot()).equals(Buffer.from((await MarginEngine.fromVenue(JSON.parse(text))).snapshot())), "text and object give the same snapshot");
  // the generated columns carry no ids (acc-i): the text's ids are the same strings
  const bytes = fromText.snapshot(), reference = direct.snapshot();
  assert.is(fromText.accounts({ offset: 4321, limit: 1 })[0].id, "acc-4321");
  assert.equal(fromText.riskColumns().maintenanceMargin, direct.riskColumns().maintenanceMargin);
  assert.ok(bytes.length >= reference.length, "same state, ids spelled out");
});

test("the text path declines what it does not read, and the exact path decides", async () => {
  const base = JSON.parse(EXAMPLE);
  const variants = {
    "escaped key": EXAMPLE.replace('"qty": "-0.5"', '"q\\u0074y": "-0.5"'),
    "escaped instrument": EXAMPLE.replace('"instrument": "BTC-PERP", "qty": "-0.5"', '"instrument": "BTC\\u002dPERP", "qty": "-0.5"'),
    "duplicate qty": EXAMPLE.replace('"qty": "-0.5"', '"qty": "-0.3", "qty": "-0.5"'),
    "duplicate collateral": EXAMPLE.replace('"USD": "10000", "BTC": "0.5"', '"USD": "1", "BTC": "0.5", "USD": "10000"'),
    "numeric qty": EXAMPLE.replace('"qty": "-0.5"', '"qty": -0.5'),
    "exponent qty": EXAMPLE.replace('"qty": "-0.5"', '"qty": "-5e-1"'),
    "null mode": EXAMPLE.replace('"mode": "standard", "collateral": { "USD": "500" }', '"mode": null, "collateral": { "USD": "500" }'),
    "accounts null": JSON.stringify({ ...base, accounts: null }),
    "accounts twice": EXAMPLE.replace('"insuranceFund"', '"accounts": [], "insuranceFund"'),
    "digit asset key": EXAMPLE.replace('"USD": "500"', '"500": "1", "USD": "500"'),
  };
  for (const [label, text] of Object.entries(variants)) {
    assert.is(textColumns(text), null, `${label}: the text path should decline`);
    assert.equal(await outcome(text), await outcome(JSON.parse(text)), label);
  }
  // both duplicates resolve as JSON.parse resolves them: the last value wins
  const last = await MarginEngine.fromVenue(variants["duplicate qty"]);
  assert.is(last.toVenue().accounts[0].positions[0].qty, "-0.5");
  assert.is((await MarginEngine.fromVenue(variants["duplicate collateral"])).toVenue().accounts[0].collateral.USD, "10000");
});

const DECIMALS = ["0", "-0", "0.0", "1", "-1", "0.001", "-0.0005", "0.0001", "0.00000001", "0.000000001", "1.123456789", "2.10000000",
  "90071992.54740991", "90071992.54740992", "-90071992.54740992", "92233720368.54775807", "92233720368.54775808",
  "184467440737.09551616", "10000000000", "10000000000.00000001", "-10000000000.00000001", "1e3", "007", ".5", "5.", "", "-", "+1"];

/** The outcome through the text, checked against the object; and the text path's columns against the exact path's when it takes the file. */
async function sameBothWays(text, label) {
  const file = JSON.parse(text);
  const got = await outcome(text), want = await outcome(file);
  if (JSON.stringify(got) !== JSON.stringify(want)) assert.unreachable(`${label}: text ${JSON.stringify(got)}, object ${JSON.stringify(want)}`);
  const columns = textColumns(text);
  if (columns !== null) assert.equal(plain(columns), plain(internal.parseVenueAccounts(file.accounts, lookupOf(file)).columns), `${label}: columns`);
  return { got, taken: columns !== null };
}

test("every decimal edge value as a quantity, an entry and a balance: the same outcome both ways", async () => {
  let taken = 0;
  for (const value of DECIMALS) {
    for (const [field, from, to] of [
      ["qty", '"qty": "-0.5"', `"qty": "${value}"`], ["entry", '"entry": "64000"', `"entry": "${value}"`],
      ["balance", '"USD": "10000"', `"USD": "${value}"`], ["loan", '"BTC": "0.5"', `"BTC": "-${value}"`],
    ]) {
      if ((await sameBothWays(EXAMPLE.replace(from, to), `${field} ${value}`)).taken) taken++;
    }
  }
  assert.ok(taken > 30, `the text path took ${taken}`);
});

test("a balance past the i64 range is refused, not wrapped (2^64 + 1 raw units once loaded as 0.00000001)", async () => {
  const text = EXAMPLE.replace('"USD": "10000"', '"USD": "184467440737.09551617"');
  for (const venue of [text, JSON.parse(text)]) {
    const error = await MarginEngine.fromVenue(venue).then(() => null, (e) => e);
    assert.is(error?.name, "MarginError", `${typeof venue}: accepted`);
    assert.is(`${error.code} at ${error.field}`, "OUT_OF_RANGE at accounts[0].collateral.USD");
  }
});

/** A seeded mutation of a venue file: object edits (types, deletions, limits, ids) or text edits. */
function mutate(rng, text) {
  const int = (n) => uniformInt(rng, 0, n - 1);
  const pick = (list) => list[int(list.length)];
  const file = JSON.parse(text);
  const accounts = file.accounts;
  const account = accounts[int(accounts.length)];
  const position = account.positions?.[int(account.positions.length || 1)];
  const strange = () => pick([null, true, 0, -1, 1.5, [], {}, "", "x", "1e3", "-0", " 1", "0x10", "\u0000", "1".repeat(30), { nested: [1, { a: null }] }]);
  const decimals = DECIMALS;
  const ids = ["__proto__", "constructor", "toString", "hasOwnProperty", "valueOf", "é", "𝔘", "a\"b", "a\\b", "a\nb", "x".repeat(128), "x".repeat(129), ""];
  switch (int(16)) {
    case 0: if (position) position.qty = pick(decimals); break;
    case 1: if (position) position.entry = pick(decimals); break;
    case 2: if (account.collateral) account.collateral[pick(Object.keys(account.collateral).concat(["USD", "BTC", "NOPE"]))] = pick(decimals); break;
    case 3: if (position) position[pick(["instrument", "qty", "entry", "extra"])] = strange(); break;
    case 4: account[pick(["id", "mode", "parent", "positions", "collateral", "extra", "__proto__"])] = strange(); break;
    case 5: if (position) delete position[pick(["instrument", "qty", "entry"])]; else delete account.id; break;
    case 6: account.parent = pick([account.id, accounts[int(accounts.length)].id, "nobody", null]); break;
    case 7: account.mode = pick(["standard", "portfolio", "Portfolio", "", null]); break;
    case 8: account.id = pick(ids); break;
    case 9: if (position) position.instrument = pick([...file.instruments.map((i) => i.id), "nope", "BTC-perp"]); break;
    case 10: accounts.push({ ...account }); break;
    case 11: account.positions = Array.from({ length: pick([0, 63, 64, 65]) }, () => ({ ...(position ?? { instrument: file.instruments[0].id, qty: "1", entry: "1" }) })); break;
    case 12: account.collateral = Object.fromEntries(Array.from({ length: pick([16, 17]) }, (_, k) => [`A${k}`, "1"])); break;
    case 13: file[pick(["params", "now", "insuranceFund", "settlement"])] = strange(); break;
    default: break;
  }
  let out = pick([JSON.stringify(file), JSON.stringify(file, null, pick([1, 2, "\t"]))]);
  // text edits: a character dropped, swapped or inserted; truncation; a BOM; an escape; a repeated key
  const at = int(out.length);
  switch (int(18)) {
    case 0: out = out.slice(0, at) + out.slice(at + 1); break;
    case 1: out = out.slice(0, at) + pick(['"', "\\", ",", "}", "]", "\n", "\u0001", " ", "0", "-", "."]) + out.slice(at); break;
    case 2: out = out.slice(0, at); break;
    case 3: out = "\uFEFF" + out; break;
    case 4: out = out.replace(/"(BTC|ETH|SOL|USD)/, (m, id) => `"\\u00${id.charCodeAt(0).toString(16)}${id.slice(1)}`); break;
    case 5: out = out.replace(/"qty":/, '"qty":"1","qty":'); break;
    case 6: out = out.replace(/"id":("[^"]*")/, '"id":$1,"id":$1'); break;
    default: break;
  }
  return out;
}

test("a venue text's byte-order mark is dropped, as the command line drops it; a second one is not JSON", async () => {
  const plain = (await MarginEngine.fromVenue(EXAMPLE)).snapshot();
  assert.equal((await MarginEngine.fromVenue("\uFEFF" + EXAMPLE)).snapshot(), plain);
  const { text } = await generatedText(200, 4);
  assert.equal((await MarginEngine.fromVenue("\uFEFF" + text)).snapshot(), (await MarginEngine.fromVenue(text)).snapshot());
  assert.ok(textColumns(text) !== null, "the text path declined the generated venue");
  const twice = await outcome("\uFEFF\uFEFF" + EXAMPLE);
  assert.equal([twice.code, twice.field], ["MALFORMED", "$"]);
  assert.match(twice.detail, /^not valid JSON/);
});

test(`${MUTATIONS} mutated venue files: a text gives what the same file as an object gives`, async () => {
  const rng = xoroshiro128plus(20261202);
  const { text: generated } = await generatedText(40, 9);
  let taken = 0, rejected = 0, invalidJson = 0;
  for (let k = 0; k < MUTATIONS; k++) {
    const text = mutate(rng, k % 2 ? generated : EXAMPLE);
    const got = await outcome(text);
    let file;
    try {
      // a byte-order mark is dropped, as the command line drops it, before the text is read
      file = JSON.parse(text.replace(/^\uFEFF/, ""));
    } catch {
      invalidJson++;
      assert.equal({ code: got.code, field: got.field }, { code: "MALFORMED", field: "$" }, `mutation ${k}: invalid JSON`);
      continue;
    }
    const want = await outcome(file);
    if (JSON.stringify(got) !== JSON.stringify(want)) assert.unreachable(`mutation ${k}: text ${JSON.stringify(got)}, object ${JSON.stringify(want)}\n${text.slice(0, 400)}`);
    if (got.code) rejected++;
    const columns = textColumns(text);
    if (columns === null) continue;
    // what the text path takes, the exact path takes too, with the same columns
    taken++;
    assert.equal(plain(columns), plain(internal.parseVenueAccounts(file.accounts, lookupOf(file)).columns), `mutation ${k}: columns\n${text.slice(0, 400)}`);
  }
  assert.ok(taken > MUTATIONS / 5, `the text path took ${taken} of ${MUTATIONS}`);
  assert.ok(rejected > MUTATIONS / 5 && invalidJson > MUTATIONS / 20, `${rejected} rejected, ${invalidJson} not JSON`);
});

test.run();
