// Seeded mutations of JSON documents, by class: numbers, types, deletions, duplicates, prototype
// ids, unicode and long ids, control characters, truncation, byte-order marks, deep nesting. Each
// returns the mutated text (some classes only make sense as text: truncation, BOM, duplicate keys).
import { xoroshiro128plus } from "pure-rand/generator/xoroshiro128plus";
import { uniformInt } from "pure-rand/distribution/uniformInt";

export const CLASSES = ["numbers", "types", "deletions", "duplicates", "prototype ids", "unicode and long ids", "control characters", "truncation", "BOM", "deep nesting"];

const NUMBERS = ["0", "-0", "00", "007", "1e5", "1E-5", ".5", "5.", "+1", "1_000", "0x10", "Infinity", "-Infinity", "NaN", "-1", "1.", "",
  "99999999999999999999999999999", "0.000000001", "0.00000001", "10000000000.00000001", "10000000000", "-10000000000", "1.2345678901", " 1", "1 ", "١٢٣"];
const PROTO = ["__proto__", "constructor", "toString", "hasOwnProperty", "valueOf", "prototype", "__defineGetter__", "isPrototypeOf"];
const UNICODE = ["Ω≈ç√", "😀🚀", "‮RTL‮", "e\u0301", "\ud800", "\udfff", "𝔘𝔫𝔦", "x".repeat(128), "y".repeat(129), "z".repeat(10_000), "\uFEFFid", "中文账户"];
const CONTROL = ["\n", "\r\n", "\t", "\u0000", "\u001b[31m", "\u007f", "\u0085", "\u2028", "\u2029", "\b\f"];

export function mutator(seed) {
  const rng = xoroshiro128plus(seed);
  const int = (lo, hi) => uniformInt(rng, lo, hi);
  const pick = (list) => list[int(0, list.length - 1)];

  /** Every [container, key] pair in the document, depth first. */
  function slots(root) {
    const out = [];
    const walk = (node) => {
      if (node === null || typeof node !== "object") return;
      for (const key of Object.keys(node)) {
        out.push([node, Array.isArray(node) ? Number(key) : key]);
        walk(node[key]);
      }
    };
    walk(root);
    return out;
  }
  const stringSlots = (root) => slots(root).filter(([c, k]) => typeof c[k] === "string");
  const idSlots = (root) => slots(root).filter(([c, k]) => typeof c[k] === "string" && (k === "id" || k === "underlying" || k === "instrument" || k === "parent"));
  /** A key renamed in place (collateral assets, params, ids as keys). */
  function renameKey(root, name) {
    const objects = slots(root).map(([c, k]) => c[k]).filter((v) => v && typeof v === "object" && !Array.isArray(v) && Object.keys(v).length > 0);
    if (objects.length === 0) return false;
    const target = pick(objects), key = pick(Object.keys(target));
    const value = target[key];
    delete target[key];
    Object.defineProperty(target, name, { value, enumerable: true, configurable: true, writable: true });
    return true;
  }

  function mutateOnce(doc, kind) {
    const strings = stringSlots(doc), all = slots(doc);
    switch (kind) {
      case "numbers": {
        const [c, k] = pick(strings.length ? strings : all);
        c[k] = pick(NUMBERS);
        return JSON.stringify(doc);
      }
      case "types": {
        const [c, k] = pick(all);
        c[k] = pick([0, 1.5, -1, 1e300, true, false, null, [], {}, "s", [1, 2], { x: 1 }]);
        return JSON.stringify(doc);
      }
      case "deletions": {
        const [c, k] = pick(all);
        if (Array.isArray(c)) c.splice(k, 1);
        else delete c[k];
        return JSON.stringify(doc);
      }
      case "duplicates": {
        const arrays = all.map(([c, k]) => c[k]).filter((v) => Array.isArray(v) && v.length > 0);
        if (arrays.length > 0 && int(0, 1) === 0) {
          const list = pick(arrays);
          list.push(structuredClone(list[int(0, list.length - 1)]));
          return JSON.stringify(doc);
        }
        // a duplicate key in the text: the last one wins in JSON.parse
        const text = JSON.stringify(doc);
        const at = text.indexOf('"', int(0, text.length - 1));
        const match = at < 0 ? null : /^"([^"\\]*)":("[^"\\]*"|-?\d+|true|false|null)/.exec(text.slice(at));
        return match ? text.slice(0, at) + `${match[0]},` + text.slice(at) : text;
      }
      case "prototype ids": {
        const name = pick(PROTO);
        const ids = idSlots(doc);
        if (int(0, 1) === 0 && ids.length > 0) {
          const [c, k] = pick(ids);
          c[k] = name;
        } else if (!renameKey(doc, name)) {
          return JSON.stringify(doc);
        }
        return JSON.stringify(doc);
      }
      case "unicode and long ids": {
        const ids = idSlots(doc);
        const [c, k] = pick(ids.length ? ids : strings.length ? strings : all);
        c[k] = int(0, 2) === 0 ? `${c[k]}${pick(UNICODE)}` : pick(UNICODE);
        return JSON.stringify(doc);
      }
      case "control characters": {
        const [c, k] = pick(strings.length ? strings : all);
        const control = pick(CONTROL);
        c[k] = typeof c[k] === "string" ? c[k].slice(0, 1) + control + c[k].slice(1) : control;
        if (int(0, 3) === 0) renameKey(doc, `key${control}`);
        const text = JSON.stringify(doc);
        // sometimes raw (invalid JSON), sometimes a comment before the document
        return int(0, 9) === 0 ? text.replace(/\\n/, "\n") : int(0, 19) === 0 ? `// venue${control}\n${text}` : text;
      }
      case "truncation": {
        const text = JSON.stringify(doc);
        return text.slice(0, int(0, text.length - 1));
      }
      case "BOM": {
        const text = JSON.stringify(doc);
        const at = pick([0, 0, 0, int(0, text.length)]);
        return text.slice(0, at) + "\uFEFF" + text.slice(at);
      }
      case "deep nesting": {
        const depth = pick([100, 1000, 10_000, 100_000]);
        const [open, close] = pick([["[", "]"], ['{"a":', "}"]]);
        const nested = open.repeat(depth) + "1" + close.repeat(depth);
        const [c, k] = pick(all);
        c[k] = "@@NESTED@@";
        return JSON.stringify(doc).replace('"@@NESTED@@"', nested);
      }
      default:
        throw new Error(kind);
    }
  }

  /** The document mutated once in `kind` (and, one time in four, once more in a random class). */
  return (source, kind) => {
    const doc = structuredClone(source);
    if (int(0, 3) > 0) return mutateOnce(doc, kind);
    const first = mutateOnce(doc, pick(CLASSES.filter((c) => !["truncation", "BOM", "deep nesting", "duplicates", "control characters"].includes(c))));
    let again;
    try {
      again = JSON.parse(first);
    } catch {
      return first;
    }
    return mutateOnce(again, kind);
  };
}
