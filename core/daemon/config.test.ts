import { afterAll, describe, expect, test } from "bun:test";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadAcquisition } from "../acquisition";
import { loadProfiles } from "../profiles";
import { renderProblem } from "../result";
import { TESTDATA } from "../testing";
import { checkConfigKeys } from "./config-keys";
import { readCredentials, readDaemonConfig, readSimulation } from "./config";

const dir = mkdtempSync(join(tmpdir(), "picket-daemon-config-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const write = (name: string, text: string) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};

const BASE = `common:
  log_media: file
  daemonize: true
config_paths:
  config_dir: ${dir}/
  data_dir: ${dir}/data/
crowdsec_service:
  acquisition_path: ${dir}/acquis.yaml
  parser_routines: 1
api:
  client:
    credentials_path: ${dir}/local_api_credentials.yaml
  server:
    listen_uri: 127.0.0.1:8080
    online_client:
      credentials_path: ${dir}/online_api_credentials.yaml
prometheus:
  enabled: true
  listen_port: 6061
`;

describe("checkConfigKeys()", () => {
  test("CrowdSec keys picket ignores are listed, sorted", () => {
    const r = checkConfigKeys(write("ok.yaml", BASE));
    expect(r.problems).toEqual([]);
    expect(r.unused).toEqual(["api.server.online_client.credentials_path", "common.daemonize", "common.log_media", "crowdsec_service.parser_routines"]);
  });

  test.each([
    { name: "a misspelled key", yaml: BASE.replace("listen_uri", "listen_url"), want: "a-misspelled-key.yaml:14:5 api.server.listen_url: Unknown key \"listen_url\": CrowdSec would refuse this config" },
    { name: "an unknown section", yaml: `${BASE}agent:\n  x: 1\n`, want: "an-unknown-section.yaml:20:1 agent: Unknown key \"agent\": CrowdSec would refuse this config" },
  ])("$name is an error with file, line and key", ({ name, yaml, want }) => {
    const file = write(`${name.replaceAll(" ", "-")}.yaml`, yaml);
    expect(checkConfigKeys(file).problems.map((p) => renderProblem(p).replace(`${dir}/`, ""))).toEqual([want]);
  });

  test("the .local overlay is checked too", () => {
    const file = write("overlay.yaml", BASE);
    write("overlay.yaml.local", "db_config:\n  use_wal: true\n  wal: true\n");
    expect(checkConfigKeys(file).problems.map((p) => `${p.file?.replace(`${dir}/`, "")}:${p.line} ${p.field}`)).toEqual(["overlay.yaml.local:3 db_config.wal"]);
  });

  const DEBIAN = "/etc/crowdsec/config.yaml";
  test.skipIf(!existsSync(DEBIAN))("the Debian 1.4.6 package's config.yaml is accepted", () => {
    const r = readDaemonConfig(DEBIAN);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.paths).toMatchObject({ configDir: "/etc/crowdsec/", dataDir: "/var/lib/crowdsec/data/", hubDir: "/var/lib/crowdsec/hub/" });
    expect([r.value.agentEnabled, r.value.serverEnabled, r.value.acquisitionPath, r.value.prometheus.listenPort]).toEqual([true, true, "/etc/crowdsec/acquis.yaml", 6060]);
    expect(r.value.unusedKeys).toContain("common.log_media");
  });
});

describe("readDaemonConfig()", () => {
  test("paths, agent, server, client and prometheus settings", () => {
    const r = readDaemonConfig(write("full.yaml", BASE));
    expect(r.ok && {
      agent: r.value.agentEnabled, server: r.value.serverEnabled, acquis: r.value.acquisitionPath, creds: r.value.credentialsPath, prom: r.value.prometheus,
    }).toEqual({
      agent: true, server: true, acquis: `${dir}/acquis.yaml`, creds: `${dir}/local_api_credentials.yaml`,
      prom: { enabled: true, level: "full", listenAddr: "127.0.0.1", listenPort: 6061 },
    });
  });

  test("no crowdsec_service: the agent is off; no data_dir: an error", () => {
    const r = readDaemonConfig(write("noagent.yaml", `config_paths:\n  data_dir: ${dir}\napi:\n  server:\n    listen_uri: 127.0.0.1:1\n`));
    expect(r.ok && [r.value.agentEnabled, r.value.serverEnabled]).toEqual([false, true]);
    const bad = readDaemonConfig(write("nodata.yaml", "config_paths:\n  config_dir: /tmp\n"));
    expect(bad.ok ? "" : bad.error[0]!.message).toBe("Please provide a data directory with the 'data_dir' directive");
  });
});

describe("readCredentials() / readSimulation()", () => {
  test("credentials need url, login and password", () => {
    expect(readCredentials(write("c.yaml", "url: http://127.0.0.1:8080\nlogin: m1\npassword: secret\n"))).toEqual({ ok: true, value: { url: "http://127.0.0.1:8080", login: "m1", password: "secret" } });
    const r = readCredentials(write("c2.yaml", "login: m1\n"));
    expect(r.ok ? "" : r.error.message).toBe("No credentials or URL found in api client configuration");
  });
  test.each([
    { text: "simulation: off\nexclusions:\n  - a/b\n", want: { simulation: false, exclusions: ["a/b"] } },
    { text: "simulation: true\n", want: { simulation: true, exclusions: [] } },
    { text: "", want: { simulation: false, exclusions: [] } },
  ])("simulation.yaml $text", ({ text, want }) => {
    expect(readSimulation(write("sim.yaml", text))).toEqual({ ok: true, value: { simulation: want.simulation, exclusions: [...want.exclusions] } });
  });
});

describe("the sample config shipped for a VPS (testdata/daemon)", () => {
  const sample = (name: string) => join(TESTDATA, "daemon", name);
  test("config.yaml passes CrowdSec's key checks and names the sample files' places", () => {
    const r = readDaemonConfig(sample("config.yaml"), {});
    if (!r.ok) throw new Error(r.error.map(renderProblem).join("\n"));
    expect([r.value.agentEnabled, r.value.serverEnabled, r.value.acquisitionPath]).toEqual([true, true, "/etc/picket/acquis.yaml"]);
  });
  test("simulation.yaml, profiles.yaml and acquis.yaml load", () => {
    expect(readSimulation(sample("simulation.yaml")).ok).toBe(true);
    const profiles = loadProfiles(sample("profiles.yaml"));
    expect(profiles.ok ? profiles.value.names.length : renderProblem(profiles.error)).toBeGreaterThan(0);
    const acquis = loadAcquisition({ acquisitionPath: sample("acquis.yaml") });
    expect(acquis.ok ? acquis.value.length : acquis.error.map(renderProblem).join("\n")).toBeGreaterThan(0);
  });
});
