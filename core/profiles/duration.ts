/**
 * Decision durations as current upstream reads them (go-cs-lib cstime.ParseDurationWithDays): Go
 * duration syntax, optionally led by a whole number of days (`1d`, `2d12h`, `-1d2h`).
 */
import { parseDuration } from "../expr";

const DAY_NS = 24 * 3600 * 1e9;

export type DurationParse = { ok: true; ns: number } | { ok: false; message: string };

/** "4h" → 4h in ns; "1d12h" → 36h; a day count must come first and be an integer. */
export function parseDurationWithDays(input: string): DurationParse {
  let s = input.trim();
  if (s === "") return { ok: false, message: "empty duration string" };
  const negative = s.startsWith("-");
  if (negative) s = s.slice(1);
  let total = 0;
  const d = s.indexOf("d");
  if (d !== -1) {
    const rest = s.slice(d + 1);
    if (rest.includes("d")) return { ok: false, message: `invalid duration "${input}": 'd' can appear only as the first unit` };
    const days = goAtoi(s.slice(0, d));
    if (days === undefined) return { ok: false, message: `invalid day value in duration "${input}"` };
    total += days * DAY_NS;
    s = rest;
  }
  if (s.includes("-")) return { ok: false, message: `misplaced negative sign in duration "${input}"` };
  if (s !== "") {
    const r = parseDuration(s);
    if (!r.ok) return r;
    total += r.ns;
  }
  return { ok: true, ns: negative ? -total : total };
}

/** strconv.Atoi: optional sign, decimal digits only. */
function goAtoi(text: string): number | undefined {
  return /^[+-]?\d+$/.test(text) ? Number(text) : undefined;
}
