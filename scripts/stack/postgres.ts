import {
  chmodSync,
  chownSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import os from "node:os";
import path from "node:path";

import pg from "pg";

import { hasSqlState, SQL_STATE } from "@/lib/db/sql-state";
import { pollUntil, PollTimeoutError } from "@/lib/retry";

import { CHECKOUT_ID, DATA_DIR, ROOT_DIR } from "./paths";
import { commandExists, isLocalHost, isRoot, logFile, run, say, StackError } from "./proc";

export type PostgresTarget = { host: string; port: number; user: string; password: string; database: string };

export function parseDatabaseUrl(url: string): PostgresTarget {
  const u = new URL(url);
  return {
    host: u.hostname || "127.0.0.1",
    port: Number(u.port || 5432),
    user: decodeURIComponent(u.username || "postgres"),
    password: decodeURIComponent(u.password),
    database: decodeURIComponent(u.pathname.replace(/^\//, "")) || "postgres",
  };
}

type Probe =
  | { state: "ok" }
  | { state: "unreachable"; detail: string }
  | { state: "no-database" }
  /** `code`: the server's SQLSTATE, when it gave one (28P01: wrong password). */
  | { state: "rejected"; code?: string; detail: string };

async function probe(target: PostgresTarget, database = target.database): Promise<Probe> {
  const client = new pg.Client({ ...target, database, connectionTimeoutMillis: 3_000 });
  client.on("error", () => undefined);
  try {
    await client.connect();
    await client.query("select 1");
    return { state: "ok" };
  } catch (error) {
    const e = error as NodeJS.ErrnoException & { code?: string };
    if (hasSqlState(e, SQL_STATE.invalidCatalogName)) return { state: "no-database" };
    if (
      e.code === "ECONNREFUSED" ||
      e.code === "ENOTFOUND" ||
      e.code === "EHOSTUNREACH" ||
      /timeout/i.test(e.message)
    ) {
      return { state: "unreachable", detail: e.message };
    }
    if (hasSqlState(e, SQL_STATE.cannotConnectNow))
      return { state: "unreachable", detail: "the server is starting up" };
    return { state: "rejected", code: e.code, detail: `${e.code ?? ""} ${e.message}`.trim() };
  } finally {
    // The probe's state is decided above; a connection that never opened cannot be closed cleanly.
    await client.end().catch(() => undefined);
  }
}

async function createDatabase(target: PostgresTarget): Promise<void> {
  const client = new pg.Client({ ...target, database: "postgres", connectionTimeoutMillis: 3_000 });
  await client.connect();
  try {
    await client.query(`create database ${pg.escapeIdentifier(target.database)}`);
  } catch (error) {
    if (!hasSqlState(error, SQL_STATE.duplicateDatabase)) throw error; // created concurrently
  } finally {
    await client.end();
  }
}

/**
 * In the private cluster, which this checkout owns, only superusers may connect to the maintenance
 * databases: PUBLIC loses CONNECT on `postgres` and `template1` (a server brought by the user is left
 * as it is). The product's database grants CONNECT to its roles itself (lib/db/migrate.ts).
 */
async function closeMaintenanceDatabases(target: PostgresTarget): Promise<void> {
  const client = new pg.Client({ ...target, database: "postgres", connectionTimeoutMillis: 3_000 });
  await client.connect();
  try {
    await client.query("revoke connect on database postgres from public");
    await client.query("revoke connect on database template1 from public");
  } finally {
    await client.end();
  }
}

/** Directory of initdb/pg_ctl: PG_BIN_DIR, else the newest /usr/lib/postgresql/<v>/bin, else PATH. */
export function findPostgresBinDir(): string {
  const fromEnv = process.env.PG_BIN_DIR;
  if (fromEnv) {
    if (!existsSync(path.join(fromEnv, "pg_ctl")))
      throw new StackError(`PG_BIN_DIR=${fromEnv} has no pg_ctl`);
    return fromEnv;
  }
  const debianRoot = "/usr/lib/postgresql";
  if (existsSync(debianRoot)) {
    const versions = readdirSync(debianRoot)
      .filter((v) => existsSync(path.join(debianRoot, v, "bin", "initdb")))
      .sort((a, b) => Number(b) - Number(a));
    if (versions[0]) return path.join(debianRoot, versions[0], "bin");
  }
  if (commandExists("initdb") && commandExists("pg_ctl")) {
    return path.dirname(run("sh", ["-c", "command -v pg_ctl"]).stdout.trim());
  }
  throw new StackError(
    "PostgreSQL is not reachable at DATABASE_URL and its server binaries (initdb, pg_ctl) are not installed.\n" +
      "  Install them (Debian/Ubuntu: sudo apt-get install postgresql), or set PG_BIN_DIR to their folder,\n" +
      "  or set DATABASE_URL to a PostgreSQL server that is running.",
  );
}

/**
 * util-linux's runuser, which runs initdb and postgres as the `postgres` user when we are root. It lives
 * in /usr/sbin, which a root shell's PATH usually has and a service's or a CI runner's may not.
 */
function findRunuser(): string {
  for (const candidate of ["/usr/sbin/runuser", "/sbin/runuser", "/usr/bin/runuser"]) {
    if (existsSync(candidate)) return candidate;
  }
  if (commandExists("runuser")) return "runuser";
  throw new StackError(
    "running as root, the private PostgreSQL cluster must run as the `postgres` user, and runuser (util-linux) is missing;\n" +
      "  install util-linux, run as another user, or set DATABASE_URL to a running server.",
  );
}

/**
 * Where the private cluster lives: .data/postgres, unless the process is root and the `postgres` user
 * (which initdb and postgres must run as) cannot reach the checkout; then a folder under /var/tmp.
 */
export function getClusterDir(): string {
  const inProject = path.join(DATA_DIR, "postgres");
  if (!isRoot()) return inProject;
  const reachable =
    run("sh", [
      "-c",
      `${findRunuser()} -u postgres -- test -x ${JSON.stringify(DATA_DIR)} -o -x ${JSON.stringify(ROOT_DIR)} && echo yes || echo no`,
    ]).stdout.trim() === "yes";
  return reachable ? inProject : path.join("/var/tmp", `tickstream-${CHECKOUT_ID}`, "postgres");
}

/**
 * The server log: in .data/logs beside the other logs, except when the cluster had to move out of the
 * checkout (see getClusterDir); then beside the cluster, where the `postgres` user can write it.
 */
export function getClusterLogFile(clusterDir: string): string {
  return isClusterOutsideDataDir(clusterDir)
    ? path.join(path.dirname(clusterDir), "postgres.log")
    : logFile("postgres");
}

function asClusterOwner(binDir: string, tool: string, args: string[]): string[] {
  const bin = path.join(binDir, tool);
  return isRoot() ? [findRunuser(), "-u", "postgres", "--", bin, ...args] : [bin, ...args];
}

function runAsOwner(binDir: string, tool: string, args: string[], what: string): void {
  const [command, ...rest] = asClusterOwner(binDir, tool, args);
  // From "/": the cluster owner may not be allowed into the current directory (a checkout under /root).
  run(command!, rest, { what, cwd: "/" });
}

function prepareOwnedDir(dir: string): void {
  mkdirSync(dir, { recursive: true });
  if (isRoot()) {
    const ids = run("id", ["-u", "postgres"]).stdout.trim();
    const gid = run("id", ["-g", "postgres"]).stdout.trim();
    chownSync(dir, Number(ids), Number(gid));
  }
  chmodSync(dir, 0o700);
}

export type PostgresHandle = { startedHere: boolean; clusterDir?: string; binDir?: string };

/**
 * PostgreSQL answered but refused the connection; `wrongPasswordOfPrivateCluster`: the refusal was an
 * authentication failure (SQLSTATE 28P01 or 28000) by this checkout's private cluster (started by this
 * call, or running with its pid file naming the port asked for), not by another server or for a
 * passing reason such as too many connections.
 */
export class ClusterRefusedError extends StackError {
  constructor(
    message: string,
    readonly wrongPasswordOfPrivateCluster: boolean,
  ) {
    super(message);
  }
}

const isAuthenticationFailure = (code: string | undefined) =>
  code === SQL_STATE.invalidPassword || code === SQL_STATE.invalidAuthorization;

/** Whether the private cluster's pid file says it runs on `port` (its fourth line). */
function isPrivateClusterOnPort(port: number): boolean {
  const pidFile = path.join(getClusterDir(), "postmaster.pid");
  if (!existsSync(pidFile)) return false;
  return readFileSync(pidFile, "utf8").split("\n")[3]?.trim() === String(port);
}

/** Whether `clusterDir` lives outside the data folder (see {@link getClusterDir}). */
export function isClusterOutsideDataDir(clusterDir: string): boolean {
  return !clusterDir.startsWith(DATA_DIR + path.sep);
}

/**
 * Moves a private cluster this checkout cannot use out of the way, stopping it first when it runs: the
 * cluster of an earlier checkout at the same path, kept under /var/tmp (see {@link getClusterDir}) when
 * that checkout's folder, and its passwords with it, went away. Renamed, never deleted: its data stays
 * where the message says. Returns the new folder.
 */
export function setAsideCluster(clusterDir: string): string {
  stopPrivatePostgres();
  const aside = `${clusterDir}.orphaned-${new Date().toISOString().replace(/[:.]/g, "-")}`;
  renameSync(clusterDir, aside);
  return aside;
}

/**
 * Makes the database at `url` usable: reuses a reachable server (creating the database if missing);
 * otherwise, for a local address, creates (once) and starts a private cluster with the system's
 * PostgreSQL binaries, owned by the project. Throws a StackError saying what to do when it cannot.
 */
export async function ensurePostgres(url: string): Promise<PostgresHandle> {
  const target = parseDatabaseUrl(url);
  const where = `${target.host}:${target.port}`;
  const first = await probe(target);
  if (first.state === "ok") {
    say(`PostgreSQL: using the server at ${where} (database ${target.database})`);
    return { startedHere: false };
  }
  if (first.state === "no-database") {
    await createDatabase(target);
    say(`PostgreSQL: created database ${target.database} on ${where}`);
    return { startedHere: false };
  }
  if (first.state === "rejected") {
    throw new ClusterRefusedError(
      `PostgreSQL at ${where} refused the connection: ${first.detail}\n  Fix the user/password/database in DATABASE_URL.`,
      isAuthenticationFailure(first.code) && isLocalHost(target.host) && isPrivateClusterOnPort(target.port),
    );
  }
  if (!isLocalHost(target.host)) {
    throw new StackError(
      `PostgreSQL at ${where} is not reachable (${first.detail}); start it or fix DATABASE_URL.`,
    );
  }

  const binDir = findPostgresBinDir();
  const clusterDir = getClusterDir();
  if (!existsSync(path.join(clusterDir, "PG_VERSION"))) {
    say(`PostgreSQL: creating a private cluster in ${clusterDir} (binaries: ${binDir})`);
    rmSync(clusterDir, { recursive: true, force: true });
    prepareOwnedDir(clusterDir);
    // Names the data folder a cluster outside it belongs to, for whoever cleans /var/tmp up (.ci/run).
    if (isClusterOutsideDataDir(clusterDir))
      writeFileSync(path.join(path.dirname(clusterDir), "data-dir"), `${DATA_DIR}\n`);
    const pwFile = path.join(os.tmpdir(), `tickstream-pw-${process.pid}`);
    writeFileSync(pwFile, `${target.password || "tickstream"}\n`, { mode: 0o644 });
    try {
      runAsOwner(
        binDir,
        "initdb",
        [
          "-D",
          clusterDir,
          "-U",
          target.user,
          `--pwfile=${pwFile}`,
          "--auth=scram-sha-256",
          "-E",
          "UTF8",
          "--locale=C.UTF-8",
        ],
        "initdb",
      );
    } finally {
      rmSync(pwFile, { force: true });
    }
  }
  const log = getClusterLogFile(clusterDir);
  mkdirSync(path.dirname(log), { recursive: true });
  if (isRoot()) run("sh", ["-c", `touch ${JSON.stringify(log)} && chown postgres ${JSON.stringify(log)}`]);
  const options = `-p ${target.port} -c listen_addresses=${target.host === "localhost" ? "localhost" : "127.0.0.1"} -c unix_socket_directories='${clusterDir}' -c max_connections=300 -c shared_buffers=256MB`;
  say(`PostgreSQL: starting the private cluster on ${where}`);
  runAsOwner(
    binDir,
    "pg_ctl",
    ["-D", clusterDir, "-l", log, "-o", options, "-w", "-t", "60", "start"],
    `pg_ctl start (server log: ${log})`,
  );

  try {
    // pg_ctl -w has waited for the server to accept connections; this waits out a slow first answer.
    const state = await pollUntil(
      async () => {
        const probed = await probe(target);
        if (probed.state === "rejected") {
          throw new ClusterRefusedError(
            `PostgreSQL: the private cluster on ${where} refused user ${target.user} (${probed.detail}); fix the user or password in DATABASE_URL (the cluster keeps those it was created with)`,
            isAuthenticationFailure(probed.code),
          );
        }
        return probed.state !== "unreachable" && probed;
      },
      { timeoutMs: 30_000, intervalMs: 200, what: `the private cluster on ${where} (server log: ${log})` },
    ).catch((error: unknown) => {
      throw error instanceof PollTimeoutError ? new StackError(error.message) : error;
    });
    if (state.state === "no-database") await createDatabase(target);
    await closeMaintenanceDatabases(target);
  } catch (error) {
    // This call started the cluster: a start that fails here must not leave it running unowned.
    if (stopPrivatePostgres()) say("PostgreSQL: private cluster stopped");
    throw error;
  }
  return { startedHere: true, clusterDir, binDir };
}

/** Stops the private cluster (fast shutdown: running transactions roll back, data is safe). */
export function stopPrivatePostgres(): boolean {
  const clusterDir = getClusterDir();
  if (!existsSync(path.join(clusterDir, "postmaster.pid"))) return false;
  const binDir = findPostgresBinDir();
  runAsOwner(binDir, "pg_ctl", ["-D", clusterDir, "-m", "fast", "-w", "-t", "60", "stop"], "pg_ctl stop");
  return true;
}

/** True when the private cluster of this checkout is running. */
export function isPrivatePostgresRunning(): boolean {
  const clusterDir = getClusterDir();
  if (!existsSync(path.join(clusterDir, "postmaster.pid"))) return false;
  try {
    const [command, ...rest] = asClusterOwner(findPostgresBinDir(), "pg_ctl", ["-D", clusterDir, "status"]);
    run(command!, rest);
    return true;
  } catch {
    return false;
  }
}
