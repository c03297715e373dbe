import { chromium, type Page } from "@playwright/test";
import pg from "pg";

import { DAILY_HISTORY_DAYS } from "@/components/kpi/daily-history";
import { getEnv } from "@/lib/env";
import { tickV1Schema, type TickV1 } from "@/lib/events/tick-v1";
import { loadRecordedBars } from "@/lib/ingest/replay/recorded-bars";
import { createSyntheticWalk } from "@/lib/ingest/synthetic/walk";
import { createKafkaClient, createProducer } from "@/lib/kafka/client";
import { sendJsonBatch } from "@/lib/kafka/messages";
import { createLogger } from "@/lib/log";
import { ensureBuilt } from "@/scripts/stack/build";
import { loadEnvFiles } from "@/scripts/stack/env-file";
import { ensureKafka } from "@/scripts/stack/kafka";
import { getKafkaRoleEnv } from "@/scripts/stack/kafka-credentials";
import { findFreePort } from "@/scripts/stack/ports";
import { ensureProductPostgres } from "@/scripts/stack/postgres-roles";
import {
  createPipelineTopics,
  getProcessGroups,
  createScratchDatabase,
  deleteTopics,
  dropScratchDatabase,
} from "@/scripts/stack/scratch";
import { CHROMIUM_ARGS, getChromiumPath } from "@/tests/e2e/chromium";
import { spawnProductProcess, stopProcess } from "@/tests/e2e/stack";

const MINUTE = 60_000;

/**
 * Today's figures, printed beside a run's: the dashboard before issue 15 (`/?symbol=AAPL`, commit
 * 79e93b1 built, BENCH_DASHBOARD_PATH='/?symbol=AAPL&range=session'), run back to back with the
 * symbol page on the same machine (2 cores, load ≈ 5) on 2026-11-30.
 */
const TODAY =
  "before issue 15: warm median 760 ms, empty cache 1625 ms, first-paint JS 1086 kB (321 kB transferred), live frame → paint median 81.7 ms, p95 172.9 ms";
const LIVE_SECONDS = 20;
const SYMBOL_COUNT = 20;
const WATCHED = "AAPL";
/** Pages reading the watched symbol's session again at the same moment (a reconnect, a cut update). */
const RELOADING_PAGES = 100;

/** What the paint probe found for one bar of the watched symbol (wall-clock ms). */
type PaintRecord = { ts: number; receivedAt: number | null; paintedAt: number };

/**
 * Injected into the page before its own scripts, so the product carries no instrumentation: it notes
 * when each `symbol:updated` frame of the watched symbol arrives on the WebSocket (listening before
 * socket.io does), and when the price chart's newest bar (`data-last-ts`) changes, it waits for the
 * frame that paints it (next animation frame, then the task after it) and records that time.
 * A string, not a function, so that no bundler helper leaks into the page.
 */
const PAINT_PROBE = `(() => {
  const watched = ${JSON.stringify(WATCHED)};
  const now = () => performance.timeOrigin + performance.now();
  const received = new Map();
  const painted = [];
  window.__paintProbe = { received, painted };
  const NativeWebSocket = window.WebSocket;
  window.WebSocket = new Proxy(NativeWebSocket, {
    construct: (target, args) => {
      const ws = Reflect.construct(target, args);
      ws.addEventListener("message", (e) => {
        if (typeof e.data !== "string" || !e.data.startsWith('42["symbol:updated"')) return;
        const at = now();
        const update = JSON.parse(e.data.slice(2))[1];
        if (update.symbol !== watched) return;
        for (const bar of update.bars) if (!received.has(bar.ts)) received.set(bar.ts, at);
      });
      return ws;
    },
  });
  new MutationObserver((mutations) => {
    for (const m of mutations) {
      const value = m.target.getAttribute("data-last-ts");
      if (!value || value === m.oldValue || m.target.getAttribute("data-testid") !== "price-chart") continue;
      const ts = Number(value);
      requestAnimationFrame(() => setTimeout(() => painted.push({ ts, paintedAt: now() })));
    }
  }).observe(document, { subtree: true, attributes: true, attributeOldValue: true, attributeFilter: ["data-last-ts"] });
})();`;

function median(xs: number[]): number {
  return quantile(xs, 0.5);
}

/** Nearest-rank quantile (0–1); NaN when empty. */
function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.max(0, Math.ceil(q * s.length) - 1)]! : Number.NaN;
}

/**
 * The chart is drawn: a price line (today's chart, and line mode) or the candles' paths (the
 * symbol page's default mode), so one selector measures the page before and after issue 15.
 */
const CHART_DRAWN =
  '[data-testid="price-chart"] .recharts-line path, [data-testid="price-chart"] [data-testid="candles"] path';

type ScriptWeight = { files: number; bytes: number; transferred: number };

/**
 * JavaScript of a cold visit: what the server's HTML loads (every <script src>: the first paint cannot
 * happen before it has run, since it hydrates the page), and everything loaded until the chart was
 * drawn (the first paint's plus the chunks loaded later, such as a chart split out with next/dynamic).
 * Sizes as decoded (what the browser parses) and as transferred (compressed, headers excluded).
 */
async function weighScripts(
  page: Page,
  html: string,
): Promise<{ firstPaintJs: ScriptWeight; chartJs: ScriptWeight }> {
  const inHtml = new Set([...html.matchAll(/<script[^>]+src="([^"]+\.js[^"]*)"/g)].map((m) => m[1]!));
  const entries = await page.evaluate(() =>
    (performance.getEntriesByType("resource") as PerformanceResourceTiming[])
      .filter((e) => new URL(e.name).pathname.endsWith(".js"))
      .map((e) => ({
        path: new URL(e.name).pathname + new URL(e.name).search,
        bytes: e.decodedBodySize,
        transferred: e.encodedBodySize,
      })),
  );
  const sum = (list: typeof entries): ScriptWeight => ({
    files: list.length,
    bytes: list.reduce((n, e) => n + e.bytes, 0),
    transferred: list.reduce((n, e) => n + e.transferred, 0),
  });
  return { firstPaintJs: sum(entries.filter((e) => inHtml.has(e.path))), chartJs: sum(entries) };
}

const formatKb = (w: ScriptWeight | null) =>
  w
    ? `${(w.bytes / 1024).toFixed(0)} kB in ${w.files} files (${(w.transferred / 1024).toFixed(0)} kB transferred)`
    : "n/a";

/**
 * Dashboard figures on a product of its own (fresh database and topics, the built web server and
 * stream worker): 20 symbols with a full recorded session (390 bars) each, then one live bar per symbol
 * per second. Prints the time until the session's chart is drawn, how long a live bar takes to be
 * painted in the chart (from its WebSocket frame, and from its publication to Kafka), and main-thread
 * long tasks (jank) while they arrive.
 */
export async function benchDashboard(): Promise<void> {
  loadEnvFiles();
  const env = getEnv();
  ensureBuilt();
  const { access: database } = await ensureProductPostgres(env);
  const broker = await ensureKafka(env);
  const run = Date.now().toString(36);
  const dbName = `bench_dash_${run}`;
  const url = await createScratchDatabase(database.adminUrl, dbName);
  const topics = { ticks: `bench.${run}.ticks`, kpis: `bench.${run}.kpis`, ticksDlq: `bench.${run}.dlq` };
  const streamGroupId = `bench-${run}`;
  await createPipelineTopics(broker.admin, topics, 3, {
    credentials: broker.credentials,
    groups: getProcessGroups(streamGroupId),
  });
  const kafka = createKafkaClient({
    ...broker.admin,
    clientId: "bench-dash",
    logger: createLogger("bench", "error"),
  });

  // A full recorded session for the 9 real symbols plus synthetic ones, ending LIVE_SECONDS minutes ago:
  // the live phase then adds one minute a second up to the current minute (the stream worker refuses
  // bars dated after the clock).
  const recorded = loadRecordedBars("data/minute-bars");
  const day = "2026-03-13";
  const end = Math.floor(Date.now() / MINUTE) * MINUTE - LIVE_SECONDS * MINUTE;
  const firstTs = Date.parse(`${day}T13:30:00Z`);
  const shift = end - 389 * MINUTE - firstTs;
  const symbols = [
    ...recorded.keys(),
    ...Array.from({ length: SYMBOL_COUNT - recorded.size }, (_, i) => `SYN${i}`),
  ];
  const walks = new Map(symbols.map((s) => [s, createSyntheticWalk(1, s)]));
  const ticks: TickV1[] = [];
  for (const symbol of symbols) {
    const bars =
      recorded.get(symbol)?.filter((b) => new Date(b.ts).toISOString().startsWith(day)) ??
      Array.from({ length: 390 }, (_, m) => ({ ...walks.get(symbol)!.barAt(m), ts: firstTs + m * MINUTE }));
    for (const b of bars)
      ticks.push({ v: 1, symbol, source: "synthetic", producedAt: Date.now(), ...b, ts: b.ts + shift });
  }
  const producer = createProducer(kafka, { idempotent: true });
  await producer.connect();
  await sendJsonBatch(
    producer,
    topics.ticks,
    tickV1Schema,
    ticks.map((t) => ({ key: t.symbol, value: t })),
  );

  const port = await findFreePort();
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
    STREAM_GROUP_ID: streamGroupId,
    // The benchmark's own producer feeds symbols nobody registered: the stream worker registers them.
    UNKNOWN_SYMBOLS: "register",
    PORT: String(port),
    HOST: "127.0.0.1",
    STREAM_METRICS_PORT: "0",
  };
  const pids = [
    spawnProductProcess("bench-stream", "dist/workers/stream.js", {
      ...productEnv,
      ...getKafkaRoleEnv(broker.credentials, "stream"),
    }),
    spawnProductProcess("bench-web", "dist/server.js", {
      ...productEnv,
      ...getKafkaRoleEnv(broker.credentials, "web"),
    }),
  ];
  const base = `http://127.0.0.1:${port}`;
  try {
    const benchDb = new pg.Client({ connectionString: url });
    await benchDb.connect();
    for (;;) {
      const { rows } = await benchDb.query<{ n: string }>("select count(*) as n from fact_prices");
      if (Number(rows[0]?.n) >= ticks.length) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    await benchDb.end();
    for (;;) {
      try {
        await fetch(`${base}/api/health`);
        break;
      } catch {
        await new Promise((r) => setTimeout(r, 250));
      }
    }

    // A wave of pages re-reading the watched symbol at once, each with the page's three reads: the time
    // until the last of them has its answer.
    const pageReads = [
      `/api/prices?symbol=${WATCHED}&range=session`,
      `/api/snapshot?symbol=${WATCHED}`,
      `/api/daily?symbol=${WATCHED}&days=${DAILY_HISTORY_DAYS}`,
    ];
    const waves: number[] = [];
    for (let i = 0; i < 3; i++) {
      const t0 = Date.now();
      await Promise.all(
        Array.from({ length: RELOADING_PAGES }, () =>
          Promise.all(pageReads.map(async (path) => (await fetch(`${base}${path}`)).text())),
        ),
      );
      waves.push(Date.now() - t0);
    }

    const browser = await chromium.launch({ executablePath: getChromiumPath(), args: CHROMIUM_ARGS });
    // BENCH_DASHBOARD_PATH=/?symbol=AAPL&range=session measures a build from before the symbol page
    // (issue 15), for the figures of today beside the new ones.
    const pageUrl = `${base}${process.env.BENCH_DASHBOARD_PATH ?? `/symbol/${WATCHED}?range=session`}`;
    // Cold visits: a browser context of their own each, so the cache is empty and every script is
    // downloaded and compiled; the first one also weighs the JavaScript the first paint needs.
    const colds: number[] = [];
    let firstPaintJs: ScriptWeight | null = null;
    let chartJs: ScriptWeight | null = null;
    for (let i = 0; i < 3; i++) {
      const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
      const coldPage = await context.newPage();
      const t0 = Date.now();
      const response = await coldPage.goto(pageUrl);
      await coldPage.locator(CHART_DRAWN).first().waitFor();
      colds.push(Date.now() - t0);
      if (i === 0) {
        const html = (await response?.text()) ?? "";
        ({ firstPaintJs, chartJs } = await weighScripts(coldPage, html));
      }
      await context.close();
    }
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await page.addInitScript({ content: PAINT_PROBE });
    const renders: number[] = [];
    const ttfbs: number[] = [];
    let points = 0;
    for (let i = 0; i < 6; i++) {
      const t0 = Date.now();
      await page.goto(pageUrl);
      await page.locator(CHART_DRAWN).first().waitFor();
      const elapsed = Date.now() - t0;
      // The first visit of this context fills its cache; the warm figures are the following ones.
      if (i === 0) continue;
      renders.push(elapsed);
      ttfbs.push(
        await page.evaluate(() =>
          Math.round(
            (performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming).responseStart,
          ),
        ),
      );
      points = Number(await page.getByTestId("price-chart").getAttribute("data-points"));
    }

    await page.evaluate(() => {
      const w = window as unknown as { __longTasks: number[] };
      w.__longTasks = [];
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) w.__longTasks.push(e.duration);
      }).observe({ type: "longtask", buffered: false });
    });
    // One new bar per symbol per second, for all 20 symbols.
    const publishedAt = new Map<number, number>();
    for (let s = 1; s <= LIVE_SECONDS; s++) {
      const ts = end + s * MINUTE;
      publishedAt.set(ts, Date.now());
      await sendJsonBatch(
        producer,
        topics.ticks,
        tickV1Schema,
        symbols.map((symbol) => {
          const c = 100 + Math.sin(s + symbol.length) * 2;
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
      await page.waitForTimeout(1_000);
    }
    await page.waitForTimeout(1_500);
    const { probe, longTasks } = await page.evaluate(() => {
      const w = window as unknown as {
        __longTasks: number[];
        __paintProbe: { received: Map<number, number>; painted: { ts: number; paintedAt: number }[] };
      };
      return {
        probe: w.__paintProbe.painted.map((p) => ({
          ...p,
          receivedAt: w.__paintProbe.received.get(p.ts) ?? null,
        })),
        longTasks: w.__longTasks,
      };
    });
    // The first paint of each bar this run published (a later paint of the same ts is a revision).
    const firsts = new Map<number, PaintRecord>();
    for (const p of probe as PaintRecord[])
      if (publishedAt.has(p.ts) && !firsts.has(p.ts)) firsts.set(p.ts, p);
    const endToEnd = [...firsts.values()].map((p) => p.paintedAt - publishedAt.get(p.ts)!);
    const receiptToPaint = [...firsts.values()].flatMap((p) =>
      p.receivedAt === null ? [] : [p.paintedAt - p.receivedAt],
    );
    await browser.close();

    console.log(
      `\ndashboard benchmark: ${SYMBOL_COUNT} symbols, AAPL's full session (${points} points × 3 series + volume)`,
    );
    console.log(
      `  first render (navigation → chart drawn), warm cache: median ${median(renders)} ms; runs ${renders.join(", ")} ms  [target ≤ 1000 ms]`,
    );
    console.log(
      `    empty browser cache: median ${median(colds)} ms; runs ${colds.join(", ")} ms  [target ≤ 1500 ms]`,
    );
    console.log(
      `  ${RELOADING_PAGES} pages re-reading ${WATCHED} at once (${pageReads.length} reads each): the last answered after median ${median(waves)} ms (runs ${waves.join(", ")} ms)`,
    );
    console.log(`  JavaScript before first paint (the HTML's scripts): ${formatKb(firstPaintJs)}`);
    console.log(`    JavaScript loaded until the chart is drawn: ${formatKb(chartJs)}`);
    console.log(`    of which server response (TTFB): median ${median(ttfbs)} ms`);
    console.log(
      `  live: ${SYMBOL_COUNT} symbols × 1 bar/s for ${LIVE_SECONDS} s; ${firsts.size} of ${WATCHED}'s ${LIVE_SECONDS} new bars painted in its chart (measured from outside the page)`,
    );
    console.log(
      `    WebSocket frame received → chart painted: median ${median(receiptToPaint).toFixed(1)} ms, p95 ${quantile(receiptToPaint, 0.95).toFixed(1)} ms, max ${Math.max(0, ...receiptToPaint).toFixed(1)} ms  [target p95 ≤ 50 ms]`,
    );
    console.log(
      `    tick published to Kafka → chart painted (stream worker, PostgreSQL, web relay included): median ${median(endToEnd).toFixed(0)} ms, max ${Math.max(0, ...endToEnd).toFixed(0)} ms`,
    );
    console.log(`  compare with ${TODAY}`);
    console.log(
      `    long tasks (> 50 ms) on the main thread: ${longTasks.length}${longTasks.length ? `, median ${median(longTasks).toFixed(0)} ms, max ${Math.max(...longTasks).toFixed(0)} ms` : ""}`,
    );
  } finally {
    await Promise.all(pids.map((pid) => stopProcess(pid)));
    await producer.disconnect();
    await deleteTopics(kafka, Object.values(topics));
    await dropScratchDatabase(database.adminUrl, dbName);
  }
}
