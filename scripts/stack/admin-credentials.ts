import { randomBytes } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";

import { hashPassword } from "@/lib/auth/password";
import type { Env } from "@/lib/env";

import { writePrivateFile } from "./private-files";

export type AdminCredentialsSetup = {
  /** Added to the web server's environment. */
  extraEnv: Record<string, string>;
  /** What to print once the web server answers; null when there is nothing to say. */
  notice: string | null;
  /**
   * Keeps what was generated (the password's hash, the session secret). Called after the notice was
   * shown, so that a password nobody saw is never kept: a start that fails earlier makes a new one.
   */
  save: () => void;
};

type AdminEnv = Pick<Env, "ADMIN_USERNAME" | "ADMIN_PASSWORD" | "ADMIN_PASSWORD_HASH" | "SESSION_SECRET">;

const HEADER = [
  "# Written by npm start. The generated admin password was shown once, at the first start; only its",
  "# hash is kept. To reset it: delete this file and start again (a new password is shown), or set",
  "# ADMIN_PASSWORD. 0600: the session secret below signs every admin session.",
];

function readStored(file: string): Record<string, string> {
  const stored: Record<string, string> = {};
  if (!existsSync(file)) return stored;
  for (const line of readFileSync(file, "utf8").split("\n")) {
    const m = /^([A-Z_]+)=(.*)$/.exec(line.trim());
    if (m?.[1] && m[2] !== undefined) stored[m[1]] = m[2];
  }
  return stored;
}

/**
 * Admin sign-in for a local install (`npm start`): the configured credentials, else a password
 * generated at the first start, shown then and stored only as its scrypt hash in `file` (0600), so
 * admin works out of the box, is never open without a password, and the password is never printed
 * again. A file written by earlier versions, which kept the password in plain text, is rewritten with
 * its hash at once.
 */
export function prepareAdminCredentials(
  env: AdminEnv,
  file: string,
  generatePassword: () => string = () => randomBytes(12).toString("base64url"),
): AdminCredentialsSetup {
  const stored = readStored(file);
  const kept: Record<string, string> = {};
  const extraEnv: Record<string, string> = {};
  let notice: string | null = null;

  let passwordHash = stored.ADMIN_PASSWORD_HASH;
  const legacyPassword = stored.GENERATED_ADMIN_PASSWORD;
  const isConfigured = Boolean(env.ADMIN_PASSWORD ?? env.ADMIN_PASSWORD_HASH);
  if (!passwordHash && legacyPassword) passwordHash = hashPassword(legacyPassword);
  if (!isConfigured) {
    if (passwordHash) {
      notice = `Admin sign-in: user "${env.ADMIN_USERNAME}" with the password shown at the first start (only its hash is kept; to reset it, delete ${file} and start again)`;
    } else {
      const password = generatePassword();
      passwordHash = hashPassword(password);
      notice = `Admin sign-in: user "${env.ADMIN_USERNAME}", password "${password}" (generated now and shown only this once: only its hash is kept, in ${file}; set ADMIN_PASSWORD to choose one)`;
    }
    extraEnv.ADMIN_PASSWORD_HASH = passwordHash;
  }
  // A generated password stays stored while ADMIN_PASSWORD overrides it, for when the override goes.
  if (passwordHash) kept.ADMIN_PASSWORD_HASH = passwordHash;
  if (!env.SESSION_SECRET) extraEnv.SESSION_SECRET = stored.SESSION_SECRET ?? randomBytes(32).toString("hex");
  if (extraEnv.SESSION_SECRET) kept.SESSION_SECRET = extraEnv.SESSION_SECRET;

  const save = () =>
    writePrivateFile(file, [...HEADER, ...Object.entries(kept).map(([k, v]) => `${k}=${v}`), ""].join("\n"));
  // The plain text of an earlier version's file must not outlive this start.
  if (legacyPassword) save();
  return { extraEnv, notice, save };
}
