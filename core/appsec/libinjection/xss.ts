/**
 * libinjection's XSS check: tokenize the input as HTML from five starting points and flag black
 * tags, event-handler and indirect attributes, style, and javascript:/data:/vbscript:/view-source:
 * URLs in URL attributes, plus doctype and IE-only comment tricks.
 */
import { toBytes } from "./bytes";
import { Html, Html5Tokenizer, type HtmlContext } from "./html5";
import { WordTable } from "./word-table";
import { XSS_ATTRIBUTES, XSS_EVENTS, XSS_TAGS } from "./xss-words";

// What an attribute's value is checked for.
const ATTR_NONE = 0;
const ATTR_BLACK = 1;
const ATTR_URL = 2;
const ATTR_STYLE = 3;
const ATTR_INDIRECT = 4; // the value names another attribute (SVG attributeName)

const ATTR_KINDS: Record<string, number> = { black: ATTR_BLACK, url: ATTR_URL, style: ATTR_STYLE, indirect: ATTR_INDIRECT };

function words(text: string): string[] {
  return text.split(/\s+/).filter((w) => w !== "");
}

const BLACK_TAGS = new WordTable(words(XSS_TAGS).map((w) => [w, 1] as const));
const BLACK_EVENTS = new WordTable(words(XSS_EVENTS).map((w) => [w, ATTR_BLACK] as const));
const BLACK_ATTRIBUTES = new WordTable(
  words(XSS_ATTRIBUTES).map((entry) => {
    const colon = entry.indexOf(":");
    const kind = ATTR_KINDS[entry.slice(0, colon)];
    if (kind === undefined) throw new Error(`xss-words: unknown attribute kind in "${entry}"`);
    return [entry.slice(colon + 1), kind] as const;
  }),
);

const CONTEXTS: readonly HtmlContext[] = [
  "data", "value-no-quote", "value-single-quote", "value-double-quote", "value-back-quote",
];

/** Names longer than this cannot be black (the longest is 48 bytes) and are not compared. */
const NAME_MAX = 64;
const name = new Uint8Array(NAME_MAX);

/** Upper-cases input[from, from+length) into `name`, dropping NULs; -1 when longer than NAME_MAX. */
function normalizeName(input: Uint8Array, from: number, length: number): number {
  let n = 0;
  for (let i = from; i < from + length; i++) {
    let ch = input[i];
    if (ch === 0) continue;
    if (n === NAME_MAX) return -1;
    if (ch >= 0x61 && ch <= 0x7a) ch -= 0x20;
    name[n++] = ch;
  }
  return n;
}

function isBlackTag(input: Uint8Array, from: number, length: number): boolean {
  if (length < 3) return false;
  const n = normalizeName(input, from, length);
  if (n < 0) return false;
  if (BLACK_TAGS.lookup(name, 0, n) !== 0) return true;
  // anything SVG or XSL(T)
  return n >= 3 && ((name[0] === 0x53 && name[1] === 0x56 && name[2] === 0x47) ||
    (name[0] === 0x58 && name[1] === 0x53 && name[2] === 0x4c));
}

function nameIs(n: number, upper: string): boolean {
  if (n !== upper.length) return false;
  for (let i = 0; i < n; i++) if (name[i] !== upper.charCodeAt(i)) return false;
  return true;
}

function attributeKind(input: Uint8Array, from: number, length: number): number {
  const n = normalizeName(input, from, length);
  if (n < 2) return ATTR_NONE;
  if (n >= 5) {
    if (nameIs(n, "XMLNS") || nameIs(n, "XLINK")) return ATTR_BLACK;
    if (name[0] === 0x4f && name[1] === 0x4e) {
      const event = BLACK_EVENTS.lookup(name, 2, n); // on<event>
      if (event !== 0) return event;
    }
  }
  return BLACK_ATTRIBUTES.lookup(name, 0, n);
}

// html decoding leaves the decoded value here and returns how many bytes it used
let decodedValue = 0;

function hexValue(ch: number): number {
  if (ch >= 0x30 && ch <= 0x39) return ch - 0x30;
  const lower = ch | 0x20;
  if (lower >= 0x61 && lower <= 0x66) return lower - 0x61 + 10;
  return -1;
}

/**
 * Decodes one character at input[pos] (a byte, or a numeric entity "&#65;" / "&#x41;" with
 * optional ";") into decodedValue; returns the bytes consumed. Named entities are not decoded.
 */
function decodeCharAt(input: Uint8Array, pos: number, end: number): number {
  const length = end - pos;
  if (input[pos] !== 0x26 || length < 2) {
    decodedValue = input[pos];
    return 1;
  }
  decodedValue = 0x26;
  if (input[pos + 1] !== 0x23 || length < 3) return 1;
  let i: number;
  let value: number;
  if ((input[pos + 2] | 0x20) === 0x78) {
    if (length < 4) return 1;
    value = hexValue(input[pos + 3]);
    if (value < 0) return 1;
    for (i = 4; i < length; i++) {
      const ch = input[pos + i];
      if (ch === 0x3b) {
        decodedValue = value;
        return i + 1;
      }
      const digit = hexValue(ch);
      if (digit < 0) break;
      value = value * 16 + digit;
      if (value > 0x1000ff) return 1;
    }
  } else {
    const first = input[pos + 2];
    if (first < 0x30 || first > 0x39) return 1;
    value = first - 0x30;
    for (i = 3; i < length; i++) {
      const ch = input[pos + i];
      if (ch === 0x3b) {
        decodedValue = value;
        return i + 1;
      }
      if (ch < 0x30 || ch > 0x39) break;
      value = value * 10 + (ch - 0x30);
      if (value > 0x1000ff) return 1;
    }
  }
  decodedValue = value;
  return i;
}

/**
 * Does the HTML-encoded input[pos, end) start with `prefix` (upper-case ASCII), ignoring case,
 * leading control characters and white space, and NUL and newline anywhere?
 */
function startsWithEncoded(prefix: string, input: Uint8Array, pos: number, end: number): boolean {
  let matched = 0;
  let leading = true;
  while (pos < end) {
    pos += decodeCharAt(input, pos, end);
    let ch = decodedValue;
    if (leading && ch <= 32) continue;
    leading = false;
    if (ch === 0 || ch === 10) continue;
    if (ch >= 0x61 && ch <= 0x7a) ch -= 0x20;
    if (matched >= prefix.length) return true;
    if ((ch & 0xff) !== prefix.charCodeAt(matched)) return false; // C compares as char
    matched++;
  }
  return matched >= prefix.length;
}

const BLACK_URL_PREFIXES = ["DATA", "VIEW-SOURCE", "VBSCRIPT", "JAVA"]; // JAVA covers JAVASCRIPT

function isBlackUrl(input: Uint8Array, from: number, length: number): boolean {
  const end = from + length;
  let pos = from;
  // skip control characters, white space and high bytes (Opera's UTF-8 white space, EUC-JP)
  while (pos < end && (input[pos] <= 32 || input[pos] >= 127)) pos++;
  for (const prefix of BLACK_URL_PREFIXES) if (startsWithEncoded(prefix, input, pos, end)) return true;
  return false;
}

function startsWithAsciiNoCase(input: Uint8Array, from: number, upper: string): boolean {
  for (let i = 0; i < upper.length; i++) {
    let ch = input[from + i];
    if (ch >= 0x61 && ch <= 0x7a) ch -= 0x20;
    if (ch !== upper.charCodeAt(i)) return false;
  }
  return true;
}

/** Comments that IE executes or that declare XML entities. */
function isBlackComment(input: Uint8Array, from: number, length: number): boolean {
  for (let i = from; i < from + length; i++) if (input[i] === 0x60) return true; // IE ends tags at "`"
  if (length > 3 && (startsWithAsciiNoCase(input, from, "[IF") || startsWithAsciiNoCase(input, from, "XML"))) {
    return true; // IE conditional comment, XML processing instruction
  }
  if (length > 5) {
    // "<?import" (IE) and "<!ENTITY": only when the first six bytes hold no NUL
    const n = normalizeName(input, from, 6);
    if (n === 6 && (nameIs(n, "IMPORT") || nameIs(n, "ENTITY"))) return true;
  }
  return false;
}

const tokenizer = new Html5Tokenizer();

function isXssIn(input: Uint8Array, length: number, context: HtmlContext): boolean {
  const h = tokenizer;
  h.reset(input, length, context);
  let attr = ATTR_NONE;
  while (h.next()) {
    if (h.tokenType !== Html.attrValue) attr = ATTR_NONE;
    switch (h.tokenType) {
      case Html.docType:
        return true;
      case Html.tagNameOpen:
        if (isBlackTag(input, h.tokenStart, h.tokenLength)) return true;
        break;
      case Html.attrName:
        attr = attributeKind(input, h.tokenStart, h.tokenLength);
        break;
      case Html.attrValue:
        if (attr === ATTR_BLACK || attr === ATTR_STYLE) return true;
        if (attr === ATTR_URL && isBlackUrl(input, h.tokenStart, h.tokenLength)) return true;
        if (attr === ATTR_INDIRECT && attributeKind(input, h.tokenStart, h.tokenLength) === ATTR_BLACK) return true;
        attr = ATTR_NONE;
        break;
      case Html.tagComment:
        if (isBlackComment(input, h.tokenStart, h.tokenLength)) return true;
        break;
    }
  }
  return false;
}

/** XSS verdict for one value, as libinjection (Go v0.3.2) gives it. */
export function detectXSS(input: string | Uint8Array): boolean {
  const { bytes, length } = toBytes(input);
  for (const context of CONTEXTS) if (isXssIn(bytes, length, context)) return true;
  return false;
}

/** Tokens of one HTML reading as [kind, text] pairs (tests). */
export function tokenizeHTML(input: string | Uint8Array, context: HtmlContext = "data"): Array<[string, string]> {
  const { bytes, length } = toBytes(input);
  const h = new Html5Tokenizer();
  h.reset(bytes, length, context);
  const kinds = Object.keys(Html);
  const out: Array<[string, string]> = [];
  while (h.next()) {
    let text = "";
    for (let i = h.tokenStart; i < h.tokenStart + h.tokenLength; i++) text += String.fromCharCode(bytes[i]);
    out.push([kinds[h.tokenType], text]);
  }
  return out;
}
