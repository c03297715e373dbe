// Bundles the Node entrypoints (server.ts and the workers) into dist/ with esbuild; dependencies stay
// external (node_modules). `npm run build` runs it after `next build`.
import { build } from "esbuild";

await build({
  entryPoints: {
    server: "server.ts",
    "workers/ingest": "workers/ingest.ts",
    "workers/stream": "workers/stream.ts",
    "scripts/db-migrate": "scripts/db-migrate.ts",
  },
  outdir: "dist",
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node24",
  packages: "external",
  sourcemap: true,
  logLevel: "warning",
});
console.log(
  "[tickstream] bundled dist/server.js, dist/workers/{ingest,stream}.js, dist/scripts/db-migrate.js",
);
