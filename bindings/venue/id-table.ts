// Ids looked up by a range of JSON text, without cutting a string out of it: an open-addressing
// table keyed by a hash of the characters, checked against the id itself.

/** The hash of one character added to `hash` (the text scanner computes it as it reads). */
export function hashStep(hash: number, code: number): number {
  return (Math.imul(hash, 31) + code) | 0;
}

/** Whether text[start, start + word.length) is `word` (a loop the compiler inlines; cheaper than startsWith here). */
export function sameText(text: string, start: number, word: string): boolean {
  for (let k = 0; k < word.length; k++) if (text.charCodeAt(start + k) !== word.charCodeAt(k)) return false;
  return true;
}

export class IdTable {
  private readonly slots: Int32Array;
  private readonly mask: number;

  /**
   * `ids` by index. Ids that JSON writes differently from their value (with a quote, a
   * backslash or a control character) are left out: their references go the exact path.
   */
  constructor(private readonly ids: readonly string[]) {
    let size = 16;
    while (size < ids.length * 2) size *= 2;
    this.slots = new Int32Array(size).fill(-1);
    this.mask = size - 1;
    ids.forEach((id, index) => {
      if (!/^[^"\\\u0000-\u001f]+$/.test(id)) return;
      let hash = 0;
      for (let k = 0; k < id.length; k++) hash = hashStep(hash, id.charCodeAt(k));
      let slot = hash & this.mask;
      while (this.slots[slot] >= 0) slot = (slot + 1) & this.mask;
      this.slots[slot] = index;
    });
  }

  /** The ids of a map from id to index, by index. */
  static of(map: Map<string, number>): IdTable {
    const ids: string[] = [];
    for (const [id, index] of map) ids[index] = id;
    return new IdTable(ids);
  }

  /** The index of the id written as text[start, end) (with `hash` its hash), or -1. */
  find(text: string, start: number, end: number, hash: number): number {
    for (let slot = hash & this.mask; ; slot = (slot + 1) & this.mask) {
      const index = this.slots[slot];
      if (index < 0) return -1;
      const id = this.ids[index];
      if (id.length === end - start && sameText(text, start, id)) return index;
    }
  }
}
