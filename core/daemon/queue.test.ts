import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { WireAlert } from "../alerts";
import { AlertQueue } from "./queue";

const dir = mkdtempSync(join(tmpdir(), "picket-queue-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const wireAlert = (ip: string, scenario = "test/scenario"): WireAlert => ({
  capacity: 5, events: [], events_count: 6, leakspeed: "10s", message: `${ip} triggered`, scenario, scenario_hash: "h", scenario_version: "",
  simulated: false, source: { scope: "Ip", value: ip, ip }, start_at: "2026-11-23T10:00:00Z", stop_at: "2026-11-23T10:00:01Z",
});

describe("AlertQueue", () => {
  test("alerts survive closing and reopening, oldest first, until acknowledged", () => {
    const path = join(dir, "a.db");
    const q = new AlertQueue(path);
    q.push([wireAlert("192.0.2.1"), wireAlert("192.0.2.2")]);
    q.push([wireAlert("192.0.2.3")]);
    q.close();
    const again = new AlertQueue(path);
    expect(again.length).toBe(3);
    const head = again.peek(2);
    expect(head.map((h) => h.alert.source.value)).toEqual(["192.0.2.1", "192.0.2.2"]);
    again.ack(head.map((h) => h.id));
    expect(again.peek(10).map((h) => h.alert.source.value)).toEqual(["192.0.2.3"]);
    expect(again.length).toBe(1);
    again.close();
  });

  test("set-aside alerts leave the queue and are kept apart", () => {
    const q = new AlertQueue(join(dir, "b.db"));
    q.push([wireAlert("192.0.2.9")]);
    q.setAside(q.peek(1).map((h) => h.id), "invalid");
    expect([q.length, q.peek(5).length, q.rejectedCount()]).toEqual([0, 0, 1]);
    q.close();
  });
});
