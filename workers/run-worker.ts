import { randomUUID } from "node:crypto";
import os from "node:os";

import type { Db } from "@/lib/db/client";
import { deleteHeartbeat, upsertHeartbeat } from "@/lib/db/queries/heartbeats";
import type { WorkerKind, WorkerMetrics } from "@/lib/events/worker-metrics";
import { createLogger, describeError, type Logger } from "@/lib/log";

export type ShutdownHook = () => Promise<void> | void;

export type WorkerContext = {
  logger: Logger;
  /** Aborted on the first SIGTERM/SIGINT: loops stop taking new work. */
  signal: AbortSignal;
  /** Registers cleanup; hooks run in reverse order of registration on shutdown. */
  onShutdown: (hook: ShutdownHook) => void;
  workerId: string;
};

const SHUTDOWN_TIMEOUT_MS = 25_000;

/**
 * Shared lifecycle of the long-running workers. On the first SIGTERM/SIGINT the signal is aborted and
 * the shutdown hooks run (stop fetching, finish or abandon the batch, disconnect, close the pool); the
 * process then exits 0. A second signal, a hook that hangs past 25 s, or an error that escapes exits
 * non-zero so that the supervisor restarts the worker.
 */
export async function runWorker(name: string, main: (ctx: WorkerContext) => Promise<void>): Promise<void> {
  const logger = createLogger(name);
  const controller = new AbortController();
  const hooks: ShutdownHook[] = [];
  const workerId = `${name}-${os.hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`;
  let shuttingDown = false;

  const shutdown = async (reason: string, code: number) => {
    if (shuttingDown) {
      logger.warn({ reason }, "second stop request: exiting now");
      process.exit(1);
    }
    shuttingDown = true;
    logger.info({ reason }, "shutting down");
    controller.abort();
    const timer = setTimeout(() => {
      logger.error("shutdown took longer than 25 s: exiting");
      process.exit(1);
    }, SHUTDOWN_TIMEOUT_MS);
    timer.unref();
    for (const hook of hooks.reverse()) {
      try {
        await hook();
      } catch (error) {
        logger.warn({ err: describeError(error) }, "shutdown step failed");
      }
    }
    logger.info("stopped");
    process.exit(code);
  };

  process.on("SIGTERM", () => void shutdown("SIGTERM", 0));
  process.on("SIGINT", () => void shutdown("SIGINT", 0));
  // Started by `npm start` with an IPC channel: if the supervisor dies, stop instead of running orphaned.
  if (process.send) process.on("disconnect", () => void shutdown("supervisor exited", 0));
  process.on("unhandledRejection", (error) => {
    logger.fatal({ err: describeError(error), stack: (error as Error)?.stack }, "unhandled rejection");
    void shutdown("unhandled rejection", 1);
  });
  process.on("uncaughtException", (error) => {
    logger.fatal({ err: describeError(error), stack: error.stack }, "uncaught exception");
    void shutdown("uncaught exception", 1);
  });

  try {
    await main({ logger, signal: controller.signal, onShutdown: (hook) => hooks.push(hook), workerId });
  } catch (error) {
    logger.fatal({ err: describeError(error), stack: (error as Error)?.stack }, "worker failed to start");
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
    await deleteHeartbeat(db, ctx.workerId).catch(() => undefined);
  };
}
