/**
 * Coraza's JSON body processor: the document flattened into ARGS_POST as `json.a.b` = value,
 * arrays as `json.arr.0` … plus `json.arr` = length, strings unescaped, `null` → "", numbers
 * and booleans as their source text (`1.0` stays `1.0`). Nested containers give no value of
 * their own (pitfall P8). Invalid JSON gives no args at all.
 */
import type { Pairs } from "./query";

/** Bounds recursion on hostile bodies; deeper documents are treated as invalid. */
const MAX_DEPTH = 512;

const ESCAPES: Readonly<Record<string, string>> = Object.assign(Object.create(null) as Record<string, string>, {
  '"': '"', "\\": "\\", "/": "/", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t",
});

const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
const HEX4 = /^[0-9a-fA-F]{4}$/;

class JsonFlattener {
  private pos = 0;
  constructor(
    private readonly text: string,
    private readonly out: Pairs,
  ) {}

  run(): boolean {
    this.ws();
    if (!this.value("json", 0)) return false;
    this.ws();
    return this.pos === this.text.length;
  }

  private ws(): void {
    const t = this.text;
    while (this.pos < t.length) {
      const c = t.charCodeAt(this.pos);
      if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) return;
      this.pos++;
    }
  }

  private value(key: string, depth: number): boolean {
    if (depth > MAX_DEPTH) return false;
    const t = this.text;
    const c = t[this.pos];
    if (c === "{") return this.object(key, depth);
    if (c === "[") return this.array(key, depth);
    if (c === '"') {
      const s = this.string();
      if (s === undefined) return false;
      this.push(key, s);
      return true;
    }
    for (const lit of ["true", "false", "null"]) {
      if (t.startsWith(lit, this.pos)) {
        this.pos += lit.length;
        this.push(key, lit === "null" ? "" : lit);
        return true;
      }
    }
    const m = NUMBER;
    m.lastIndex = this.pos;
    const num = m.exec(t);
    if (!num || num[0] === "" || num[0] === "-") return false;
    this.pos += num[0].length;
    this.push(key, num[0]);
    return true;
  }

  private push(key: string, value: string): void {
    this.out.keys.push(key);
    this.out.values.push(value);
  }

  private object(key: string, depth: number): boolean {
    this.pos++;
    this.ws();
    if (this.text[this.pos] === "}") {
      this.pos++;
      return true;
    }
    for (;;) {
      this.ws();
      if (this.text[this.pos] !== '"') return false;
      const name = this.string();
      if (name === undefined) return false;
      this.ws();
      if (this.text[this.pos] !== ":") return false;
      this.pos++;
      this.ws();
      if (!this.value(`${key}.${name}`, depth + 1)) return false;
      this.ws();
      const c = this.text[this.pos++];
      if (c === "}") return true;
      if (c !== ",") return false;
    }
  }

  private array(key: string, depth: number): boolean {
    this.pos++;
    this.ws();
    // The length entry comes before the items, as Coraza writes it.
    const lengthAt = this.out.keys.length;
    this.push(key, "0");
    let n = 0;
    if (this.text[this.pos] === "]") {
      this.pos++;
      return true;
    }
    for (;;) {
      this.ws();
      if (!this.value(`${key}.${n}`, depth + 1)) return false;
      n++;
      this.ws();
      const c = this.text[this.pos++];
      if (c === "]") break;
      if (c !== ",") return false;
    }
    this.out.values[lengthAt] = String(n);
    return true;
  }

  private string(): string | undefined {
    const t = this.text;
    let i = this.pos + 1;
    let out = "";
    let from = i;
    while (i < t.length) {
      const c = t.charCodeAt(i);
      if (c === 0x22) {
        out += t.slice(from, i);
        this.pos = i + 1;
        return out;
      }
      if (c < 0x20) return undefined;
      if (c === 0x5c) {
        out += t.slice(from, i);
        const e = t[i + 1];
        const simple = e === undefined ? undefined : ESCAPES[e];
        if (simple !== undefined) {
          out += simple;
          i += 2;
        } else if (e === "u" && HEX4.test(t.slice(i + 2, i + 6))) {
          out += String.fromCharCode(parseInt(t.slice(i + 2, i + 6), 16));
          i += 6;
        } else return undefined;
        from = i;
        continue;
      }
      i++;
    }
    return undefined;
  }
}

/** Appends the flattened document to `out`; false (and nothing appended) when the body is not valid JSON. */
export function flattenJson(text: string, out: Pairs): boolean {
  const tmp: Pairs = { keys: [], values: [] };
  if (!new JsonFlattener(text, tmp).run()) return false;
  for (let i = 0; i < tmp.keys.length; i++) {
    out.keys.push(tmp.keys[i]!);
    out.values.push(tmp.values[i]!);
  }
  return true;
}
