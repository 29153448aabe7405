import { describe, expect, test } from "bun:test";
import { resolveMirrorPath } from "./mirror";

describe("resolveMirrorPath()", () => {
  const cases = [
    { url: "https://hub-data.crowdsec.net/web/bad_user_agents.regex.txt", want: "/m/web/bad_user_agents.regex.txt" },
    { url: "https://hub-data.crowdsec.net/whitelists/benign_bots/search_engine_crawlers/rnds_seo_bots.regex", want: "/m/whitelists/benign_bots/search_engine_crawlers/rnds_seo_bots.regex" },
    { url: "https://example.com/a%20b/c.txt?x=1", want: "/m/a b/c.txt" },
    { url: "https://example.com/a/%2E%2E/%2E%2E/etc", want: "/m/etc" }, // dot segments resolve inside the URL
  ];
  test.each(cases)("maps $url", ({ url, want }) => {
    const r = resolveMirrorPath("/m", url);
    expect(r.ok && r.value).toBe(want);
  });

  const errors = [
    { url: "web/x.txt", want: 'Cannot map source_url "web/x.txt" to a file: not a URL' },
    { url: "https://example.com/", want: 'Cannot map source_url "https://example.com/" to a file: empty path' },
    { url: "https://example.com/a%2Fb", want: 'Cannot map source_url "https://example.com/a%2Fb" to a file: path segment "a/b"' },
  ];
  test.each(errors)("refuses $url", ({ url, want }) => {
    const r = resolveMirrorPath("/m", url);
    expect(r.ok ? "" : r.error.message).toBe(want);
  });
});
