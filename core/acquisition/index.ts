/**
 * Acquisition: where lines come from. Cold files for replay (globs, .gz, stdin) split into lines
 * over Web Streams, recognising a log's format from its first lines, and the live datasources of
 * the daemon (file, journalctl, syslog, docker, stdin) configured from acquis.yaml, each behind
 * one DataSource interface, run together into one bounded queue of events.
 */
export { detectLogType, type Detection } from "./detect";
export { expandInputs, openBytes, openLines, type FileInput } from "./files";
export { DEFAULT_MAX_LINE_LENGTH, lineBatchesOf, LineBatchStream, linesOf, LineSplitStream, type LineSplitOptions } from "./lines";
/** acquis.yaml + acquis.d/*.yaml → DataSource[] (every problem with file, line and key); `--dsn` sources. */
export { acquisitionFiles, acquisitionFromDsn, COMMON_KEYS, loadAcquisition, parseAcquisition, transformOf, type AcquisitionPaths, type LoadAcquisitionOptions } from "./acquis";
/** Running sources into one queue (async iterable of event batches) or one callback, with transforms applied. */
export { applyTransform, EventQueue, metricsOf, runAcquisition, startAcquisition, type AcquisitionRun, type SourceMetrics, type StartOptions } from "./run";
/** The datasource contract and the registry of sources. */
export {
  SourceCounters, type AcquisitionMode, type CommonConfig, type DataSource, type DataSourceModule, type EventSink, type ModuleOptions, type SourceDocument,
} from "./sources/types";
export { SOURCES } from "./sources/registry";
/** Each source, for callers that need its specifics (file positions, bound syslog ports). */
export { FileSource, type FilePosition } from "./sources/file";
export { JournalctlSource } from "./sources/journalctl";
export { SyslogSource } from "./sources/syslog";
export { DockerSource } from "./sources/docker";
export { StdinSource } from "./sources/stdin";
