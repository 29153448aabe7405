/**
 * Recognises the common log formats from their first lines, for `replay` without `--type`: the
 * acquisition label hub parsers filter on (syslog, nginx, apache2).
 */

export interface Detection {
  readonly type: string;
  /** What was recognised, for the "using type X" note. */
  readonly format: string;
}

const SYSLOG_BSD = /^[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d \S+ \S+?(?:\[\d+\])?: /;
const SYSLOG_ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:?\d\d) \S+ \S+?(?:\[\d+\])?: /;
const SYSLOG_5424 = /^<\d{1,3}>\d /;
const ACCESS = /^(?:\S+ )?\S+ \S+ \S+ \[\d\d\/[A-Z][a-z]{2}\/\d{4}:\d\d:\d\d:\d\d [+-]\d{4}\] "/;
const NGINX_ERROR = /^\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d \[[a-z]+\] \d+#\d+: /;
const APACHE_ERROR = /^\[[A-Z][a-z]{2} [A-Z][a-z]{2} \d\d \d\d:\d\d:\d\d(?:\.\d+)? \d{4}\] \[(?:\w+:)?\w+\] /;

/** Votes over the first lines; undefined when none of the known formats dominates. */
export function detectLogType(lines: readonly string[], fileName = ""): Detection | undefined {
  const name = fileName.toLowerCase();
  const webServer = name.includes("apache") || name.includes("httpd") ? "apache2" : "nginx";
  const votes = new Map<string, { n: number; d: Detection }>();
  const vote = (d: Detection) => {
    const v = votes.get(d.format);
    if (v) v.n++;
    else votes.set(d.format, { n: 1, d });
  };
  for (const line of lines) {
    if (line === "") continue;
    if (SYSLOG_BSD.test(line) || SYSLOG_ISO.test(line) || SYSLOG_5424.test(line)) vote({ type: "syslog", format: "syslog (auth.log style)" });
    else if (ACCESS.test(line)) vote({ type: webServer, format: `${webServer === "nginx" ? "nginx" : "apache"} access log (combined)` });
    else if (NGINX_ERROR.test(line)) vote({ type: "nginx", format: "nginx error log" });
    else if (APACHE_ERROR.test(line)) vote({ type: "apache2", format: "apache error log" });
  }
  let best: { n: number; d: Detection } | undefined;
  for (const v of votes.values()) if (!best || v.n > best.n) best = v;
  const considered = lines.filter((l) => l !== "").length;
  return best && best.n * 2 > considered ? best.d : undefined;
}
