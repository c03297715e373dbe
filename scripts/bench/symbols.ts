import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";

import pg from "pg";
import { io as connectSocket } from "socket.io-client";

import { getEnv } from "@/lib/env";
import { createKafkaClient } from "@/lib/kafka/client";
import { createLogger } from "@/lib/log";
import { ensureBuilt } from "@/scripts/stack/build";
import { loadEnvFiles } from "@/scripts/stack/env-file";
import { ensureKafka } from "@/scripts/stack/kafka";
import { getKafkaRoleEnv } from "@/scripts/stack/kafka-credentials";
import { getFreePort } from "@/scripts/stack/proc";
import { ensureProductPostgres } from "@/scripts/stack/postgres-roles";
import {
  createPipelineTopics,
  getProcessGroups,
  createScratchDatabase,
  deleteTopics,
  dropScratchDatabase,
} from "@/scripts/stack/scratch";
import { spawnProductProcess, stopProcess } from "@/tests/e2e/stack";

const SYMBOL_COUNT = 50_000;
const FLOOD_COUNT = 5_000;
const RUNS = 5;

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;

/** Bytes and median response time of `RUNS` reads of `path` (after one warm-up read). */
async function measure(base: string, path: string, headers: Record<string, string> = {}) {
  const read = async () => {
    const startedAt = performance.now();
    const response = await fetch(`${base}${path}`, { headers });
    const body = await response.arrayBuffer();
    if (!response.ok) throw new Error(`${path} answered ${response.status}`);
    return { bytes: body.byteLength, ms: performance.now() - startedAt };
  };
  await read();
  const runs = [];
  for (let i = 0; i < RUNS; i++) runs.push(await read());
  return { bytes: runs[0]!.bytes, ms: median(runs.map((r) => r.ms)) };
}

const readRssMiB = (pid: number) =>
  Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0) / 1024;

/**
 * The symbol lists at the audit's scale (issue 12): 50,000 registered symbols in a database of its own
 * and the built web server. Prints the size and response time of /api/symbols (first page), the
 * dashboard page and /admin, the web process's memory, and how many `symbols:changed` events one
 * browser receives while 5,000 more symbols are registered.
 */
export async function benchSymbols(): Promise<void> {
  loadEnvFiles();
  const env = getEnv();
  ensureBuilt();
  const { access: database } = await ensureProductPostgres(env);
  const broker = await ensureKafka(env);
  const run = Date.now().toString(36);
  const dbName = `bench_symbols_${run}`;
  const url = await createScratchDatabase(database.adminUrl, dbName);
  const topics = { ticks: `bench.${run}.ticks`, kpis: `bench.${run}.kpis`, ticksDlq: `bench.${run}.dlq` };
  await createPipelineTopics(broker.admin, topics, 3, {
    credentials: broker.credentials,
    groups: getProcessGroups(`bench-symbols-${run}`),
  });
  const kafka = createKafkaClient({
    ...broker.admin,
    clientId: "bench-symbols",
    logger: createLogger("bench", "error"),
  });
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  // As the audit's flood registered them: external, active, no name.
  const register = (from: number, count: number, prefix: string) =>
    db.query(
      `insert into symbols (symbol, source, status, status_reason)
       select $3 || lpad(i::text, 6, '0'), 'external', 'active', 'first seen on the ticks topic'
       from generate_series($1::int, $1::int + $2::int - 1) as i`,
      [from, count, prefix],
    );
  await register(0, SYMBOL_COUNT, "X");

  const port = await getFreePort();
  const password = `bench-${randomUUID()}`;
  const productEnv = {
    NODE_ENV: "production",
    NEXT_TELEMETRY_DISABLED: "1",
    LOG_LEVEL: "warn",
    DATABASE_URL: url,
    // The scratch database is the configured server's (a superuser's, on a developer's machine): the
    // benchmark measures speed, not privileges, so a too-powerful role is only logged.
    DATABASE_PRIVILEGE_CHECK: "warn",
    TOPIC_TICKS: topics.ticks,
    TOPIC_KPIS: topics.kpis,
    TOPIC_TICKS_DLQ: topics.ticksDlq,
    PORT: String(port),
    HOST: "127.0.0.1",
    ADMIN_USERNAME: "admin",
    ADMIN_PASSWORD: password,
    SESSION_SECRET: randomUUID() + randomUUID(),
    ...getKafkaRoleEnv(broker.credentials, "web"),
  };
  const pid = spawnProductProcess("bench-symbols-web", "dist/server.js", productEnv);
  const base = `http://127.0.0.1:${port}`;
  try {
    for (;;) {
      try {
        await fetch(`${base}/api/health`);
        break;
      } catch {
        await new Promise((r) => setTimeout(r, 250));
      }
    }
    const signIn = await fetch(`${base}/api/admin/session`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: base, "sec-fetch-site": "same-origin" },
      body: JSON.stringify({ username: "admin", password }),
    });
    const cookie = (signIn.headers.get("set-cookie") ?? "").split(";")[0] ?? "";

    const api = await measure(base, "/api/symbols");
    const search = await measure(base, "/api/symbols?q=x0499&limit=50");
    const dashboard = await measure(base, "/");
    const admin = await measure(base, "/admin", { cookie });
    const adminApi = await measure(base, "/api/admin/symbols", { cookie });

    // One browser's view of a flood: 5,000 registrations in 50 statements as fast as they go.
    const browser = connectSocket(base, { transports: ["websocket"] });
    await new Promise<void>((resolve) => browser.on("connect", resolve));
    const events: { changes: unknown[]; isReloadNeeded: boolean }[] = [];
    browser.on("symbols:changed", (delta: { changes: unknown[]; isReloadNeeded: boolean }) =>
      events.push(delta),
    );
    const floodStart = performance.now();
    for (let i = 0; i < FLOOD_COUNT; i += 100) await register(SYMBOL_COUNT + i, 100, "X");
    const floodMs = performance.now() - floodStart;
    await new Promise((r) => setTimeout(r, 2_000));
    browser.close();

    console.log(
      `\nSymbol lists with ${SYMBOL_COUNT.toLocaleString("en-US")} registered symbols (median of ${RUNS} reads)`,
    );
    console.log(`  GET /api/symbols (first page of 100):   ${kib(api.bytes)}, ${api.ms.toFixed(0)} ms`);
    console.log(`  GET /api/symbols?q=x0499&limit=50:      ${kib(search.bytes)}, ${search.ms.toFixed(0)} ms`);
    console.log(
      `  GET /api/admin/symbols (first page):    ${kib(adminApi.bytes)}, ${adminApi.ms.toFixed(0)} ms`,
    );
    console.log(
      `  GET / (dashboard HTML):                 ${kib(dashboard.bytes)}, ${dashboard.ms.toFixed(0)} ms`,
    );
    console.log(`  GET /admin (signed in, HTML):           ${kib(admin.bytes)}, ${admin.ms.toFixed(0)} ms`);
    console.log(`  web process RSS after these reads:      ${readRssMiB(pid).toFixed(0)} MiB`);
    console.log(
      `  flood: ${FLOOD_COUNT.toLocaleString("en-US")} new symbols in ${floodMs.toFixed(0)} ms → ${events.length} symbols:changed events to one browser (${events.filter((e) => e.isReloadNeeded).length} reload hints, ${events.reduce((n, e) => n + e.changes.length, 0)} changes carried)`,
    );
  } finally {
    await db.end();
    await stopProcess(pid);
    await deleteTopics(kafka, Object.values(topics));
    await dropScratchDatabase(database.adminUrl, dbName);
  }
}
