// Data file text → the lines upstream keeps (pkg/exprhelpers/helpers.go FileInit).

/** bufio.Scanner's default limit: a longer line stops the scan with ErrTooLong. */
export const MAX_LINE_BYTES = 64 * 1024 - 1;

export interface DataLine {
  readonly text: string;
  /** 1-based line number in the file. */
  readonly line: number;
}

export interface DataLines {
  readonly lines: DataLine[];
  /** Line number of a line too long for upstream's scanner; the lines before it are kept. */
  readonly tooLongAt?: number;
}

function utf8Bytes(s: string): number {
  return Buffer.byteLength(s, "utf8");
}

/**
 * Splits as bufio.ScanLines does ("\n" ends a line, one "\r" before it is dropped, a last line
 * without "\n" counts), then keeps what FileInit keeps: lines that are neither empty nor start
 * with "#". Nothing is trimmed: " #x" and "x " stay as they are.
 */
export function splitDataLines(text: string): DataLines {
  const lines: DataLine[] = [];
  let start = 0;
  let n = 0;
  while (start < text.length) {
    let end = text.indexOf("\n", start);
    const next = end < 0 ? text.length : end + 1;
    if (end < 0) end = text.length;
    n++;
    let raw = text.slice(start, end);
    // only long lines can exceed the byte limit (3 bytes per UTF-16 unit at most)
    if (raw.length * 3 > MAX_LINE_BYTES && utf8Bytes(raw) > MAX_LINE_BYTES) return { lines, tooLongAt: n };
    if (raw.endsWith("\r")) raw = raw.slice(0, -1);
    if (raw !== "" && raw[0] !== "#") lines.push({ text: raw, line: n });
    start = next;
  }
  return { lines };
}
