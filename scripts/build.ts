// `npm run build`: the Next.js app (`next build`), then the Node entrypoints (server.ts and the workers)
// bundled into dist/ with esbuild, dependencies kept external (node_modules). The hash of the sources
// it read is written last, so that an interrupted build is never taken for a current one.
import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";

import { build } from "esbuild";

import { computeSourceHash, SOURCE_HASH_FILE } from "./stack/build";
import { ROOT_DIR } from "./stack/paths";

// Hashed before building: an edit made during the build leaves the recorded hash stale, not the bundle.
const sourceHash = computeSourceHash();

const next = spawnSync("npx", ["next", "build"], { cwd: ROOT_DIR, stdio: "inherit" });
if (next.status !== 0) process.exit(next.status ?? 1);

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
  packages: "external",
  sourcemap: true,
  logLevel: "warning",
});
mkdirSync(path.dirname(SOURCE_HASH_FILE), { recursive: true });
writeFileSync(SOURCE_HASH_FILE, sourceHash);
console.log(
  "[tickstream] bundled dist/server.js, dist/workers/{ingest,stream}.js, dist/scripts/db-migrate.js",
);
