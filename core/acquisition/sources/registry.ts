/**
 * The datasources picket runs, by `source` name: one line per source. A source lives in its own
 * folder and implements DataSourceModule (types.ts).
 */
import { appsecModule } from "./appsec";
import { dockerModule } from "./docker";
import { fileModule } from "./file";
import { journalctlModule } from "./journalctl";
import { stdinModule } from "./stdin";
import { syslogModule } from "./syslog";
import type { DataSourceModule } from "./types";

export const SOURCES: Readonly<Record<string, DataSourceModule>> = Object.freeze({
  file: fileModule,
  journalctl: journalctlModule,
  syslog: syslogModule,
  docker: dockerModule,
  stdin: stdinModule,
  appsec: appsecModule,
});

/** Upstream datasources picket knows by name but does not run (a clear error rather than "unknown"). */
export const UPSTREAM_ONLY: ReadonlySet<string> = new Set([
  "cloudwatch", "kinesis", "kafka", "loki", "victorialogs", "s3", "k8s-audit", "http", "wineventlog",
]);
