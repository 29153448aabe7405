/**
 * Bytes → lines over Web Streams: UTF-8 decoding, `\n` splitting, a trailing `\r` removed, and a
 * bound on line length so one huge line cannot grow memory without limit.
 */

export interface LineSplitOptions {
  /** Longer lines are cut to this many characters and counted as truncated. Default 64 KiB. */
  readonly maxLineLength?: number;
  /** Called once per line that was cut. */
  readonly onTruncated?: (length: number) => void;
}

export const DEFAULT_MAX_LINE_LENGTH = 64 * 1024;

/** A TransformStream from text chunks to lines (without their line ends; empty lines kept). */
export class LineSplitStream extends TransformStream<string, string> {
  constructor(opts: LineSplitOptions = {}) {
    const max = opts.maxLineLength ?? DEFAULT_MAX_LINE_LENGTH;
    let pending = "";
    let overflowed = 0; // characters dropped from the current line beyond `max`
    const emit = (line: string, controller: TransformStreamDefaultController<string>) => {
      if (line.endsWith("\r")) line = line.slice(0, -1);
      if (overflowed > 0) {
        opts.onTruncated?.(max + overflowed);
        overflowed = 0;
      }
      controller.enqueue(line);
    };
    super({
      transform(chunk, controller) {
        let start = 0;
        // indexOf over the chunk beats splitting it: no intermediate array per chunk.
        for (let nl = chunk.indexOf("\n"); nl >= 0; nl = chunk.indexOf("\n", start)) {
          const piece = chunk.slice(start, nl);
          emit(pending === "" ? piece : pending + piece, controller);
          pending = "";
          start = nl + 1;
        }
        if (start < chunk.length) {
          pending += chunk.slice(start);
          if (pending.length > max) {
            overflowed += pending.length - max;
            pending = pending.slice(0, max);
          }
        }
      },
      flush(controller) {
        if (pending !== "" || overflowed > 0) emit(pending, controller);
      },
    });
  }
}

/** Lines of a byte stream, decoded as UTF-8 (invalid bytes become U+FFFD, as Go's scanner yields them). */
export function linesOf(bytes: ReadableStream<Uint8Array>, opts: LineSplitOptions = {}): ReadableStream<string> {
  return bytes.pipeThrough(new TextDecoderStream() as unknown as TransformStream<Uint8Array, string>).pipeThrough(new LineSplitStream(opts));
}
