import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { appendFileSync, chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseAcquisition } from "../../acquis";
import { collect, runSourceContract, waitFor } from "../contract";
import { JournalctlSource } from "./index";

let root: string;
let n = 0;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), "picket-journal-"));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A fake `journalctl`: records its arguments, then runs `body`. */
function fakeJournalctl(body: string): { bin: string; dir: string } {
  const dir = join(root, `j${n++}`);
  Bun.spawnSync(["mkdir", "-p", dir]);
  const bin = join(dir, "journalctl");
  writeFileSync(bin, `#!/bin/sh\necho "$@" > "${dir}/args"\n${body}\n`);
  chmodSync(bin, 0o755);
  return { bin, dir };
}

function journalSource(yaml: string, bin: string): JournalctlSource {
  const r = parseAcquisition(yaml, "acquis.yaml", { journalctlPath: bin, restartDelayMs: 5, restartMaxMs: 20 });
  if (r.problems.length > 0) throw new Error(r.problems.map((p) => p.message).join("; "));
  const s = r.sources[0];
  if (!(s instanceof JournalctlSource)) throw new Error("not a journalctl source");
  return s;
}

const DOC = "source: journalctl\njournalctl_filter: [_SYSTEMD_UNIT=ssh.service]\nlabels: {type: syslog}\n";

runSourceContract("journalctl", async () => {
  const { bin } = fakeJournalctl(`exec tail -n +1 -f "${join(root, "journal-contract.txt")}"`);
  writeFileSync(join(root, "journal-contract.txt"), "");
  const source = journalSource(DOC, bin);
  return {
    source,
    ready: () => waitFor(() => source.runs >= 1, "journalctl started"),
    produce: async (lines) => appendFileSync(join(root, "journal-contract.txt"), lines.map((l) => `${l}\n`).join("")),
    cleanup: async () => {},
  };
});

describe("JournalctlSource", () => {
  test("runs journalctl --follow -n 0 with the filters; Src names the filters; lines are LIVE", async () => {
    const { bin, dir } = fakeJournalctl('echo "Jan  5 09:03:01 host sshd[1]: hello"\nexec sleep 5');
    const source = journalSource("journalctl_filter: [_SYSTEMD_UNIT=ssh.service, _UID=0]\nlabels: {type: syslog}\n", bin);
    const { events, running } = collect(source, new AbortController().signal);
    await waitFor(() => events.length >= 1, "a line");
    await source.stop();
    await running;
    expect(readFileSync(join(dir, "args"), "utf8").trim()).toBe("--follow -n 0 _SYSTEMD_UNIT=ssh.service _UID=0");
    expect(events[0]!.Line.Raw).toBe("Jan  5 09:03:01 host sshd[1]: hello");
    expect(events[0]!.Line.Src).toBe("journalctl-_SYSTEMD_UNIT=ssh.service._UID=0");
    expect(events[0]!.Line.Module).toBe("journalctl");
  });

  test("restarts journalctl when it exits, with a warning each time", async () => {
    const { bin } = fakeJournalctl('echo "line from a short run"\necho "oops" >&2\nexit 3');
    const source = journalSource(DOC, bin);
    const { events, running } = collect(source, new AbortController().signal);
    await waitFor(() => source.runs >= 3 && events.length >= 3, "three runs");
    await source.stop();
    await running;
    expect(new Set(events.map((e) => e.Line.Raw))).toEqual(new Set(["line from a short run"]));
    expect(source.warnings.some((w) => w.includes("exited with code 3"))).toBe(true);
    expect(source.warnings).toContain("journalctl: oops");
  });

  test("cat mode reads to the end once, without --follow, and ends", async () => {
    const { bin, dir } = fakeJournalctl('printf "one\\n\\ntwo"');
    const source = journalSource(`${DOC}mode: cat\n`, bin);
    const { events, running } = collect(source, new AbortController().signal);
    await running;
    expect(events.map((e) => e.Line.Raw)).toEqual(["one", "", "two"]); // empty lines are kept, as upstream
    expect(source.runs).toBe(1);
    expect(existsSync(join(dir, "args")) && readFileSync(join(dir, "args"), "utf8").trim()).toBe("_SYSTEMD_UNIT=ssh.service");
  });
});
