// The base grok patterns every CrowdSec pattern host starts with (grokky's NewBase): the names,
// meanings and semantics hub parsers rely on. Regexes are RE2 and must match exactly what
// CrowdSec's do, down to quirks (noted where they look like bugs): the captures of hub parsers
// depend on it. Group structure is free; the language and the alternation order are not.

const HEX = "[0-9A-Fa-f]";
const HEXTET = `${HEX}{1,4}`;

/** One IPv4 octet (0-255), leftmost alternative first as upstream orders it. */
const OCTET = String.raw`(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)`;
/** The dotted-quad tail an IPv6 address may end with. */
const V4_TAIL = String.raw`(${OCTET}(\.${OCTET}){3})`;

// IPv6 with every compressed form: for k leading hextets, the rest is either more hextets after
// "::", an embedded IPv4 address, or a bare ":". The forms are tried from the longest prefix down
// (leftmost-first decides which alternative captures), then an optional %zone.
const IPV6 = [
  `((${HEXTET}:){7}(${HEXTET}|:))`,
  `((${HEXTET}:){6}(:${HEXTET}|${V4_TAIL}|:))`,
  `((${HEXTET}:){5}(((:${HEXTET}){1,2})|:${V4_TAIL}|:))`,
  `((${HEXTET}:){4}(((:${HEXTET}){1,3})|((:${HEXTET})?:${V4_TAIL})|:))`,
  `((${HEXTET}:){3}(((:${HEXTET}){1,4})|((:${HEXTET}){0,2}:${V4_TAIL})|:))`,
  `((${HEXTET}:){2}(((:${HEXTET}){1,5})|((:${HEXTET}){0,3}:${V4_TAIL})|:))`,
  `((${HEXTET}:){1}(((:${HEXTET}){1,6})|((:${HEXTET}){0,4}:${V4_TAIL})|:))`,
  `(:(((:${HEXTET}){1,7})|((:${HEXTET}){0,5}:${V4_TAIL})|:))`,
].join("|");

/** A quoted string with backslash escapes, or the empty quotes, for one quote character. */
function quoted(q: string): string {
  return String.raw`(${q}(\\.|[^\\${q}]+)+${q})|${q}${q}`;
}

export const BASE_PATTERNS: readonly (readonly [string, string])[] = [
  // --- Words and identifiers
  ["USERNAME", String.raw`[a-zA-Z0-9._-]+`],
  ["USER", "%{USERNAME}"],
  // Upstream quirk kept: "+-=" is a range (+ to =), so , / ; < and digits are in too.
  ["EMAILLOCALPART", String.raw`[a-zA-Z0-9_.+-=:]+`],
  // Labels of 1-63 characters; the trailing (\.?|\b) lets a name end with a dot or anywhere.
  ["HOSTNAME", String.raw`\b[0-9A-Za-z][0-9A-Za-z-]{0,62}(?:\.[0-9A-Za-z][0-9A-Za-z-]{0,62})*(\.?|\b)`],
  ["EMAILADDRESS", "%{EMAILLOCALPART}@%{HOSTNAME}"],
  ["HTTPDUSER", "%{EMAILADDRESS}|%{USER}"],

  // --- Numbers
  ["INT", String.raw`[+-]?(?:\d+)`],
  ["BASE10NUM", String.raw`[+-]?(?:(?:\d+(?:\.\d+)?)|(?:\.\d+))`],
  ["NUMBER", "%{BASE10NUM}"],
  ["BASE16NUM", `[+-]?(?:0x)?(?:${HEX}+)`],
  ["BASE16FLOAT", String.raw`\b[+-]?(?:0x)?(?:(?:${HEX}+(?:\.${HEX}*)?)|(?:\.${HEX}+))\b`],
  ["POSINT", String.raw`\b[1-9]\d*\b`],
  ["NONNEGINT", String.raw`\b\d+\b`],

  // --- Free text
  ["WORD", String.raw`\b\w+\b`],
  ["NOTSPACE", String.raw`\S+`],
  ["SPACE", String.raw`\s*`],
  ["DATA", ".*?"],
  ["GREEDYDATA", ".*"],
  ["QUOTEDSTRING", [quoted('"'), quoted("'"), quoted("`")].join("|")],
  ["UUID", `${HEX}{8}-(?:${HEX}{4}-){3}${HEX}{12}`],

  // --- Network addresses
  ["CISCOMAC", String.raw`(?:${HEX}{4}\.){2}${HEX}{4}`],
  ["WINDOWSMAC", `(?:${HEX}{2}-){5}${HEX}{2}`],
  ["COMMONMAC", `(?:${HEX}{2}:){5}${HEX}{2}`],
  ["MAC", "%{CISCOMAC}|%{WINDOWSMAC}|%{COMMONMAC}"],
  ["IPV6", `(${IPV6})(%.+)?`],
  ["IPV4", String.raw`(?:(?:25[0-5]|2[0-4][0-9]|[01]?[0-9][0-9]?)\.){3}(?:25[0-5]|2[0-4][0-9]|[01]?[0-9][0-9]?)`],
  ["IP", "%{IPV6}|%{IPV4}"],
  ["IPORHOST", "%{IP}|%{HOSTNAME}"],
  ["HOSTPORT", "%{IPORHOST}:%{POSINT}"],

  // --- Paths and URIs
  ["UNIXPATH", String.raw`(/([\w_%!$@:.,~-]+|\\.)*)+`],
  ["TTY", String.raw`/dev/(pts|tty([pq])?)(\w+)?/?(?:[0-9]+)`],
  ["WINPATH", String.raw`(?:[A-Za-z]+:|\\)(?:\\[^\\?*]*)+`],
  ["PATH", "%{UNIXPATH}|%{WINPATH}"],
  ["URIPROTO", String.raw`[A-Za-z]+(\+[A-Za-z+]+)?`],
  ["URIHOST", "%{IPORHOST}(?::%{POSINT:port})?"],
  // The characters browsers leave unescaped in a path (loosely RFC 1738).
  ["URIPATH", String.raw`(?:/[A-Za-z0-9$.+!*'(){},~:;=@#%_\-]*)+`],
  ["URIPARAM", String.raw`\?[A-Za-z0-9$.+!*'|(){},~@#%&/=:;_?\-\[\]<>]*`],
  ["URIPATHPARAM", "%{URIPATH}(?:%{URIPARAM})?"],
  ["URI", "%{URIPROTO}://(?:%{USER}(?::[^@]*)?@)?(?:%{URIHOST})?(?:%{URIPATHPARAM})?"],

  // --- Calendar parts. MONTH's \b guards only its first and last alternatives, as upstream.
  // Not String.raw: Bun rewrites the raw text of a template literal's non-ASCII characters to
  // \u escapes, which RE2 does not accept. "\\b" is the regex \b.
  ["MONTH", "\\bJan(?:uary|uar)?|Feb(?:ruary|ruar)?|M(?:a|\u00e4)?r(?:ch|z)?|Apr(?:il)?|Ma(?:y|i)?|Jun(?:e|i)?|Jul(?:y)?|Aug(?:ust)?|Sep(?:tember)?|O(?:c|k)?t(?:ober)?|Nov(?:ember)?|De(?:c|z)(?:ember)?\\b"],
  ["MONTHNUM", "0?[1-9]|1[0-2]"],
  ["MONTHNUM2", "0[1-9]|1[0-2]"],
  ["MONTHDAY", "(?:0[1-9])|(?:[12][0-9])|(?:3[01])|[1-9]"],
  ["DAY", "Mon(?:day)?|Tue(?:sday)?|Wed(?:nesday)?|Thu(?:rsday)?|Fri(?:day)?|Sat(?:urday)?|Sun(?:day)?"],
  ["YEAR", String.raw`(?:\d\d){1,2}`],
  ["HOUR", "2[0123]|[01]?[0-9]"],
  ["MINUTE", "[0-5][0-9]"],
  // 60 is a leap second.
  ["SECOND", "(?:[0-5]?[0-9]|60)(?:[:.,][0-9]+)?"],
  ["TIME", "%{HOUR}:%{MINUTE}:%{SECOND}"],

  // --- Dates and timestamps
  ["DATE_US", "%{MONTHNUM}[/-]%{MONTHDAY}[/-]%{YEAR}"],
  ["DATE_EU", "%{MONTHDAY}[./-]%{MONTHNUM}[./-]%{YEAR}"],
  ["DATE_X", "%{YEAR}/%{MONTHNUM2}/%{MONTHDAY}"],
  ["ISO8601_TIMEZONE", "Z|[+-]%{HOUR}(?::?%{MINUTE})"],
  ["ISO8601_SECOND", "%{SECOND}|60"],
  ["TIMESTAMP_ISO8601", "%{YEAR}-%{MONTHNUM}-%{MONTHDAY}[T ]%{HOUR}:?%{MINUTE}(?::?%{SECOND})?%{ISO8601_TIMEZONE}?"],
  ["DATE", "%{DATE_US}|%{DATE_EU}|%{DATE_X}"],
  ["DATESTAMP", "%{DATE}[- ]%{TIME}"],
  ["TZ", "[A-Z]{3}"],
  ["NUMTZ", String.raw`[+-]\d{4}`],
  ["DATESTAMP_RFC822", "%{DAY} %{MONTH} %{MONTHDAY} %{YEAR} %{TIME} %{TZ}"],
  ["DATESTAMP_RFC2822", "%{DAY}, %{MONTHDAY} %{MONTH} %{YEAR} %{TIME} %{ISO8601_TIMEZONE}"],
  ["DATESTAMP_OTHER", "%{DAY} %{MONTH} %{MONTHDAY} %{TIME} %{TZ} %{YEAR}"],
  ["DATESTAMP_EVENTLOG", "%{YEAR}%{MONTHNUM2}%{MONTHDAY}%{HOUR}%{MINUTE}%{SECOND}"],
  ["HTTPDERROR_DATE", "%{DAY} %{MONTH} %{MONTHDAY} %{TIME} %{YEAR}"],

  // --- Go time layouts. ANSIC keeps upstream's stray trailing quote.
  ["ANSIC", String.raw`%{DAY} %{MONTH} [_123]\d %{TIME} %{YEAR}"`],
  ["UNIXDATE", String.raw`%{DAY} %{MONTH} [_123]\d %{TIME} %{TZ} %{YEAR}`],
  ["RUBYDATE", String.raw`%{DAY} %{MONTH} [0-3]\d %{TIME} %{NUMTZ} %{YEAR}`],
  ["RFC822Z", String.raw`[0-3]\d %{MONTH} %{YEAR} %{TIME} %{NUMTZ}`],
  ["RFC850", String.raw`%{DAY}, [0-3]\d-%{MONTH}-%{YEAR} %{TIME} %{TZ}`],
  ["RFC1123", String.raw`%{DAY}, [0-3]\d %{MONTH} %{YEAR} %{TIME} %{TZ}`],
  ["RFC1123Z", String.raw`%{DAY}, [0-3]\d %{MONTH} %{YEAR} %{TIME} %{NUMTZ}`],
  ["RFC3339", String.raw`%{YEAR}-[01]\d-[0-3]\dT%{TIME}%{ISO8601_TIMEZONE}`],
  ["RFC3339NANO", String.raw`%{YEAR}-[01]\d-[0-3]\dT%{TIME}\.\d{9}%{ISO8601_TIMEZONE}`],
  ["KITCHEN", String.raw`\d{1,2}:\d{2}(AM|PM|am|pm)`],

  // --- Syslog
  ["SYSLOGTIMESTAMP", "%{MONTH} +%{MONTHDAY} %{TIME}"],
  // Printable ASCII but [ and ], which delimit the pid.
  ["PROG", String.raw`[\x21-\x5a\x5c\x5e-\x7e]+`],
  ["SYSLOGPROG", String.raw`%{PROG:program}(?:\[%{POSINT:pid}\])?`],
  ["SYSLOGHOST", "%{IPORHOST}"],
  ["SYSLOGFACILITY", "<%{NONNEGINT:facility}.%{NONNEGINT:priority}>"],
  ["HTTPDATE", "%{MONTHDAY}/%{MONTH}/%{YEAR}:%{TIME} %{INT}"],
  ["QS", "%{QUOTEDSTRING}"],
  ["LOGLEVEL", logLevels()],
  ["SYSLOGBASE", "%{SYSLOGTIMESTAMP:timestamp} (?:%{SYSLOGFACILITY} )?%{SYSLOGHOST:logsource} %{SYSLOGPROG}:"],

  // --- Apache
  [
    "COMMONAPACHELOG",
    String.raw`%{IPORHOST:clientip} %{HTTPDUSER:ident} %{USER:auth} \[%{HTTPDATE:timestamp}\] "(?:%{WORD:verb} %{NOTSPACE:request}(?: HTTP/%{NUMBER:httpversion})?|%{DATA:rawrequest})" %{NUMBER:response} (?:%{NUMBER:bytes}|-)`,
  ],
  ["COMBINEDAPACHELOG", "%{COMMONAPACHELOG} %{QS:referrer} %{QS:agent}"],
  ["HTTPD20_ERRORLOG", String.raw`\[%{HTTPDERROR_DATE:timestamp}\] \[%{LOGLEVEL:loglevel}\] (?:\[client %{IPORHOST:clientip}\] ){0,1}%{GREEDYDATA:errormsg}`],
  [
    "HTTPD24_ERRORLOG",
    String.raw`\[%{HTTPDERROR_DATE:timestamp}\] \[%{WORD:module}:%{LOGLEVEL:loglevel}\] \[pid %{POSINT:pid}(:tid %{NUMBER:tid})?\]( \(%{POSINT:proxy_errorcode}\)%{DATA:proxy_errormessage}:)?( \[client %{IPORHOST:client}:%{INT:clientport}\])? %{DATA:errorcode}: %{GREEDYDATA:message}`,
  ],
  ["HTTPD_ERRORLOG", "%{HTTPD20_ERRORLOG}|%{HTTPD24_ERRORLOG}"],
];

// Each level in Capitalised-or-lower and UPPER spelling, in upstream's order (which decides
// what a prefix like "Warn" captures); EMERG comes upper case first.
function logLevels(): string {
  return [
    "[Aa]lert|ALERT",
    "[Tt]race|TRACE",
    "[Dd]ebug|DEBUG",
    "[Nn]otice|NOTICE",
    "[Ii]nfo|INFO",
    "[Ww]arn?(?:ing)?|WARN?(?:ING)?",
    "[Ee]rr?(?:or)?|ERR?(?:OR)?",
    "[Cc]rit?(?:ical)?|CRIT?(?:ICAL)?",
    "[Ff]atal|FATAL",
    "[Ss]evere|SEVERE",
    "EMERG(?:ENCY)?|[Ee]merg(?:ency)?",
  ].join("|");
}
