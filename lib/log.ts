import { pino, type Logger as PinoLogger } from "pino";

export type Logger = PinoLogger;

/**
 * One structured JSON logger per process (`name` = the process: web, ingest, stream, stack). Child
 * scopes carry context such as `{ worker, topic, partition }`. Pretty output is left to the reader
 * (`| npx pino-pretty`), so the process never spawns a transport thread.
 */
export function createLogger(name: string, level: string = process.env.LOG_LEVEL ?? "info"): Logger {
  return pino({
    name,
    level,
    base: { pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
  });
}

/**
 * The message of an unknown thrown value, for log lines and client-safe summaries. drizzle wraps a
 * failed query as "Failed query: <sql>\nparams: <values>" with the driver's error as its cause: the
 * cause (connection refused, a constraint) is what a reader needs, on one line, without the values.
 */
export function describeError(error: unknown): string {
  if (error instanceof Error && error.message.startsWith("Failed query:") && error.cause instanceof Error)
    return `query failed: ${describeError(error.cause)}`;
  if (error instanceof Error) return error.message || error.name;
  return typeof error === "string" ? error : JSON.stringify(error);
}
