import { describe, expect, it } from "vitest";

import { createCredentialCheck } from "@/lib/auth/credentials";
import { hashPassword } from "@/lib/auth/password";

describe("admin credential check", () => {
  const plain = createCredentialCheck({
    username: "admin",
    kind: "plain",
    password: "correct horse battery",
  });

  it("accepts the configured username and plain password", () => {
    expect(plain("admin", "correct horse battery")).toBe(true);
  });

  it("refuses a wrong password, a wrong username, and near misses of either", () => {
    expect(plain("admin", "correct horse batter")).toBe(false);
    expect(plain("admin", "correct horse battery ")).toBe(false);
    expect(plain("Admin", "correct horse battery")).toBe(false);
    expect(plain("root", "correct horse battery")).toBe(false);
    expect(plain("", "")).toBe(false);
  });

  it("verifies against ADMIN_PASSWORD_HASH (scrypt) when that is configured", () => {
    const hashed = createCredentialCheck({
      username: "ops",
      kind: "hash",
      passwordHash: hashPassword("s3cret-pass"),
    });
    expect(hashed("ops", "s3cret-pass")).toBe(true);
    expect(hashed("ops", "s3cret-pasS")).toBe(false);
    expect(hashed("admin", "s3cret-pass")).toBe(false);
  });

  it("refuses everything when the configured hash is malformed", () => {
    const broken = createCredentialCheck({
      username: "admin",
      kind: "hash",
      passwordHash: "scrypt$nonsense",
    });
    expect(broken("admin", "anything")).toBe(false);
  });

  it("compares digests of equal length, so input length does not change the comparison (no throw on long input)", () => {
    expect(plain("admin".repeat(1000), "x".repeat(100_000))).toBe(false);
  });
});
