/**
 * Acquisition: where lines come from. For now cold files (globs, .gz, stdin) split into lines over
 * Web Streams, and recognising a log's format from its first lines.
 */
export { detectLogType, type Detection } from "./detect";
export { expandInputs, openBytes, openLines, type FileInput } from "./files";
export { DEFAULT_MAX_LINE_LENGTH, lineBatchesOf, LineBatchStream, linesOf, LineSplitStream, type LineSplitOptions } from "./lines";
