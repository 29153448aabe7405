import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { renderProblem, type Problem } from "../result";
import { acquisitionFiles, acquisitionFromDsn, loadAcquisition, parseAcquisition, transformOf } from "./acquis";
import { FileSource } from "./sources/file";
import { JournalctlSource } from "./sources/journalctl";
import { SyslogSource } from "./sources/syslog";

let root: string;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), "picket-acquis-"));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

const render = (ps: readonly Problem[]) => ps.map(renderProblem);
const OPTS = { journalctlPath: "/bin/true" };

describe("parseAcquisition()", () => {
  test("reads the Debian 1.4.6 acquis.yaml: sources detected from filenames and journalctl_filter", () => {
    const text = [
      "filenames:\n  - /var/log/nginx/*.log\n  - ./tests/nginx/nginx.log\nlabels:\n  type: nginx\n",
      "filenames:\n - /var/log/auth.log\n - /var/log/syslog\nlabels:\n  type: syslog\n",
      "journalctl_filter:\n - \"_SYSTEMD_UNIT=ssh.service\"\nlabels:\n  type: syslog\n",
      "source: syslog\nlisten_addr: 0.0.0.0\nlisten_port: 4242\nlabels:\n  type: syslog\n",
      "# only a comment\n",
    ].join("---\n");
    const r = parseAcquisition(text, "acquis.yaml", OPTS);
    expect(render(r.problems)).toEqual([]);
    expect(r.sources.map((s) => [s.module, s.config.labels.type, s.config.mode])).toEqual([
      ["file", "nginx", "tail"], ["file", "syslog", "tail"], ["journalctl", "syslog", "tail"], ["syslog", "syslog", "tail"],
    ]);
    expect(r.sources[2]).toBeInstanceOf(JournalctlSource);
    expect((r.sources[3] as SyslogSource).syslog).toMatchObject({ listenAddr: "0.0.0.0", listenPort: 4242, maxMessageLen: 2048, tcp: false });
  });

  test("reads the common keys; unique_id is always fresh", () => {
    const r = parseAcquisition("source: file\nfilename: /x.log\nmode: cat\nname: mine\nuse_time_machine: true\nlog_level: debug\nunique_id: fixed\nlabels: {type: t, env: prod}\n", "a.yaml", OPTS);
    expect(render(r.problems)).toEqual([]);
    const c = r.sources[0]!.config;
    expect(c).toMatchObject({ source: "file", mode: "cat", name: "mine", useTimeMachine: true, logLevel: "debug" });
    expect({ ...c.labels }).toEqual({ type: "t", env: "prod" });
    expect(c.uniqueId).not.toBe("fixed");
  });

  test.each([
    { name: "a typo of a key", doc: "source: file\nfilname: /x.log\nfilename: /y.log\nlabels: {type: t}\n", want: 'a.yaml:2:1 filname: Unknown key "filname" in a file datasource\n  hint: did you mean "filename"?' },
    { name: "a key of another datasource", doc: "source: file\nfilename: /y.log\nlisten_port: 514\nlabels: {type: t}\n", want: 'a.yaml:3:1 listen_port: Unknown key "listen_port" in a file datasource' },
    { name: "no source and nothing to detect it from", doc: "labels: {type: t}\n", want: "a.yaml:1:1: Missing 'source' field\n  hint: add `source: file` (or journalctl, syslog, docker)" },
    { name: "an unknown source", doc: "source: carrier-pigeon\nlabels: {type: t}\n", want: 'a.yaml:1:9 source: Unknown data source "carrier-pigeon"\n  hint: known: file, journalctl, syslog, docker, stdin, appsec' },
    { name: "an upstream source picket does not run", doc: "source: kafka\nlabels: {type: t}\n", want: 'a.yaml:1:9 source: Datasource "kafka" is not supported by picket\n  hint: known: file, journalctl, syslog, docker, stdin, appsec' },
    { name: "missing labels", doc: "filename: /x.log\n", want: "a.yaml:1:1: Missing labels\n  hint: add `labels: {type: <log type>}`, e.g. type: syslog" },
    { name: "type at top level instead of under labels", doc: "filename: /x.log\ntype: syslog\nlabels: {env: x}\n", want: 'a.yaml:2:1 type: Unknown key "type" in a file datasource' },
    { name: "a bad mode", doc: "filename: /x.log\nmode: follow\nlabels: {type: t}\n", want: 'a.yaml:2:7 mode: Unsupported mode "follow": expected tail or cat' },
    { name: "a bad log level", doc: "filename: /x.log\nlog_level: loud\nlabels: {type: t}\n", want: 'a.yaml:2:12 log_level: Not a valid logrus Level: "loud"' },
    { name: "no filename", doc: "source: file\nlabels: {type: t}\n", want: "a.yaml:1:1: No filename or filenames configuration provided" },
    { name: "a bad exclude regexp", doc: "filename: /x.log\nexclude_regexps: [\"(\"]\nlabels: {type: t}\n", wantPrefix: 'a.yaml:2:19 exclude_regexps[0]: Cannot compile exclude regexp "("' },
    { name: "a hostname as listen_addr", doc: "source: syslog\nlisten_addr: localhost\nlabels: {type: t}\n", want: 'a.yaml:2:14 listen_addr: Invalid listen IP "localhost"' },
    { name: "docker without selector", doc: "source: docker\n", want: "a.yaml:1:1: No containers or services configuration provided" },
    { name: "a transform that does not compile", doc: "filename: /x.log\ntransform: 'evt.Line.Raw +'\nlabels: {type: t}\n", wantPrefix: "a.yaml:2:12 transform: Cannot compile transform:" },
    { name: "a YAML syntax error", doc: "filename: [/x.log\nlabels: {type: t}\n", wantPrefix: "a.yaml:" },
  ] as { name: string; doc: string; want?: string; wantPrefix?: string }[])("reports $name with file, line and key", ({ doc, want, wantPrefix }) => {
    const r = parseAcquisition(doc, "a.yaml", OPTS);
    expect(r.sources).toEqual([]);
    const text = render(r.problems);
    expect(text.length).toBeGreaterThan(0);
    if (want !== undefined) expect(text[0]).toBe(want);
    else expect(text[0]!.startsWith(wantPrefix!)).toBe(true);
  });

  test("names the document's position when the file has several, and reports every bad document", () => {
    const r = parseAcquisition("filename: /a.log\nlabels: {type: t}\n---\nfilename: /b.log\nfilname: x\nlabels: {type: t}\n---\nsource: nope\nlabels: {type: t}\n", "m.yaml", OPTS);
    expect(render(r.problems)).toEqual([
      'm.yaml:5:1 filname: Unknown key "filname" in a file datasource (position 1)\n  hint: did you mean "filename"?',
      'm.yaml:8:9 source: Unknown data source "nope" (position 2)\n  hint: known: file, journalctl, syslog, docker, stdin, appsec',
    ]);
  });

  test("skips a journalctl document with a warning when journalctl is not in PATH", () => {
    const warnings: Problem[] = [];
    const r = parseAcquisition("journalctl_filter: [_UID=0]\nlabels: {type: syslog}\n", "j.yaml", { env: { PATH: join(root, "empty-path") }, onWarning: (p) => warnings.push(p) });
    expect(r.problems).toEqual([]);
    expect(r.sources).toEqual([]);
    expect(warnings.map((w) => w.message)).toEqual(['Datasource "journalctl" skipped: journalctl is not in PATH']);
  });

  test("expands set environment variables and leaves unset ones", () => {
    const r = parseAcquisition("filenames: [${LOGDIR}/*.log, $UNSET_VAR_X/y.log]\nlabels: {type: t}\n", "e.yaml", { env: { LOGDIR: "/srv/logs" } });
    expect(render(r.problems)).toEqual([]);
    expect((r.sources[0] as FileSource).file.patterns.map((p) => p.source)).toEqual(["/srv/logs/*.log", "$UNSET_VAR_X/y.log"]);
  });

  test("compiles transform once per source", () => {
    const r = parseAcquisition("filename: /x.log\ntransform: 'evt.Line.Raw + \"!\"'\nlabels: {type: t}\n", "t.yaml", OPTS);
    expect(render(r.problems)).toEqual([]);
    expect(transformOf(r.sources[0]!)?.source).toBe('evt.Line.Raw + "!"');
  });
});

describe("loadAcquisition()", () => {
  test("reads acquis.yaml then acquis.d/*.yaml then *.yml, each sorted, skipping subdirectories", () => {
    const dir = join(root, "conf");
    mkdirSync(join(dir, "acquis.d", "sub.yaml"), { recursive: true });
    writeFileSync(join(dir, "acquis.yaml"), "filename: /main.log\nlabels: {type: a}\n");
    writeFileSync(join(dir, "acquis.d", "b.yaml"), "filename: /b.log\nlabels: {type: b}\n");
    writeFileSync(join(dir, "acquis.d", "a.yml"), "filename: /a-yml.log\nlabels: {type: c}\n");
    writeFileSync(join(dir, "acquis.d", "a.yaml"), "filename: /a.log\nlabels: {type: d}\n");
    writeFileSync(join(dir, "acquis.d", "notes.txt"), "ignored");
    expect(acquisitionFiles(dir).map((f) => f.slice(dir.length + 1))).toEqual(["acquis.yaml", "acquis.d/a.yaml", "acquis.d/b.yaml", "acquis.d/a.yml"]);
    const r = loadAcquisition(dir);
    expect(r.ok && r.value.map((s) => s.config.labels.type)).toEqual(["a", "d", "b", "c"]);
  });

  test("fails with every problem of every file, and when nothing is enabled", () => {
    const dir = join(root, "bad");
    mkdirSync(join(dir, "acquis.d"), { recursive: true });
    writeFileSync(join(dir, "acquis.yaml"), "filename: /x.log\n");
    writeFileSync(join(dir, "acquis.d", "x.yaml"), "source: file\n");
    const r = loadAcquisition({ acquisitionPath: join(dir, "acquis.yaml"), acquisitionDir: join(dir, "acquis.d") });
    expect(r.ok ? [] : r.error.map((p) => [p.file?.slice(dir.length + 1), p.message])).toEqual([
      ["acquis.yaml", "Missing labels"],
      ["acquis.d/x.yaml", "Missing labels"],
    ]);
    const none = loadAcquisition(join(root, "nowhere"));
    expect(none.ok ? "" : none.error[0]!.message).toBe("No datasource enabled");
  });
});

describe("acquisitionFromDsn()", () => {
  test.each([
    { dsn: "file:///var/log/*.nothing-matches", labels: { type: "t" }, want: 'No matching files for pattern "/var/log/*.nothing-matches"' },
    { dsn: "file:///etc/hostname?foo=1", labels: { type: "t" }, want: 'Unknown parameter "foo" in DSN "file:///etc/hostname?foo=1"' },
    { dsn: "file:///etc/hostname", labels: {}, want: "-dsn requires a -type argument" },
    { dsn: "nodsn", labels: { type: "t" }, want: 'Invalid DSN "nodsn": expected <source>://…' },
    { dsn: "syslog://x", labels: { type: "t" }, want: 'Datasource "syslog" cannot be used with a DSN' },
    { dsn: "kafka://x", labels: { type: "t" }, want: 'Datasource "kafka" is not supported by picket' },
  ] as { dsn: string; labels: Record<string, string>; want: string }[])("$dsn → $want", ({ dsn, labels, want }) => {
    const r = acquisitionFromDsn(dsn, labels, OPTS);
    expect(r.ok ? "" : r.error[0]!.message).toBe(want);
  });

  test("builds cat-mode sources labelled from -type/-label", () => {
    const dir = join(root, "dsn");
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "x.log"), "a\n");
    const f = acquisitionFromDsn(`file://${dir}/*.log`, { type: "syslog", env: "x" }, OPTS);
    expect(f.ok && [f.value.module, f.value.config.mode, { ...f.value.config.labels }]).toEqual(["file", "cat", { type: "syslog", env: "x" }]);
    const j = acquisitionFromDsn("journalctl://filters=_UID=0&filters=_COMM=sshd&since=1h", { type: "syslog" }, OPTS);
    expect(j.ok && (j.value as JournalctlSource).command()).toEqual(["/bin/true", "--since", "1h", "_UID=0", "_COMM=sshd"]);
    const d = acquisitionFromDsn("docker://web?since=0&follow_stderr=false", { type: "nginx" }, OPTS);
    expect(d.ok && d.value.module).toBe("docker");
  });
});
