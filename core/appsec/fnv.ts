/** FNV-1a 32-bit over UTF-8 bytes (Go hash/fnv New32a): how upstream derives YAML rule ids. */
const ENCODER = new TextEncoder();

export function fnv1a32(parts: readonly string[]): number {
  let h = 0x811c9dc5;
  for (const part of parts) {
    for (const b of ENCODER.encode(part)) {
      h ^= b;
      h = Math.imul(h, 0x01000193) >>> 0;
    }
  }
  return h >>> 0;
}
