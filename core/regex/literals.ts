// Literal strings every match must contain, so the linear engine can refuse most lines with
// String.prototype.includes before it starts (RE2 calls this a prefilter). Conservative: when in
// doubt a part contributes nothing, which only means less filtering.

import type { Node } from "./syntax";

interface Info {
  /** Literals that must appear somewhere in a match. */
  required: string[];
  /** When the whole match is always exactly this string (so neighbours can extend it). */
  exact: string | null;
}

const NONE: Info = { required: [], exact: null };

function analyze(node: Node): Info {
  switch (node.kind) {
    case "literal": {
      const s = String.fromCodePoint(node.cp);
      return { required: [s], exact: s };
    }
    case "empty":
    case "assert":
      return { required: [], exact: "" };
    case "capture":
      return analyze(node.sub);
    case "repeat": {
      if (node.min === 0) return NONE;
      const sub = analyze(node.sub);
      if (sub.exact !== null && node.min === node.max) return { required: [sub.exact.repeat(node.min)], exact: sub.exact.repeat(node.min) };
      return { required: sub.required, exact: null };
    }
    case "concat": {
      const required: string[] = [];
      let run: string | null = "";
      let allExact = true;
      for (const sub of node.subs) {
        const info = analyze(sub);
        if (info.exact !== null) {
          run = (run ?? "") + info.exact;
          continue;
        }
        allExact = false;
        if (run) required.push(run);
        run = null;
        required.push(...info.required);
      }
      if (run) required.push(run);
      return { required, exact: allExact ? (run ?? "") : null };
    }
    case "alt":
    case "class":
    case "any":
      return NONE;
  }
}

/** Up to `max` of the longest literals a match must contain (each at least 2 characters). */
export function requiredLiterals(root: Node, max = 3): string[] {
  const all = [...new Set(analyze(root).required)].filter((s) => s.length >= 2);
  all.sort((a, b) => b.length - a.length);
  return all.slice(0, max);
}
