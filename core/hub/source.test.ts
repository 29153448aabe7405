import { describe, expect, test } from "bun:test";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { renderProblem } from "../result";
import { dataFileLocation, dataSource, hubFileLocation, hubSource, sha256Hex } from "./source";

const dir = mkdtempSync(join(tmpdir(), "picket-src-"));

describe("hubSource()", () => {
  const cases = [
    { spec: "https://cdn-hub.crowdsec.net/crowdsecurity/%s/%s", file: ".index.json", want: "https://cdn-hub.crowdsec.net/crowdsecurity/master/.index.json" },
    { spec: "http://127.0.0.1:8080/hub", file: "parsers/s01-parse/a/b.yaml", want: "http://127.0.0.1:8080/hub/parsers/s01-parse/a/b.yaml" },
    { spec: "http://127.0.0.1:8080/hub/", file: ".index.json", want: "http://127.0.0.1:8080/hub/.index.json" },
    { spec: dir, file: "scenarios/a/b.yaml", want: join(dir, "scenarios/a/b.yaml") },
    { spec: `file://${dir}`, file: ".index.json", want: join(dir, ".index.json") },
  ];
  test.each(cases)("$spec + $file", ({ spec, file, want }) => {
    const s = hubSource(spec, "master");
    if (!s.ok) throw new Error(s.error.message);
    expect(hubFileLocation(s.value, file)).toBe(want);
  });

  const bad = [
    { spec: "https://hub/%s", message: 'Invalid hub URL template "https://hub/%s": expected two "%s" (branch, then file)' },
    { spec: "ftp://hub/", message: 'Unsupported hub URL "ftp://hub/": use http://, https:// or a directory' },
    { spec: join(dir, "missing"), message: `Cannot use hub mirror "${join(dir, "missing")}": not a directory` },
  ];
  test.each(bad)("refuses $spec", ({ spec, message }) => {
    const s = hubSource(spec, "master");
    expect(s.ok ? "" : s.error.message).toBe(message);
  });
});

describe("dataFileLocation()", () => {
  const url = "https://hub-data.crowdsec.net/web/bad_user_agents.regex.txt";
  const cases = [
    { spec: undefined, want: url },
    { spec: "http://127.0.0.1:9/data", want: "http://127.0.0.1:9/data/web/bad_user_agents.regex.txt" },
    { spec: dir, want: join(dir, "web", "bad_user_agents.regex.txt") },
  ];
  test.each(cases)("$spec", ({ spec, want }) => {
    const src = dataSource(spec);
    if (!src.ok) throw new Error(src.error.message);
    const where = dataFileLocation(src.value, url);
    expect(where.ok ? where.value : renderProblem(where.error)).toBe(want);
  });

  test("refuses a source_url that is not a URL, and one that climbs out of the mirror", () => {
    const src = dataSource(dir);
    if (!src.ok) throw new Error(src.error.message);
    const notUrl = dataFileLocation(src.value, "web/x.txt");
    expect(notUrl.ok ? "" : notUrl.error.message).toBe('A valid URL was expected for source_url "web/x.txt"');
    const climbing = dataFileLocation(src.value, "https://h/a/..%2f..%2fetc/passwd");
    expect(climbing.ok).toBe(false);
  });
});

describe("sha256Hex()", () => {
  test("gives the standard digest", () => {
    expect(sha256Hex(new TextEncoder().encode("abc"))).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  });
});
