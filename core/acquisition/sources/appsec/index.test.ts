import { afterAll, describe, expect, test } from "bun:test";
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { TESTDATA } from "../../../testing";
import { parseAcquisition } from "../../acquis";
import type { ModuleOptions } from "../types";
import { parseListenAddr } from "./index";
import type { AppsecSource } from "./source";

const dir = mkdtempSync(join(tmpdir(), "picket-appsec-cfg-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
mkdirSync(join(dir, "appsec-rules", "test"), { recursive: true });
mkdirSync(join(dir, "appsec-configs", "test"), { recursive: true });
for (const f of ["admin.yaml", "evil-arg.yaml"]) copyFileSync(join(TESTDATA, "appsec", "rules", f), join(dir, "appsec-rules", "test", f));
writeFileSync(join(dir, "appsec-configs", "test", "a.yaml"), "name: test/a\ninband_rules: [test/admin]\n");
writeFileSync(join(dir, "appsec-configs", "test", "b.yaml"), "name: test/b\noutofband_rules: [test/evil-arg]\n");
writeFileSync(join(dir, "appsec-configs", "test", "bad.yaml"), "name: test/bad\ninband_rules: [test/nothing-like-this]\n");
writeFileSync(join(dir, "direct.yaml"), "name: direct\ninband_rules: [test/admin]\n");

const OPTS: ModuleOptions = { hub: { configDir: dir, hubDir: join(dir, "hub") }, checkApiKey: async () => true };

function load(body: string, opts: ModuleOptions = OPTS) {
  return parseAcquisition(`source: appsec\nlabels:\n  type: appsec\n${body}`, "acquis.yaml", opts);
}

describe("appsec datasource configuration", () => {
  test("defaults: 127.0.0.1:7422, path /, one routine, 1m auth cache, 1s body timeout", () => {
    const r = load("appsec_config: test/a\n");
    expect(r.problems).toEqual([]);
    const s = r.sources[0] as AppsecSource;
    expect(s.appsec).toEqual({ listen: { hostname: "127.0.0.1", port: 7422 }, socket: undefined, tls: undefined, path: "/", routines: 1, authCacheMs: 60_000, bodyReadTimeoutMs: 1000 });
    expect(s.module).toBe("appsec");
  });

  test("keys decoded: socket alone, path, routines, TLS, durations; appsec_configs globs over installed configs", () => {
    const r = load(
      "listen_socket: /tmp/x.sock\npath: waf/\nroutines: 4\ncert_file: c.pem\nkey_file: k.pem\nauth_cache_duration: 30s\nbody_read_timeout: 0s\nappsec_configs: [test/a, test/?]\n",
    );
    expect(r.problems).toEqual([]);
    const s = r.sources[0] as AppsecSource;
    expect(s.appsec).toEqual({ listen: undefined, socket: "/tmp/x.sock", tls: { certFile: "c.pem", keyFile: "k.pem" }, path: "/waf/", routines: 4, authCacheMs: 30_000, bodyReadTimeoutMs: 0 });
  });

  const bad: { name: string; body: string; opts?: ModuleOptions; want: { line?: number; field?: string; message: RegExp } }[] = [
    { name: "no config", body: "listen_addr: 127.0.0.1:7422\n", want: { message: /appsec_config or appsec_config_path must be set/ } },
    { name: "exclusive keys", body: "appsec_config: test/a\nappsec_configs: [test/b]\n", want: { line: 5, field: "appsec_configs", message: /mutually exclusive/ } },
    { name: "unknown key", body: "appsec_config: test/a\nlisten_port: 1\n", want: { line: 5, field: "listen_port", message: /Unknown key "listen_port"/ } },
    { name: "cert without key", body: "appsec_config: test/a\ncert_file: c.pem\n", want: { line: 5, field: "cert_file", message: /must be set together/ } },
    { name: "bad listen_addr", body: "appsec_config: test/a\nlisten_addr: 127.0.0.1\n", want: { line: 5, field: "listen_addr", message: /missing port/ } },
    { name: "bad duration", body: "appsec_config: test/a\nauth_cache_duration: soon\n", want: { line: 5, field: "auth_cache_duration", message: /invalid duration/ } },
    { name: "config not installed", body: "appsec_config: test/zzz\n", want: { line: 4, field: "appsec_config", message: /no appsec-config named "test\/zzz" is installed/ } },
    { name: "glob matching nothing", body: "appsec_configs: [other/*]\n", want: { line: 4, field: "appsec_configs", message: /no installed appsec-config matches pattern "other\/\*"/ } },
    { name: "rule pattern matching nothing", body: "appsec_config: test/bad\n", want: { line: 4, field: "appsec_config", message: /No appsec-rules found for pattern "test\/nothing-like-this"/ } },
    { name: "no way to check keys", body: "appsec_config: test/a\n", opts: { hub: OPTS.hub }, want: { message: /needs the Local API/ } },
    { name: "no hub", body: "appsec_config: test/a\n", opts: { checkApiKey: OPTS.checkApiKey }, want: { message: /needs the hub/ } },
  ];
  for (const c of bad) {
    test(`problem: ${c.name}`, () => {
      const r = load(c.body, c.opts);
      expect(r.sources).toEqual([]);
      expect(r.problems.length).toBe(1);
      const p = r.problems[0]!;
      expect(p.file).toBe("acquis.yaml");
      expect(p.message).toMatch(c.want.message);
      if (c.want.line !== undefined) expect(p.line).toBe(c.want.line);
      if (c.want.field !== undefined) expect(p.field).toBe(c.want.field);
    });
  }

  test("appsec_config_path loads a file directly and wins over appsec_config", () => {
    const r = load(`appsec_config: test/zzz\nappsec_config_path: ${join(dir, "direct.yaml")}\n`);
    expect(r.problems).toEqual([]);
    expect(r.sources.length).toBe(1);
  });
});

describe("parseListenAddr()", () => {
  const cases: [string, unknown][] = [
    ["127.0.0.1:7422", { hostname: "127.0.0.1", port: 7422 }],
    [":7422", { hostname: "0.0.0.0", port: 7422 }],
    ["[::1]:80", { hostname: "::1", port: 80 }],
    ["localhost:1", { hostname: "localhost", port: 1 }],
    ["::1:80", 'too many colons in address "::1:80"'],
    ["1.2.3.4:99999", 'invalid port "99999" in address "1.2.3.4:99999"'],
    ["waf.internal:80", { hostname: "waf.internal", port: 80 }],
    ["bad host:80", 'invalid host "bad host" in address "bad host:80"'],
  ];
  for (const [text, want] of cases) test(text, () => expect(parseListenAddr(text)).toEqual(want as never));
});
