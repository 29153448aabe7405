/**
 * The on-disk alert queue between the agent and the Local API: alerts are committed (WAL,
 * synchronous=FULL) before the agent counts them as produced, and leave the queue only once the
 * Local API answered 201 for them. A crash, a restart or an unreachable API loses none.
 */
import { Database, type Statement } from "bun:sqlite";
import type { WireAlert } from "../alerts";

export interface QueuedAlert {
  readonly id: number;
  readonly alert: WireAlert;
}

/** An alert whose bucket state is not in the saved agent state yet (scenario and source). */
export interface UnsavedAlert {
  readonly scenario: string;
  readonly scope: string;
  readonly value: string;
}

export class AlertQueue {
  private readonly db: Database;
  private readonly insert: Statement;
  private readonly head: Statement<{ id: number; body: string }, [number]>;
  private readonly remove: Statement;
  private readonly reject: Statement;
  private readonly counter: Statement<{ n: number }, []>;
  private readonly note: Statement;
  private cachedLength: number;

  constructor(path: string) {
    this.db = new Database(path, { create: true, strict: true });
    this.db.exec("PRAGMA journal_mode = WAL");
    this.db.exec("PRAGMA synchronous = FULL");
    this.db.exec("PRAGMA busy_timeout = 5000");
    this.db.exec("CREATE TABLE IF NOT EXISTS alerts (id INTEGER PRIMARY KEY AUTOINCREMENT, body TEXT NOT NULL, queued_at INTEGER NOT NULL)");
    this.db.exec("CREATE TABLE IF NOT EXISTS rejected (id INTEGER PRIMARY KEY, body TEXT NOT NULL, queued_at INTEGER NOT NULL, reason TEXT NOT NULL, rejected_at INTEGER NOT NULL)");
    this.insert = this.db.prepare("INSERT INTO alerts (body, queued_at) VALUES (?, ?)");
    this.head = this.db.prepare("SELECT id, body FROM alerts ORDER BY id LIMIT ?");
    this.remove = this.db.prepare("DELETE FROM alerts WHERE id = ?");
    this.reject = this.db.prepare("INSERT OR REPLACE INTO rejected (id, body, queued_at, reason, rejected_at) SELECT id, body, queued_at, ?, ? FROM alerts WHERE id = ?");
    this.counter = this.db.prepare("SELECT count(*) AS n FROM alerts");
    this.db.exec("CREATE TABLE IF NOT EXISTS unsaved (id INTEGER PRIMARY KEY AUTOINCREMENT, scenario TEXT NOT NULL, scope TEXT NOT NULL, value TEXT NOT NULL)");
    this.note = this.db.prepare("INSERT INTO unsaved (scenario, scope, value) VALUES (?, ?, ?)");
    this.cachedLength = this.counter.get()?.n ?? 0;
  }

  /** Alerts waiting for the Local API. */
  get length(): number {
    return this.cachedLength;
  }

  /**
   * Commits the alerts (one transaction); when this returns they survive a crash. `unsaved` (bucket
   * alerts) are also noted, in the same transaction, as sent before the agent state that produced
   * them is saved: a restart from the older state knows them (`unsaved()`) until `clearUnsaved()`.
   */
  push(alerts: readonly WireAlert[], unsaved: readonly WireAlert[] = []): void {
    if (alerts.length === 0) return;
    const now = Date.now();
    this.db.transaction(() => {
      for (const a of alerts) this.insert.run(JSON.stringify(a), now);
      for (const a of unsaved) this.note.run(a.scenario, a.source.scope, a.source.value);
    })();
    this.cachedLength += alerts.length;
  }

  /** Alerts noted by `push` since the last `clearUnsaved()`, oldest first. */
  unsaved(): UnsavedAlert[] {
    return this.db.prepare<UnsavedAlert, []>("SELECT scenario, scope, value FROM unsaved ORDER BY id").all();
  }

  /** The agent state covering every noted alert is on disk. */
  clearUnsaved(): void {
    this.db.exec("DELETE FROM unsaved");
  }

  /** The oldest alerts, at most `limit`. A row that is not JSON any more is set aside, not retried forever. */
  peek(limit: number): QueuedAlert[] {
    const out: QueuedAlert[] = [];
    for (const row of this.head.all(limit)) {
      let alert: unknown;
      try {
        alert = JSON.parse(row.body);
      } catch {
        this.setAside([row.id], "not JSON");
        continue;
      }
      out.push({ id: row.id, alert: alert as WireAlert });
    }
    return out;
  }

  /** The Local API has them: they leave the queue. */
  ack(ids: readonly number[]): void {
    if (ids.length === 0) return;
    this.db.transaction(() => {
      for (const id of ids) this.remove.run(id);
    })();
    this.cachedLength = Math.max(0, this.cachedLength - ids.length);
  }

  /** The Local API refused them as invalid: kept in `rejected` for a person to look at, out of the way. */
  setAside(ids: readonly number[], reason: string): void {
    const now = Date.now();
    this.db.transaction(() => {
      for (const id of ids) {
        this.reject.run(reason, now, id);
        this.remove.run(id);
      }
    })();
    this.cachedLength = Math.max(0, this.cachedLength - ids.length);
  }

  rejectedCount(): number {
    return this.db.prepare<{ n: number }, []>("SELECT count(*) AS n FROM rejected").get()?.n ?? 0;
  }

  close(): void {
    this.db.close();
  }
}
