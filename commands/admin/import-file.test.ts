import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { renderProblem } from "../../core/result";
import { TESTDATA } from "../../core/testing";
import { importFormat, parseImport, type ImportFormat } from "./import-file";

describe("importFormat()", () => {
  const cases = [
    { file: "a.csv", format: undefined, want: "csv" },
    { file: "a.json", format: undefined, want: "json" },
    { file: "a.txt", format: "values", want: "values" },
    { file: "a.csv", format: "json", want: "json" },
    { file: "a.txt", format: undefined, want: 'Cannot guess the format of "a.txt" from its extension' },
    { file: "-", format: "xml", want: 'Invalid format "xml", expected one of "json", "csv", "values"' },
  ];
  test.each(cases)("$file --format $format", ({ file, format, want }) => {
    const r = importFormat(file, format);
    expect(r.ok ? r.value : r.error.message).toBe(want);
  });
});

describe("parseImport()", () => {
  const cases: { name: string; format: ImportFormat; text: string; want: unknown }[] = [
    {
      name: "csv with any column order, quotes, CRLF and blank lines",
      format: "csv",
      text: 'value,duration,reason\r\n1.2.3.4,24h,"a, b"\r\n\r\n"5.6.7.8",,\r\n',
      want: [
        { where: "f:2", line: 2, value: "1.2.3.4", duration: "24h", reason: "a, b" },
        { where: "f:4", line: 4, value: "5.6.7.8" },
      ],
    },
    { name: "csv with an origin column (ignored, as cscli replaces it)", format: "csv", text: "origin,value\nx,1.2.3.4\n", want: [{ where: "f:2", line: 2, value: "1.2.3.4" }] },
    { name: "csv header only", format: "csv", text: "value\n", want: [] },
    {
      name: "json list",
      format: "json",
      text: '[{"value":"1.2.3.4","scope":"ip","type":"captcha","origin":"me"},{"value":"10.0.0.0/8","duration":"1h"}]',
      want: [
        { where: "f item 1", value: "1.2.3.4", scope: "ip", type: "captcha" },
        { where: "f item 2", value: "10.0.0.0/8", duration: "1h" },
      ],
    },
    { name: "plain values with comments", format: "values", text: "\uFEFF# list\n1.2.3.4\n\n  5.6.7.8  \n", want: [{ where: "f:2", line: 2, value: "1.2.3.4" }, { where: "f:4", line: 4, value: "5.6.7.8" }] },
  ];
  test.each(cases)("$name", ({ format, text, want }) => {
    const r = parseImport(text, format, "f");
    const got: unknown = r.ok ? r.value : renderProblem(r.error);
    expect(got).toEqual(want);
  });

  const errors: { name: string; format: ImportFormat; text: string; want: string }[] = [
    { name: "csv without a value column", format: "csv", text: "ip,duration\n1.2.3.4,1h\n", want: 'f:1: The header has no "value" column (found: ip, duration)\n  hint: the first line names the columns, e.g. duration,scope,value' },
    { name: "csv with a short line", format: "csv", text: "duration,value\n1h,1.2.3.4\n2h\n", want: "f:3: Wrong number of fields: 1 where the header has 2" },
    { name: "csv with an unterminated quote", format: "csv", text: 'value\n"1.2.3.4\n', want: "f:2: Unterminated quoted field" },
    { name: "csv with a bare quote", format: "csv", text: 'value\n1.2"3\n', want: 'f:2: Bare " in a field that does not start with a quote' },
    { name: "json that is not a list", format: "json", text: '{"value":"1.2.3.4"}', want: 'f: Expected a JSON list of decisions ([{"value": "1.2.3.4"}, …])' },
    { name: "json with a number value", format: "json", text: '[{"value":1}]', want: 'f [0].value: "value" must be a string, not 1' },
    { name: "json with a list item", format: "json", text: "[[]]", want: "f [0]: Expected an object" },
  ];
  test.each(errors)("reports $name", ({ format, text, want }) => {
    const r = parseImport(text, format, "f");
    expect(r.ok ? "parsed" : renderProblem(r.error)).toBe(want);
  });

  test("reads the sample files in testdata/admin", () => {
    const count = (name: string, format: ImportFormat) => {
      const r = parseImport(readFileSync(join(TESTDATA, "admin", name), "utf8"), format, name);
      return r.ok ? r.value.length : renderProblem(r.error);
    };
    expect([count("import.csv", "csv"), count("import.json", "json"), count("import.txt", "values")]).toEqual([3, 2, 3]);
  });
});
