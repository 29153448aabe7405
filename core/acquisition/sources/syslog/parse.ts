/**
 * RFC 3164 and RFC 5424 parsing as upstream's syslog source does it (ACQUISITION.md §6,
 * pkg/acquisition/modules/syslog/internal/parser), and the BSD-like line it rebuilds for the
 * parsers: `<ts> <host> <tag>[<pid>]: <message>`. The quirks are kept on purpose (tags are ASCII
 * letters and digits only, so `postfix/smtpd[1]:` gives tag `postfix`), since hub parsers see
 * the rebuilt line.
 */

export interface SyslogMessage {
  /** `Jan 2 15:04:05` in the timestamp's own zone, or undefined when the message has none. */
  readonly stamp: string | undefined;
  readonly hostname: string;
  readonly tag: string;
  readonly pid: string;
  readonly message: string;
}

export type SyslogParse = { ok: true; format: "rfc3164" | "rfc5424"; msg: SyslogMessage } | { ok: false; rfc3164: string; rfc5424: string };

const MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
const MONTH_NAMES = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const DAYS_IN = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

interface Clock {
  month: number; // 0-based
  day: number;
  hour: number;
  minute: number;
  second: number;
  year: number | undefined;
}

/** Tries RFC 3164 then RFC 5424, as upstream (the first that parses wins). */
export function parseSyslog(text: string): SyslogParse {
  const a = parse3164(text);
  if (typeof a !== "string") return { ok: true, format: "rfc3164", msg: a };
  const b = parse5424(text);
  if (typeof b !== "string") return { ok: true, format: "rfc5424", msg: b };
  return { ok: false, rfc3164: a, rfc5424: b };
}

/** `disable_rfc_parser`: only `<PRI>` is checked and removed. */
export function stripPri(text: string): string | undefined {
  if (text.length < 3 || text[0] !== "<") return undefined;
  const end = text.indexOf(">");
  if (end === -1 || end > 4) return undefined;
  for (let i = 1; i < end; i++) if (!isDigit(text.charCodeAt(i))) return undefined;
  return text.slice(end + 1);
}

/** The line upstream builds from a parsed message; `now` formats a missing timestamp. */
export function buildSyslogLine(msg: SyslogMessage, now: Date): string {
  let out = msg.stamp ?? formatStamp({ month: now.getUTCMonth(), day: now.getUTCDate(), hour: now.getUTCHours(), minute: now.getUTCMinutes(), second: now.getUTCSeconds(), year: undefined });
  out += msg.hostname !== "" ? ` ${msg.hostname}` : " unknownhost";
  if (msg.tag !== "") out += ` ${msg.tag}`;
  out += msg.pid !== "" ? `[${msg.pid}]: ` : ": ";
  out += msg.message;
  return out.endsWith("\n") ? out.slice(0, -1) : out;
}

function formatStamp(c: Clock): string {
  return `${MONTH_NAMES[c.month]} ${c.day} ${pad(c.hour)}:${pad(c.minute)}:${pad(c.second)}`;
}

function pad(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function isAlnum(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

/** `<PRI>` at `pos`; returns the position after `>` or an error text. */
function parsePri(s: string): number | string {
  if (s.length === 0) return "message is empty";
  if (s[0] !== "<") return "PRI must start with '<'";
  let pos = 1;
  let pri = 0;
  let closed = false;
  while (pos < s.length) {
    const c = s.charCodeAt(pos);
    pos++;
    if (c === 62) {
      closed = true;
      break;
    }
    if (!isDigit(c)) return "PRI must be a number";
    pri = pri * 10 + (c - 48);
  }
  if (pri > 999) return "PRI must be up to 3 characters long";
  if (!closed) return "PRI must end with '>'";
  return pos;
}

// --- RFC 3164 ---

function parse3164(s: string): SyslogMessage | string {
  const afterPri = parsePri(s);
  if (typeof afterPri === "string") return afterPri;
  let pos = afterPri;
  // Upstream tries fixed-width layouts in order on the next N bytes: RFC 3339, then BSD with and without a year.
  let clock: Clock | undefined;
  let width = 0;
  for (const [w, parse] of TIMESTAMP_LAYOUTS) {
    if (pos + w > s.length) continue;
    clock = parse(s.slice(pos, pos + w));
    if (clock) {
      width = w;
      break;
    }
  }
  if (!clock) return "timestamp is not valid";
  pos += width + 1; // one separator byte, whatever it is
  let host = "";
  while (pos < s.length) {
    const c = s[pos]!;
    pos++;
    if (c === " ") break;
    host += c;
  }
  if (host === "") return "hostname is empty";
  const tagStart = pos;
  while (pos < s.length && isAlnum(s.charCodeAt(pos))) pos++;
  const tag = s.slice(tagStart, pos);
  if (tag === "") return "tag is empty";
  let pid = "";
  if (pos < s.length && s[pos] === "[") {
    pos++;
    const pidStart = pos;
    let closed = false;
    while (pos < s.length) {
      const c = s.charCodeAt(pos);
      if (c === 93) {
        closed = true;
        break;
      }
      if (!isDigit(c)) return "pid inside tag must be a number";
      pos++;
    }
    if (!closed) return "pid inside tag must be closed with ']'";
    pid = s.slice(pidStart, pos);
    pos++;
  }
  if (pos >= s.length) return "message is empty";
  if (s[pos] === ":") pos++;
  while (pos < s.length && s[pos] === " ") pos++;
  if (pos >= s.length) return "message is empty";
  return { stamp: formatStamp(clock), hostname: host, tag, pid, message: s.slice(pos) };
}

const TIMESTAMP_LAYOUTS: readonly [number, (t: string) => Clock | undefined][] = [
  [25, (t) => parseRfc3339(t)],
  [20, (t) => parseBsd(t, false, true)],
  [20, (t) => parseBsd(t, true, true)],
  [15, (t) => parseBsd(t, false, false)],
  [15, (t) => parseBsd(t, true, false)],
];

/** Go layouts `Jan 02 15:04:05[ 2006]` (zero-padded day) and `Jan _2 15:04:05[ 2006]`. */
function parseBsd(t: string, underDay: boolean, withYear: boolean): Clock | undefined {
  const month = MONTHS.indexOf(t.slice(0, 3).toLowerCase());
  if (month < 0 || t[3] !== " ") return undefined;
  let pos = 4;
  let day: number;
  if (underDay) {
    if (t[pos] === " ") pos++;
    if (!isDigit(t.charCodeAt(pos))) return undefined;
    day = t.charCodeAt(pos) - 48;
    pos++;
    if (isDigit(t.charCodeAt(pos))) day = day * 10 + t.charCodeAt(pos++) - 48;
  } else {
    const d = twoDigits(t, pos);
    if (d === undefined) return undefined;
    day = d;
    pos += 2;
  }
  if (t[pos] !== " ") return undefined;
  pos++;
  // Go reads the hour of `15` as one or two digits.
  if (!isDigit(t.charCodeAt(pos))) return undefined;
  let hour = t.charCodeAt(pos++) - 48;
  if (isDigit(t.charCodeAt(pos))) hour = hour * 10 + t.charCodeAt(pos++) - 48;
  if (t[pos] !== ":") return undefined;
  const minute = twoDigits(t, pos + 1);
  if (minute === undefined || t[pos + 3] !== ":") return undefined;
  const second = twoDigits(t, pos + 4);
  if (second === undefined) return undefined;
  pos += 6;
  let year: number | undefined;
  if (withYear) {
    if (t[pos] !== " ") return undefined;
    const y = fixedDigits(t, pos + 1, 4);
    if (y === undefined) return undefined;
    year = y;
    pos += 5;
  }
  if (pos !== t.length) return undefined;
  return validClock({ month, day, hour, minute, second, year });
}

/** Go's RFC 3339 parse: `2006-01-02T15:04:05[.frac](Z|±07:00)`, the whole text. */
function parseRfc3339(t: string): Clock | undefined {
  const year = fixedDigits(t, 0, 4);
  const month = fixedDigits(t, 5, 2);
  const day = fixedDigits(t, 8, 2);
  const hour = fixedDigits(t, 11, 2);
  const minute = fixedDigits(t, 14, 2);
  const second = fixedDigits(t, 17, 2);
  if (year === undefined || month === undefined || day === undefined || hour === undefined || minute === undefined || second === undefined) return undefined;
  if (t[4] !== "-" || t[7] !== "-" || t[10] !== "T" || t[13] !== ":" || t[16] !== ":") return undefined;
  let pos = 19;
  if (t[pos] === "." || t[pos] === ",") {
    pos++;
    const from = pos;
    while (isDigit(t.charCodeAt(pos))) pos++;
    if (pos === from) return undefined;
  }
  if (t[pos] === "Z") pos++;
  else if (t[pos] === "+" || t[pos] === "-") {
    if (fixedDigits(t, pos + 1, 2) === undefined || t[pos + 3] !== ":" || fixedDigits(t, pos + 4, 2) === undefined) return undefined;
    pos += 6;
  } else return undefined;
  if (pos !== t.length || month < 1) return undefined;
  return validClock({ month: month - 1, day, hour, minute, second, year });
}

function validClock(c: Clock): Clock | undefined {
  if (c.month > 11 || c.day < 1 || c.hour > 23 || c.minute > 59 || c.second > 59) return undefined;
  // Year-less stamps parse in year 0, a leap year: Feb 29 passes, as in Go.
  const leap = c.year === undefined || (c.year % 4 === 0 && (c.year % 100 !== 0 || c.year % 400 === 0));
  const max = c.month === 1 && !leap ? 28 : DAYS_IN[c.month]!;
  return c.day <= max ? c : undefined;
}

function twoDigits(t: string, pos: number): number | undefined {
  return fixedDigits(t, pos, 2);
}

function fixedDigits(t: string, pos: number, n: number): number | undefined {
  let v = 0;
  for (let i = 0; i < n; i++) {
    const c = t.charCodeAt(pos + i);
    if (!isDigit(c)) return undefined;
    v = v * 10 + (c - 48);
  }
  return v;
}

// --- RFC 5424 ---

/** One space-delimited field at `pos` (`-` = nil): [value, next position] or an error. */
function field(s: string, pos: number, what: string, maxLen: number): [string, number] | string {
  if (s[pos] === "-") return ["", pos + 2];
  let end = pos;
  while (end < s.length && s[end] !== " ") end++;
  const value = s.slice(pos, end);
  if (value === "") return `${what} is empty`;
  if (value.length > maxLen) return `${what} is too long`;
  return [value, end < s.length ? end + 1 : end];
}

function parse5424(s: string): SyslogMessage | string {
  const afterPri = parsePri(s);
  if (typeof afterPri === "string") return afterPri === "message is empty" ? "syslog line is empty" : afterPri;
  let pos = afterPri;
  if (pos >= s.length) return "EOL after PRI";
  if (s[pos] !== "1") return "version must be 1";
  pos += 2;
  if (pos >= s.length) return "version must be followed by a space";
  let stamp: string | undefined;
  if (s[pos] === "-") pos += 2;
  else {
    let end = pos;
    while (end < s.length && s[end] !== " ") end++;
    if (end === pos) return "timestamp is empty";
    if (end === s.length) return "EOL after timestamp";
    const clock = parseRfc3339(s.slice(pos, end));
    if (!clock) return "timestamp is not valid";
    stamp = formatStamp(clock);
    pos = end + 1;
  }
  if (pos >= s.length) return "EOL after timestamp";
  const host = field(s, pos, "hostname", Infinity);
  if (typeof host === "string") return host;
  pos = host[1];
  if (pos >= s.length) return "EOL after hostname";
  const app = field(s, pos, "appname", 48);
  if (typeof app === "string") return app;
  pos = app[1];
  if (pos >= s.length) return "EOL after appname";
  const procId = field(s, pos, "procid", 128);
  if (typeof procId === "string") return procId;
  pos = procId[1];
  if (pos >= s.length) return "EOL after ProcID";
  const msgId = field(s, pos, "msgid", 32);
  if (typeof msgId === "string") return msgId;
  pos = msgId[1];
  if (pos >= s.length) return "EOL after MSGID";
  // Structured data: parsed only to be skipped.
  if (s[pos] === "-") pos += 2;
  else {
    if (s[pos] !== "[") return "structured data must start with '[' or be '-'";
    let done = false;
    let prev = "";
    while (pos < s.length) {
      done = false;
      const c = s[pos]!;
      if (c === "]" && prev !== "\\") {
        done = true;
        pos++;
        if (pos < s.length && s[pos] === " ") break;
      }
      prev = c;
      pos++;
    }
    pos++;
    if (!done) return "structured data must end with ']'";
  }
  if (pos >= s.length) return "EOL after SD";
  return { stamp, hostname: host[0], tag: app[0], pid: procId[0], message: s.slice(pos) };
}
