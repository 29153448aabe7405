/**
 * libinjection's HTML5 tokenizer: a reduced WHATWG tokenizer (sections 12.2.4.x) that yields
 * tag names, attribute names and values, comments and text, starting in one of five states
 * (the input may be an attribute value cut out of a page).
 *
 * Semantics are those of corazawaf/libinjection-go v0.3.2, over bytes. Where Go would index past
 * the end of the input and panic (an unterminated CDATA section), this follows the C original.
 */
import { indexOfByte } from "./bytes";

/** Where the input is assumed to sit in a page. */
export type HtmlContext = "data" | "value-no-quote" | "value-single-quote" | "value-double-quote" | "value-back-quote";

/** Token kinds. */
export const Html = {
  dataText: 0,
  tagNameOpen: 1,
  tagNameClose: 2,
  tagNameSelfClose: 3,
  tagData: 4,
  tagClose: 5,
  attrName: 6,
  attrValue: 7,
  tagComment: 8,
  docType: 9,
} as const;

// Tokenizer states that persist between tokens.
const S_EOF = 0;
const S_DATA = 1;
const S_TAG_OPEN = 2;
const S_BEFORE_ATTR_NAME = 3;
const S_SELF_CLOSING = 4;
const S_TAG_NAME_CLOSE = 5;
const S_AFTER_ATTR_NAME = 6;
const S_BEFORE_ATTR_VALUE = 7;
const S_AFTER_ATTR_VALUE_QUOTED = 8;
const S_VALUE_SINGLE = 9;
const S_VALUE_DOUBLE = 10;
const S_VALUE_BACK = 11;

const EOF = -1;
const BANG = 0x21;
const DOUBLE = 0x22;
const PERCENT = 0x25;
const SINGLE = 0x27;
const DASH = 0x2d;
const SLASH = 0x2f;
const LT = 0x3c;
const EQUALS = 0x3d;
const GT = 0x3e;
const QUESTION = 0x3f;
const RIGHT_BRACKET = 0x5d;
const TICK = 0x60;

function isWhite(ch: number): boolean {
  return ch === 0x20 || (ch >= 0x09 && ch <= 0x0d);
}

function isLetter(ch: number): boolean {
  return (ch >= 0x61 && ch <= 0x7a) || (ch >= 0x41 && ch <= 0x5a);
}

/** The tokenizer; `next` fills tokenType/tokenStart/tokenLength. Reused between inputs. */
export class Html5Tokenizer {
  input: Uint8Array = new Uint8Array(0);
  length = 0;
  pos = 0;
  tokenType = 0;
  tokenStart = 0;
  tokenLength = 0;
  private state = S_EOF;
  private isClose = false;

  reset(input: Uint8Array, length: number, context: HtmlContext): void {
    this.input = input;
    this.length = length;
    this.pos = 0;
    this.isClose = false;
    this.tokenType = 0;
    this.tokenStart = 0;
    this.tokenLength = 0;
    this.state =
      context === "data" ? S_DATA
      : context === "value-no-quote" ? S_BEFORE_ATTR_NAME
      : context === "value-single-quote" ? S_VALUE_SINGLE
      : context === "value-double-quote" ? S_VALUE_DOUBLE
      : S_VALUE_BACK;
  }

  /** Reads the next token; false at the end. */
  next(): boolean {
    switch (this.state) {
      case S_EOF:
        return false;
      case S_DATA:
        return this.data();
      case S_TAG_OPEN:
        return this.tagOpen();
      case S_BEFORE_ATTR_NAME:
        return this.beforeAttributeName();
      case S_SELF_CLOSING:
        return this.selfClosingStartTag();
      case S_TAG_NAME_CLOSE:
        return this.tagNameClose();
      case S_AFTER_ATTR_NAME:
        return this.afterAttributeName();
      case S_BEFORE_ATTR_VALUE:
        return this.beforeAttributeValue();
      case S_AFTER_ATTR_VALUE_QUOTED:
        return this.afterAttributeValueQuoted();
      case S_VALUE_SINGLE:
        return this.attributeValueQuoted(SINGLE);
      case S_VALUE_DOUBLE:
        return this.attributeValueQuoted(DOUBLE);
      case S_VALUE_BACK:
        return this.attributeValueQuoted(TICK);
      default:
        throw new Error(`html5 tokenizer: unknown state ${this.state}`);
    }
  }

  private emit(type: number, start: number, length: number, state: number): true {
    this.tokenType = type;
    this.tokenStart = start;
    this.tokenLength = length;
    this.state = state;
    return true;
  }

  /** The rest of the input as one token of `type`. */
  private emitRest(type: number, start: number): true {
    return this.emit(type, start, this.length - start, S_EOF);
  }

  private skipWhite(): number {
    while (this.pos < this.length) {
      const ch = this.input[this.pos];
      if (ch !== 0 && !isWhite(ch)) return ch;
      this.pos++;
    }
    return EOF;
  }

  private data(): boolean {
    const lt = indexOfByte(this.input, LT, this.pos, this.length);
    if (lt === -1) {
      this.emitRest(Html.dataText, this.pos);
      return this.tokenLength !== 0;
    }
    this.emit(Html.dataText, this.pos, lt - this.pos, S_TAG_OPEN);
    this.pos = lt + 1;
    return this.tokenLength === 0 ? this.tagOpen() : true;
  }

  private tagOpen(): boolean {
    if (this.pos >= this.length) return false;
    const ch = this.input[this.pos];
    if (ch === BANG) {
      this.pos++;
      return this.markupDeclarationOpen();
    }
    if (ch === SLASH) {
      this.pos++;
      this.isClose = true;
      return this.endTagOpen();
    }
    if (ch === QUESTION) {
      this.pos++;
      return this.bogusComment();
    }
    if (ch === PERCENT) {
      // not in the spec: "<% … %>" comments of IE <= 9 and old Safari
      this.pos++;
      return this.bogusComment2();
    }
    if (isLetter(ch) || ch === 0) return this.tagName(); // IE ignores NUL here
    if (this.pos === 0) return this.data(); // started in the wrong state
    return this.emit(Html.dataText, this.pos - 1, 1, S_DATA);
  }

  private endTagOpen(): boolean {
    if (this.pos >= this.length) return false;
    const ch = this.input[this.pos];
    if (ch === GT) return this.data();
    if (isLetter(ch)) return this.tagName();
    this.isClose = false;
    return this.bogusComment();
  }

  private tagName(): boolean {
    const start = this.pos;
    for (let pos = start; pos < this.length; pos++) {
      const ch = this.input[pos];
      if (ch === 0) continue; // old browsers ignore NUL in tag names
      if (isWhite(ch)) {
        this.pos = pos + 1;
        return this.emit(Html.tagNameOpen, start, pos - start, S_BEFORE_ATTR_NAME);
      }
      if (ch === SLASH) {
        this.pos = pos + 1;
        return this.emit(Html.tagNameOpen, start, pos - start, S_SELF_CLOSING);
      }
      if (ch === GT) {
        if (this.isClose) {
          this.pos = pos + 1;
          this.isClose = false;
          return this.emit(Html.tagClose, start, pos - start, S_DATA);
        }
        this.pos = pos;
        return this.emit(Html.tagNameOpen, start, pos - start, S_TAG_NAME_CLOSE);
      }
    }
    return this.emitRest(Html.tagNameOpen, start);
  }

  private tagNameClose(): boolean {
    this.isClose = false;
    const start = this.pos;
    this.pos++;
    return this.emit(Html.tagNameClose, start, 1, this.pos < this.length ? S_DATA : S_EOF);
  }

  private selfClosingStartTag(): boolean {
    if (this.pos >= this.length) return false;
    if (this.input[this.pos] === GT) {
      const start = this.pos - 1;
      this.pos++;
      return this.emit(Html.tagNameSelfClose, start, 2, S_DATA);
    }
    return this.beforeAttributeName();
  }

  private beforeAttributeName(): boolean {
    for (;;) {
      const ch = this.skipWhite();
      if (ch === EOF) return false;
      if (ch === SLASH) {
        this.pos++;
        // "/" not followed by ">" is skipped here rather than by mutual recursion
        if (this.pos < this.length && this.input[this.pos] !== GT) continue;
        return this.selfClosingStartTag();
      }
      if (ch === GT) {
        const start = this.pos;
        this.pos++;
        return this.emit(Html.tagNameClose, start, 1, S_DATA);
      }
      return this.attributeName();
    }
  }

  private attributeName(): boolean {
    const start = this.pos;
    for (let pos = start + 1; pos < this.length; pos++) {
      const ch = this.input[pos];
      if (isWhite(ch)) {
        this.pos = pos + 1;
        return this.emit(Html.attrName, start, pos - start, S_AFTER_ATTR_NAME);
      }
      if (ch === SLASH) {
        this.pos = pos + 1;
        return this.emit(Html.attrName, start, pos - start, S_SELF_CLOSING);
      }
      if (ch === EQUALS) {
        this.pos = pos + 1;
        return this.emit(Html.attrName, start, pos - start, S_BEFORE_ATTR_VALUE);
      }
      if (ch === GT) {
        this.pos = pos;
        return this.emit(Html.attrName, start, pos - start, S_TAG_NAME_CLOSE);
      }
    }
    this.pos = this.length;
    return this.emitRest(Html.attrName, start);
  }

  private afterAttributeName(): boolean {
    const ch = this.skipWhite();
    if (ch === EOF) return false;
    if (ch === SLASH) {
      this.pos++;
      return this.selfClosingStartTag();
    }
    if (ch === EQUALS) {
      this.pos++;
      return this.beforeAttributeValue();
    }
    if (ch === GT) return this.tagNameClose();
    return this.attributeName();
  }

  private beforeAttributeValue(): boolean {
    const ch = this.skipWhite();
    if (ch === EOF) {
      this.state = S_EOF;
      return false;
    }
    if (ch === DOUBLE || ch === SINGLE || ch === TICK) return this.attributeValueQuoted(ch); // "`": IE
    return this.attributeValueNoQuote();
  }

  private attributeValueNoQuote(): boolean {
    const start = this.pos;
    for (let pos = start; pos < this.length; pos++) {
      const ch = this.input[pos];
      if (isWhite(ch)) {
        this.pos = pos + 1;
        return this.emit(Html.attrValue, start, pos - start, S_BEFORE_ATTR_NAME);
      }
      if (ch === GT) {
        this.pos = pos;
        return this.emit(Html.attrValue, start, pos - start, S_TAG_NAME_CLOSE);
      }
    }
    return this.emitRest(Html.attrValue, start);
  }

  private attributeValueQuoted(quote: number): boolean {
    // At offset 0 the input starts inside the value: there is no opening quote to skip
    if (this.pos > 0) this.pos++;
    const start = this.pos;
    const close = indexOfByte(this.input, quote, start, this.length);
    if (close === -1) return this.emitRest(Html.attrValue, start);
    this.pos = close + 1;
    return this.emit(Html.attrValue, start, close - start, S_AFTER_ATTR_VALUE_QUOTED);
  }

  private afterAttributeValueQuoted(): boolean {
    if (this.pos >= this.length) return false;
    const ch = this.input[this.pos];
    if (isWhite(ch)) {
      this.pos++;
      return this.beforeAttributeName();
    }
    if (ch === SLASH) {
      this.pos++;
      return this.selfClosingStartTag();
    }
    if (ch === GT) {
      const start = this.pos;
      this.pos++;
      return this.emit(Html.tagNameClose, start, 1, S_DATA);
    }
    return this.beforeAttributeName();
  }

  private markupDeclarationOpen(): boolean {
    const remaining = this.length - this.pos;
    if (remaining >= 7 && this.startsWith("doctype", true)) return this.doctype();
    if (remaining >= 7 && this.startsWith("[CDATA[", false)) {
      this.pos += 7;
      return this.cdata();
    }
    if (remaining >= 2 && this.input[this.pos] === DASH && this.input[this.pos + 1] === DASH) {
      this.pos += 2;
      return this.comment();
    }
    return this.bogusComment();
  }

  private startsWith(word: string, ignoreCase: boolean): boolean {
    for (let i = 0; i < word.length; i++) {
      let ch = this.input[this.pos + i];
      if (ignoreCase && ch >= 0x41 && ch <= 0x5a) ch += 0x20;
      if (ch !== word.charCodeAt(i)) return false;
    }
    return true;
  }

  private doctype(): boolean {
    const start = this.pos;
    const gt = indexOfByte(this.input, GT, start, this.length);
    if (gt === -1) return this.emitRest(Html.docType, start);
    this.pos = gt + 1;
    return this.emit(Html.docType, start, gt - start, S_DATA);
  }

  /** Comments end at "-->", "-!>" (NULs allowed between) or at the end of the input. */
  private comment(): boolean {
    const start = this.pos;
    let pos = start;
    for (;;) {
      const dash = indexOfByte(this.input, DASH, pos, this.length);
      if (dash === -1 || dash + 3 > this.length) return this.emitRest(Html.tagComment, start);
      let end = dash + 1;
      while (end < this.length && this.input[end] === 0) end++;
      if (end === this.length) return this.emitRest(Html.tagComment, start);
      const ch = this.input[end];
      if (ch !== DASH && ch !== BANG) {
        pos = dash + 1;
        continue;
      }
      end++;
      if (end === this.length) return this.emitRest(Html.tagComment, start);
      if (this.input[end] !== GT) {
        pos = dash + 1;
        continue;
      }
      this.pos = end + 1;
      return this.emit(Html.tagComment, start, dash - start, S_DATA);
    }
  }

  private cdata(): boolean {
    const start = this.pos;
    let pos = start;
    for (;;) {
      const bracket = indexOfByte(this.input, RIGHT_BRACKET, pos, this.length);
      if (bracket === -1 || bracket + 3 > this.length) return this.emitRest(Html.dataText, start);
      if (this.input[bracket + 1] === RIGHT_BRACKET && this.input[bracket + 2] === GT) {
        this.pos = bracket + 3;
        return this.emit(Html.dataText, start, bracket - start, S_DATA);
      }
      pos = bracket + 1;
    }
  }

  /** "<?…>", "</…>" junk and "<!…>": a comment up to ">". */
  private bogusComment(): boolean {
    const start = this.pos;
    const gt = indexOfByte(this.input, GT, start, this.length);
    if (gt === -1) {
      this.pos = this.length;
      return this.emitRest(Html.tagComment, start);
    }
    this.pos = gt + 1;
    return this.emit(Html.tagComment, start, gt - start, S_DATA);
  }

  /**
   * "<% … %>". After a first "%" not followed by ">", libinjection-go checks the byte at the
   * offset of the next "%" counted from the comment start, not from where the search resumed, and
   * uses that offset as the length; CrowdSec's verdicts come from that, so it is kept.
   */
  private bogusComment2(): boolean {
    const start = this.pos;
    let pos = start;
    for (;;) {
      const percent = indexOfByte(this.input, PERCENT, pos, this.length);
      if (percent === -1 || percent + 1 >= this.length) {
        this.pos = this.length;
        return this.emitRest(Html.tagComment, start);
      }
      const offset = percent - pos;
      if (this.input[start + offset + 1] !== GT) {
        pos = percent + 1;
        continue;
      }
      this.pos = percent + 2;
      return this.emit(Html.tagComment, start, offset, S_DATA);
    }
  }
}
