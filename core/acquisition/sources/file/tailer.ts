/**
 * Follows one path the way upstream's tail library does in ReOpen + Follow mode: new bytes are
 * read as they come; a rename or delete of the path (inode change) finishes the old file then
 * reopens the path from its start when it exists again; a size below the read offset is a
 * truncation and reading restarts at 0. Driven by `poll()`, which a watcher or a timer calls.
 */
import { open, stat, type FileHandle } from "node:fs/promises";
import { ByteLines } from "../byte-lines";

/** Where a tailer stands: enough to resume after a restart (issue 9 saves and restores these). */
export interface FilePosition {
  readonly offset: number;
  readonly inode: number;
  readonly device: number;
}

export type TailStart = { kind: "end" } | { kind: "start" } | { kind: "position"; position: FilePosition };

const CHUNK = 64 * 1024;

export class Tailer {
  private fd: FileHandle | undefined;
  private inode = -1;
  private device = -1;
  private readonly splitter: ByteLines;
  private readonly buf = new Uint8Array(CHUNK);
  private closed = false;
  /** Lines found by the last poll, handed out by `take()`, with the offset after each. */
  private batch: string[] = [];
  private ends: number[] = [];
  private tooLong = 0;
  /** Offset after the last line the source is done with (handed to its sink, or skipped). */
  private delivered = 0;
  /** Offset where reading of the current file began (open, truncation). */
  private began = 0;
  /** The last poll finished a rotated-away file: poll again at once for the new one. */
  again = false;

  constructor(
    readonly path: string,
    private start: TailStart,
    maxLineBytes: number,
  ) {
    this.splitter = new ByteLines({ maxLineBytes, stripCr: false }, (line, long, end) => {
      if (long) this.tooLong++;
      else {
        this.batch.push(line);
        this.ends.push(end);
      }
    });
  }

  /**
   * Offset after the last line the source is done with (see `deliver`), with the file's identity:
   * lines read but not yet handed over are not counted, so a restart from here reads them again.
   * Still known after close(), so positions can be saved at shutdown.
   */
  position(): FilePosition | undefined {
    return this.inode >= 0 ? { offset: this.delivered, inode: this.inode, device: this.device } : undefined;
  }

  /** Where reading of the current file began (its open or its truncation). */
  beginning(): FilePosition | undefined {
    return this.inode >= 0 ? { offset: this.began, inode: this.inode, device: this.device } : undefined;
  }

  /** The source is done with the lines up to `end` (handed to its sink); without `end`, with everything taken. */
  deliver(end: number = this.splitter.committed): void {
    this.delivered = end;
  }

  /** Lines read since the last call with the offset after each, and how many over-long lines were dropped. */
  take(): { lines: string[]; ends: number[]; tooLong: number } {
    const out = { lines: this.batch, ends: this.ends, tooLong: this.tooLong };
    this.batch = [];
    this.ends = [];
    this.tooLong = 0;
    return out;
  }

  /** One step: notice rotation or truncation, then read what was appended. Returns a note when something happened. */
  async poll(): Promise<string | undefined> {
    this.again = false;
    if (this.closed) return undefined;
    let note: string | undefined;
    const st = await stat(this.path).catch(() => undefined);
    if (this.fd && (!st || st.ino !== this.inode || st.dev !== this.device)) {
      // Rotated away (rename + create, or delete): what was written before the switch is still ours.
      await this.readToEnd();
      this.splitter.flush();
      await this.fd.close().catch(() => undefined);
      this.fd = undefined;
      this.start = { kind: "start" };
      // one file per poll: the old file's lines are handed over under its identity, then `again`
      this.again = st !== undefined;
      return st ? `File "${this.path}" was rotated: reading the new file from its start` : `File "${this.path}" was removed: waiting for it to come back`;
    }
    if (!st || !st.isFile()) return note;
    if (!this.fd) {
      await this.openAt(st.size, st.ino, st.dev);
      if (!this.fd) return note;
    } else if (st.size < this.splitter.consumed) {
      this.splitter.reset(0);
      this.began = 0;
      this.delivered = 0;
      note = `File "${this.path}" was truncated: reading from its start`;
    }
    await this.readToEnd();
    return note;
  }

  async close(): Promise<void> {
    this.closed = true;
    const fd = this.fd;
    this.fd = undefined;
    await fd?.close().catch(() => undefined);
  }

  private async openAt(size: number, inode: number, device: number): Promise<void> {
    try {
      this.fd = await open(this.path, "r");
    } catch {
      return; // gone again or unreadable: the next poll retries
    }
    this.inode = inode;
    this.device = device;
    const start = this.start;
    let offset = 0;
    if (start.kind === "end") offset = size;
    else if (start.kind === "position" && start.position.inode === inode && start.position.device === device && start.position.offset <= size) {
      offset = start.position.offset;
    }
    this.splitter.reset(offset);
    this.began = offset;
    this.delivered = offset;
    // Every later (re)open of this path is a new file, read from its start.
    this.start = { kind: "start" };
  }

  private async readToEnd(): Promise<void> {
    const fd = this.fd;
    if (!fd) return;
    for (;;) {
      let n: number;
      try {
        ({ bytesRead: n } = await fd.read(this.buf, 0, CHUNK, this.splitter.consumed));
      } catch {
        return;
      }
      if (n === 0) return;
      this.splitter.push(this.buf.subarray(0, n));
      if (n < CHUNK) return;
    }
  }
}
