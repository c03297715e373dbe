// When to rebuild: `npm run build` records a hash of every source the build reads in dist/.source-hash;
// `npm start`, the browser tests and the benchmarks rebuild whenever the sources no longer match it, so
// an edit is never tested against a stale bundle.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";

import { ROOT_DIR } from "./paths";
import { StackError } from "./proc";

const BUILD_INPUTS = [
  "app",
  "components",
  "lib",
  "workers",
  "public",
  "server.ts",
  "next.config.ts",
  "package-lock.json",
  "tsconfig.json",
  "postcss.config.mjs",
  // How dist/ is bundled, and the sources of its migration entry point outside the folders above.
  "scripts/build.ts",
  "scripts/db-migrate.ts",
  "scripts/stack/env-file.ts",
  "scripts/stack/paths.ts",
];

export const SOURCE_HASH_FILE = path.join(ROOT_DIR, "dist", ".source-hash");

function isBuildInput(name: string): boolean {
  return !/\.test\.tsx?$/.test(name);
}

/** A hash of everything the build reads (paths and contents; tests excluded). */
export function computeSourceHash(): string {
  const hash = createHash("sha256");
  const walk = (relative: string) => {
    const full = path.join(ROOT_DIR, relative);
    if (!existsSync(full)) return;
    if (statSync(full).isDirectory()) {
      for (const entry of readdirSync(full).sort()) if (isBuildInput(entry)) walk(path.join(relative, entry));
      return;
    }
    hash.update(relative);
    hash.update("\0");
    hash.update(readFileSync(full));
  };
  BUILD_INPUTS.forEach(walk);
  return hash.digest("hex");
}

/** Whether dist/ and .next/ were built from the sources as they are now. */
export function isBuildCurrent(): boolean {
  if (
    !existsSync(path.join(ROOT_DIR, ".next", "BUILD_ID")) ||
    !existsSync(path.join(ROOT_DIR, "dist/server.js"))
  )
    return false;
  return existsSync(SOURCE_HASH_FILE) && readFileSync(SOURCE_HASH_FILE, "utf8") === computeSourceHash();
}

/** Runs `npm run build` unless the build is current; throws when the build fails. */
export function ensureBuilt(onBuild: (message: string) => void = () => {}): void {
  if (isBuildCurrent()) return;
  onBuild("building the web app and the workers (first build, or the sources changed)…");
  const result = spawnSync("npm", ["run", "build", "--silent"], {
    cwd: ROOT_DIR,
    stdio: "inherit",
    env: { ...process.env, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1" },
  });
  if (result.status !== 0) throw new StackError("the build failed (npm run build, see above)");
}
