import { describe, expect, test } from "bun:test";
import { issueToken, verifyToken } from "./jwt";

const secret = new TextEncoder().encode("s".repeat(64));
const t0 = new Date("2026-11-23T18:00:00Z");
const at = (secs: number) => new Date(t0.getTime() + secs * 1000);

describe("issueToken() / verifyToken()", () => {
  const { token, expire } = issueToken(secret, "m1", t0);

  test("a token carries id, exp and orig_iat and lasts one hour", () => {
    expect(expire.toISOString()).toBe("2026-11-23T19:00:00.000Z");
    const payload = JSON.parse(Buffer.from(token.split(".")[1]!, "base64url").toString());
    expect(payload).toEqual({ exp: t0.getTime() / 1000 + 3600, id: "m1", orig_iat: t0.getTime() / 1000 });
    expect(JSON.parse(Buffer.from(token.split(".")[0]!, "base64url").toString())).toEqual({ alg: "HS256", typ: "JWT" });
  });

  const cases = [
    { name: "valid", token, now: at(10), want: { ok: true, claims: { id: "m1", exp: t0.getTime() / 1000 + 3600, orig_iat: t0.getTime() / 1000 } } },
    { name: "valid at the last second", token, now: at(3600), want: { ok: true } },
    { name: "expired", token, now: at(3601), want: { ok: false, message: "Token is expired" } },
    { name: "two segments", token: "a.b", now: t0, want: { ok: false, message: "token contains an invalid number of segments" } },
    { name: "bad signature", token: token.slice(0, -4) + "AAAA", now: t0, want: { ok: false, message: "signature is invalid" } },
    { name: "garbage header", token: "not.a.jwt", now: t0, want: { ok: false } },
  ];
  test.each(cases)("$name", ({ token: tok, now, want }) => {
    expect(verifyToken(secret, tok, now)).toMatchObject(want);
  });

  test("another secret does not verify", () => {
    expect(verifyToken(new TextEncoder().encode("x".repeat(64)), token, t0)).toEqual({ ok: false, message: "signature is invalid" });
  });

  test("the refresh window accepts a recently expired token", () => {
    expect(verifyToken(secret, token, at(3700), 3600_000).ok).toBe(true);
  });
});
