import { afterAll, describe, expect, test } from "bun:test";
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadAppsecRuntime } from "../../../appsec";
import { APPSEC, LOG, type Event } from "../../../event";
import { TESTDATA } from "../../../testing";
import { parseAcquisition } from "../../acquis";
import { collect, runSourceContract, waitFor } from "../contract";
import type { CommonConfig, ModuleOptions } from "../types";
import { AppsecSource } from "./source";

const KEY = "good-key";
const checkApiKey = async (key: string) => key === KEY;
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** A config_dir with the test rules installed and one appsec-config `test/c` built from `configYaml`. */
function configDir(configYaml: string): string {
  const dir = mkdtempSync(join(tmpdir(), "picket-appsec-"));
  dirs.push(dir);
  mkdirSync(join(dir, "appsec-rules", "test"), { recursive: true });
  mkdirSync(join(dir, "appsec-configs", "test"), { recursive: true });
  for (const f of ["admin.yaml", "evil-arg.yaml"]) copyFileSync(join(TESTDATA, "appsec", "rules", f), join(dir, "appsec-rules", "test", f));
  writeFileSync(
    join(dir, "appsec-rules", "test", "raw-body.yaml"),
    "name: test/raw-body\ndescription: body\nrules:\n  - zones: [RAW_BODY]\n    match:\n      type: contains\n      value: forbidden-payload\n",
  );
  writeFileSync(join(dir, "appsec-configs", "test", "c.yaml"), `name: test/c\n${configYaml}`);
  return dir;
}

const INBAND = "inband_rules: [test/admin, test/raw-body]\noutofband_rules: [test/evil-arg]\n";

function load(acquis: string, opts: Partial<ModuleOptions> & { dir?: string } = {}) {
  const dir = opts.dir ?? configDir(INBAND);
  return parseAcquisition(acquis, "acquis.yaml", { hub: { configDir: dir, hubDir: join(dir, "hub") }, checkApiKey, ...opts });
}

function source(configYaml = INBAND, extra = ""): AppsecSource {
  const r = load(`source: appsec\nlisten_addr: 127.0.0.1:0\nappsec_config: test/c\nlabels:\n  type: appsec\n${extra}`, { dir: configDir(configYaml) });
  expect(r.problems).toEqual([]);
  return r.sources[0] as AppsecSource;
}

async function started(s: AppsecSource): Promise<{ url: string; events: Event[]; ctl: AbortController; running: Promise<void> }> {
  const ctl = new AbortController();
  const { events, running } = collect(s, ctl.signal);
  await waitFor(() => s.urls().length > 0, "listening");
  return { url: s.urls()[0]!, events, ctl, running };
}

function headers(h: Record<string, string> = {}): Record<string, string> {
  return {
    "X-Crowdsec-Appsec-Api-Key": KEY, "X-Crowdsec-Appsec-Ip": "1.2.3.4", "X-Crowdsec-Appsec-Uri": "/", "X-Crowdsec-Appsec-Verb": "GET",
    "X-Crowdsec-Appsec-Host": "example.com", "X-Crowdsec-Appsec-User-Agent": "curl/8.0", "X-Crowdsec-Appsec-Http-Version": "11", ...h,
  };
}

async function ask(url: string, h: Record<string, string>, body?: string): Promise<[number, string]> {
  const r = await fetch(url, { method: body === undefined ? "GET" : "POST", headers: h, body });
  return [r.status, await r.text()];
}

runSourceContract("appsec", async () => {
  const s = source();
  return {
    source: s,
    ready: () => waitFor(() => s.urls().length > 0, "listening"),
    produce: async (lines) => {
      for (const l of lines) await ask(s.urls()[0]!, headers({ "X-Crowdsec-Appsec-Uri": `/p?q=evil-${encodeURIComponent(l)}` }));
    },
    expected: () => "dummy-appsec-data",
    cleanup: async () => {},
  };
});

describe("AppsecSource answers", () => {
  const cases: { name: string; config?: string; h?: Record<string, string>; body?: string; want: [number, string] }[] = [
    { name: "no match: allow", want: [200, '{"action":"allow","http_status":200}'] },
    { name: "in-band match: ban", h: { "X-Crowdsec-Appsec-Uri": "/admin/x" }, want: [403, '{"action":"ban","http_status":403}'] },
    { name: "captcha remediation", config: `${INBAND}default_remediation: captcha\n`, h: { "X-Crowdsec-Appsec-Uri": "/admin" }, want: [403, '{"action":"captcha","http_status":403}'] },
    {
      name: "configured codes", config: `${INBAND}blocked_http_code: 418\nuser_blocked_http_code: 429\npassed_http_code: 204\n`,
      h: { "X-Crowdsec-Appsec-Uri": "/admin" }, want: [418, '{"action":"ban","http_status":429}'],
    },
    { name: "configured pass code", config: `${INBAND}passed_http_code: 202\nuser_passed_http_code: 201\n`, want: [202, '{"action":"allow","http_status":201}'] },
    { name: "out-of-band match never changes the answer", h: { "X-Crowdsec-Appsec-Uri": "/p?q=evil" }, want: [200, '{"action":"allow","http_status":200}'] },
    { name: "body forwarded as it was", h: { "X-Crowdsec-Appsec-Verb": "POST" }, body: "a=1&forbidden-payload", want: [403, '{"action":"ban","http_status":403}'] },
    { name: "body without a match", h: { "X-Crowdsec-Appsec-Verb": "POST" }, body: "a=1", want: [200, '{"action":"allow","http_status":200}'] },
    { name: "bad key: 401", h: { "X-Crowdsec-Appsec-Api-Key": "nope" }, want: [401, ""] },
    { name: "missing key: 401", h: { "X-Crowdsec-Appsec-Api-Key": "" }, want: [401, ""] },
    { name: "missing client IP: 500", h: { "X-Crowdsec-Appsec-Ip": "" }, want: [500, ""] },
    { name: "missing verb: 500", h: { "X-Crowdsec-Appsec-Verb": "" }, want: [500, ""] },
    { name: "unparsable URI: 500", h: { "X-Crowdsec-Appsec-Uri": "/a%zz" }, want: [500, ""] },
    { name: "body over the limit is dropped (default action): ban", config: `${INBAND}on_load:\n  - apply: ["SetMaxBodySize(4)"]\n`, h: { "X-Crowdsec-Appsec-Verb": "POST" }, body: "0123456789", want: [403, '{"action":"ban","http_status":403}'] },
    { name: "body over the limit, partial: inspected truncated", config: `${INBAND}on_load:\n  - apply: ["SetMaxBodySize(4)", "SetBodySizeExceededAction('partial')"]\n`, h: { "X-Crowdsec-Appsec-Verb": "POST" }, body: "abcdforbidden-payload", want: [200, '{"action":"allow","http_status":200}'] },
  ];
  for (const c of cases) {
    test(c.name, async () => {
      const s = source(c.config);
      const { url, ctl, running } = await started(s);
      try {
        expect(await ask(url, headers(c.h), c.body)).toEqual(c.want);
      } finally {
        ctl.abort();
        await running;
      }
    });
  }
});

describe("AppsecSource events", () => {
  test("an in-band block sends the alert event, then the LOG event for the parsers", async () => {
    const s = source();
    const { url, events, ctl, running } = await started(s);
    try {
      await ask(url, headers({ "X-Crowdsec-Appsec-Uri": "/admin?x=1", "X-Crowdsec-Appsec-Transaction-Id": "tx-9" }));
      await waitFor(() => events.length >= 2, "2 events");
      expect(events.map((e) => e.Type)).toEqual([APPSEC, LOG]);
      const [alert, log] = events as [Event, Event];
      expect(alert.Overflow.APIAlerts![0]!.Scenario).toBe("test/admin");
      expect(alert.Overflow.APIAlerts![0]!.Message).toBe("WAF block: test/admin from 1.2.3.4 (127.0.0.1)");
      expect(log.Parsed).toMatchObject({ source_ip: "1.2.3.4", target_uri: "/admin?x=1", target_host: "example.com", method: "GET", req_uuid: "tx-9", remediation_cmpt_ip: "127.0.0.1" });
      expect(log.Line.Labels).toBe(s.config.labels);
      expect(log.Appsec.HasInBandMatches).toBe(true);
      expect(s.answers.get("ban")).toBe(1);
    } finally {
      ctl.abort();
      await running;
    }
  });

  test("no match emits nothing; a refused key emits nothing", async () => {
    const s = source();
    const { url, events, ctl, running } = await started(s);
    try {
      await ask(url, headers());
      await ask(url, headers({ "X-Crowdsec-Appsec-Uri": "/admin", "X-Crowdsec-Appsec-Api-Key": "bad" }));
      // an out-of-band match afterwards proves the earlier requests had their turn
      await ask(url, headers({ "X-Crowdsec-Appsec-Uri": "/?q=evil" }));
      await waitFor(() => events.length >= 1, "the out-of-band event");
      expect(events.map((e) => [e.Type, e.Appsec.HasOutBandMatches])).toEqual([[LOG, true]]);
      expect(Object.fromEntries(s.answers)).toEqual({ allow: 2, "401": 1 });
    } finally {
      ctl.abort();
      await running;
    }
  });

  test("the out-of-band phase runs after the answer was sent", async () => {
    const dir = configDir(INBAND);
    const rt = loadAppsecRuntime({ hubRoot: dir, configPaths: [join(dir, "appsec-configs", "test", "c.yaml")], ruleFiles: ["admin", "evil-arg", "raw-body"].map((n) => join(dir, "appsec-rules", "test", `${n}.yaml`)) });
    expect(rt.problems).toEqual([]);
    const held: (() => void)[] = [];
    const common: CommonConfig = { source: "appsec", mode: "tail", labels: { type: "appsec" }, name: "t", useTimeMachine: false, uniqueId: "u" };
    const s = new AppsecSource(common, { listen: { hostname: "127.0.0.1", port: 0 }, path: "/", routines: 1, authCacheMs: 60_000, bodyReadTimeoutMs: 1000 }, {
      runtime: rt.runtime!, checkKey: checkApiKey, defer: (run) => void held.push(run),
    });
    const { url, events, ctl, running } = await started(s);
    try {
      expect(await ask(url, headers({ "X-Crowdsec-Appsec-Uri": "/?q=evil" }))).toEqual([200, '{"action":"allow","http_status":200}']);
      expect([held.length, events.length]).toEqual([1, 0]);
      held[0]!();
      expect(events.map((e) => [e.Type, e.Parsed?.outofband_interrupted])).toEqual([[LOG, "true"]]);
    } finally {
      ctl.abort();
      await running;
    }
  });
});

describe("AppsecSource listeners", () => {
  test("path: /appsec is served exactly, other paths are 404", async () => {
    const s = source(INBAND, "path: appsec\n");
    expect(s.appsec.path).toBe("/appsec");
    const { url, ctl, running } = await started(s);
    try {
      expect((await ask(`${url}/appsec`, headers()))[0]).toBe(200);
      expect((await ask(`${url}/appsec?x=1`, headers()))[0]).toBe(200);
      expect((await ask(`${url}/other`, headers()))[0]).toBe(404);
      expect((await ask(`${url}/appsec/sub`, headers()))[0]).toBe(404);
    } finally {
      ctl.abort();
      await running;
    }
  });

  test("listen_socket serves the same handler on a unix socket, removed at stop", async () => {
    const sock = join(mkdtempSync(join(tmpdir(), "picket-appsec-sock-")), "appsec.sock");
    dirs.push(join(sock, ".."));
    const r = load(`source: appsec\nlisten_socket: ${sock}\nappsec_config: test/c\nlabels: {type: appsec}\n`);
    expect(r.problems).toEqual([]);
    const s = r.sources[0] as AppsecSource;
    expect(s.appsec.listen).toBeUndefined();
    const { ctl, running } = await started(s);
    const res = await fetch("http://localhost/", { unix: sock, headers: headers({ "X-Crowdsec-Appsec-Uri": "/admin" }) });
    expect([res.status, await res.text()]).toEqual([403, '{"action":"ban","http_status":403}']);
    ctl.abort();
    await running;
    expect(await Bun.file(sock).exists()).toBe(false);
  });
});
