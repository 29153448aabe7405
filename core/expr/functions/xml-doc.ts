/**
 * An XML document tree as beevik/etree builds it from Go's encoding/xml in strict mode:
 * namespace prefixes kept as written, comments and character data kept in order (Text()
 * depends on it), entities limited to the five predefined ones and character references,
 * \r\n folded to \n. Anything encoding/xml rejects yields undefined, as upstream then
 * answers "". Written here rather than with fast-xml-parser because that parser accepts and
 * rejects different documents and does not keep what Text() needs.
 */

export interface XmlAttr {
  readonly space: string;
  readonly key: string;
  value: string;
}

export interface XmlElement {
  readonly kind: "element";
  readonly space: string;
  readonly tag: string;
  readonly attrs: XmlAttr[];
  readonly children: XmlNode[];
  readonly parent: XmlElement | null;
}

export type XmlNode = XmlElement | { readonly kind: "text"; readonly data: string } | { readonly kind: "comment" } | { readonly kind: "other" };

const ENTITIES: ReadonlyMap<string, string> = new Map([["lt", "<"], ["gt", ">"], ["amp", "&"], ["apos", "'"], ["quot", '"']]);

function isNameByte(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 95 || c === 58 || c === 46 || c === 45;
}

const NAME_FIRST = /^[\p{L}\p{Nl}_:]$/u;
const NAME_REST = /^[\p{L}\p{Nl}\p{Mn}\p{Mc}\p{Nd}\p{Lm}_:.\-\u00b7]$/u;

/** encoding/xml isName: first code point a letter, ":" or "_"; the rest may add digits, ".", "-", marks. */
function isName(s: string): boolean {
  let first = true;
  for (const ch of s) {
    const c = ch.charCodeAt(0);
    let ok: boolean;
    if (c < 0x80) ok = (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 58 || (!first && ((c >= 48 && c <= 57) || c === 46 || c === 45));
    else ok = first ? NAME_FIRST.test(ch) : NAME_REST.test(ch);
    if (!ok) return false;
    first = false;
  }
  return !first;
}

function inCharacterRange(cp: number): boolean {
  return cp === 0x09 || cp === 0x0a || cp === 0x0d || (cp >= 0x20 && cp <= 0xd7ff) || (cp >= 0xe000 && cp <= 0xfffd) || (cp >= 0x10000 && cp <= 0x10ffff);
}

class SyntaxError_ {}
const FAIL = new SyntaxError_();

/** Strict-mode reader over one document; throws FAIL (caught once in parseXml) on bad input. */
class Reader {
  i = 0;
  constructor(readonly s: string) {}

  mustGet(): number {
    if (this.i >= this.s.length) throw FAIL;
    return this.s.charCodeAt(this.i++);
  }

  space(): void {
    while (this.i < this.s.length) {
      const c = this.s.charCodeAt(this.i);
      if (c !== 32 && c !== 13 && c !== 10 && c !== 9) return;
      this.i++;
    }
  }

  /** readName + isName: the raw name, or undefined when no name starts here. */
  name(): string | undefined {
    const start = this.i;
    if (this.i >= this.s.length) throw FAIL;
    while (this.i < this.s.length) {
      const c = this.s.charCodeAt(this.i);
      if (c < 0x80 && !isNameByte(c)) break;
      this.i++;
    }
    if (this.i === start) return undefined;
    if (this.i >= this.s.length) throw FAIL; // a name runs until a terminator, never EOF
    const n = this.s.slice(start, this.i);
    if (!isName(n)) throw FAIL;
    return n;
  }

  nsName(): { space: string; local: string } {
    const n = this.name();
    if (n === undefined) throw FAIL;
    const colon = n.indexOf(":");
    if (colon >= 0 && n.indexOf(":", colon + 1) >= 0) throw FAIL;
    if (colon <= 0 || colon === n.length - 1) return { space: "", local: n };
    return { space: n.slice(0, colon), local: n.slice(colon + 1) };
  }

  /** Character data up to "<" (quote < 0), up to the quote, or up to "]]>" in CDATA. */
  text(quote: number, cdata: boolean): string {
    let out = "";
    let b0 = 0;
    let b1 = 0;
    const s = this.s;
    let run = this.i; // start of the text copied as is
    for (;;) {
      if (this.i >= s.length) {
        if (cdata) throw FAIL;
        out += s.slice(run, this.i);
        break;
      }
      const c = s.charCodeAt(this.i);
      if (quote < 0 && b0 === 93 && b1 === 93 && c === 62) {
        if (!cdata) throw FAIL;
        out += s.slice(run, this.i - 2);
        this.i++;
        break;
      }
      if (c === 60 && !cdata) {
        if (quote >= 0) throw FAIL;
        out += s.slice(run, this.i);
        break;
      }
      if (quote >= 0 && c === quote) {
        out += s.slice(run, this.i);
        this.i++;
        break;
      }
      this.i++;
      if (c === 38 && !cdata) {
        out += s.slice(run, this.i - 1) + this.entity();
        run = this.i;
        b0 = b1 = 0;
        continue;
      }
      if (c === 13) {
        // \r\n and a lone \r both become \n
        out += s.slice(run, this.i - 1) + "\n";
        if (s.charCodeAt(this.i) === 10) this.i++;
        run = this.i;
        b0 = 13;
        b1 = 10;
        continue;
      }
      b0 = b1;
      b1 = c;
    }
    for (let k = 0; k < out.length; k++) {
      const u = out.charCodeAt(k);
      if (u >= 0x20 && u < 0xd800) continue;
      const cp = out.codePointAt(k)!;
      if (!inCharacterRange(cp)) throw FAIL;
      if (cp > 0xffff) k++;
    }
    return out;
  }

  /** After "&": a predefined entity or character reference; anything else fails in strict mode. */
  entity(): string {
    let c = this.mustGet();
    if (c === 35) {
      c = this.mustGet();
      let base = 10;
      if (c === 120) {
        base = 16;
        c = this.mustGet();
      }
      let digits = "";
      while ((c >= 48 && c <= 57) || (base === 16 && ((c >= 97 && c <= 102) || (c >= 65 && c <= 70)))) {
        digits += String.fromCharCode(c);
        c = this.mustGet();
      }
      if (c !== 59 || digits === "") throw FAIL;
      const n = Number.parseInt(digits, base);
      if (!(n <= 0x10ffff)) throw FAIL;
      return n >= 0xd800 && n <= 0xdfff ? "\ufffd" : String.fromCodePoint(n);
    }
    this.i--;
    const start = this.i;
    while (this.i < this.s.length && (this.s.charCodeAt(this.i) >= 0x80 || isNameByte(this.s.charCodeAt(this.i)))) this.i++;
    const n = this.s.slice(start, this.i);
    if (this.mustGet() !== 59) throw FAIL;
    const e = isName(n) ? ENTITIES.get(n) : undefined;
    if (e === undefined) throw FAIL;
    return e;
  }

  /** Skips to the end of a directive (<!DOCTYPE …>), honouring quotes, nesting and comments. */
  directive(): void {
    let inQuote = 0;
    let depth = 0;
    for (;;) {
      const c = this.mustGet();
      if (inQuote === 0 && c === 62 && depth === 0) return;
      if (c === inQuote) inQuote = 0;
      else if (inQuote !== 0) continue;
      else if (c === 39 || c === 34) inQuote = c;
      else if (c === 62) depth--;
      else if (c === 60) {
        if (this.s.startsWith("!--", this.i)) {
          this.i += 3;
          const end = this.s.indexOf("-->", this.i);
          if (end < 0) throw FAIL;
          this.i = end + 3;
        } else depth++;
      }
    }
  }
}

function newElement(space: string, tag: string, parent: XmlElement | null): XmlElement {
  const e: XmlElement = { kind: "element", space, tag, attrs: [], children: [], parent };
  parent?.children.push(e);
  return e;
}

/** encoding/xml procInst: the value of `param="…"` in a processing instruction, "" if none. */
function procInstParam(param: string, s: string): string {
  const p = param + "=";
  let i = 0;
  let sep = "";
  while (i < s.length) {
    const sub = s.slice(i);
    const k = sub.indexOf(p);
    if (k < 0 || p.length + k >= sub.length) return "";
    i += p.length + k + 1;
    const c = sub[p.length + k]!;
    if (c === "'" || c === '"') {
      sep = c;
      break;
    }
  }
  if (sep === "") return "";
  const j = s.indexOf(sep, i);
  return j < 0 ? "" : s.slice(i, j);
}

/** The document element (tag "") holding the parsed tree, or undefined when Go would refuse the text. */
export function parseXml(text: string): XmlElement | undefined {
  const doc = newElement("", "", null);
  const r = new Reader(text);
  const stack: XmlElement[] = [doc];
  try {
    while (r.i < text.length) {
      const top = stack[stack.length - 1]!;
      if (text.charCodeAt(r.i) !== 60) {
        top.children.push({ kind: "text", data: r.text(-1, false) });
        continue;
      }
      r.i++;
      const c = r.mustGet();
      if (c === 47) {
        const name = r.nsName();
        r.space();
        if (r.mustGet() !== 62) throw FAIL;
        if (stack.length === 1 || top.tag !== name.local || top.space !== name.space) throw FAIL;
        stack.pop();
      } else if (c === 63) {
        const target = r.name();
        if (target === undefined) throw FAIL;
        const end = text.indexOf("?>", r.i);
        if (end < 0) throw FAIL;
        if (target === "xml") {
          const version = procInstParam("version", text.slice(r.i, end));
          if (version !== "" && version !== "1.0") throw FAIL;
        }
        r.i = end + 2;
        top.children.push({ kind: "other" });
      } else if (c === 33) {
        const d = r.mustGet();
        if (d === 45) {
          if (r.mustGet() !== 45) throw FAIL;
          const end = text.indexOf("--", r.i);
          if (end < 0 || end + 2 >= text.length) throw FAIL;
          if (text.charCodeAt(end + 2) !== 62) throw FAIL; // "--" inside a comment
          r.i = end + 3;
          top.children.push({ kind: "comment" });
        } else if (d === 91) {
          if (!text.startsWith("CDATA[", r.i)) throw FAIL;
          r.i += 6;
          top.children.push({ kind: "text", data: r.text(-1, true) });
        } else {
          r.directive();
          top.children.push({ kind: "other" });
        }
      } else {
        r.i--;
        const name = r.nsName();
        const e = newElement(name.space, name.local, top);
        let empty = false;
        for (;;) {
          r.space();
          const b = r.mustGet();
          if (b === 47) {
            if (r.mustGet() !== 62) throw FAIL;
            empty = true;
            break;
          }
          if (b === 62) break;
          r.i--;
          const an = r.nsName();
          r.space();
          if (r.mustGet() !== 61) throw FAIL;
          r.space();
          const q = r.mustGet();
          if (q !== 34 && q !== 39) throw FAIL;
          const value = r.text(q, false);
          const dup = e.attrs.find((a) => a.space === an.space && a.key === an.local);
          if (dup) dup.value = value; // as etree: a repeated attribute keeps its place, last value wins
          else e.attrs.push({ space: an.space, key: an.local, value });
        }
        if (!empty) stack.push(e);
      }
    }
  } catch (e) {
    if (e === FAIL) return undefined;
    throw e;
  }
  return stack.length === 1 ? doc : undefined;
}

/** etree Element.Text: the character data before the first child that is neither text nor comment. */
export function elementText(e: XmlElement): string {
  let text = "";
  for (const c of e.children) {
    if (c.kind === "text") text += c.data;
    else if (c.kind !== "comment") break;
  }
  return text;
}
