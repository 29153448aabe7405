/**
 * Which item files make up an engine: those installed in a CrowdSec config directory, or hub items
 * named by the user (collections expand to their items).
 */
import { existsSync, readdirSync, statSync } from "node:fs";
import { basename, join } from "node:path";
import { expandItems, findItemAnyKind, type HubIndex, type HubItemKind } from "../hub";
import { listInstalledParsers, type ParserFile } from "../parser";
import { problem, type Problem } from "../result";

export interface ItemFiles {
  readonly parserFiles: readonly ParserFile[];
  readonly postoverflowFiles: readonly ParserFile[];
  /** Scenario files in load order. */
  readonly scenarioFiles: readonly string[];
}

/** Items installed in a CrowdSec config directory (parsers/<stage>/, scenarios/, postoverflows/<stage>/). */
export function installedItems(configDir: string): ItemFiles {
  return {
    parserFiles: listInstalledParsers(join(configDir, "parsers")),
    postoverflowFiles: listInstalledParsers(join(configDir, "postoverflows")),
    scenarioFiles: listYaml(join(configDir, "scenarios")),
  };
}

/** Hub items by name (`crowdsecurity/linux`, `crowdsecurity/sshd-logs`…), collections expanded. */
export function hubItems(index: HubIndex, names: readonly string[]): { files: ItemFiles; problems: Problem[] } {
  const problems: Problem[] = [];
  const requested: { kind: HubItemKind; name: string }[] = [];
  for (const name of names) {
    const item = findItemAnyKind(index, name);
    if (item) requested.push({ kind: item.kind, name });
    else problems.push(problem("hub.unknown-item", `Unknown hub item "${name}"`, { hint: "name a collection, parser, scenario or postoverflow of the hub index" }));
  }
  const expanded = expandItems(index, requested);
  problems.push(...expanded.problems);
  const parserFiles = (kind: "parsers" | "postoverflows"): ParserFile[] =>
    (expanded.items.get(kind) ?? []).flatMap((item) => {
      if (!item.stage) {
        problems.push(problem("hub.no-stage", `Hub item "${item.name}" has no stage`));
        return [];
      }
      const path = join(index.root, item.path);
      return [{ path, stage: item.stage, installName: basename(path) }];
    });
  return {
    files: {
      parserFiles: parserFiles("parsers"),
      postoverflowFiles: parserFiles("postoverflows"),
      scenarioFiles: (expanded.items.get("scenarios") ?? []).map((item) => join(index.root, item.path)),
    },
    problems,
  };
}

function listYaml(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .sort()
    .map((name) => join(dir, name))
    .filter((p) => /\.ya?ml$/.test(p) && existsSync(p) && statSync(p).isFile());
}
