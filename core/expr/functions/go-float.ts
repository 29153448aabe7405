/**
 * Go strconv.FormatFloat for float64 ('e', 'E', 'f', 'g', 'G', shortest or fixed precision),
 * exact: digits come from the binary value itself and fixed precisions round half to even,
 * where JS toFixed/toExponential round exact halves away from zero (0.125 → "0.13", Go "0.12").
 */

interface Digits {
  /** Significant decimal digits without leading or trailing zeros ("" for zero). */
  d: string;
  /** Decimal point position: value = 0.d × 10^dp. */
  dp: number;
}

const F64 = new Float64Array(1);
const U64 = new BigUint64Array(F64.buffer);

/** The exact decimal expansion of |v| (finite). */
function exactDigits(v: number): Digits {
  F64[0] = v;
  const bits = U64[0]!;
  const expBits = Number((bits >> 52n) & 0x7ffn);
  let mant = bits & 0xfffffffffffffn;
  let exp2: number;
  if (expBits === 0) exp2 = -1074;
  else {
    mant |= 1n << 52n;
    exp2 = expBits - 1075;
  }
  if (mant === 0n) return { d: "", dp: 0 };
  let s: string;
  let dp: number;
  if (exp2 >= 0) {
    s = (mant << BigInt(exp2)).toString();
    dp = s.length;
  } else {
    const k = -exp2;
    s = (mant * 5n ** BigInt(k)).toString();
    dp = s.length - k;
  }
  return trimDigits(s, dp);
}

function trimDigits(s: string, dp: number): Digits {
  let start = 0;
  while (start < s.length && s.charCodeAt(start) === 48) {
    start++;
    dp--;
  }
  let end = s.length;
  while (end > start && s.charCodeAt(end - 1) === 48) end--;
  return start === end ? { d: "", dp: 0 } : { d: s.slice(start, end), dp };
}

/** Shortest digits that read back as v: the same digits JS prints. */
function shortestDigits(v: number): Digits {
  if (v === 0) return { d: "", dp: 0 };
  const e = Math.abs(v).toExponential(); // "d.ddde+x"
  const at = e.indexOf("e");
  const mantissa = e.slice(0, at).replace(".", "");
  return trimDigits(mantissa, Number(e.slice(at + 1)) + 1);
}

/** Keeps nd significant digits, rounding half to even on the exact expansion (strconv decimal.Round). */
function roundDigits(x: Digits, nd: number): Digits {
  if (nd < 0 || nd >= x.d.length) return nd < 0 ? { d: "", dp: 0 } : x;
  const next = x.d.charCodeAt(nd) - 48;
  let up: boolean;
  if (next === 5 && nd + 1 === x.d.length) up = nd > 0 && (x.d.charCodeAt(nd - 1) - 48) % 2 === 1;
  else up = next >= 5;
  if (!up) return trimDigits(x.d.slice(0, nd), x.dp);
  let i = nd - 1;
  while (i >= 0 && x.d[i] === "9") i--;
  if (i < 0) return { d: "1", dp: x.dp + 1 };
  return trimDigits(x.d.slice(0, i) + String.fromCharCode(x.d.charCodeAt(i) + 1), x.dp);
}

function fmtE(neg: boolean, x: Digits, prec: number, verb: string): string {
  let out = neg ? "-" : "";
  out += x.d.length === 0 ? "0" : x.d[0];
  if (prec > 0) {
    out += ".";
    const frac = x.d.slice(1, 1 + prec);
    out += frac + "0".repeat(prec - frac.length);
  }
  out += verb;
  let exp = x.d.length === 0 ? 0 : x.dp - 1;
  if (exp < 0) {
    out += "-";
    exp = -exp;
  } else out += "+";
  return out + (exp < 10 ? "0" + exp : String(exp));
}

function fmtF(neg: boolean, x: Digits, prec: number): string {
  let out = neg ? "-" : "";
  if (x.dp > 0) {
    const intDigits = x.d.slice(0, x.dp);
    out += intDigits + "0".repeat(x.dp - intDigits.length);
  } else out += "0";
  if (prec > 0) {
    out += ".";
    for (let i = 1; i <= prec; i++) {
      const j = x.dp + i - 1;
      out += j >= 0 && j < x.d.length ? x.d[j] : "0";
    }
  }
  return out;
}

/** strconv.FormatFloat(v, verb, prec, 64) for verb in e E f F g G; prec < 0 means shortest. */
export function formatGoFloat(v: number, verb: string, prec: number): string {
  if (Number.isNaN(v)) return "NaN";
  if (v === Infinity) return "+Inf";
  if (v === -Infinity) return "-Inf";
  const neg = v < 0 || Object.is(v, -0);
  const f = verb === "F" ? "f" : verb;
  const shortest = prec < 0;
  let x: Digits;
  if (shortest) {
    x = shortestDigits(v);
    if (f === "e" || f === "E") prec = Math.max(x.d.length - 1, 0);
    else if (f === "f") prec = Math.max(x.d.length - x.dp, 0);
    else prec = x.d.length;
  } else {
    const exact = exactDigits(v);
    if (f === "e" || f === "E") x = roundDigits(exact, 1 + prec);
    else if (f === "f") x = roundDigits(exact, exact.dp + prec);
    else {
      if (prec === 0) prec = 1;
      x = roundDigits(exact, prec);
    }
  }
  switch (f) {
    case "e":
    case "E":
      return fmtE(neg, x, prec, f);
    case "f":
      return fmtF(neg, x, prec);
    default: {
      let eprec = prec;
      if (eprec > x.d.length && x.d.length >= x.dp) eprec = x.d.length;
      if (shortest) eprec = 6;
      const exp = x.dp - 1;
      if (exp < -4 || exp >= eprec) {
        if (prec > x.d.length) prec = x.d.length;
        return fmtE(neg, x, prec - 1, f === "G" ? "E" : "e");
      }
      if (prec > x.dp) prec = x.d.length;
      return fmtF(neg, x, Math.max(prec - x.dp, 0));
    }
  }
}
