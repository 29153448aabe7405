/**
 * libinjection's SQL injection and XSS detection (the `@detectSQLi` / `@detectXSS` operators behind
 * the hub's libinjectionSQL / libinjectionXSS match types), written for picket from the published
 * algorithm, with the verdicts of corazawaf/libinjection-go v0.3.2, which CrowdSec links.
 *
 * Input: a string is read as its UTF-8 bytes, which is what Go's libinjection sees for a request
 * decoded as UTF-8; pass a Uint8Array to inspect raw bytes as they are. Both detectors are
 * synchronous and allocation-light (module-level buffers reused between calls).
 */
export { detectSQLi, type SqliResult } from "./sqli";
export { detectXSS } from "./xss";
