// Regex errors found in an expanded pattern, pointed back at the grok text the user wrote.

import { type Problem, problem } from "../result";
import type { Expansion, Reference } from "./expand";

/**
 * Turns a core/regex problem on the expanded source of `grok` into a grok problem whose column
 * is in `grok`: inside literal text it is the same character; inside an expanded reference it
 * is the `%{` of that reference.
 */
export function regexProblem(grok: string, refs: readonly Reference[], lookup: (name: string) => Expansion, p: Problem): Problem {
  const expanded = offsetOfColumn(refs.length === 0 ? grok : expandedSource(grok, refs, lookup), p.column ?? 1);
  let original = 0;
  let e = 0;
  let last = 0;
  let found = false;
  for (const r of refs) {
    const literal = r.from - last;
    if (expanded < e + literal) {
      original = last + (expanded - e);
      found = true;
      break;
    }
    e += literal;
    const width = lookup(r.name).source.length + 2;
    if (expanded < e + width) {
      original = r.from;
      found = true;
      break;
    }
    e += width;
    last = r.to;
  }
  if (!found) original = Math.min(grok.length, last + (expanded - e));
  const column = [...grok.slice(0, original)].length + 1;
  const reason = p.message.replace(/^Cannot compile regular expression: /, "");
  return problem("grok.syntax", `Cannot compile pattern: ${reason}`, {
    column,
    snippet: `${grok}\n${" ".repeat(column - 1)}^`,
  });
}

function expandedSource(grok: string, refs: readonly Reference[], lookup: (name: string) => Expansion): string {
  let s = "";
  let last = 0;
  for (const r of refs) {
    s += `${grok.slice(last, r.from)}(${lookup(r.name).source})`;
    last = r.to;
  }
  return s + grok.slice(last);
}

/** UTF-16 offset of a 1-based column counted in code points. */
function offsetOfColumn(text: string, column: number): number {
  let offset = 0;
  for (let c = 1; c < column && offset < text.length; c++) offset += text.codePointAt(offset)! > 0xffff ? 2 : 1;
  return offset;
}
