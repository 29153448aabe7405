/**
 * A read-only map from ASCII words to small numbers, looked up by a range of bytes.
 *
 * libinjection looks words up once per token, many times per request argument; keying a `Map`
 * would cost one string per lookup, so the table hashes the bytes in place (FNV-1a, open
 * addressing) and compares them against one packed copy of the keys.
 */
export class WordTable {
  private readonly slots: Int32Array;
  private readonly mask: number;
  private readonly keyBytes: Uint8Array;
  private readonly keyStart: Int32Array;
  private readonly values: Int32Array;

  /** `entries` are [word, value] with value > 0; words must be ASCII and distinct. */
  constructor(entries: ReadonlyArray<readonly [string, number]>) {
    let size = 16;
    while (size < entries.length * 2) size *= 2;
    this.slots = new Int32Array(size).fill(-1);
    this.mask = size - 1;
    this.keyStart = new Int32Array(entries.length + 1);
    this.values = new Int32Array(entries.length);
    let total = 0;
    for (const [word] of entries) total += word.length;
    this.keyBytes = new Uint8Array(total);
    let at = 0;
    for (let i = 0; i < entries.length; i++) {
      const [word, value] = entries[i];
      if (value <= 0) throw new Error(`WordTable values must be positive: "${word}" has ${value}`);
      this.keyStart[i] = at;
      for (let j = 0; j < word.length; j++) {
        const c = word.charCodeAt(j);
        if (c > 0x7f) throw new Error(`WordTable keys must be ASCII: "${word}"`);
        this.keyBytes[at++] = c;
      }
      this.values[i] = value;
      if (this.lookup(this.keyBytes, this.keyStart[i], at) !== 0) throw new Error(`WordTable key "${word}" is repeated`);
      let slot = hashBytes(this.keyBytes, this.keyStart[i], at) & this.mask;
      while (this.slots[slot] !== -1) slot = (slot + 1) & this.mask;
      this.slots[slot] = i;
    }
    this.keyStart[entries.length] = at;
  }

  /** Value of the word bytes[from, to), or 0 when absent. Case-sensitive. */
  lookup(bytes: Uint8Array, from: number, to: number): number {
    const length = to - from;
    let slot = hashBytes(bytes, from, to) & this.mask;
    for (;;) {
      const index = this.slots[slot];
      if (index === -1) return 0;
      const start = this.keyStart[index];
      if (this.keyStart[index + 1] - start === length && this.keyEquals(start, bytes, from, length)) {
        return this.values[index];
      }
      slot = (slot + 1) & this.mask;
    }
  }

  /**
   * Value of the word bytes[from, to) upper-cased (ASCII letters only), or 0 when absent. Folds
   * while hashing and comparing, so a miss costs no copy.
   */
  lookupUpper(bytes: Uint8Array, from: number, to: number): number {
    const length = to - from;
    let h = 0x811c9dc5;
    for (let i = from; i < to; i++) h = Math.imul(h ^ upper(bytes[i]), 0x01000193);
    let slot = (h >>> 0) & this.mask;
    for (;;) {
      const index = this.slots[slot];
      if (index === -1) return 0;
      const start = this.keyStart[index];
      if (this.keyStart[index + 1] - start === length && this.keyEqualsUpper(start, bytes, from, length)) {
        return this.values[index];
      }
      slot = (slot + 1) & this.mask;
    }
  }

  private keyEqualsUpper(start: number, bytes: Uint8Array, from: number, length: number): boolean {
    for (let j = 0; j < length; j++) if (this.keyBytes[start + j] !== upper(bytes[from + j])) return false;
    return true;
  }

  private keyEquals(start: number, bytes: Uint8Array, from: number, length: number): boolean {
    for (let j = 0; j < length; j++) if (this.keyBytes[start + j] !== bytes[from + j]) return false;
    return true;
  }
}

function upper(ch: number): number {
  return ch >= 0x61 && ch <= 0x7a ? ch - 0x20 : ch;
}

function hashBytes(bytes: Uint8Array, from: number, to: number): number {
  let h = 0x811c9dc5;
  for (let i = from; i < to; i++) h = Math.imul(h ^ bytes[i], 0x01000193);
  return h >>> 0;
}
