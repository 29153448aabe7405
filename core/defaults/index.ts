/**
 * picket's built-in default collection, written for picket in the hub's format and embedded in the
 * executable: what `replay` uses when no CrowdSec config and no hub items are given.
 */
import apache from "./items/parsers/s01-parse/picket-apache.yaml" with { type: "text" };
import nginx from "./items/parsers/s01-parse/picket-nginx.yaml" with { type: "text" };
import sshd from "./items/parsers/s01-parse/picket-sshd.yaml" with { type: "text" };
import syslog from "./items/parsers/s00-raw/picket-syslog.yaml" with { type: "text" };
import dateparse from "./items/parsers/s02-enrich/picket-dateparse.yaml" with { type: "text" };
import http from "./items/parsers/s02-enrich/picket-http.yaml" with { type: "text" };
import privateRanges from "./items/parsers/s02-enrich/picket-private-ranges.yaml" with { type: "text" };
import httpScenarios from "./items/scenarios/picket-http.yaml" with { type: "text" };
import sshScenarios from "./items/scenarios/picket-ssh.yaml" with { type: "text" };

export interface EmbeddedItem {
  /** A display path (items have no file on disk once compiled in). */
  readonly path: string;
  readonly text: string;
}

export interface EmbeddedParser extends EmbeddedItem {
  readonly stage: string;
  readonly installName: string;
}

const parser = (stage: string, installName: string, text: string): EmbeddedParser => ({
  path: `builtin:parsers/${stage}/${installName}`,
  stage,
  installName,
  text,
});

/** The default collection's parsers, by stage. */
export const DEFAULT_PARSERS: readonly EmbeddedParser[] = [
  parser("s00-raw", "picket-syslog.yaml", syslog),
  parser("s01-parse", "picket-sshd.yaml", sshd),
  parser("s01-parse", "picket-nginx.yaml", nginx),
  parser("s01-parse", "picket-apache.yaml", apache),
  parser("s02-enrich", "picket-dateparse.yaml", dateparse),
  parser("s02-enrich", "picket-http.yaml", http),
  parser("s02-enrich", "picket-private-ranges.yaml", privateRanges),
];

/** The default collection's scenarios. */
export const DEFAULT_SCENARIOS: readonly EmbeddedItem[] = [
  { path: "builtin:scenarios/picket-ssh.yaml", text: sshScenarios },
  { path: "builtin:scenarios/picket-http.yaml", text: httpScenarios },
];
