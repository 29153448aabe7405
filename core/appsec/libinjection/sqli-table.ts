/**
 * libinjection's SQL word table and fingerprint set, decoded once at load from sqli-words.ts.
 */
import { SQLI_FINGERPRINTS, SQLI_WORDS } from "./sqli-words";
import { WordTable } from "./word-table";

function decodeWords(text: string): Array<[string, number]> {
  const entries: Array<[string, number]> = [];
  for (const line of text.split("\n")) {
    if (line === "") continue;
    const type = line.charCodeAt(0);
    for (const word of line.slice(2).split(",")) entries.push([word, type]);
  }
  return entries;
}

const WORD_ENTRIES = decodeWords(SQLI_WORDS);
const WORDS = new WordTable(WORD_ENTRIES);

// A fingerprint is at most five ASCII type letters: packed base 128 it is an exact number key.
const FINGERPRINTS = new Set<number>();
for (const fingerprint of SQLI_FINGERPRINTS.split(/\s+/)) {
  if (fingerprint === "") continue;
  let key = 0;
  for (let i = 0; i < fingerprint.length; i++) key = key * 128 + fingerprint.charCodeAt(i);
  FINGERPRINTS.add(key);
}

/** Number of distinct entries, for tests that guard against a truncated data file. */
export const SQLI_TABLE_SIZES = { words: WORD_ENTRIES.length, fingerprints: FINGERPRINTS.size };

const scratch = new Uint8Array(64);

/**
 * Token type (a character code such as 'k', 'f', 'o') of the word bytes[from, to), or 0.
 *
 * Case folding follows Go's strings.ToUpper, which CrowdSec's libinjection uses: ASCII letters,
 * and also the two non-ASCII letters whose upper case is ASCII, "ı" (C4 B1) → "I" and
 * "ſ" (C5 BF) → "S", so "ſelect" is the keyword SELECT there. Any other non-ASCII byte stays
 * non-ASCII and cannot match the all-ASCII table.
 */
export function lookupSqlWord(bytes: Uint8Array, from: number, to: number): number {
  if (to - from > scratch.length) return 0;
  let ascii = true;
  for (let i = from; i < to; i++) if (bytes[i] >= 0x80) ascii = false;
  if (ascii) return WORDS.lookupUpper(bytes, from, to);
  let n = 0;
  for (let i = from; i < to; i++) {
    let c = bytes[i];
    if (c >= 0x61 && c <= 0x7a) c -= 0x20;
    else if (c >= 0x80) {
      const next = i + 1 < to ? bytes[i + 1] : 0;
      if (c === 0xc4 && next === 0xb1) c = 0x49;
      else if (c === 0xc5 && next === 0xbf) c = 0x53;
      else return 0;
      i++;
    }
    scratch[n++] = c;
  }
  return WORDS.lookup(scratch, 0, n);
}

/** Is `fingerprint` (type letters, any case) one of libinjection's SQL injection fingerprints? */
export function isSqliFingerprint(fingerprint: Uint8Array, length: number): boolean {
  if (length < 1) return false;
  let key = 0;
  for (let i = 0; i < length; i++) {
    let c = fingerprint[i];
    if (c >= 0x61 && c <= 0x7a) c -= 0x20;
    key = key * 128 + c;
  }
  return FINGERPRINTS.has(key);
}
