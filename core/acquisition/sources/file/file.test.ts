import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { appendFileSync, mkdirSync, mkdtempSync, renameSync, rmSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LIVE, TIMEMACHINE, type Event } from "../../../event";
import { parseAcquisition } from "../../acquis";
import { collect, runSourceContract, waitFor } from "../contract";
import { FileSource } from "./source";

let root: string;
let n = 0;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), "picket-file-"));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

function freshDir(): string {
  const dir = join(root, `t${n++}`);
  mkdirSync(dir, { recursive: true });
  return dir;
}

function fileSource(yaml: string): FileSource {
  const r = parseAcquisition(yaml, "acquis.yaml", { pollIntervalMs: 15 });
  if (r.problems.length > 0) throw new Error(r.problems.map((p) => p.message).join("; "));
  const s = r.sources[0];
  if (!(s instanceof FileSource)) throw new Error("not a file source");
  return s;
}

/** Starts a tail source and waits until every file it found is open at its end. */
async function tailing(yaml: string, files: readonly string[]): Promise<{ source: FileSource; events: Event[]; ctl: AbortController; running: Promise<void> }> {
  const source = fileSource(yaml);
  const ctl = new AbortController();
  const { events, running } = collect(source, ctl.signal);
  await waitFor(() => files.every((f) => source.positions()[f] !== undefined), "tailers to open");
  return { source, events, ctl, running };
}

const raws = (events: readonly Event[]) => events.map((e) => e.Line.Raw);

runSourceContract("file", async () => {
  const dir = freshDir();
  const path = join(dir, "app.log");
  writeFileSync(path, "old line, not read\n");
  const source = fileSource(`source: file\nfilenames: [${dir}/*.log]\nlabels: {type: syslog}\n`);
  return {
    source,
    ready: () => waitFor(() => source.positions()[path] !== undefined, "tailer"),
    produce: async (lines) => appendFileSync(path, lines.map((l) => `${l}\n`).join("")),
    cleanup: async () => {},
  };
});

describe("FileSource tail mode", () => {
  test("starts at the end of existing files; lines are LIVE with the path as Src", async () => {
    const dir = freshDir();
    const path = join(dir, "a.log");
    writeFileSync(path, "history\n");
    const t = await tailing(`filename: ${path}\nlabels: {type: syslog}\n`, [path]);
    appendFileSync(path, "fresh\n\n");
    await waitFor(() => t.events.length >= 1, "fresh line");
    await t.source.stop();
    expect(raws(t.events)).toEqual(["fresh"]); // empty lines are skipped
    expect(t.events[0]!.Line.Src).toBe(path);
    expect(t.events[0]!.ExpectMode).toBe(LIVE);
    expect(t.events[0]!.Line.Time.unixMs).toBeGreaterThan(0);
  });

  for (const poll of [false, true]) {
    test(`follows rotation by rename and reads the new file from its start (poll_without_inotify: ${poll})`, async () => {
      const dir = freshDir();
      const path = join(dir, "r.log");
      writeFileSync(path, "");
      const t = await tailing(`filename: ${path}\npoll_without_inotify: ${poll}\nlabels: {type: syslog}\n`, [path]);
      appendFileSync(path, "before rotation\n");
      renameSync(path, `${path}.1`);
      writeFileSync(path, "after rotation\n");
      await waitFor(() => t.events.length >= 2, "both files' lines");
      appendFileSync(path, "later\n");
      await waitFor(() => t.events.length >= 3, "line after rotation");
      await t.source.stop();
      expect(raws(t.events)).toEqual(["before rotation", "after rotation", "later"]);
      expect(t.source.warnings.some((w) => w.includes("rotated"))).toBe(true);
    });
  }

  test("follows truncation (copytruncate) and reads from the start again", async () => {
    const dir = freshDir();
    const path = join(dir, "t.log");
    writeFileSync(path, "");
    const t = await tailing(`filename: ${path}\nlabels: {type: syslog}\n`, [path]);
    appendFileSync(path, "first line that is long\nsecond line that is long\n");
    await waitFor(() => t.events.length >= 2, "two lines");
    truncateSync(path, 0);
    appendFileSync(path, "x\n");
    await waitFor(() => t.events.length >= 3, "line after truncation");
    await t.source.stop();
    expect(raws(t.events)).toEqual(["first line that is long", "second line that is long", "x"]);
  });

  test("picks up new files matching the glob from their start, not others", async () => {
    const dir = freshDir();
    const first = join(dir, "one.log");
    writeFileSync(first, "");
    const t = await tailing(`filenames:\n  - ${dir}/*.log\nlabels: {type: syslog}\n`, [first]);
    writeFileSync(join(dir, "notes.txt"), "not a log\n");
    writeFileSync(join(dir, "two.log"), "from the new file\n");
    await waitFor(() => t.events.length >= 1, "new file line");
    appendFileSync(first, "still following the first\n");
    await waitFor(() => t.events.length >= 2, "first file line");
    await t.source.stop();
    expect(t.events.map((e) => [e.Line.Src, e.Line.Raw])).toEqual([
      [join(dir, "two.log"), "from the new file"],
      [first, "still following the first"],
    ]);
  });

  test("excluded files are neither tailed at start nor picked up later", async () => {
    const dir = freshDir();
    const kept = join(dir, "kept.log");
    writeFileSync(kept, "");
    writeFileSync(join(dir, "skip.log"), "");
    const t = await tailing(`filenames: [${dir}/*.log]\nexclude_regexps: ["skip"]\nlabels: {type: syslog}\n`, [kept]);
    appendFileSync(join(dir, "skip.log"), "excluded\n");
    writeFileSync(join(dir, "skip2.log"), "excluded too\n");
    appendFileSync(kept, "kept\n");
    await waitFor(() => t.events.length >= 1, "kept line");
    const polls = t.source.polls;
    await waitFor(() => t.source.polls > polls + 2, "more polls");
    await t.source.stop();
    expect(raws(t.events)).toEqual(["kept"]);
    expect(Object.keys(t.source.positions())).toEqual([kept]);
  });

  test("holds a partial last line until its newline comes", async () => {
    const dir = freshDir();
    const path = join(dir, "p.log");
    writeFileSync(path, "");
    const t = await tailing(`filename: ${path}\nlabels: {type: syslog}\n`, [path]);
    appendFileSync(path, "par");
    const polls = t.source.polls;
    await waitFor(() => t.source.polls > polls + 2, "polls over the partial line");
    expect(t.events).toEqual([]);
    expect(t.source.positions()[path]!.offset).toBe(0); // a restart would re-read the partial line
    appendFileSync(path, "tial\n");
    await waitFor(() => t.events.length >= 1, "completed line");
    await t.source.stop();
    expect(raws(t.events)).toEqual(["partial"]);
  });

  test("drops a line longer than max_buffer_size, counts it, and goes on", async () => {
    const dir = freshDir();
    const path = join(dir, "l.log");
    writeFileSync(path, "");
    const t = await tailing(`filename: ${path}\nmax_buffer_size: 32\nlabels: {type: syslog}\n`, [path]);
    appendFileSync(path, `${"x".repeat(100)}\nshort\n`);
    await waitFor(() => t.events.length >= 1, "short line");
    await t.source.stop();
    expect(raws(t.events)).toEqual(["short"]);
    expect(t.source.counters.drops.get("line-too-long")).toBe(1);
  });

  test("keeps a trailing \\r in tail mode, as upstream on Linux", async () => {
    const dir = freshDir();
    const path = join(dir, "crlf.log");
    writeFileSync(path, "");
    const t = await tailing(`filename: ${path}\nlabels: {type: syslog}\n`, [path]);
    appendFileSync(path, "dos line\r\n");
    await waitFor(() => t.events.length >= 1, "line");
    await t.source.stop();
    expect(raws(t.events)).toEqual(["dos line\r"]);
  });

  test("survives its directory being deleted and recreated", async () => {
    const dir = freshDir();
    const path = join(dir, "app.log");
    writeFileSync(path, "");
    const t = await tailing(`filenames: [${dir}/*.log]\nlabels: {type: syslog}\n`, [path]);
    appendFileSync(path, "before\n");
    await waitFor(() => t.events.length >= 1, "line before deletion");
    rmSync(dir, { recursive: true, force: true });
    const polls = t.source.polls;
    await waitFor(() => t.source.polls > polls + 2, "polls without the directory");
    mkdirSync(dir);
    writeFileSync(path, "after\n");
    writeFileSync(join(dir, "other.log"), "new one\n");
    await waitFor(() => t.events.length >= 3, "lines after recreation");
    await t.source.stop();
    expect(raws(t.events).sort()).toEqual(["after", "before", "new one"]);
  });

  test("positions() gives the offset after the last line; restorePositions() resumes there", async () => {
    const dir = freshDir();
    const path = join(dir, "pos.log");
    writeFileSync(path, "");
    const t = await tailing(`filename: ${path}\nlabels: {type: syslog}\n`, [path]);
    appendFileSync(path, "one\ntwo\n");
    await waitFor(() => t.events.length >= 2, "two lines");
    const saved = t.source.positions();
    await t.source.stop();
    expect(saved[path]!.offset).toBe(8);
    appendFileSync(path, "three\n"); // written while "down"
    const again = fileSource(`filename: ${path}\nlabels: {type: syslog}\n`);
    again.restorePositions(saved);
    const ctl = new AbortController();
    const { events } = collect(again, ctl.signal);
    await waitFor(() => events.length >= 1, "resumed line");
    await again.stop();
    expect(raws(events)).toEqual(["three"]);
  });
});

describe("FileSource positions follow what the sink received (issue 9)", () => {
  test("a sink that holds the first line back: the position covers that line only, and moves as lines are handed over", async () => {
    const dir = freshDir();
    const path = join(dir, "held.log");
    writeFileSync(path, "before\n");
    const source = fileSource(`filename: ${path}\nlabels: {type: syslog}\n`);
    const got: string[] = [];
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    const running = source.start((e) => {
      got.push(e.Line.Raw);
      return got.length === 1 ? held : undefined; // backpressure on the first line
    }, new AbortController().signal);
    await waitFor(() => source.positions()[path] !== undefined, "tailer");
    expect(source.beginnings()[path]!.offset).toBe(7);
    appendFileSync(path, "one\n\ntwo\nthree\n");
    await waitFor(() => got.length === 1, "the first line");
    // read up to "three", but only "one" was handed over
    expect(source.positions()[path]!.offset).toBe(7 + 4);
    release();
    await waitFor(() => got.length === 3, "the rest");
    expect(source.positions()[path]!.offset).toBe(7 + 4 + 1 + 4 + 6);
    expect(got).toEqual(["one", "two", "three"]);
    await source.stop();
    await running;
  });

  test("rotation: the old file's lines are handed over under its identity, then the new file from its start", async () => {
    const dir = freshDir();
    const path = join(dir, "rot.log");
    writeFileSync(path, "");
    const t = await tailing(`filename: ${path}\nlabels: {type: syslog}\n`, [path]);
    const first = t.source.positions()[path]!;
    appendFileSync(path, "old-1\n");
    renameSync(path, `${path}.1`);
    writeFileSync(path, "new-1\n");
    await waitFor(() => t.events.length >= 2, "both files' lines");
    const now = t.source.positions()[path]!;
    expect(now.inode).not.toBe(first.inode);
    expect(now.offset).toBe(6);
    expect(t.source.beginnings()[path]).toEqual({ ...now, offset: 0 });
    expect(raws(t.events)).toEqual(["old-1", "new-1"]);
    await t.source.stop();
  });
});

describe("FileSource cat mode", () => {
  test("reads every file from the start, .gz decompressed, CRLF stripped, time-machine, then ends", async () => {
    const dir = freshDir();
    writeFileSync(join(dir, "a.log"), "a1\r\na2\n\na3");
    writeFileSync(join(dir, "b.log.gz"), Bun.gzipSync(new TextEncoder().encode("b1\nb2\n")));
    const source = fileSource(`filenames: [${dir}/*.log, ${dir}/*.gz]\nmode: cat\nlabels: {type: syslog}\n`);
    const { events, running } = collect(source, new AbortController().signal);
    await running;
    expect(raws(events)).toEqual(["a1", "a2", "a3", "b1", "b2"]);
    expect(events.every((e) => e.ExpectMode === TIMEMACHINE)).toBe(true);
    expect(Object.fromEntries(source.counters.read)).toEqual({ [join(dir, "a.log")]: 3, [join(dir, "b.log.gz")]: 2 });
  });
});
