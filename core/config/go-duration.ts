/** Go's time.ParseDuration: "300ms", "1.5h", "2h45m", "-1m" (no "d" unit), to nanoseconds. */

const UNIT_NS: Readonly<Record<string, number>> = {
  ns: 1,
  us: 1e3,
  "µs": 1e3,
  "μs": 1e3,
  ms: 1e6,
  s: 1e9,
  m: 60e9,
  h: 3600e9,
};

const PART = /^(\d*\.?\d*)(ns|us|µs|μs|ms|s|m|h)/;

/** Nanoseconds, or undefined when the text is not a Go duration. */
export function parseGoDuration(text: string): number | undefined {
  let s = text;
  let sign = 1;
  if (s.startsWith("-") || s.startsWith("+")) {
    sign = s[0] === "-" ? -1 : 1;
    s = s.slice(1);
  }
  if (s === "0") return 0;
  if (s === "") return undefined;
  let total = 0;
  while (s.length > 0) {
    const m = PART.exec(s);
    if (!m || m[1] === "" || m[1] === ".") return undefined;
    total += Number(m[1]) * UNIT_NS[m[2]!]!;
    s = s.slice(m[0].length);
  }
  return sign * total;
}

/** Go's Duration.String(): "1h30m0s", "500ms", "0s". */
export function formatGoDuration(ns: number): string {
  if (ns === 0) return "0s";
  const neg = ns < 0;
  let v = Math.abs(ns);
  let out: string;
  if (v < 1e9) {
    // Sub-second durations use the largest unit that keeps the integer part non-zero.
    const [unit, size] = v < 1e3 ? ["ns", 1] : v < 1e6 ? ["µs", 1e3] : ["ms", 1e6];
    out = trimFraction((v / (size as number)).toFixed(9)) + unit;
  } else {
    const h = Math.floor(v / 3600e9);
    v -= h * 3600e9;
    const m = Math.floor(v / 60e9);
    v -= m * 60e9;
    const secs = trimFraction((v / 1e9).toFixed(9)) + "s";
    out = h > 0 ? `${h}h${m}m${secs}` : m > 0 ? `${m}m${secs}` : secs;
  }
  return neg ? "-" + out : out;
}

function trimFraction(s: string): string {
  return s.includes(".") ? s.replace(/0+$/, "").replace(/\.$/, "") : s;
}
