/**
 * Bytes → lines for live sources, keeping byte offsets: the offset after the last complete line is
 * what a tailer can save and resume from. A line longer than the bound is dropped whole and
 * counted (a partial line would parse as something it is not).
 */

export interface ByteLinesOptions {
  /** Longest line kept, in bytes (terminator excluded). */
  readonly maxLineBytes: number;
  /** Remove one `\r` before `\n` (cat mode); tail mode on Linux keeps it, as upstream. */
  readonly stripCr: boolean;
}

const decoder = new TextDecoder("utf-8", { fatal: false });
const NL = 0x0a;

export class ByteLines {
  /** Bytes of the unfinished last line (capped at maxLineBytes). */
  private pending: Uint8Array = new Uint8Array(0);
  /** True while discarding the rest of a line that went over the bound. */
  private overflowing = false;
  /** Stream offset just after the last `\n` consumed. */
  committed = 0;
  /** Stream offset of everything pushed. */
  consumed = 0;

  constructor(
    private readonly opts: ByteLinesOptions,
    /**
     * Called for each complete line; `tooLong` lines are reported with an empty text. `end` is the
     * stream offset just after the line's terminator (where reading resumes after this line).
     */
    private readonly onLine: (line: string, tooLong: boolean, end: number) => void,
  ) {}

  /** Resets to a new stream starting at `offset` (reopen, truncation). */
  reset(offset = 0): void {
    this.pending = new Uint8Array(0);
    this.overflowing = false;
    this.committed = offset;
    this.consumed = offset;
  }

  get hasPartial(): boolean {
    return this.pending.length > 0 || this.overflowing;
  }

  push(chunk: Uint8Array): void {
    let start = 0;
    const max = this.opts.maxLineBytes;
    for (let nl = chunk.indexOf(NL); nl >= 0; nl = chunk.indexOf(NL, start)) {
      const end = this.consumed + nl + 1;
      if (this.overflowing) {
        this.overflowing = false;
        this.onLine("", true, end);
      } else if (this.pending.length + (nl - start) > max) {
        this.pending = new Uint8Array(0);
        this.onLine("", true, end);
      } else {
        const piece = chunk.subarray(start, nl);
        const bytes = this.pending.length === 0 ? piece : concat(this.pending, piece);
        this.pending = new Uint8Array(0);
        this.line(bytes, end);
      }
      start = nl + 1;
      this.committed = this.consumed + start;
    }
    if (start < chunk.length && !this.overflowing) {
      const rest = chunk.subarray(start);
      if (this.pending.length + rest.length > max) {
        this.pending = new Uint8Array(0);
        this.overflowing = true;
      } else {
        this.pending = concat(this.pending, rest);
      }
    }
    this.consumed += chunk.length;
  }

  /** Emits the unfinished last line (end of a cat-mode file, end of a rotated file). */
  flush(): void {
    if (this.overflowing) this.onLine("", true, this.consumed);
    else if (this.pending.length > 0) this.line(this.pending, this.consumed);
    this.pending = new Uint8Array(0);
    this.overflowing = false;
    this.committed = this.consumed;
  }

  private line(bytes: Uint8Array, offset: number): void {
    let end = bytes.length;
    if (this.opts.stripCr && end > 0 && bytes[end - 1] === 0x0d) end--;
    this.onLine(decoder.decode(end === bytes.length ? bytes : bytes.subarray(0, end)), false, offset);
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return b.slice();
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}
