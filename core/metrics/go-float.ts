/**
 * Numbers as Go's strconv.FormatFloat(v, 'g', -1, 64) writes them, which is what the Prometheus Go
 * client puts in an exposition: the shortest digits that read back to the same float, in
 * exponent form when the exponent is below -4 or at least 6 (`1e+06`, `1.5e-05`).
 */
export function formatGoFloat(v: number): string {
  if (Number.isNaN(v)) return "NaN";
  if (v === Infinity) return "+Inf";
  if (v === -Infinity) return "-Inf";
  if (v === 0) return Object.is(v, -0) ? "-0" : "0";
  // toExponential() without a digit count gives the shortest round-trip digits, as Go's -1 does.
  const shortest = v.toExponential();
  const e = shortest.indexOf("e");
  const exp = Number(shortest.slice(e + 1));
  if (exp < -4 || exp >= 6) {
    const sign = exp < 0 ? "-" : "+";
    const digits = String(Math.abs(exp)).padStart(2, "0");
    return `${shortest.slice(0, e)}e${sign}${digits}`;
  }
  // In this exponent range JavaScript prints the same shortest digits without an exponent.
  return String(v);
}
