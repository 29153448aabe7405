import { describe, expect, test } from "bun:test";
import { detectXSS } from "./xss";

// Expected verdicts are libinjection's (Go v0.3.2, the version CrowdSec links).
const attacks = [
  "<script>alert(1)</script>",
  "<img src=x onerror=alert(1)>",
  "<a href='javascript:alert(1)'>x</a>",
  "<a href=\"data:text/html,<script>alert(1)</script>\">",
  "<!DOCTYPE html>",
  "<iframe src=//evil>",
  "<svg/onload=alert(1)>", // any tag starting SVG or XSL
  "<XSL>",
  "<xss>",
  "<base href=x>",
  "<div style=\"color:red\">", // style is always suspicious
  "<x/style=x>",
  "<a href=\"&#106;avascript:alert(1)\">", // numeric entities are decoded in URLs
  "<a href=\"&#x6A;avascript:alert(1)\">",
  "<a href=\" \tjavascript:x\">", // leading white space is skipped
  "<IMG SRC=\"vbscript:msgbox(1)\">",
  "<a href=view-source:x>",
  "<x src=data:x>",
  "<x src=java>", // JAVA covers javascript: and its variants
  "<x FORMACTION=javascript:1>",
  "<math><mi xlink:href=\"javascript:1\">",
  "<x onclick=1>",
  "<x onreadystatechange=1>",
  "<x xmlns=a>",
  "<svg><animate attributeName=onload to=alert(1)>",
  "<x attributeName=onclick>", // an attribute name given as a value
  "<!--[if IE]><script>x</script><![endif]-->", // IE conditional comment
  "<?import namespace=x>",
  "<!ENTITY x>",
  "<!-- `x -->", // IE ends tags at a backtick
  "<scr\u0000ipt>", // NUL inside a tag name is ignored
  // attribute-value contexts: the input breaks out of a quoted or unquoted value
  "x\" onmouseover=\"alert(1)",
  "x' onfocus='alert(1)",
  "x onerror=alert(1)",
  "` onload=x",
  // payloads of the hub's appsec tests whose rules use libinjectionXSS
  "\"><img src=x onerror=alert(document.domain)>", // vpatch-CVE-2022-27926
  "<img src=x onerror=alert(document.domain)>", // vpatch-CVE-2023-2009
];

const benign = [
  "javascript:alert(1)", // a URL alone, outside any attribute, is text
  "<b>hi</b>",
  "hello world",
  "<a href=\"https://example.com\">link</a>",
  "<p>Hello <em>world</em></p>",
  "<img src=\"cat.png\" alt=\"cat\">",
  "<p title=\"a > b\">",
  "5 < 6 and 7 > 3",
  "a@b.com",
  "O'Reilly & Sons <sales@example.com>",
  "<x src=jav>",
  "<x attributeName=href>",
  "<a href=\"jav&#x09;ascript:x\">", // an encoded tab after the start is not skipped
  "<x onfoo=1>", // Go's list of event names, not C's "any on*"
  "<%foo%>",
  "",
];

describe("detectXSS()", () => {
  test.each(attacks.map((input) => ({ input, shown: JSON.stringify(input) })))("flags $shown", ({ input }) => {
    expect(detectXSS(input)).toBe(true);
  });

  test.each(benign.map((input) => ({ input })))("passes $input", ({ input }) => {
    expect(detectXSS(input)).toBe(false);
  });

  test("accepts raw bytes", () => {
    expect(detectXSS(new TextEncoder().encode("<script>"))).toBe(true);
    expect(detectXSS(new Uint8Array([0x3c, 0x62, 0x3e]))).toBe(false);
  });
});
