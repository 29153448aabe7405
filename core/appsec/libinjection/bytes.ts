/**
 * The bytes libinjection looks at.
 *
 * libinjection (C, and the Go port CrowdSec links) reads bytes, and Go hands it the bytes of the
 * request. A JavaScript string is therefore encoded as UTF-8 first, which gives exactly the bytes
 * Go saw whenever the string was decoded from UTF-8 (what Bun and the appsec request model do).
 * Deciding per UTF-16 code unit instead would drift on non-ASCII text: UTF-8 "à" is C3 A0, and
 * libinjection reads the A0 byte as white space, which a code-unit view cannot reproduce. Callers
 * holding raw bytes pass them as a Uint8Array, used as they are.
 */

/** Input bytes and how many of them are used (the buffer is reused and may be longer). */
export interface ByteView {
  readonly bytes: Uint8Array;
  readonly length: number;
}

const encoder = new TextEncoder();

// Reused between calls (the detectors are synchronous and never nest). Inputs whose UTF-8 may
// exceed the cap get a one-off buffer, so a single 10 MiB body does not pin 30 MiB for good.
const SHARED_CAP_BYTES = 1 << 20;
let shared = new Uint8Array(4096);

/** UTF-8 bytes of `input`; valid until the next call. */
export function toBytes(input: string | Uint8Array): ByteView {
  if (typeof input !== "string") return { bytes: input, length: input.length };
  const worst = input.length * 3;
  if (worst > shared.length) {
    if (worst > SHARED_CAP_BYTES) {
      const bytes = encoder.encode(input);
      return { bytes, length: bytes.length };
    }
    shared = new Uint8Array(Math.max(worst, shared.length * 2));
  }
  const { written } = encoder.encodeInto(input, shared);
  return { bytes: shared, length: written };
}

/** Index of the first `byte` in bytes[from, end), or -1. */
export function indexOfByte(bytes: Uint8Array, byte: number, from: number, end: number): number {
  for (let i = from; i < end; i++) if (bytes[i] === byte) return i;
  return -1;
}

/** Index of the first occurrence of the ASCII `needle` in bytes[from, end), or -1. */
export function indexOfAscii(bytes: Uint8Array, needle: string, from: number, end: number): number {
  const first = needle.charCodeAt(0);
  const last = end - needle.length;
  outer: for (let i = from; i <= last; i++) {
    if (bytes[i] !== first) continue;
    for (let j = 1; j < needle.length; j++) if (bytes[i + j] !== needle.charCodeAt(j)) continue outer;
    return i;
  }
  return -1;
}

/** Index of the first occurrence of bytes[nFrom, nEnd) in bytes[from, end), or -1. */
export function indexOfRange(bytes: Uint8Array, from: number, end: number, nFrom: number, nEnd: number): number {
  const n = nEnd - nFrom;
  const last = end - n;
  outer: for (let i = from; i <= last; i++) {
    for (let j = 0; j < n; j++) if (bytes[i + j] !== bytes[nFrom + j]) continue outer;
    return i;
  }
  return -1;
}
