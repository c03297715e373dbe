import { test as base, expect } from "@playwright/test";
import pg from "pg";

import { tickV1Schema, type TickV1 } from "@/lib/events/tick-v1";
import { createKafkaClient, createProducer, type Producer } from "@/lib/kafka/client";
import { sendJsonBatch } from "@/lib/kafka/messages";
import { createLogger } from "@/lib/log";
import { pollUntil } from "@/lib/retry";

import { readE2eState, spawnProductProcess, stopProcess, type E2eState } from "./stack";
import { findFreePort } from "@/scripts/stack/ports";

async function waitForHttp(url: string, timeoutMs = 60_000): Promise<void> {
  await pollUntil(
    async () => {
      await fetch(url);
      return true;
    },
    {
      timeoutMs,
      intervalMs: 250,
      what: `${url} to answer`,
      // fetch rejects with a TypeError while nothing listens yet.
      isRetriable: (error) => error instanceof TypeError,
    },
  );
}

/** The running product for one test worker: a web server it can restart, and a deterministic producer. */
export type App = {
  baseURL: string;
  state: E2eState;
  /** Stops the web server (SIGTERM, like a deploy), runs `whileDown`, and starts it again. */
  restartWeb: (whileDown?: () => Promise<void>) => Promise<void>;
  /**
   * Produces bars to the run's ticks topic, keyed by symbol, as an outside feed would: its symbol is
   * registered first (as an operator registers a feed), since the stream worker dead-letters the
   * events of unregistered symbols.
   */
  produceBars: (
    symbol: string,
    bars: Omit<TickV1, "v" | "symbol" | "source" | "producedAt">[],
  ) => Promise<void>;
  query: <T extends pg.QueryResultRow>(text: string, values?: unknown[]) => Promise<T[]>;
};

export const test = base.extend<{ app: App }, { appWorker: App }>({
  appWorker: [
    async ({}, use) => {
      const state = readE2eState();
      const port = await findFreePort();
      const baseURL = `http://127.0.0.1:${port}`;
      const env = {
        ...state.env,
        ...state.kafkaEnv.web,
        PORT: String(port),
        HOST: "127.0.0.1",
        PUBLIC_URL: baseURL,
      };
      let pid = spawnProductProcess("web", "dist/server.js", env);
      await waitForHttp(`${baseURL}/api/health`);
      const kafka = createKafkaClient({
        ...state.kafkaAdmin,
        clientId: "e2e-producer",
        logger: createLogger("e2e", "silent"),
      });
      const producer: Producer = createProducer(kafka, { idempotent: true });
      await producer.connect();
      const pool = new pg.Pool({ connectionString: state.databaseUrl, max: 2 });
      const app: App = {
        baseURL,
        state,
        async restartWeb(whileDown) {
          await stopProcess(pid);
          await whileDown?.();
          pid = spawnProductProcess("web", "dist/server.js", env);
          await waitForHttp(`${baseURL}/api/health`);
        },
        async produceBars(symbol, bars) {
          await pool.query(
            "insert into symbols (symbol, source, status) values ($1, 'external', 'active') on conflict (symbol) do nothing",
            [symbol],
          );
          const now = Date.now();
          await sendJsonBatch(
            producer,
            state.topics.ticks,
            tickV1Schema,
            bars.map((b) => ({
              key: symbol,
              value: { v: 1, symbol, source: "synthetic", producedAt: now, ...b } satisfies TickV1,
            })),
          );
        },
        query: async <T extends pg.QueryResultRow>(text: string, values?: unknown[]) =>
          (await pool.query<T>(text, values)).rows,
      };
      await use(app);
      await producer.disconnect();
      await pool.end();
      await stopProcess(pid);
    },
    { scope: "worker", timeout: 120_000 },
  ],
  app: async ({ appWorker }, use) => use(appWorker),
  baseURL: async ({ appWorker }, use) => use(appWorker.baseURL),
});

export { expect };

/** Waits (20 s at most) until PostgreSQL holds exactly `count` bars of `symbol`. */
export async function expectStoredBars(app: App, symbol: string, count: number): Promise<void> {
  await expect
    .poll(async () => (await app.query("select 1 from fact_prices where symbol = $1", [symbol])).length, {
      timeout: 20_000,
    })
    .toBe(count);
}
