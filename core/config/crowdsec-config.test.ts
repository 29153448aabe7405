import { describe, expect, test } from "bun:test";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expandEnv, loadCrowdsecPaths, mergeOverlay } from "./crowdsec-config";

describe("expandEnv()", () => {
  test.each([
    ["password: ${DB}", { DB: "s3cret" }, "password: s3cret"],
    ["password: $DB!", { DB: "x" }, "password: x!"],
    ["keep ${UNSET} and $UNSET", {}, "keep ${UNSET} and $UNSET"],
    ["empty: '${E}'", { E: "" }, "empty: ''"],
    ["no default ${VAR:-x}", { VAR: "v" }, "no default ${VAR:-x}"],
  ])("%p", (text, env, want) => {
    expect(expandEnv(text, env)).toBe(want);
  });
});

describe("mergeOverlay()", () => {
  test("merges maps key by key and replaces lists and scalars", () => {
    const base = { db_config: { type: "sqlite", use_wal: false }, api: { trusted_ips: ["127.0.0.1"] }, keep: 1 };
    const overlay = { db_config: { use_wal: true }, api: { trusted_ips: ["10.0.0.0/8"] } };
    expect(mergeOverlay(base, overlay)).toEqual({ db_config: { type: "sqlite", use_wal: true }, api: { trusted_ips: ["10.0.0.0/8"] }, keep: 1 });
  });
});

describe("loadCrowdsecPaths()", () => {
  test("fills the defaults from config_dir and applies the .local overlay", () => {
    const dir = mkdtempSync(join(tmpdir(), "picket-config-"));
    const file = join(dir, "config.yaml");
    writeFileSync(file, `config_paths:\n  config_dir: ${dir}/etc\n  data_dir: ${dir}/data\n`);
    writeFileSync(`${file}.local`, `config_paths:\n  hub_dir: ${dir}/hub\n`);
    const r = loadCrowdsecPaths(file);
    expect(r.ok && r.value).toEqual({
      configFile: file,
      configDir: `${dir}/etc`,
      dataDir: `${dir}/data`,
      hubDir: `${dir}/hub`,
      patternDir: `${dir}/etc/patterns`,
      simulationPath: `${dir}/etc/simulation.yaml`,
    });
  });

  test("requires a data directory", () => {
    const dir = mkdtempSync(join(tmpdir(), "picket-config-"));
    const file = join(dir, "config.yaml");
    writeFileSync(file, `config_paths:\n  config_dir: ${dir}\n`);
    const r = loadCrowdsecPaths(file);
    expect(r.ok ? "" : r.error.message).toBe("Please provide a data directory with the 'data_dir' directive");
  });
});
