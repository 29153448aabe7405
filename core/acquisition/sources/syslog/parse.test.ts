import { describe, expect, test } from "bun:test";
import { buildSyslogLine, parseSyslog, stripPri } from "./parse";

const NOW = new Date(Date.UTC(2024, 6, 9, 8, 7, 6));

describe("parseSyslog() + buildSyslogLine()", () => {
  test.each([
    { name: "RFC 3164, space-padded day", msg: "<13>Jan  5 09:03:01 host sshd[123]: Failed password for root", format: "rfc3164", line: "Jan 5 09:03:01 host sshd[123]: Failed password for root" },
    { name: "RFC 3164, zero-padded day", msg: "<13>Jan 05 09:03:01 host sshd: msg", format: "rfc3164", line: "Jan 5 09:03:01 host sshd: msg" },
    { name: "RFC 3164 with a year", msg: "<13>Dec 25 23:59:59 2023 host cron[1]: run", format: "rfc3164", line: "Dec 25 23:59:59 host cron[1]: run" },
    { name: "RFC 3164 with an RFC 3339 stamp", msg: "<13>2024-03-04T05:06:07+01:00 host app[9]: hi", format: "rfc3164", line: "Mar 4 05:06:07 host app[9]: hi" },
    { name: "tag stops at the first non-alphanumeric (postfix/smtpd)", msg: "<22>Feb 10 01:02:03 mx postfix/smtpd[77]: connect from x", format: "rfc3164", line: "Feb 10 01:02:03 mx postfix: /smtpd[77]: connect from x" },
    { name: "tag stops at a dash (sshd-session)", msg: "<38>Feb 10 01:02:03 h sshd-session[9]: Accepted", format: "rfc3164", line: "Feb 10 01:02:03 h sshd: -session[9]: Accepted" },
    { name: "a trailing newline is removed", msg: "<13>Jan  5 09:03:01 host app: x\n", format: "rfc3164", line: "Jan 5 09:03:01 host app: x" },
    { name: "RFC 5424", msg: "<34>1 2003-10-11T22:14:15.003Z mymachine.example.com su - ID47 - 'su root' failed", format: "rfc5424", line: "Oct 11 22:14:15 mymachine.example.com su: 'su root' failed" },
    { name: "RFC 5424 with PROCID and structured data", msg: '<165>1 2003-08-24T05:14:15.000003-07:00 192.0.2.1 myproc 8710 - [exampleSDID@32473 iut="3" eventSource="App"] %% It\'s time', format: "rfc5424", line: "Aug 24 05:14:15 192.0.2.1 myproc[8710]: %% It's time" },
    { name: "RFC 5424 nil hostname and timestamp", msg: "<34>1 - - app - - - msg", format: "rfc5424", line: "Jul 9 08:07:06 unknownhost app: msg" },
  ])("$name", ({ msg, format, line }) => {
    const r = parseSyslog(msg);
    expect(r.ok ? r.format : "failed").toBe(format);
    if (r.ok) expect(buildSyslogLine(r.msg, NOW)).toBe(line);
  });

  test.each([
    { name: "no PRI", msg: "hello world" },
    { name: "PRI only", msg: "<13>" },
    { name: "PRI over 999", msg: "<1000>Jan  5 09:03:01 host app: x" },
    { name: "bad timestamp", msg: "<13>Foo  5 09:03:01 host app: x" },
    { name: "day out of range", msg: "<13>Feb 30 09:03:01 host app: x" },
    { name: "no message", msg: "<13>Jan  5 09:03:01 host app:" },
    { name: "empty tag", msg: "<13>Jan  5 09:03:01 host [1]: x" },
    { name: "non-numeric pid", msg: "<13>Jan  5 09:03:01 host app[x]: m" },
    { name: "binary garbage", msg: "\u0000\u0001\u00ff<<>>" },
    { name: "empty", msg: "" },
  ])("refuses $name", ({ msg }) => {
    expect(parseSyslog(msg).ok).toBe(false);
  });
});

describe("stripPri()", () => {
  test.each([
    { msg: "<13>raw text\n", want: "raw text\n" },
    { msg: "<1234>x", want: undefined },
    { msg: "<a>x", want: undefined },
    { msg: "no", want: undefined },
  ])("$msg", ({ msg, want }) => {
    expect(stripPri(msg)).toBe(want);
  });
});
