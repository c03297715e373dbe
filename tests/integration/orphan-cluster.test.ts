import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { findFreePort } from "@/scripts/stack/ports";
import { runNode } from "@/tests/support/run-node";

// A clone deleted and cloned again at the same path, as root in a folder the `postgres` user cannot
// enter (CI's layout, and a checkout under /root): the private cluster lived under /var/tmp, outside the
// deleted data folder, with passwords that went with the folder. The new clone must start, and the old
// cluster's data must stay on disk.

/** What `npm start` does to PostgreSQL first; prints the cluster's folder. Leaves the cluster running. */
const BRING_UP = `(async () => {
  const { parseEnv } = await import("./lib/env.ts");
  const { ensureProductPostgres } = await import("./scripts/stack/postgres-roles.ts");
  const { handle } = await ensureProductPostgres(parseEnv(process.env));
  console.log("cluster=" + handle.clusterDir);
})().then(() => process.exit(0), (e) => { console.error(e); process.exit(1); })`;

const STOP = `import("./scripts/stack/postgres.ts").then((m) => { m.stopPrivatePostgres(); process.exit(0); })`;

const ROOT = path.resolve(import.meta.dirname, "../..");

/**
 * Root, in a checkout the `postgres` user cannot enter: only then does the stack put the cluster under
 * /var/tmp (scripts/stack/postgres.ts, getClusterDir); elsewhere this layout is not reachable.
 */
const hasOutsideClusters =
  process.getuid?.() === 0 && spawnSync("runuser", ["-u", "postgres", "--", "test", "-x", ROOT]).status !== 0;

describe.skipIf(!hasOutsideClusters)("a private cluster left by an earlier checkout at the same path", () => {
  let parent: string;
  let dataDir: string;
  let outsideDir: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    parent = mkdtempSync(path.join(os.tmpdir(), "tickstream-orphan-"));
    dataDir = path.join(parent, "data");
    mkdirSync(dataDir);
    // scripts/stack/paths.ts: CHECKOUT_ID of a data folder of its own.
    outsideDir = path.join(
      "/var/tmp",
      `tickstream-${createHash("sha256").update(dataDir).digest("hex").slice(0, 10)}`,
    );
    const port = await findFreePort();
    env = {
      TICKSTREAM_DATA_DIR: dataDir,
      DATABASE_URL: `postgres://tickstream_app@127.0.0.1:${port}/tickstream`,
      DATABASE_OWNER_URL: "",
      BI_READONLY_PASSWORD: "",
    };
  });

  afterAll(async () => {
    if (dataDir) await runNode(["-e", STOP], env);
    if (outsideDir) rmSync(outsideDir, { recursive: true, force: true });
    if (parent) rmSync(parent, { recursive: true, force: true });
  });

  const bringUp = async () => {
    const run = await runNode(["-e", BRING_UP], env);
    expect(run.code, run.output).toBe(0);
    return { output: run.stdout, clusterDir: /cluster=(.*)/.exec(run.stdout)![1]! };
  };
  /** The checkout goes away with its passwords; a new one at the same path starts from nothing. */
  const recloneAtSamePath = () => {
    rmSync(dataDir, { recursive: true, force: true });
    mkdirSync(dataDir);
  };
  const setAside = () => readdirSync(outsideDir).filter((name) => name.startsWith("postgres.orphaned-"));
  const ORPHAN_MESSAGE =
    /the private cluster in \/var\/tmp\/tickstream-[0-9a-f]+\/postgres belongs to an earlier checkout at this path .*moved it to \/var\/tmp\/tickstream-[0-9a-f]+\/postgres\.orphaned-/;

  it("is stopped if it runs, moved aside with a message saying where, and a new one made that later starts keep", async () => {
    const first = await bringUp();
    expect(first.clusterDir).toBe(path.join(outsideDir, "postgres"));

    // Left running by the deleted checkout.
    recloneAtSamePath();
    const second = await bringUp();
    expect(second.output).toMatch(ORPHAN_MESSAGE);
    expect(second.clusterDir).toBe(first.clusterDir);
    expect(setAside()).toHaveLength(1);
    expect(existsSync(path.join(outsideDir, setAside()[0]!, "PG_VERSION"))).toBe(true);
    expect(existsSync(path.join(outsideDir, setAside()[0]!, "postmaster.pid"))).toBe(false);

    // The new cluster is this checkout's: the next start uses it as it is, running or not.
    expect((await bringUp()).output).not.toMatch(/earlier checkout/);
    await runNode(["-e", STOP], env);
    expect((await bringUp()).output).not.toMatch(/earlier checkout/);
    expect(setAside()).toHaveLength(1);

    // Stopped when its checkout went.
    await runNode(["-e", STOP], env);
    recloneAtSamePath();
    expect((await bringUp()).output).toMatch(ORPHAN_MESSAGE);
    expect(setAside()).toHaveLength(2);
  }, 180_000);
});
