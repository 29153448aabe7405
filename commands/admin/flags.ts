/**
 * Flags of the admin commands, parsed the way cscli's cobra/pflag parses them: `--name value`,
 * `--name=value`, `-n value`, `-nvalue`, booleans `--all` / `--all=false`, and values kept as the
 * strings typed (a key or password made of digits stays a string). cac cannot give each action of
 * one command its own short flags (`-i` is `--ip` for `decisions list` but `--input` for `decisions
 * import`), so every group (decisions, alerts, bouncers, machines) runs through this parser.
 */
import { err, ok, type Result } from "../../core/result";

export type FlagKind = "string" | "bool" | "int";

export interface FlagSpec {
  /** Long name, without dashes: "ip". */
  readonly name: string;
  readonly short?: string;
  readonly kind: FlagKind;
  readonly description: string;
  readonly default?: string | boolean | number;
  /** Placeholder in help: `--ip IP`. */
  readonly value?: string;
}

export interface ParsedFlags {
  readonly args: string[];
  /** Flags given on the command line, by long name (last one wins, as pflag). */
  readonly given: ReadonlyMap<string, string | boolean | number>;
  readonly specs: readonly FlagSpec[];
}

/** Parses argv against the flag specs; the error text is pflag's (`unknown flag: --foo`). */
export function parseFlags(argv: readonly string[], specs: readonly FlagSpec[]): Result<ParsedFlags, string> {
  const byLong = new Map(specs.map((s) => [s.name, s]));
  const byShort = new Map(specs.filter((s) => s.short).map((s) => [s.short!, s]));
  const given = new Map<string, string | boolean | number>();
  const args: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--") {
      args.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith("-") || arg === "-") {
      args.push(arg);
      continue;
    }
    let spec: FlagSpec | undefined;
    let inline: string | undefined;
    let shown: string;
    if (arg.startsWith("--")) {
      const eq = arg.indexOf("=");
      const name = eq === -1 ? arg.slice(2) : arg.slice(2, eq);
      inline = eq === -1 ? undefined : arg.slice(eq + 1);
      spec = byLong.get(name);
      shown = `--${name}`;
      if (!spec) return err(`unknown flag: ${shown}`);
    } else {
      const letter = arg[1]!;
      spec = byShort.get(letter);
      shown = `-${letter}`;
      if (!spec) return err(`unknown shorthand flag: '${letter}' in ${arg}`);
      if (arg.length > 2) inline = arg[2] === "=" ? arg.slice(3) : arg.slice(2);
      if (spec.kind === "bool" && inline !== undefined && arg[2] !== "=") {
        // -am: booleans bundled together, as pflag allows
        given.set(spec.name, true);
        const rest = parseFlags([`-${inline}`], specs);
        if (!rest.ok) return rest;
        for (const [k, v] of rest.value.given) given.set(k, v);
        continue;
      }
    }
    if (spec.kind === "bool") {
      if (inline === undefined) given.set(spec.name, true);
      else if (inline === "true" || inline === "1") given.set(spec.name, true);
      else if (inline === "false" || inline === "0") given.set(spec.name, false);
      else return err(`invalid argument "${inline}" for "${shown}" flag: expected true or false`);
      continue;
    }
    let value = inline;
    if (value === undefined) {
      if (i + 1 >= argv.length) return err(`flag needs an argument: ${shown}`);
      value = argv[++i]!;
    }
    if (spec.kind === "int") {
      if (!/^[+-]?\d+$/.test(value)) return err(`invalid argument "${value}" for "${shown}" flag: expected an integer`);
      given.set(spec.name, Number(value));
    } else {
      given.set(spec.name, value);
    }
  }
  return ok({ args, given, specs });
}

/** Typed reads of parsed flags, falling back to each spec's default. */
export class Flags {
  constructor(private readonly parsed: ParsedFlags) {}

  get args(): readonly string[] {
    return this.parsed.args;
  }

  has(name: string): boolean {
    return this.parsed.given.has(name);
  }

  string(name: string): string {
    const v = this.parsed.given.get(name) ?? this.spec(name).default ?? "";
    return String(v);
  }

  /** The value, or undefined when neither given nor defaulted to a non-empty string. */
  optional(name: string): string | undefined {
    const v = this.string(name);
    return v === "" ? undefined : v;
  }

  bool(name: string): boolean {
    const v = this.parsed.given.get(name) ?? this.spec(name).default ?? false;
    return v === true;
  }

  int(name: string): number {
    const v = this.parsed.given.get(name) ?? this.spec(name).default ?? 0;
    return typeof v === "number" ? v : Number(v);
  }

  private spec(name: string): FlagSpec {
    const s = this.parsed.specs.find((x) => x.name === name);
    if (!s) throw new Error(`Flags: no flag "${name}" is declared for this action`);
    return s;
  }
}

/** The `Flags:` block of a help text, cobra-style. */
export function formatFlagHelp(specs: readonly FlagSpec[]): string[] {
  const left = specs.map((s) => {
    const head = s.short ? `-${s.short}, --${s.name}` : `    --${s.name}`;
    const value = s.kind === "bool" ? "" : ` ${s.value ?? (s.kind === "int" ? "int" : "string")}`;
    return `  ${head}${value}`;
  });
  const width = Math.max(...left.map((l) => l.length));
  return specs.map((s, i) => {
    const dflt = s.default !== undefined && s.default !== "" && s.default !== false ? ` (default ${typeof s.default === "string" ? `"${s.default}"` : s.default})` : "";
    return `${left[i]!.padEnd(width)}   ${s.description}${dflt}`;
  });
}
