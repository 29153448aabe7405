import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { unwrap } from "../result";
import { TESTDATA } from "../testing";
import { summarizeMetrics } from "./cscli-summary";
import { parseExposition } from "./parse";

const CROWDSEC = readFileSync(join(TESTDATA, "metrics", "crowdsec-1.4.6.txt"), "utf8");
const summarize = (text: string) => summarizeMetrics(unwrap(parseExposition(text)));

describe("summarizeMetrics()", () => {
  // Expected values are those `cscli metrics -o json` (1.4.6) printed for the same scrape.
  const m = summarize(CROWDSEC);

  test.each([
    { section: "acquisition", key: "file:/var/log/auth.log", want: { reads: 13, parsed: 11, unparsed: 2, pour: 40 } },
    { section: "acquisition", key: "file:/var/log/access.log", want: { reads: 14, parsed: 14, pour: 25 } },
    { section: "scenarios", key: "crowdsecurity/ssh-bf", want: { curr_count: 2, overflow: 1, instantiation: 3, pour: 11 } },
    { section: "parsers", key: "child-crowdsecurity/sshd-logs", want: { hits: 51, parsed: 11, unparsed: 40 } },
    { section: "parsers", key: "crowdsecurity/whitelists", want: { hits: 25, parsed: 25 } },
    { section: "lapi", key: "/v1/decisions", want: { GET: 4 } },
    { section: "lapi-bouncer", key: "testbouncer", want: { "/v1/decisions": { GET: 4 }, "/v1/decisions/stream": { GET: 1 } } },
    { section: "lapi-machine", key: "testmachine", want: { "/v1/alerts": { POST: 1 } } },
    { section: "lapi-decisions", key: "testbouncer", want: { NonEmpty: 1, Empty: 3 } },
    { section: "decisions", key: "crowdsecurity/ssh-bf", want: { crowdsec: { ban: 1 } } },
    { section: "alerts", key: "crowdsecurity/http-probing", want: 1 },
  ] as const)("$section[$key]", ({ section, key, want }) => {
    expect({ ...(m[section] as Record<string, unknown>) }[key]).toEqual(want);
  });

  test("sums per parser node over sources, and per source over scenarios", () => {
    expect(m.parsers["crowdsecurity/dateparse-enrich"]).toEqual({ hits: 25, parsed: 25 });
    expect(Object.keys(m.scenarios).sort()).toEqual([
      "crowdsecurity/http-crawl-non_statics",
      "crowdsecurity/http-probing",
      "crowdsecurity/ssh-bf",
      "crowdsecurity/ssh-bf_user-enum",
      "crowdsecurity/ssh-slow-bf",
      "crowdsecurity/ssh-slow-bf_user-enum",
    ]);
  });

  test("reads upstream's later names and sections: cs_bucket_instantiation_total, cs_cache_size", () => {
    const s = summarize(
      [
        'cs_bucket_instantiation_total{name="a/b"} 4',
        'cs_bucket_underflowed_total{name="a/b"} 2.9',
        'cs_cache_size{name="sessions",type="LRU"} 12',
        'cs_parser_hits_total{source="journalctl-_SYSTEMD_UNIT=ssh.service",type="journalctl",datasource_type="journalctl",acquis_type="syslog"} 7',
        'not_crowdsec_total{name="a/b"} 99',
      ].join("\n"),
    );
    expect(s.scenarios["a/b"]).toEqual({ instantiation: 4, underflow: 2 });
    expect(s.stash.sessions).toEqual({ Type: "LRU", Count: 12 });
    expect(s.acquisition["journalctl:journalctl-_SYSTEMD_UNIT=ssh.service"]).toEqual({ reads: 7 });
  });

  test("a label value named __proto__ is an ordinary key", () => {
    const s = summarize('cs_alerts{reason="__proto__"} 2\ncs_buckets{name="__proto__"} 1');
    expect(Object.keys(s.alerts)).toEqual(["__proto__"]);
    expect(s.alerts["__proto__"]).toBe(2);
    expect(Object.keys(s.scenarios)).toEqual(["__proto__"]);
  });
});
