// `npm run build`: the Next.js app (`next build`), then the Node entrypoints (server.ts and the workers)
// bundled into dist/ with esbuild, dependencies kept external (node_modules) but for drizzle-orm. The
// hash of the sources it read is written last, so that an interrupted build is never taken for a
// current one.
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

import { build } from "esbuild";

import { computeSourceHash, SOURCE_HASH_FILE } from "./stack/build";
import { ROOT_DIR } from "./stack/paths";

// Hashed before building: an edit made during the build leaves the recorded hash stale, not the bundle.
const sourceHash = computeSourceHash();

const next = spawnSync("npx", ["next", "build"], { cwd: ROOT_DIR, stdio: "inherit" });
if (next.status !== 0) process.exit(next.status ?? 1);

/**
 * Packages bundled into dist/ rather than loaded from node_modules. drizzle-orm, loaded from there, had
 * Node's ESM resolver read and parse its 175 KB package.json (an exports map of every module) again and
 * again: a worker took 0.65 CPU s and 370 MB of RSS to load its modules, 0.26 s and 98 MB with it bundled
 * (scripts/bench/stream.ts reports each process's CPU and peak RSS). Every other package stays external.
 */
const BUNDLED_PACKAGES = ["drizzle-orm"];
const manifest = JSON.parse(readFileSync(path.join(ROOT_DIR, "package.json"), "utf8")) as {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};
const external = Object.keys({ ...manifest.dependencies, ...manifest.devDependencies })
  .filter((name) => !BUNDLED_PACKAGES.includes(name))
  .flatMap((name) => [name, `${name}/*`]);

await build({
  entryPoints: {
    server: "server.ts",
    "workers/ingest": "workers/ingest.ts",
    "workers/stream": "workers/stream.ts",
    "scripts/db-migrate": "scripts/db-migrate.ts",
  },
  absWorkingDir: ROOT_DIR,
  outdir: "dist",
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node24",
  external,
  sourcemap: true,
  logLevel: "warning",
});
mkdirSync(path.dirname(SOURCE_HASH_FILE), { recursive: true });
writeFileSync(SOURCE_HASH_FILE, sourceHash);
console.log(
  "[tickstream] bundled dist/server.js, dist/workers/{ingest,stream}.js, dist/scripts/db-migrate.js",
);
