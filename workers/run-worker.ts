import { randomUUID } from "node:crypto";
import os from "node:os";

import type { Registry } from "prom-client";

import { closeDb, createDb, type Db } from "@/lib/db/client";
import { deleteHeartbeat, upsertHeartbeat } from "@/lib/db/queries/heartbeats";
import type { WorkerKind, WorkerMetrics } from "@/lib/events/worker-metrics";
import { createLogger, describeError, type Logger } from "@/lib/log";
import { startMetricsServer } from "@/lib/metrics/serve-metrics";

export type ShutdownHook = () => Promise<void> | void;

export type WorkerContext = {
  logger: Logger;
  /** Aborted on the first SIGTERM/SIGINT: loops stop taking new work. */
  signal: AbortSignal;
  /** Registers cleanup; hooks run in reverse order of registration on shutdown. */
  onShutdown: (hook: ShutdownHook) => void;
  /** Stops the process from inside (a consumer that gave up, a port in use) with that exit code. */
  shutdown: (reason: string, exitCode: number) => void;
  workerId: string;
};

export type RunWorkerOptions = {
  /** How long the shutdown hooks may take before the process exits 1 anyway. */
  shutdownTimeoutMs?: number;
  /**
   * Whether an unhandled rejection or uncaught exception shuts the process down (exit 1). The web
   * process says no: Next.js logs errors of route code itself, and one failed request must not stop it.
   */
  shouldExitOnUncaught?: boolean;
};

/**
 * The one lifecycle of the long-running processes (both workers and server.ts). On the first
 * SIGTERM/SIGINT the signal is aborted and the shutdown hooks run, the last registered first: stop
 * fetching, finish or abandon the batch, disconnect, close Socket.IO and the pool; the process then
 * exits 0. A second signal, hooks that take longer than `shutdownTimeoutMs`, or an error that escapes
 * `main` exit non-zero, so that the supervisor restarts the process.
 */
export async function runWorker(
  name: string,
  main: (ctx: WorkerContext) => Promise<void>,
  options: RunWorkerOptions = {},
): Promise<void> {
  const logger = createLogger(name);
  const controller = new AbortController();
  const hooks: ShutdownHook[] = [];
  const workerId = `${name}-${os.hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`;
  const timeoutMs = options.shutdownTimeoutMs ?? 25_000;
  let isShuttingDown = false;

  const shutdown = async (reason: string, exitCode: number) => {
    if (isShuttingDown) {
      logger.warn({ reason }, "second stop request: exiting now");
      process.exit(1);
    }
    isShuttingDown = true;
    logger.info({ reason }, "shutting down");
    controller.abort();
    // Not unref'd: a hook that hangs without holding the event loop open must still end in exit 1.
    setTimeout(() => {
      logger.error({ timeoutMs }, "shutdown took too long: exiting");
      process.exit(1);
    }, timeoutMs);
    for (const hook of hooks.reverse()) {
      try {
        await hook();
      } catch (error) {
        logger.warn({ err: describeError(error) }, "shutdown step failed");
      }
    }
    logger.info("stopped");
    process.exit(exitCode);
  };

  process.on("SIGTERM", () => void shutdown("SIGTERM", 0));
  process.on("SIGINT", () => void shutdown("SIGINT", 0));
  // Started by `npm start` with an IPC channel: if the supervisor dies, stop instead of running orphaned.
  if (process.send) process.on("disconnect", () => void shutdown("supervisor exited", 0));
  if (options.shouldExitOnUncaught ?? true) {
    process.on("unhandledRejection", (error) => {
      logger.fatal({ err: describeError(error), stack: (error as Error)?.stack }, "unhandled rejection");
      void shutdown("unhandled rejection", 1);
    });
    process.on("uncaughtException", (error) => {
      logger.fatal({ err: describeError(error), stack: error.stack }, "uncaught exception");
      void shutdown("uncaught exception", 1);
    });
  }

  try {
    await main({
      logger,
      signal: controller.signal,
      onShutdown: (hook) => hooks.push(hook),
      shutdown: (reason, exitCode) => void shutdown(reason, exitCode),
      workerId,
    });
  } catch (error) {
    logger.fatal({ err: describeError(error), stack: (error as Error)?.stack }, "failed to start");
    await shutdown("start-up failure", 1);
  }
}

/**
 * Writes this worker's heartbeat every `intervalMs` with its current metrics; a database outage only
 * logs (the health page then shows the worker as silent). Returns a function that stops it.
 */
export function startHeartbeat(
  db: Db,
  ctx: Pick<WorkerContext, "logger" | "workerId">,
  kind: WorkerKind,
  intervalMs: number,
  info: () => WorkerMetrics,
): () => Promise<void> {
  const startedAt = Date.now();
  let failing = false;
  const beat = async () => {
    try {
      await upsertHeartbeat(db, {
        workerId: ctx.workerId,
        kind,
        hostname: os.hostname(),
        pid: process.pid,
        startedAt,
        info: info(),
      });
      if (failing) ctx.logger.info("heartbeat restored");
      failing = false;
    } catch (error) {
      if (!failing)
        ctx.logger.warn({ err: describeError(error) }, "heartbeat failed (database unreachable?)");
      failing = true;
    }
  };
  void beat();
  const timer = setInterval(() => void beat(), intervalMs);
  return async () => {
    clearInterval(timer);
    // A heartbeat left behind goes stale, and the health check counts only live ones.
    await deleteHeartbeat(db, ctx.workerId).catch((err: unknown) =>
      ctx.logger.warn({ err: describeError(err) }, "deleting the heartbeat failed"),
    );
  };
}

/**
 * Serves the worker's registry at http://host:port/metrics until shutdown (port 0: no endpoint). A port
 * already in use is logged as an error and the worker runs on without its endpoint: losing metrics must
 * not stop the data from flowing (nor send the supervisor into a restart loop).
 */
export async function serveWorkerMetrics(
  ctx: Pick<WorkerContext, "logger" | "onShutdown">,
  registry: Registry,
  endpoint: { host: string; port: number },
): Promise<void> {
  if (endpoint.port === 0) {
    ctx.logger.info("metrics endpoint off (port 0)");
    return;
  }
  try {
    const server = await startMetricsServer({ registry, ...endpoint, logger: ctx.logger });
    ctx.onShutdown(server.close);
    ctx.logger.info({ url: server.url }, "serving metrics");
  } catch (error) {
    ctx.logger.error(
      { err: describeError(error), ...endpoint },
      "metrics endpoint unavailable (port in use?); running without it",
    );
  }
}

/**
 * The database pool of a long-running process (`tickstream-<name>` in pg_stat_activity), closed by its
 * shutdown hooks. An idle connection that fails only logs: the pool replaces it on the next query.
 */
export function createWorkerDb(
  ctx: Pick<WorkerContext, "logger" | "onShutdown">,
  databaseUrl: string,
  name: string,
  maxConnections = 4,
): Db {
  const db = createDb(databaseUrl, {
    max: maxConnections,
    applicationName: `tickstream-${name}`,
    onPoolError: (error) => ctx.logger.warn({ err: describeError(error) }, "idle database connection failed"),
  });
  ctx.onShutdown(() => closeDb(db));
  return db;
}
