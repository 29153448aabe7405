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

/** Text chunks to lines (without their line ends; empty lines kept): batches, flattened. */
export class LineSplitStream implements ReadableWritablePair<string, string> {
  readonly writable: WritableStream<string>;
  readonly readable: ReadableStream<string>;

  constructor(opts: LineSplitOptions = {}) {
    const batches = new LineBatchStream(opts);
    this.writable = batches.writable;
    this.readable = batches.readable.pipeThrough(flattenLines());
  }
}

function flattenLines(): TransformStream<string[], string> {
  return new TransformStream({
    transform(batch, controller) {
      for (const line of batch) controller.enqueue(line);
    },
  });
}

/**
 * Text chunks to arrays of lines, one array per chunk: the consumer pays one await per chunk
 * rather than per line, which matters at hundreds of thousands of lines per second.
 */
export class LineBatchStream extends TransformStream<string, string[]> {
  constructor(opts: LineSplitOptions = {}) {
    const max = opts.maxLineLength ?? DEFAULT_MAX_LINE_LENGTH;
    let pending = "";
    let overflowed = 0; // characters dropped from the current line beyond `max`
    const emit = (line: string, out: string[]) => {
      if (line.endsWith("\r")) line = line.slice(0, -1);
      if (overflowed > 0) {
        opts.onTruncated?.(max + overflowed);
        overflowed = 0;
      }
      out.push(line);
    };
    super({
      transform(chunk, controller) {
        let start = 0;
        const out: string[] = [];
        for (let nl = chunk.indexOf("\n"); nl >= 0; nl = chunk.indexOf("\n", start)) {
          const piece = chunk.slice(start, nl);
          emit(pending === "" ? piece : pending + piece, out);
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
        controller.enqueue(out);
      },
      flush(controller) {
        if (pending !== "" || overflowed > 0) {
          const out: string[] = [];
          emit(pending, out);
          controller.enqueue(out);
        }
      },
    });
  }
}

/** Lines of a byte stream, decoded as UTF-8 (invalid bytes become U+FFFD, as Go's scanner yields them). */
export function linesOf(bytes: ReadableStream<Uint8Array>, opts: LineSplitOptions = {}): ReadableStream<string> {
  return decode(bytes).pipeThrough(new LineSplitStream(opts));
}

/** Lines of a byte stream in batches (one array per chunk read). */
export function lineBatchesOf(bytes: ReadableStream<Uint8Array>, opts: LineSplitOptions = {}): ReadableStream<string[]> {
  return decode(bytes).pipeThrough(new LineBatchStream(opts));
}

function decode(bytes: ReadableStream<Uint8Array>): ReadableStream<string> {
  return bytes.pipeThrough(new TextDecoderStream() as unknown as TransformStream<Uint8Array, string>);
}
