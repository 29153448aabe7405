/** Test helpers for the admin commands: run one like the CLI does, on a fresh SQLite file. */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { memoryIo } from "../../cli/io";
import { adminGroupOf, runAdminCommand } from "./registry";

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** `picket <argv…>` for an admin group, with both streams captured. */
export async function runAdmin(argv: readonly string[]): Promise<CliRun> {
  const group = adminGroupOf(argv[0]);
  if (!group) throw new Error(`runAdmin: "${argv[0]}" is not an admin group`);
  const io = memoryIo();
  const code = await runAdminCommand(group, argv.slice(1), io);
  return { code, stdout: io.stdout(), stderr: io.stderr() };
}

/** A temporary directory holding `picket.db`; `cleanup()` removes it. */
export function tempDb(): { dir: string; db: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), "picket-admin-"));
  return { dir, db: join(dir, "picket.db"), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
