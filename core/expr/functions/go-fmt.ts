/**
 * Go fmt.Sprintf over expression values: verbs, flags, width, precision, argument indexes and
 * Go's in-band errors (%!d(string=x), %!s(MISSING), %!(EXTRA …)).
 *
 * Our numbers do not say whether Go held an int or a float64: a safe integer is formatted
 * as an int, anything else as a float64 (so Sprintf("%d", 2.0) prints "2" where Go would
 * complain, and %v of a float 1e6 prints "1000000" where Go prints "1e+06").
 */
import { goTypeName, isInt, newFlags, printArg } from "./go-fmt-print";

const TOO_LARGE = 1e6;

function parseNum(s: string, start: number, end: number): { num: number; present: boolean; next: number } {
  if (start >= end) return { num: 0, present: false, next: end };
  let num = 0;
  let present = false;
  let i = start;
  for (; i < end && s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57; i++) {
    if (num > TOO_LARGE) return { num: 0, present: false, next: end };
    num = num * 10 + (s.charCodeAt(i) - 48);
    present = true;
  }
  return { num, present, next: i };
}

interface State {
  argNum: number;
  goodArgNum: boolean;
  reordered: boolean;
}

/** Reads an explicit argument index "[n]" at i, as upstream argNumber/parseArgNumber do. */
function argNumber(st: State, s: string, i: number, numArgs: number): { i: number; found: boolean } {
  if (s.length <= i || s[i] !== "[") return { i, found: false };
  st.reordered = true;
  let wid = 1;
  let ok = false;
  let index = 0;
  if (s.length - i >= 3) {
    const close = s.indexOf("]", i + 1);
    if (close >= 0) {
      const n = parseNum(s, i + 1, close);
      wid = close - i + 1;
      if (n.present && n.next === close) {
        ok = true;
        index = n.num - 1;
      }
    }
  }
  if (ok && index >= 0 && index < numArgs) {
    st.argNum = index;
    return { i: i + wid, found: true };
  }
  st.goodArgNum = false;
  return { i: i + wid, found: ok };
}

function intFromArg(st: State, args: readonly unknown[]): { num: number; ok: boolean } {
  if (st.argNum >= args.length) return { num: 0, ok: false };
  const a = args[st.argNum];
  st.argNum++;
  if (typeof a === "number" && isInt(a) && a <= TOO_LARGE && a >= -TOO_LARGE) return { num: a, ok: true };
  return { num: 0, ok: false };
}

/** Go fmt.Sprintf(format, args...). */
export function goSprintf(format: string, args: readonly unknown[]): string {
  let out = "";
  const end = format.length;
  const st: State = { argNum: 0, goodArgNum: true, reordered: false };
  let i = 0;
  while (i < end) {
    st.goodArgNum = true;
    const lasti = i;
    while (i < end && format[i] !== "%") i++;
    if (i > lasti) out += format.slice(lasti, i);
    if (i >= end) break;
    i++;
    const f = newFlags();
    for (; i < end; i++) {
      const c = format[i];
      if (c === "#") f.sharp = true;
      else if (c === "0") f.zero = !f.minus;
      else if (c === "+") f.plus = true;
      else if (c === "-") {
        f.minus = true;
        f.zero = false;
      } else if (c === " ") f.space = true;
      else break;
    }
    let a = argNumber(st, format, i, args.length);
    i = a.i;
    let afterIndex = a.found;
    if (i < end && format[i] === "*") {
      i++;
      const w = intFromArg(st, args);
      f.wid = w.num;
      f.widPresent = w.ok;
      if (!w.ok) out += "%!(BADWIDTH)";
      if (f.wid < 0) {
        f.wid = -f.wid;
        f.minus = true;
        f.zero = false;
      }
      afterIndex = false;
    } else {
      const n = parseNum(format, i, end);
      f.wid = n.num;
      f.widPresent = n.present;
      i = n.next;
      if (afterIndex && f.widPresent) st.goodArgNum = false;
    }
    if (i + 1 < end && format[i] === ".") {
      i++;
      if (afterIndex) st.goodArgNum = false;
      a = argNumber(st, format, i, args.length);
      i = a.i;
      afterIndex = a.found;
      if (i < end && format[i] === "*") {
        i++;
        const p = intFromArg(st, args);
        f.prec = p.num;
        f.precPresent = p.ok;
        if (f.prec < 0) {
          f.prec = 0;
          f.precPresent = false;
        }
        if (!p.ok) out += "%!(BADPREC)";
        afterIndex = false;
      } else {
        const n = parseNum(format, i, end);
        f.prec = n.num;
        f.precPresent = n.present;
        i = n.next;
        if (!f.precPresent) {
          f.prec = 0;
          f.precPresent = true;
        }
      }
    }
    if (!afterIndex) {
      a = argNumber(st, format, i, args.length);
      i = a.i;
    }
    if (i >= end) {
      out += "%!(NOVERB)";
      break;
    }
    const verb = String.fromCodePoint(format.codePointAt(i)!);
    i += verb.length;
    if (verb === "%") {
      out += "%";
    } else if (!st.goodArgNum) {
      out += `%!${verb}(BADINDEX)`;
    } else if (st.argNum >= args.length) {
      out += `%!${verb}(MISSING)`;
    } else {
      if (verb === "v") {
        f.sharpV = f.sharp;
        f.sharp = false;
        f.plusV = f.plus;
        f.plus = false;
      }
      out += printArg(f, args[st.argNum], verb);
      st.argNum++;
    }
  }
  if (!st.reordered && st.argNum < args.length) {
    const f = newFlags();
    out += "%!(EXTRA ";
    for (let k = st.argNum; k < args.length; k++) {
      if (k > st.argNum) out += ", ";
      const arg = args[k];
      out += arg === null || arg === undefined ? "<nil>" : goTypeName(arg) + "=" + printArg(f, arg, "v");
    }
    out += ")";
  }
  return out;
}
