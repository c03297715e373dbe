import { describe, expect, it } from "vitest";

import {
  createSessionToken,
  hashSessionToken,
  signSessionToken,
  verifySignedSessionToken,
} from "@/lib/auth/session-token";

const SECRET = "s".repeat(64);

describe("session cookie signing", () => {
  it("round-trips a token signed with the same secret", () => {
    const token = createSessionToken();
    expect(verifySignedSessionToken(signSessionToken(token, SECRET), SECRET)).toBe(token);
  });

  it("makes tokens of 256 random bits that never repeat", () => {
    const tokens = new Set(Array.from({ length: 1000 }, createSessionToken));
    expect(tokens.size).toBe(1000);
    expect(Buffer.from([...tokens][0]!, "base64url")).toHaveLength(32);
  });

  it("refuses a value signed with another secret", () => {
    const value = signSessionToken(createSessionToken(), SECRET);
    expect(verifySignedSessionToken(value, "t".repeat(64))).toBeNull();
  });

  it("refuses a tampered token or signature", () => {
    const token = createSessionToken();
    const [, signature] = signSessionToken(token, SECRET).split(".");
    const otherToken = createSessionToken();
    expect(verifySignedSessionToken(`${otherToken}.${signature}`, SECRET)).toBeNull();
    const flipped = signature!.slice(0, -1) + (signature!.endsWith("A") ? "B" : "A");
    expect(verifySignedSessionToken(`${token}.${flipped}`, SECRET)).toBeNull();
  });

  it("refuses malformed values without throwing", () => {
    for (const value of [null, undefined, "", "no-dot", ".onlysig", "token.", "a.b.c", "x".repeat(1000)]) {
      expect(verifySignedSessionToken(value, SECRET)).toBeNull();
    }
  });

  it("stores only a SHA-256 of the token, never the token", () => {
    const token = createSessionToken();
    const hash = hashSessionToken(token);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hash).not.toContain(token);
    expect(hashSessionToken(token)).toBe(hash);
  });
});
