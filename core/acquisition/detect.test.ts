import { describe, expect, test } from "bun:test";
import { detectLogType } from "./detect";

describe("detectLogType()", () => {
  test.each([
    { name: "auth.log", lines: ["Nov 18 06:13:35 web-1 sshd[2000]: Accepted publickey for deploy from 1.2.3.4 port 1 ssh2"], file: "auth.log", want: "syslog" },
    { name: "day padded", lines: ["Mar  1 00:00:00 web-0 sshd[1000]: Connection closed by 1.2.3.4 port 2 [preauth]"], file: "x", want: "syslog" },
    { name: "ISO syslog", lines: ["2026-03-01T00:00:00.123+01:00 host sshd[1]: x"], file: "x", want: "syslog" },
    { name: "nginx access", lines: ['1.2.3.4 - - [18/Nov/2026:07:00:00 +0000] "GET / HTTP/1.1" 200 1 "-" "ua"'], file: "access.log", want: "nginx" },
    { name: "apache access by name", lines: ['1.2.3.4 - - [18/Nov/2026:07:00:00 +0000] "GET / HTTP/1.1" 200 1 "-" "ua"'], file: "/var/log/apache2/access.log", want: "apache2" },
    { name: "nginx error", lines: ['2026/11/18 07:00:00 [error] 12#12: *3 open() "/x" failed (2: No such file or directory), client: 1.2.3.4'], file: "error.log", want: "nginx" },
    { name: "apache error", lines: ["[Wed Nov 18 07:00:00.123456 2026] [core:error] [pid 12] [client 1.2.3.4:5] AH00128: File does not exist"], file: "error.log", want: "apache2" },
  ])("$name → $want", ({ lines, file, want }) => {
    expect(detectLogType(lines, file)?.type).toBe(want);
  });

  test("gives up when no format has a majority", () => {
    expect(detectLogType(["hello", "world", "Nov 18 06:13:35 web-1 sshd[2000]: x"], "x")).toBeUndefined();
  });
});
