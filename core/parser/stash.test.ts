import { describe, expect, test } from "bun:test";
import { StashStore } from "./stash";

describe("StashStore", () => {
  test("returns a stored value until its ttl passes", () => {
    let now = 1000;
    const stash = new StashStore(() => now);
    stash.set("pids", "42", "/usr/bin/curl", 30_000, 100);
    expect(stash.get("pids", "42")).toBe("/usr/bin/curl");
    now += 29_999;
    expect(stash.get("pids", "42")).toBe("/usr/bin/curl");
    now += 1;
    expect(stash.get("pids", "42")).toBeUndefined();
  });

  test("evicts the least recently used entry beyond the cache size", () => {
    const stash = new StashStore(() => 0);
    stash.set("c", "a", "1", 1000, 2);
    stash.set("c", "b", "2", 1000, 2);
    expect(stash.get("c", "a")).toBe("1");
    stash.set("c", "c", "3", 1000, 2);
    expect(stash.get("c", "b")).toBeUndefined();
    expect(stash.get("c", "a")).toBe("1");
    expect(stash.get("c", "c")).toBe("3");
  });

  test("keeps caches apart by name", () => {
    const stash = new StashStore(() => 0);
    stash.set("one", "k", "v1", 1000, 10);
    expect(stash.get("two", "k")).toBeUndefined();
  });
});
