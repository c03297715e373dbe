import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

import { afterEach, beforeEach, describe, expect, it } from "vitest";

import { createCredentialCheck } from "@/lib/auth/credentials";

import { prepareAdminCredentials } from "./admin-credentials";

const unset = {
  ADMIN_USERNAME: "admin",
  ADMIN_PASSWORD: undefined,
  ADMIN_PASSWORD_HASH: undefined,
  SESSION_SECRET: undefined,
};

let dir: string;
let file: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), "admin-credentials-"));
  file = path.join(dir, "admin-credentials.env");
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const accepts = (hash: string | undefined, password: string) =>
  createCredentialCheck({ username: "admin", kind: "hash", passwordHash: hash! })("admin", password);

describe("the generated admin password", () => {
  it("is shown at the first start and stored only as its hash, in a 0600 file", () => {
    const first = prepareAdminCredentials(unset, file, () => "first-password-123");
    expect(first.notice).toContain('password "first-password-123"');
    expect(accepts(first.extraEnv.ADMIN_PASSWORD_HASH, "first-password-123")).toBe(true);
    first.save();
    const text = readFileSync(file, "utf8");
    expect(text).not.toContain("first-password-123");
    expect(text).toContain(`ADMIN_PASSWORD_HASH=${first.extraEnv.ADMIN_PASSWORD_HASH}`);
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it("is never shown again: later starts use the stored hash and the same session secret", () => {
    const first = prepareAdminCredentials(unset, file, () => "first-password-123");
    first.save();
    const second = prepareAdminCredentials(unset, file, () => "another-password");
    expect(second.notice).not.toContain("first-password-123");
    expect(second.notice).toMatch(/password shown at the first start/);
    expect(accepts(second.extraEnv.ADMIN_PASSWORD_HASH, "first-password-123")).toBe(true);
    expect(second.extraEnv.SESSION_SECRET).toBe(first.extraEnv.SESSION_SECRET);
  });

  it("is not kept when the start ended before it was shown (save never called): the next start makes a new one", () => {
    prepareAdminCredentials(unset, file, () => "never-shown-password");
    const next = prepareAdminCredentials(unset, file, () => "shown-password");
    expect(next.notice).toContain('password "shown-password"');
  });

  it("replaces the plain password an earlier version stored by its hash at once", () => {
    writeFileSync(file, "GENERATED_ADMIN_PASSWORD=old-plain-password\nSESSION_SECRET=abc\n", { mode: 0o644 });
    const setup = prepareAdminCredentials(unset, file);
    const text = readFileSync(file, "utf8");
    expect(text).not.toContain("old-plain-password");
    expect(accepts(setup.extraEnv.ADMIN_PASSWORD_HASH, "old-plain-password")).toBe(true);
    expect(setup.extraEnv.SESSION_SECRET).toBe("abc");
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it("is not generated when ADMIN_PASSWORD is configured", () => {
    const setup = prepareAdminCredentials({ ...unset, ADMIN_PASSWORD: "chosen-password" }, file);
    expect(setup.notice).toBeNull();
    expect(setup.extraEnv).not.toHaveProperty("ADMIN_PASSWORD_HASH");
  });
});
