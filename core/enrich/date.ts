/**
 * The ParseDate enricher, as upstream pkg/parser/enrich_date.go runs it (PARSERS.md §7.1):
 * StrTimeFormat first, then a fixed list of Go layouts, then a unix timestamp, then "now".
 */
import {
  cachedGoLayout,
  currentUtcYear,
  formatRfc3339,
  goTimeFromEpochMs,
  isZeroGoTime,
  marshalGoTime,
  toGoTime,
  withCurrentYear,
  type GoLayout,
  type GoTimeValue,
} from "./go-time";
import { compileGoLayout } from "./go-parse";
import { TIMEMACHINE, type Event } from "../event";
import type { GoTime } from "../expr";

// Upstream's order, including RFC3339 twice and the literal "europe/paris" (it is text to match,
// not a zone). First success wins, so the order decides ambiguous inputs.
const LAYOUTS: readonly GoLayout[] = [
  "2006-01-02T15:04:05Z07:00",
  "02/Jan/2006:15:04:05 -0700",
  "Mon Jan 2 15:04:05 2006",
  "02-Jan-2006 15:04:05 europe/paris",
  "01/02/2006 15:04:05",
  "2006-01-02 15:04:05.999999999 -0700 MST",
  "Jan  2 15:04:05",
  "Mon Jan 02 15:04:05.000000 2006",
  "2006-01-02T15:04:05Z07:00",
  "2006/01/02",
  "2006/01/02 15:04",
  "2006-01-02",
  "2006-01-02 15:04",
  "2006/01/02 15:04:05",
  "2006-01-02 15:04:05",
  "2006-01-02T15:04:05",
].map(compileGoLayout);

/** What ParseDate made of a date text. */
export interface StrTimeParse {
  /** `Enriched.MarshaledTime`: RFC 3339, or the current time when nothing parsed. */
  readonly marshaled: string;
  /** The parsed time, or null when the text did not parse and `marshaled` is "now". */
  readonly time: GoTimeValue | null;
}

/** upstream parseDateWithFormat: a zero time or one Go cannot marshal counts as "not parsed". */
function tryLayout(layout: GoLayout, text: string, now: () => number): StrTimeParse | null {
  const parsed = layout.parse(text);
  if (parsed === null || isZeroGoTime(parsed)) return null;
  const time = withCurrentYear(parsed, now);
  const marshaled = marshalGoTime(time);
  return marshaled === null ? null : { marshaled, time };
}

const INT64_MAX = 9223372036854775807n;

/** upstream ParseUnixTime: the text before the first ".", a base-10 int64 that must be > 0. */
function parseUnixSeconds(text: string): number | null {
  const dot = text.indexOf(".");
  const head = dot < 0 ? text : text.slice(0, dot);
  let i = 0;
  let negative = false;
  if (head.startsWith("+") || head.startsWith("-")) {
    negative = head[0] === "-";
    i = 1;
  }
  if (i === head.length) return null;
  for (let k = i; k < head.length; k++) {
    const c = head.charCodeAt(k);
    if (c < 48 || c > 57) return null;
  }
  const digits = head.slice(i);
  // strconv.ParseInt refuses anything past int64; BigInt only on inputs long enough to matter
  if (digits.length >= 19 && BigInt(digits) > INT64_MAX) return null;
  const value = Number(digits);
  return negative || value <= 0 ? null : value;
}

/**
 * ParseDate's reading of a date text, shared with whoever needs CrowdSec's notion of a log date.
 * `format` is evt.StrTimeFormat ("" for none); `now` gives ms since epoch.
 */
export function parseStrTime(text: string, format: string, now: () => number): StrTimeParse {
  if (text !== "") {
    if (format !== "") {
      const hit = tryLayout(cachedGoLayout(format), text, now);
      if (hit !== null) return hit;
    }
    for (let i = 0; i < LAYOUTS.length; i++) {
      const hit = tryLayout(LAYOUTS[i]!, text, now);
      if (hit !== null) return hit;
    }
    const seconds = parseUnixSeconds(text);
    if (seconds !== null) {
      // time.Unix(...).Format(time.RFC3339): local zone (UTC here), no fraction, no range check
      const time: GoTimeValue = { epochSec: seconds, nsec: 0, offsetSec: 0 };
      return { marshaled: formatRfc3339(time, false), time };
    }
  }
  // time.Now().UTC().MarshalText()
  return { marshaled: formatRfc3339(goTimeFromEpochMs(now()), true), time: null };
}

/**
 * The `ParseDate` method: `{MarshaledTime}` always (the current time when nothing parsed); in
 * time-machine mode a parsed date also becomes evt.Time.
 */
export function createParseDate(now: () => number) {
  // Consecutive lines share their date text: the last parse is kept with the year it was made
  // in (yearless dates take the current one). "Now" answers are never kept.
  let lastText = "";
  let lastFormat = "";
  let lastYear = Number.NaN;
  let last: { readonly enriched: Readonly<Record<string, string>>; readonly time: GoTime } | null = null;
  return function ParseDate(value: string, evt: Event): Readonly<Record<string, string>> {
    const year = currentUtcYear(now());
    if (last === null || value !== lastText || evt.StrTimeFormat !== lastFormat || year !== lastYear) {
      const r = parseStrTime(value, evt.StrTimeFormat, now);
      const enriched = Object.freeze({ MarshaledTime: r.marshaled });
      if (r.time === null) {
        last = null;
        return enriched;
      }
      last = { enriched, time: toGoTime(r.time) };
      lastText = value;
      lastFormat = evt.StrTimeFormat;
      lastYear = year;
    }
    // in live mode the event keeps its acquisition time
    if (evt.ExpectMode === TIMEMACHINE) evt.Time = last.time;
    return last.enriched;
  };
}
