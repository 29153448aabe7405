/**
 * The match types of YAML appsec-rules (APPSEC.md §3.6), compiled once per leaf into a
 * predicate over one transformed value. Strings compare exactly (case folding is a transform);
 * numeric types parse integers as Go's strconv.Atoi and read anything else as 0; `regex` is RE2
 * with `(?sm)` prepended, as Coraza's @rx compiles it.
 */
import { compileRe2 } from "../regex";
import { err, ok, problem, type Result } from "../result";
import type { Injection } from "./injection";

export type Operator = (value: string) => boolean;

export interface OperatorContext {
  /** libinjection, when available; without it the libinjection types cannot be compiled. */
  readonly injection?: Injection;
  /** Lines of a data file (`fromFile`), relative to the data dir; undefined when missing. */
  readonly dataFile?: (name: string) => readonly string[] | undefined;
}

/** Go strconv.Atoi, with 0 for anything it rejects. */
export function atoi(s: string): number {
  if (!/^[+-]?[0-9]+$/.test(s)) return 0;
  const n = Number(s);
  return Number.isSafeInteger(n) ? n : 0;
}

export const MATCH_TYPES = ["regex", "equals", "startsWith", "endsWith", "contains", "libinjectionSQL", "libinjectionXSS", "gt", "lt", "gte", "lte", "eq", "fromFile"] as const;
export type MatchType = (typeof MATCH_TYPES)[number];

export function isMatchType(s: string): s is MatchType {
  return (MATCH_TYPES as readonly string[]).includes(s);
}

/** Compiles one operator; a bad regex or missing dependency is a problem. */
export function compileOperator(type: MatchType, value: string, ctx: OperatorContext): Result<Operator> {
  switch (type) {
    case "regex": {
      const re = compileRe2("(?sm)" + value);
      if (!re.ok) return err(problem("appsec.bad-regex", `Cannot compile regex "${value}": ${re.error.message}`));
      const regex = re.value;
      return ok((v) => regex.test(v));
    }
    case "equals": return ok((v) => v === value);
    case "startsWith": return ok((v) => v.startsWith(value));
    case "endsWith": return ok((v) => v.endsWith(value));
    case "contains": return ok((v) => v.includes(value));
    case "gt": { const n = atoi(value); return ok((v) => atoi(v) > n); }
    case "lt": { const n = atoi(value); return ok((v) => atoi(v) < n); }
    case "gte": { const n = atoi(value); return ok((v) => atoi(v) >= n); }
    case "lte": { const n = atoi(value); return ok((v) => atoi(v) <= n); }
    case "eq": { const n = atoi(value); return ok((v) => atoi(v) === n); }
    case "libinjectionSQL": {
      const inj = ctx.injection;
      if (!inj) return err(problem("appsec.no-libinjection", "Cannot compile match type \"libinjectionSQL\": libinjection is not available"));
      return ok((v) => inj.detectSQLi(v).injection);
    }
    case "libinjectionXSS": {
      const inj = ctx.injection;
      if (!inj) return err(problem("appsec.no-libinjection", "Cannot compile match type \"libinjectionXSS\": libinjection is not available"));
      return ok((v) => inj.detectXSS(v));
    }
    case "fromFile": {
      const lines = ctx.dataFile?.(value);
      if (!lines) return err(problem("appsec.missing-data", `Cannot compile match type "fromFile": data file "${value}" is not available`));
      // @pmFromFile: case-insensitive phrase match of any line
      const phrases = lines.map((l) => l.trim().toLowerCase()).filter((l) => l !== "" && !l.startsWith("#"));
      return ok((v) => {
        const lower = v.toLowerCase();
        for (const p of phrases) if (lower.includes(p)) return true;
        return false;
      });
    }
    default: {
      const never: never = type;
      throw new Error(`match type ${String(never)} has no operator`);
    }
  }
}
