import { describe, expect, test } from "bun:test";
import { splitDataLines } from "./lines";
import { buildMapIndex, parseMapRow, type MapRow } from "./map-index";

function rowsOf(text: string): MapRow[] {
  return splitDataLines(text).lines.map((l) => {
    const r = parseMapRow(l, "t.json");
    if (!r.ok) throw new Error(r.error.message);
    return r.value;
  });
}

const ROWS = rowsOf(`{"pattern": "/tmui/", "tag": "F5", "type": "contains"}
{"pattern": "/webfig/", "tag": "MikroTik", "type": "contains"}
{"pattern": "/cgi-bin/luci", "tag": "OpenWrt", "type": "contains"}
{"pattern": "/.env", "tag": "Generic", "type": "contains"}
{"pattern": "/wp-admin/", "tag": "WordPress", "type": "contains"}
{"pattern": "/specific/endpoint.php", "tag": "SpecificApp", "type": "equals"}
{"pattern": "/wp-content/plugins/[^/]+/readme\\\\.txt", "tag": "WordPress-Plugin", "type": "regex"}
{"pattern": "/(dana|logon/LogonPoint)/", "tag": "VPN-Endpoint", "type": "regex"}
{"pattern": "/overlap", "tag": "ContainsTech", "type": "contains"}
{"pattern": "/overlap", "tag": "EqualsTech", "type": "equals"}
{"pattern": "/secret", "tag": "Secret", "type": "contains"}`);

describe("buildMapIndex().lookup()", () => {
  // upstream TestLookupFile* cases, then leftmost-first order
  const cases = [
    { text: "/admin/tmui/login.jsp", want: "F5" },
    { text: "/webfig/winbox", want: "MikroTik" },
    { text: "/cgi-bin/luci/admin", want: "OpenWrt" },
    { text: "/.env", want: "Generic" },
    { text: "/wp-admin/options.php", want: "WordPress" },
    { text: "/normal/page.html", want: "" },
    { text: "", want: "" },
    { text: "/specific/endpoint.php", want: "SpecificApp" },
    { text: "/specific/endpoint.php/extra", want: "" },
    { text: "/specific/endpoint", want: "" },
    { text: "/overlap", want: "EqualsTech" }, // equals before contains
    { text: "/wp-content/plugins/akismet/readme.txt", want: "WordPress-Plugin" },
    { text: "/dana/somepath", want: "VPN-Endpoint" },
    { text: "/logon/LogonPoint/receiver", want: "VPN-Endpoint" },
    { text: "/wp-admin/plugins/akismet/readme.txt", want: "WordPress" }, // contains before regex
    { text: "/x/secret/wp-admin/", want: "Secret" }, // the match starting first wins, not the first row
    { text: "/wp-admin/x", want: "WordPress" }, // same start: the earlier row
  ];
  test.each(cases)("lookup($text) is $want", ({ text, want }) => {
    expect(buildMapIndex(ROWS).lookup(text)).toBe(want);
  });

  test("a later equals row with the same pattern wins", () => {
    const rows = rowsOf(`{"pattern":"/a","tag":"one","type":"equals"}\n{"pattern":"/a","tag":"two","type":"equals"}`);
    expect(buildMapIndex(rows).lookup("/a")).toBe("two");
  });

  test("skips a regex row that does not compile, with a warning", () => {
    const warnings: string[] = [];
    const index = buildMapIndex(rowsOf(`{"pattern":"bro(ken","tag":"x","type":"regex"}\n{"pattern":"ok","tag":"y","type":"regex"}`), (p) => warnings.push(p.code));
    expect(index.lookup("ok")).toBe("y");
    expect(warnings).toEqual(["data.bad-map-regexp"]);
  });
});

describe("parseMapRow()", () => {
  const errors = [
    { line: `{"pattern": "/a", "tag": "A"`, want: "Cannot parse JSON line: " },
    { line: `["/a"]`, want: "Cannot parse JSON line: not an object of strings" },
    { line: `{"pattern": "/a", "tag": 1, "type": "equals"}`, want: 'Cannot parse JSON line: "tag" is not a string' },
    { line: `{"tag": "A", "type": "equals"}`, want: "Missing mandatory 'pattern' field" },
    { line: `{"pattern": "/a", "type": "equals"}`, want: "Missing mandatory 'tag' field" },
    { line: `{"pattern": "/a", "tag": "A"}`, want: "Missing mandatory 'type' field" },
    { line: `{"pattern": "/a", "tag": "A", "type": "foobar"}`, want: "Unknown entry type 'foobar' (supported: equals, contains, regex)" },
    { line: `null`, want: "Missing mandatory 'pattern' field" },
  ];
  test.each(errors)("refuses $line", ({ line, want }) => {
    const r = parseMapRow({ text: line, line: 7 }, "t.json");
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.message).toStartWith(want);
      expect(r.error.line).toBe(7);
    }
  });

  test("reads a null value as an empty string and keeps extra fields", () => {
    const r = parseMapRow({ text: `{"pattern":"/a","tag":"A","type":"equals","note":null}`, line: 1 }, "t.json");
    expect(r.ok && { ...r.value }).toEqual({ pattern: "/a", tag: "A", type: "equals", note: "" });
  });
});
