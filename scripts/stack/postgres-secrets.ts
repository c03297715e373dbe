import { randomBytes } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";

import { z } from "zod";

import { parseJsonWith } from "@/lib/events/parse-json";

import { DATA_DIR } from "./paths";
import { ensurePrivateDir, writePrivateFile } from "./private-files";
import { StackError } from "./proc";

/** The private cluster's passwords, generated when it is created (or upgraded): 0600 in a 0700 folder. */
export const POSTGRES_SECRETS_FILE = path.join(DATA_DIR, "secrets", "postgres.json");

const userSchema = z.object({ username: z.string().min(1), password: z.string().min(1) });

/**
 * The private cluster's roles (README, "Database roles"): the bootstrap superuser, which only the stack
 * scripts and the tests use; the owner of the product's database, which migrates; the runtime role of
 * the web server and workers; and the read-only BI role.
 */
export const postgresSecretsSchema = z.object({
  superuser: userSchema,
  owner: userSchema,
  app: userSchema,
  bi: userSchema,
});
export type PostgresSecrets = z.infer<typeof postgresSecretsSchema>;

export function readPostgresSecrets(file = POSTGRES_SECRETS_FILE): PostgresSecrets | null {
  if (!existsSync(file)) return null;
  const parsed = parseJsonWith(postgresSecretsSchema, readFileSync(file, "utf8"));
  if (!parsed.ok) throw new StackError(`${file} is not a valid PostgreSQL secrets file: ${parsed.reason}`);
  return parsed.data;
}

export function writePostgresSecrets(secrets: PostgresSecrets, file = POSTGRES_SECRETS_FILE): void {
  ensurePrivateDir(path.dirname(file));
  writePrivateFile(file, `${JSON.stringify(secrets, null, 2)}\n`);
}

function generatePassword(): string {
  // base64url: safe in a URL's userinfo and in a SQL literal as is.
  return randomBytes(24).toString("base64url");
}

/** New random passwords for the four roles; `superuser` is the name initdb gave (or will give) it. */
export function generatePostgresSecrets(superuser: string, runtimeRole = "tickstream_app"): PostgresSecrets {
  const user = (username: string) => ({ username, password: generatePassword() });
  return {
    superuser: user(superuser),
    owner: user("tickstream_owner"),
    app: user(runtimeRole),
    bi: user("tickstream_bi"),
  };
}
