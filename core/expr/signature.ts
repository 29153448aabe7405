/**
 * Go function signatures as helpers declare them ("func(string, ...string) string",
 * "func([]time.Time) (time.Duration, error)") → FuncType.
 */
import { ANY, arrayOf, BOOL, DURATION, FLOAT, INT, mapOf, STRING, TIME, type ExprType, type FuncType } from "./types";

/** Resolves a named type of the environment ("*http.Request", "pipeline.Event"); undefined → any. */
export type TypeResolver = (name: string) => ExprType | undefined;

const BASIC: Readonly<Record<string, ExprType>> = {
  string: STRING,
  bool: BOOL,
  int: INT, int8: INT, int16: INT, int32: INT, int64: INT,
  uint: INT, uint8: INT, uint16: INT, uint32: INT, uint64: INT, uintptr: INT, byte: INT, rune: INT,
  float32: FLOAT, float64: FLOAT,
  any: ANY, "interface{}": ANY, error: ANY,
  "time.Time": TIME,
  "time.Duration": DURATION,
  "url.Values": mapOf(arrayOf(STRING)),
};

const cache = new Map<string, FuncType>();

/** Parses a Go func signature; throws an Error naming the signature when it is malformed (a helper bug). */
export function parseGoSignature(text: string, resolve?: TypeResolver): FuncType {
  if (!resolve) {
    const hit = cache.get(text);
    if (hit) return hit;
  }
  const p = new SignatureParser(text, resolve);
  const t = p.parseFunc();
  p.skipSpace();
  if (p.pos !== text.length) p.fail();
  if (!resolve) cache.set(text, t);
  return t;
}

class SignatureParser {
  pos = 0;
  constructor(
    private readonly text: string,
    private readonly resolve: TypeResolver | undefined,
  ) {}

  fail(): never {
    throw new Error(`Cannot parse helper signature "${this.text}" at offset ${this.pos}`);
  }

  skipSpace(): void {
    while (this.text[this.pos] === " ") this.pos++;
  }

  private eat(s: string): boolean {
    this.skipSpace();
    if (this.text.startsWith(s, this.pos)) {
      this.pos += s.length;
      return true;
    }
    return false;
  }

  private must(s: string): void {
    if (!this.eat(s)) this.fail();
  }

  private peekWord(): string {
    this.skipSpace();
    return /^[A-Za-z_][A-Za-z0-9_.]*/.exec(this.text.slice(this.pos))?.[0] ?? "";
  }

  parseFunc(): FuncType {
    this.must("func");
    this.must("(");
    const params: ExprType[] = [];
    let variadic = false;
    if (!this.eat(")")) {
      for (;;) {
        // a named parameter ("s string") carries its name first
        const word = this.peekWord();
        if (word && !word.includes(".") && word !== "func" && word !== "map" && word !== "interface") {
          const save = this.pos;
          this.pos += word.length;
          const spaced = this.text[this.pos] === " ";
          this.skipSpace();
          const next = this.text[this.pos];
          if (!spaced || next === "," || next === ")") this.pos = save;
        }
        if (this.eat("...")) variadic = true;
        params.push(this.parseType());
        if (this.eat(")")) break;
        this.must(",");
        if (variadic) this.fail();
      }
    }
    this.skipSpace();
    if (this.pos >= this.text.length || this.text[this.pos] === ",") {
      return { kind: "func", params, variadic, result: ANY, canFail: false, noResult: true };
    }
    if (this.eat("(")) {
      const result = this.parseType();
      this.must(",");
      this.must("error");
      this.must(")");
      return { kind: "func", params, variadic, result, canFail: true };
    }
    const result = this.parseType();
    return { kind: "func", params, variadic, result, canFail: false };
  }

  parseType(): ExprType {
    if (this.eat("[]")) return arrayOf(this.parseType());
    if (this.eat("map[")) {
      this.parseType();
      this.must("]");
      return mapOf(this.parseType());
    }
    if (this.eat("interface{}")) return ANY;
    this.skipSpace();
    if (this.text.startsWith("func(", this.pos)) return this.parseFunc();
    const pointer = this.eat("*");
    const word = this.peekWord();
    if (!word) this.fail();
    this.pos += word.length;
    if (Object.hasOwn(BASIC, word)) return BASIC[word] as ExprType;
    return this.resolve?.(pointer ? `*${word}` : word) ?? this.resolve?.(word) ?? ANY;
  }
}
