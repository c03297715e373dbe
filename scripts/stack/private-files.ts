import { chmodSync, chownSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import path from "node:path";

import { DATA_DIR, LOG_DIR, RUN_DIR } from "./paths";
import { isRoot, run, say } from "./proc";

/**
 * Creates `dir` (and missing parents) and makes it private: 0700. With `traversableByGid`, members of
 * that group may pass through it but not list it (0710): the `postgres` user must reach its cluster
 * and log under .data when we run as root.
 */
export function ensurePrivateDir(dir: string, traversableByGid?: number): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (traversableByGid === undefined) chmodSync(dir, 0o700);
  else {
    chownSync(dir, 0, traversableByGid);
    chmodSync(dir, 0o710);
  }
}

/** Writes a file only its owner may read or write (0600), also when it already existed. */
export function writePrivateFile(file: string, text: string): void {
  writeFileSync(file, text, { mode: 0o600 });
  chmodSync(file, 0o600);
}

/** The `postgres` group's id when we are root and that user exists (the private cluster runs as it). */
function getPostgresGidWhenRoot(): number | undefined {
  if (!isRoot()) return undefined;
  try {
    return Number(run("id", ["-g", "postgres"]).stdout.trim());
  } catch {
    // No postgres user: no private cluster can run as it, so nothing needs to traverse .data.
    return undefined;
  }
}

/**
 * Makes .data private on every start, including installs made before it was: broker data, logs,
 * pid files and secrets are the owner's alone (directories 0700, files directly in them 0600).
 */
export function securePrivateDataDir(): void {
  const postgresGid = getPostgresGidWhenRoot();
  ensurePrivateDir(DATA_DIR, postgresGid);
  ensurePrivateDir(LOG_DIR, postgresGid);
  ensurePrivateDir(RUN_DIR);
  for (const entry of readdirSync(DATA_DIR, { withFileTypes: true }))
    if (entry.isDirectory() && entry.name !== "logs") chmodSync(path.join(DATA_DIR, entry.name), 0o700);
  for (const dir of [DATA_DIR, LOG_DIR, RUN_DIR]) {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (!entry.isFile()) continue;
      try {
        chmodSync(path.join(dir, entry.name), 0o600);
      } catch (error) {
        // A file someone else owns (copied in by hand) stays as it is; the directory still hides it.
        say(`could not make ${path.join(dir, entry.name)} private: ${(error as Error).message}`);
      }
    }
  }
}
