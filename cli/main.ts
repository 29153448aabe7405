#!/usr/bin/env bun
/** picket: the entry point. Parses arguments with cac and hands each subcommand to commands/. */
import { cac } from "cac";
import { ADMIN_GROUPS, adminGroupOf, runAdminCommand } from "../commands/admin/registry";
import type { HubOutput } from "../commands/hub";
import type { MetricsOutput } from "../commands/metrics";
import type { ReplayOutput } from "../commands/replay";
import pkg from "../package.json" with { type: "json" };
import { EXIT, type ExitCode } from "./exit";
import { processIo } from "./io";

const cli = cac("picket");

cli
  .command("lint [...paths]", "Load hub items (parsers, scenarios, postoverflows) and report every problem as file:line")
  .option("--asserts", "Treat the paths as hubtest suites and compile every line of their .assert files")
  .option("--json", "One JSON object per problem")
  .example("picket lint ./hub/parsers ./hub/scenarios")
  .example("picket lint --asserts ./hub/.tests")
  .action((paths: string[], opts: { asserts?: boolean; json?: boolean }) =>
    run(async () => (await import("../commands/lint")).lint({ paths, asserts: Boolean(opts.asserts), json: Boolean(opts.json) }, processIo())),
  );

cli
  .command("replay [...files]", "Replay cold logs through parsers and scenarios: who attacked you (exit 1 when there are alerts)")
  .option("--type <type>", "Log type (syslog, nginx, apache2…); recognised from the first lines when omitted")
  .option("--dsn <dsn>", "A data source: file://PATH[?log_type=TYPE]")
  .option("-c, --config <file>", "CrowdSec config.yaml whose installed items to use")
  .option("--hub <dir>", "Hub directory to take items from (with --items)")
  .option("--items <list>", "Comma-separated hub items; collections expand")
  .option("--data <dir>", "With --hub: data files laid out by the path of their source_url")
  .option("--geoip <dir>", "Directory holding the GeoIP .mmdb files")
  .option("--builtin", "Use picket's built-in collection even where CrowdSec is installed")
  .option("--json", "One JSON alert per line (the Local API's alert form)")
  .option("-o, --output <format>", "human (default), json or csv")
  .option("--unparsed <file>", "Write the lines no parser claimed to FILE")
  .option("--no-progress", "No progress bar on the terminal")
  .example("picket replay /var/log/auth.log")
  .example("picket replay 'access.log*' --type nginx --json | jq .source.ip")
  .example("zcat old.log.gz | picket replay - --type syslog")
  .action(async (files: string[], opts: Record<string, unknown>) => {
    const str = (k: string) => (opts[k] === undefined ? undefined : String(opts[k]));
    const output = opts.json ? "json" : (str("output") ?? "human");
    if (!["human", "json", "csv"].includes(output)) throw usage(`unknown output "${output}" (expected human, json or csv)`);
    await run(async () =>
      (await import("../commands/replay")).replay(
        {
          files, dsn: str("dsn"), type: str("type"), config: str("config"), hub: str("hub"), items: str("items"), data: str("data"),
          geoip: str("geoip"), output: output as ReplayOutput, unparsed: str("unparsed"), progress: opts.progress !== false, builtin: Boolean(opts.builtin),
        },
        processIo(),
      ),
    );
  });

cli
  .command("explain", "Show how the parsers handle a line or a file, stage by stage")
  .option("--log <line>", "One log line")
  .option("--file <path>", "A log file (- for stdin)")
  .option("--dsn <dsn>", "A data source: file://PATH[?log_type=TYPE]")
  .option("--type <type>", "Log type (the acquisition label the parsers filter on): syslog, nginx…")
  .option("-c, --config <file>", "CrowdSec config.yaml whose installed items to use")
  .option("--hub <dir>", "Hub directory to take items from (with --items)")
  .option("--items <list>", "Comma-separated hub items; collections expand")
  .option("--data <dir>", "With --hub: data files laid out by the path of their source_url")
  .option("--geoip <dir>", "Directory holding the GeoIP .mmdb files")
  .option("--builtin", "Use picket's built-in collection even where CrowdSec is installed")
  .option("-v, --verbose", "Show the fields each parser added or changed")
  .option("--json", "One JSON trace per line")
  .option("--failures", "Only show lines that no parser claimed")
  .option("--buckets", "Pour parsed lines into the scenarios and show each bucket's level before and after")
  .option("--why-not <scenario>", "Why did (or didn't) this scenario overflow for --key? (with --file)")
  .option("--key <value>", "The bucket key (groupby value, e.g. the source IP) for --why-not")
  .example("picket explain --log 'Feb 12 14:10:21 host sshd[1]: Invalid user a from 1.2.3.4 port 2' --type syslog -c /etc/crowdsec/config.yaml")
  .example("picket explain --file access.log --type nginx --hub ./hub --items crowdsecurity/nginx --failures")
  .action(async (opts: Record<string, unknown>) => {
    const str = (k: string) => (opts[k] === undefined ? undefined : String(opts[k]));
    await run(async () =>
      (await import("../commands/explain")).explain(
        {
          log: str("log"), file: str("file"), dsn: str("dsn"), type: str("type"), config: str("config"), hub: str("hub"), items: str("items"),
          data: str("data"), geoip: str("geoip"), verbose: Boolean(opts.verbose), json: Boolean(opts.json), failures: Boolean(opts.failures),
          buckets: Boolean(opts.buckets), whyNot: str("whyNot"), key: str("key"), builtin: Boolean(opts.builtin),
        },
        processIo(),
      ),
    );
  });

cli
  .command("hubtest <action> [...names]", "Run hub tests in the upstream format (action: run)")
  .option("--hub <dir>", "Hub root: items by name and by relative path resolve there", { default: "." })
  .option("--tests <dir>", "Tests directory (default: <hub>/.tests)")
  .option("--data <dir>", "Data files laid out by the path of their source_url")
  .option("--geoip <dir>", "Directory holding the GeoIP .mmdb files")
  .option("--json", "One JSON object per test")
  .option("-j, --jobs <n>", "Tests run in parallel")
  .example("picket hubtest run --hub ../hub --data ../hub-data --geoip ../geoip")
  .action(async (action: string, names: string[], opts: { hub: string; tests?: string; data?: string; geoip?: string; json?: boolean; jobs?: string }) => {
    if (action !== "run") throw usage(`unknown hubtest action "${action}" (expected "run")`);
    await run(async () =>
      (await import("../commands/hubtest")).hubtestRun(
        { hub: opts.hub, tests: opts.tests, data: opts.data, geoip: opts.geoip, json: Boolean(opts.json), jobs: opts.jobs ? Number(opts.jobs) : undefined, names },
        processIo(),
      ),
    );
  });

cli
  .command("hub <action> [...args]", "Manage hub items in a CrowdSec config dir like cscli (update, list, install, remove, upgrade, inspect)")
  .option("-c, --config <file>", "CrowdSec config.yaml (default /etc/crowdsec/config.yaml)")
  .option("--hub-url <url>", "Hub mirror: http(s) URL, URL template with two %s (branch, file), or a directory")
  .option("--data-url <url>", "Data file mirror laid out by the path of each source_url: http(s) URL or a directory")
  .option("--geoip <dir>", "install: take the GeoIP databases from this directory instead of downloading them")
  .option("-a, --all", "list: every item, not only installed ones; remove/upgrade: every installed item of the kind")
  .option("-o, --output <format>", "human (default), json or raw")
  .option("--force", "Overwrite or remove tainted items; remove items a collection needs")
  .option("--purge", "remove: delete the downloaded file too")
  .option("--dry-run", "Print the action plan and change nothing")
  .option("--download-only", "install: download without enabling")
  .example("picket hub update --hub-url https://mirror.example/hub/")
  .example("picket hub install collection crowdsecurity/linux crowdsecurity/nginx --data-url ./hub-data")
  .example("picket hub list -a -o json")
  .action(async (action: string, args: string[], opts: Record<string, unknown>) => {
    const str = (k: string) => (opts[k] === undefined ? undefined : String(opts[k]));
    const output = str("output") ?? "human";
    if (!["human", "json", "raw"].includes(output)) throw usage(`unknown output "${output}" (expected human, json or raw)`);
    await run(async () =>
      (await import("../commands/hub")).hub(
        {
          action, args, config: str("config"), hubUrl: str("hubUrl"), dataUrl: str("dataUrl"), geoip: str("geoip"), all: Boolean(opts.all), output: output as HubOutput,
          force: Boolean(opts.force), purge: Boolean(opts.purge), dryRun: Boolean(opts.dryRun), downloadOnly: Boolean(opts.downloadOnly),
        },
        processIo(),
      ),
    );
  });

const runCommandSpec = cli
  .command("run", "Run the daemon: agent (acquisition, parsers, scenarios) and Local API, from CrowdSec's config.yaml; SIGHUP reloads, SIGTERM stops")
  .option("-c, --config <file>", "CrowdSec config.yaml (default /etc/crowdsec/config.yaml)")
  .option("--no-api", "Run the agent alone; alerts go to the Local API of api.client.credentials_path")
  .option("--api-only", "Run the Local API alone")
  .option("--listen <addr>", "HOST:PORT of the Local API (default: api.server.listen_uri, else 127.0.0.1:8080)")
  .option("--db <file>", "SQLite database file of the Local API (default: db_config)")
  .option("--checkpoint-interval <duration>", "How often the bucket state and file positions are saved while running (default 10s)")
  .example("picket run -c /etc/crowdsec/config.yaml")
  .example("picket run --no-api -c /etc/crowdsec/config.yaml")
  .example("picket run --api-only --listen 127.0.0.1:8080 --db /var/lib/picket/picket.db")
  .action(async (opts: Record<string, unknown>) => {
    const str = (k: string) => (opts[k] === undefined ? undefined : String(opts[k]));
    await run(async () =>
      (await import("../commands/run")).runCommand(
        { apiOnly: Boolean(opts.apiOnly), noApi: opts.api === false, listen: str("listen"), db: str("db"), config: str("config"), checkpointInterval: str("checkpointInterval") },
        processIo(),
      ),
    );
  });
// cac gives a negated flag the default `true` and prints "(default: true)" after --no-api, which
// reads as if the agent ran alone by default: absent means "not given" here.
for (const o of runCommandSpec.options) if (o.negated) o.config.default = undefined;

cli
  .command("metrics", "Show the Prometheus metrics of picket or CrowdSec as cscli metrics does (acquisition, parsers, buckets, Local API)")
  .option("--url <url>", "Metrics endpoint (default: the config's prometheus listen_addr:listen_port, else http://127.0.0.1:6060/metrics)")
  .option("-c, --config <file>", "CrowdSec config.yaml whose prometheus section gives the endpoint (default /etc/crowdsec/config.yaml)")
  .option("-o, --output <format>", "human (default), json or raw")
  .option("--no-unit", "Show 1234567 rather than 1.23M")
  .example("picket metrics")
  .example("picket metrics --url http://10.0.0.5:6060/metrics -o json")
  .action(async (opts: Record<string, unknown>) => {
    const str = (k: string) => (opts[k] === undefined ? undefined : String(opts[k]));
    const output = str("output") ?? "human";
    if (!["human", "json", "raw"].includes(output)) throw usage(`unknown output "${output}" (expected human, json or raw)`);
    await run(async () => (await import("../commands/metrics")).metrics({ url: str("url"), config: str("config"), output: output as MetricsOutput, noUnit: opts.unit === false }, processIo()));
  });

// decisions, alerts, bouncers, machines: each action has its own flags, so main() hands them their
// raw arguments (commands/admin/registry); these entries list them in --help.
for (const group of ADMIN_GROUPS) {
  cli.command(`${group.name} <action> [...args]`, group.summary).allowUnknownOptions().action(() => undefined);
}

cli.help();
cli.version(pkg.version, "--version");

async function run(action: () => Promise<ExitCode> | ExitCode): Promise<void> {
  const code = await action();
  process.exitCode = code;
}

async function main(argv: string[]): Promise<void> {
  try {
    const admin = adminGroupOf(argv[2]);
    if (admin) return await run(() => runAdminCommand(admin, argv.slice(3), processIo()));
    cli.parse(argv, { run: false });
    if (cli.options.help || cli.options.version) return;
    if (!cli.matchedCommand) {
      if (cli.args.length > 0) return usageError(`unknown command "${cli.args[0]}"`);
      cli.outputHelp();
      return;
    }
    await cli.runMatchedCommand();
  } catch (e) {
    // cac reports unknown options and missing arguments by throwing CACError.
    if (e instanceof Error && e.name === "CACError") return usageError(e.message);
    process.stderr.write(`picket: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exitCode = EXIT.CONFIG;
  }
}

/** An error cac-style, so main() reports it as a usage error (exit 2). */
function usage(message: string): Error {
  const e = new Error(message);
  e.name = "CACError";
  return e;
}

function usageError(message: string): void {
  process.stderr.write(`picket: ${message}\nRun 'picket --help' for usage.\n`);
  process.exitCode = EXIT.USAGE;
}

await main(process.argv);
