// The standard pattern files of a CrowdSec install, by family. Order does not matter: no name is
// defined twice and every reference is to a base pattern or one defined earlier upstream.

import { NETWORK_PATTERNS } from "./network";
import { SERVICES_PATTERNS } from "./services";
import { SYSLOG_PATTERNS } from "./syslog";
import { WEB_PATTERNS } from "./web";

export const STANDARD_PATTERNS: readonly (readonly [string, string])[] = [
  ...SYSLOG_PATTERNS,
  ...WEB_PATTERNS,
  ...NETWORK_PATTERNS,
  ...SERVICES_PATTERNS,
];
