/**
 * Go's strings package where it differs from JS: Unicode white space without the BOM, one-to-one
 * case mapping, cutsets, SplitN/SplitAfterN, Replace, and UTF-8 byte offsets.
 */

const GO_SPACE = /^[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+|[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+$/g;
const ASCII = /^[\x00-\x7f]*$/;

/** Go's strings.TrimSpace (Unicode white space, not the BOM that JS trim() also removes). */
export function goTrimSpace(s: string): string {
  return s.replace(GO_SPACE, "");
}

/** Go's strings.ToUpper / ToLower: simple (one-to-one) case mapping. */
export function goUpper(s: string): string {
  if (ASCII.test(s)) return s.toUpperCase();
  let out = "";
  for (const ch of s) {
    const u = ch.toUpperCase();
    out += u.length === ch.length || [...u].length === 1 ? u : ch;
  }
  return out;
}

export function goLower(s: string): string {
  if (ASCII.test(s)) return s.toLowerCase();
  let out = "";
  for (const ch of s) {
    const l = ch.toLowerCase();
    out += l.length === ch.length || [...l].length === 1 ? l : ch;
  }
  return out;
}

/** Go's strings.Trim: strips code points found in cutset from both ends. */
export function goTrim(s: string, cutset: string): string {
  if (s === "" || cutset === "") return s;
  const set = new Set(cutset);
  const chars = [...s];
  let a = 0;
  let b = chars.length;
  while (a < b && set.has(chars[a] as string)) a++;
  while (b > a && set.has(chars[b - 1] as string)) b--;
  return chars.slice(a, b).join("");
}

/** Go's strings.SplitN (n < 0: all) and SplitAfterN; `sep` "" splits into code points. */
export function goSplit(s: string, sep: string, n: number, after: boolean): string[] | null {
  if (n === 0) return null;
  if (sep === "") {
    const chars = [...s];
    if (n < 0 || n >= chars.length) return chars;
    return [...chars.slice(0, n - 1), chars.slice(n - 1).join("")];
  }
  const out: string[] = [];
  let start = 0;
  while (n < 0 || out.length < n - 1) {
    const i = s.indexOf(sep, start);
    if (i < 0) break;
    out.push(s.slice(start, after ? i + sep.length : i));
    start = i + sep.length;
  }
  out.push(s.slice(start));
  return out;
}

/** Go's strings.Replace (n < 0: all); an empty `old` inserts between code points. */
export function goReplace(s: string, old: string, repl: string, n: number): string {
  if (n === 0 || old === repl) return s;
  if (old === "") {
    const chars = [...s];
    let out = "";
    let done = 0;
    for (let i = 0; i <= chars.length; i++) {
      if (n < 0 || done < n) {
        out += repl;
        done++;
      }
      if (i < chars.length) out += chars[i];
    }
    return out;
  }
  if (n < 0) return s.split(old).join(repl);
  let out = "";
  let start = 0;
  for (let done = 0; done < n; done++) {
    const i = s.indexOf(old, start);
    if (i < 0) break;
    out += s.slice(start, i) + repl;
    start = i + old.length;
  }
  return out + s.slice(start);
}

/** UTF-8 byte offset of a UTF-16 index (Go indexes strings by bytes). */
export function byteIndex(s: string, utf16Index: number): number {
  if (utf16Index <= 0) return utf16Index;
  const head = s.slice(0, utf16Index);
  return ASCII.test(head) ? utf16Index : Buffer.byteLength(head, "utf8");
}
