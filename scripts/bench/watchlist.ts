import net from "node:net";

import { chromium } from "@playwright/test";
import pg from "pg";

import { getEnv } from "@/lib/env";
import { tickV1Schema, type TickV1 } from "@/lib/events/tick-v1";
import { createSyntheticWalk } from "@/lib/ingest/synthetic/walk";
import { createKafkaClient, createProducer } from "@/lib/kafka/client";
import { sendJsonBatch } from "@/lib/kafka/messages";
import { createLogger } from "@/lib/log";
import { ensureBuilt } from "@/scripts/stack/build";
import { loadEnvFiles } from "@/scripts/stack/env-file";
import { ensureKafka } from "@/scripts/stack/kafka";
import { getKafkaRoleEnv } from "@/scripts/stack/kafka-credentials";
import { ensureProductPostgres } from "@/scripts/stack/postgres-roles";
import {
  createPipelineTopics,
  createScratchDatabase,
  deleteTopics,
  dropScratchDatabase,
  getProcessGroups,
} from "@/scripts/stack/scratch";
import { CHROMIUM_ARGS, getChromiumPath } from "@/tests/e2e/chromium";
import { spawnProductProcess, stopProcess } from "@/tests/e2e/stack";

const MINUTE = 60_000;
const SYMBOL_COUNT = 500;
/** Bars of the day each symbol has before the page opens (its sparkline). */
const SEED_BARS = 120;
const LIVE_SECONDS = 30;
/** Pages reading the watchlist at the same moment. */
const CONCURRENT_READERS = 20;

/**
 * Injected before the page's own scripts (the product carries no instrumentation): notes when each
 * `watchlist:updated` frame arrives on the WebSocket, per (symbol, last price) it carries, and when a
 * row's last-price cell shows that price, waits for the frame that paints it (next animation frame,
 * then the task after it). It also counts long frames with a requestAnimationFrame loop. A string, not
 * a function, so that no bundler helper leaks into the page.
 */
const PAINT_PROBE = `(() => {
  const now = () => performance.timeOrigin + performance.now();
  const received = new Map();
  const painted = [];
  const frames = { count: 0, dropped: 0, last: 0, running: false };
  window.__watchProbe = { received, painted, frames };
  const NativeWebSocket = window.WebSocket;
  window.WebSocket = new Proxy(NativeWebSocket, {
    construct: (target, args) => {
      const ws = Reflect.construct(target, args);
      ws.addEventListener("message", (e) => {
        if (typeof e.data !== "string" || !e.data.startsWith('42["watchlist:updated"')) return;
        const at = now();
        for (const t of JSON.parse(e.data.slice(2))[1].ticks) {
          const key = t.symbol + "|" + t.last;
          if (!received.has(key)) received.set(key, at);
        }
      });
      return ws;
    },
  });
  new MutationObserver((mutations) => {
    for (const m of mutations) {
      const cell = m.target;
      if (cell.getAttribute("data-testid") !== "watchlist-last") continue;
      const value = cell.getAttribute("data-value");
      if (!value || value === m.oldValue) continue;
      const symbol = cell.closest("[data-symbol]")?.getAttribute("data-symbol");
      requestAnimationFrame(() => setTimeout(() => painted.push({ key: symbol + "|" + value, paintedAt: now() })));
    }
  }).observe(document, { subtree: true, attributes: true, attributeOldValue: true, attributeFilter: ["data-value"] });
  window.__startFrameCount = () => {
    frames.running = true;
    frames.last = performance.now();
    const tick = (t) => {
      if (!frames.running) return;
      const gap = t - frames.last;
      frames.last = t;
      frames.count++;
      // A 60 Hz display shows a frame every 16.7 ms; a longer gap skipped the frames in between.
      frames.dropped += Math.max(0, Math.round(gap / 16.7) - 1);
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  };
})();`;

function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor(s.length * p))]! : Number.NaN;
}
const median = (xs: number[]) => percentile(xs, 0.5);

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

const symbolAt = (i: number) => `W${String(i).padStart(3, "0")}`;

/**
 * Watchlist figures on a product of its own (fresh database and topics, the built web server and
 * stream worker): 500 synthetic symbols with a close yesterday and 120 bars today, then one new bar per
 * symbol per second. Prints the time until the list is drawn, the JavaScript the page loads before its
 * first paint, how long a live update takes from its WebSocket frame to the painted row (p50, p95), and
 * main-thread long tasks and dropped frames per minute while 500 symbols update.
 */
export async function benchWatchlist(): Promise<void> {
  loadEnvFiles();
  const env = getEnv();
  ensureBuilt();
  const { access: database } = await ensureProductPostgres(env);
  const broker = await ensureKafka(env);
  const run = Date.now().toString(36);
  const dbName = `bench_watch_${run}`;
  const url = await createScratchDatabase(database.adminUrl, dbName);
  const topics = { ticks: `bench.${run}.ticks`, kpis: `bench.${run}.kpis`, ticksDlq: `bench.${run}.dlq` };
  const streamGroupId = `bench-${run}`;
  await createPipelineTopics(broker.admin, topics, 3, {
    credentials: broker.credentials,
    groups: getProcessGroups(streamGroupId),
  });
  const kafka = createKafkaClient({
    ...broker.admin,
    clientId: "bench-watch",
    logger: createLogger("bench", "error"),
  });

  // Today's bars end LIVE_SECONDS minutes ago: the live phase adds one minute a second up to the
  // current minute (the stream worker refuses bars dated after the clock).
  const end = Math.floor(Date.now() / MINUTE) * MINUTE - LIVE_SECONDS * MINUTE;
  const first = end - (SEED_BARS - 1) * MINUTE;
  const symbols = Array.from({ length: SYMBOL_COUNT }, (_, i) => symbolAt(i));
  const ticks: TickV1[] = [];
  for (const symbol of symbols) {
    const walk = createSyntheticWalk(1, symbol);
    ticks.push({
      v: 1,
      symbol,
      source: "synthetic",
      producedAt: Date.now(),
      ...walk.barAt(0),
      ts: first - 86_400_000,
    });
    for (let m = 0; m < SEED_BARS; m++)
      ticks.push({
        v: 1,
        symbol,
        source: "synthetic",
        producedAt: Date.now(),
        ...walk.barAt(m + 1),
        ts: first + m * MINUTE,
      });
  }
  const producer = createProducer(kafka, { idempotent: true });
  await producer.connect();
  for (let i = 0; i < ticks.length; i += 10_000) {
    await sendJsonBatch(
      producer,
      topics.ticks,
      tickV1Schema,
      ticks.slice(i, i + 10_000).map((t) => ({ key: t.symbol, value: t })),
    );
  }

  const port = await freePort();
  const productEnv = {
    NODE_ENV: "production",
    NEXT_TELEMETRY_DISABLED: "1",
    LOG_LEVEL: "warn",
    DATABASE_URL: url,
    // The scratch database is the configured server's: the benchmark measures speed, not privileges.
    DATABASE_PRIVILEGE_CHECK: "warn",
    TOPIC_TICKS: topics.ticks,
    TOPIC_KPIS: topics.kpis,
    TOPIC_TICKS_DLQ: topics.ticksDlq,
    STREAM_GROUP_ID: streamGroupId,
    // The benchmark's own producer feeds symbols nobody registered: the stream worker registers them.
    UNKNOWN_SYMBOLS: "register",
    PORT: String(port),
    HOST: "127.0.0.1",
    STREAM_METRICS_PORT: "0",
  };
  const pids = [
    spawnProductProcess("bench-watch-stream", "dist/workers/stream.js", {
      ...productEnv,
      ...getKafkaRoleEnv(broker.credentials, "stream"),
    }),
    spawnProductProcess("bench-watch-web", "dist/server.js", {
      ...productEnv,
      ...getKafkaRoleEnv(broker.credentials, "web"),
    }),
  ];
  const base = `http://127.0.0.1:${port}`;
  try {
    const seedStarted = Date.now();
    const benchDb = new pg.Client({ connectionString: url });
    await benchDb.connect();
    for (;;) {
      const { rows } = await benchDb.query<{ n: string }>("select count(*) as n from fact_prices");
      if (Number(rows[0]?.n) >= ticks.length) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    await benchDb.end();
    const seedSeconds = (Date.now() - seedStarted) / 1000;
    for (;;) {
      try {
        await fetch(`${base}/api/health`);
        break;
      } catch {
        await new Promise((r) => setTimeout(r, 250));
      }
    }
    const apiTimes: number[] = [];
    let apiBytes = 0;
    for (let i = 0; i < 5; i++) {
      const t0 = Date.now();
      const body = await (await fetch(`${base}/api/watchlist`)).text();
      apiTimes.push(Date.now() - t0);
      apiBytes = body.length;
    }
    // Many pages at once (they open together; a backlog sends each back to read): the time until the
    // last of CONCURRENT_READERS simultaneous reads has its answer.
    const concurrentTimes: number[] = [];
    for (let i = 0; i < 3; i++) {
      const t0 = Date.now();
      await Promise.all(
        Array.from({ length: CONCURRENT_READERS }, async () => (await fetch(`${base}/api/watchlist`)).text()),
      );
      concurrentTimes.push(Date.now() - t0);
    }

    const browser = await chromium.launch({ executablePath: getChromiumPath(), args: CHROMIUM_ARGS });
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await page.addInitScript({ content: PAINT_PROBE });
    const renders: number[] = [];
    let cold = 0;
    let coldJs = { encoded: 0, decoded: 0, beforePaint: 0, files: 0 };
    for (let i = 0; i < 6; i++) {
      const t0 = Date.now();
      await page.goto(`${base}/`);
      await page.locator('[data-testid="watchlist-row"]').first().waitFor();
      const elapsed = Date.now() - t0;
      if (i > 0) {
        renders.push(elapsed);
        continue;
      }
      cold = elapsed; // empty browser cache: downloads and compiles the page's JavaScript
      await page.waitForLoadState("load");
      coldJs = await page.evaluate(() => {
        const paint = performance.getEntriesByName("first-contentful-paint")[0]?.startTime ?? Infinity;
        const scripts = performance
          .getEntriesByType("resource")
          .filter(
            (e): e is PerformanceResourceTiming =>
              (e as PerformanceResourceTiming).initiatorType === "script",
          );
        return {
          encoded: scripts.reduce((n, s) => n + s.encodedBodySize, 0),
          decoded: scripts.reduce((n, s) => n + s.decodedBodySize, 0),
          beforePaint: scripts
            .filter((s) => s.responseEnd <= paint)
            .reduce((n, s) => n + s.encodedBodySize, 0),
          files: scripts.length,
        };
      });
    }
    const rowsInDom = await page.locator('[data-testid="watchlist-row"]').count();

    await page.evaluate(() => {
      const w = window as unknown as { __longTasks: number[]; __startFrameCount: () => void };
      w.__longTasks = [];
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) w.__longTasks.push(e.duration);
      }).observe({ type: "longtask", buffered: false });
      w.__startFrameCount();
    });
    const liveStarted = Date.now();
    for (let s = 1; s <= LIVE_SECONDS; s++) {
      const ts = end + s * MINUTE;
      const second = Date.now();
      await sendJsonBatch(
        producer,
        topics.ticks,
        tickV1Schema,
        symbols.map((symbol, i) => {
          // A close of its own per symbol and second, so that each painted price names its update.
          const c = 100 + i / 100 + s / 1000;
          return {
            key: symbol,
            value: {
              v: 1,
              symbol,
              source: "synthetic",
              producedAt: Date.now(),
              ts,
              open: c,
              high: c + 0.5,
              low: c - 0.5,
              close: c,
              volume: 1_000,
            } satisfies TickV1,
          };
        }),
      );
      await page.waitForTimeout(Math.max(0, 1_000 - (Date.now() - second)));
    }
    await page.waitForTimeout(2_000);
    const liveMinutes = (Date.now() - liveStarted) / MINUTE;
    const { probe, longTasks, frames } = await page.evaluate(() => {
      const w = window as unknown as {
        __longTasks: number[];
        __watchProbe: {
          received: Map<string, number>;
          painted: { key: string; paintedAt: number }[];
          frames: { count: number; dropped: number; running: boolean };
        };
      };
      w.__watchProbe.frames.running = false;
      return {
        probe: w.__watchProbe.painted.map((p) => ({
          ...p,
          receivedAt: w.__watchProbe.received.get(p.key) ?? null,
        })),
        longTasks: w.__longTasks,
        frames: w.__watchProbe.frames,
      };
    });
    const latencies = probe.flatMap((p) => (p.receivedAt === null ? [] : [p.paintedAt - p.receivedAt]));
    await browser.close();

    console.log(
      `\nwatchlist benchmark: ${SYMBOL_COUNT} symbols × ${SEED_BARS} bars today (seeded through the stream worker in ${seedSeconds.toFixed(0)} s)`,
    );
    console.log(
      `  GET /api/watchlist: median ${median(apiTimes)} ms, ${(apiBytes / 1024).toFixed(0)} KiB (runs ${apiTimes.join(", ")} ms)`,
    );
    console.log(
      `  ${CONCURRENT_READERS} GET /api/watchlist at once: the last answered after median ${median(concurrentTimes)} ms (runs ${concurrentTimes.join(", ")} ms)`,
    );
    console.log(
      `  first render (navigation → rows drawn): median ${median(renders)} ms warm (runs ${renders.join(", ")} ms); ${cold} ms with an empty cache`,
    );
    console.log(
      `  JavaScript of the first visit: ${coldJs.files} files, ${(coldJs.encoded / 1024).toFixed(0)} KiB transferred (${(coldJs.decoded / 1024).toFixed(0)} KiB uncompressed); ${(coldJs.beforePaint / 1024).toFixed(0)} KiB arrived before the first contentful paint`,
    );
    console.log(`  rows in the DOM: ${rowsInDom} of ${SYMBOL_COUNT} (virtualised)`);
    console.log(
      `  live: ${SYMBOL_COUNT} symbols × 1 bar/s for ${LIVE_SECONDS} s; ${latencies.length} row updates painted in view`,
    );
    console.log(
      `    WebSocket frame received → row painted: p50 ${percentile(latencies, 0.5).toFixed(1)} ms, p95 ${percentile(latencies, 0.95).toFixed(1)} ms, max ${Math.max(0, ...latencies).toFixed(1)} ms  [target p95 ≤ 50 ms]`,
    );
    console.log(
      `    long tasks (> 50 ms): ${(longTasks.length / liveMinutes).toFixed(1)} per minute${longTasks.length ? `, median ${median(longTasks).toFixed(0)} ms, max ${Math.max(...longTasks).toFixed(0)} ms` : ""}`,
    );
    console.log(
      `    frames: ${frames.count} drawn, ${(frames.dropped / liveMinutes).toFixed(0)} dropped per minute (gaps beyond 16.7 ms)`,
    );
  } finally {
    await Promise.all(pids.map((pid) => stopProcess(pid)));
    await producer.disconnect();
    await deleteTopics(kafka, Object.values(topics));
    await dropScratchDatabase(database.adminUrl, dbName);
  }
}
