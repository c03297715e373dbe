// Web entrypoint: one http.Server for Next.js and Socket.IO. `npm run dev` runs it with tsx (Next in dev
// mode); `npm run start:web` runs the bundled build (dist/server.js) in production mode.
import { createServer } from "node:http";
import os from "node:os";

import next from "next";

import { readSymbolSummaries } from "@/lib/api/symbol-summary";
import { getAlertViewsByIds } from "@/lib/db/queries/alert-views";
import { ALERT_EVENTS_CHANGED_CHANNEL, alertEventsChangedSchema } from "@/lib/events/api-alerts";
import { getEnv } from "@/lib/env";
import { listenForNotifications } from "@/lib/db/listen";
import { checkRuntimePrivileges } from "@/lib/db/runtime-privileges";
import { SYMBOLS_CHANGED_CHANNEL, symbolsChangedSchema } from "@/lib/events/symbols-changed";
import { workerKindSchema } from "@/lib/events/worker-metrics";
import { createPipelineMonitor } from "@/lib/health/pipeline-monitor";
import { setPipelineMonitor } from "@/lib/health/monitor-registry";
import { createAdmin, createConsumer, createKafkaClient } from "@/lib/kafka/client";
import { answerDisallowedMethod } from "@/lib/http/allowed-methods";
import { createTrustedProxies } from "@/lib/http/forwarded-headers";
import { getRequestPathname, prepareHeaders, prepareRequest } from "@/lib/http/prepare-request";
import { getKafkaConnection } from "@/lib/kafka/connection";
import { deleteConsumerGroups, WEB_GROUP_PREFIX } from "@/lib/kafka/consumer-groups";
import { listMoversWindows } from "@/lib/kpi/movers-window";
import { describeError } from "@/lib/log";
import { getWebMetrics } from "@/lib/metrics/web-metrics";
import { attachRealtime } from "@/lib/realtime/server";
import { setRealtimeStats } from "@/lib/realtime/stats";
import { createAlertsRelay } from "@/lib/realtime/alerts-relay";
import { createSymbolsRelay } from "@/lib/realtime/symbols-relay";
import { createWatchlistRelay } from "@/lib/realtime/watchlist-relay";
import { toWatchlistTick } from "@/lib/kpi/watchlist-row";
import { createWorkerDb, runWorker } from "@/workers/run-worker";

const SHUTDOWN_TIMEOUT_MS = 10_000;
/** Symbol changes are gathered this long before one `symbols:changed` event goes to the browsers. */
const SYMBOLS_DELTA_INTERVAL_MS = 500;
/**
 * Alert hints are gathered this long: short, since a fired alert must show on every page within 3 s
 * (and a batch already sends one hint per 200 rows, not one per row).
 */
const ALERTS_DELTA_INTERVAL_MS = 50;
/** The watchlist gets at most one event a second; a commit's symbols are gathered this long first. */
const WATCHLIST_INTERVAL_MS = 1_000;
const WATCHLIST_GATHER_MS = 40;

void runWorker(
  "web",
  async (ctx) => {
    const env = getEnv();
    const { logger } = ctx;
    const dev = env.NODE_ENV !== "production";
    const app = next({ dev, hostname: env.HOST, port: env.PORT });
    const handle = app.getRequestHandler();
    await app.prepare();
    ctx.onShutdown(() => app.close());

    const trustedProxies = createTrustedProxies(env.TRUSTED_PROXIES);
    const server = createServer((req, res) => {
      if (answerDisallowedMethod(req.method ?? "GET", getRequestPathname(req.url), res)) return;
      void handle(req, res);
    });
    const kafka = createKafkaClient({
      ...getKafkaConnection(env),
      clientId: `${env.KAFKA_CLIENT_ID}-web`,
      logger,
    });
    const metrics = getWebMetrics();
    // A group per instance: every web instance receives every update (fan-out, not load sharing).
    const groupId = `${WEB_GROUP_PREFIX}${os.hostname()}-${process.pid}-${Date.now().toString(36)}`;
    const deadLetterGroupId = `${groupId}-dlq`;
    const monitorDb = createWorkerDb(ctx, env.DATABASE_URL, "web-monitor", 2);
    // Before serving: a runtime role with DDL or superuser rights is refused (DATABASE_PRIVILEGE_CHECK).
    await checkRuntimePrivileges(monitorDb, { mode: env.DATABASE_PRIVILEGE_CHECK, logger });
    const monitor = createPipelineMonitor({
      db: monitorDb,
      admin: createAdmin(kafka),
      deadLetterConsumer: createConsumer(kafka, { groupId: deadLetterGroupId }),
      clock: Date.now,
      logger: logger.child({ component: "pipeline-monitor" }),
      topics: { ticks: env.TOPIC_TICKS, kpis: env.TOPIC_KPIS, ticksDlq: env.TOPIC_TICKS_DLQ },
      groupId: env.STREAM_GROUP_ID,
      defaultSource: env.INGEST_SOURCE,
      heartbeatSeconds: env.HEARTBEAT_SECONDS,
      expectedWorkers: workerKindSchema.options,
      getRelayStats: () => {
        const stats = realtime.stats();
        return { emitted: stats.relayed, sockets: stats.sockets };
      },
    });
    const watchlistRelay = createWatchlistRelay({
      emit: (update) => realtime.emitWatchlistUpdated(update),
      hasListeners: () => realtime.hasWatchlistListeners(),
      clock: Date.now,
      intervalMs: WATCHLIST_INTERVAL_MS,
      gatherMs: WATCHLIST_GATHER_MS,
    });
    const realtime = attachRealtime(server, {
      consumer: createConsumer(kafka, { groupId }),
      topic: env.TOPIC_KPIS,
      logger: logger.child({ component: "realtime" }),
      moversWindows: listMoversWindows(env.KPI_WINDOWS),
      onEmitted: (emitted) => {
        metrics.onEmitted(emitted);
        if (emitted.event === "symbol:updated" || emitted.event === "movers:updated")
          monitor.observeRelay(emitted);
      },
      getExtraHeaders: (req) => prepareHeaders(req, trustedProxies),
      onSymbolUpdated: (update) => {
        const tick = toWatchlistTick(update.bars, update.day, update.omittedFrom);
        if (tick) watchlistRelay.add(tick);
      },
    });
    // First of every request listener, Socket.IO's included: forwarded headers are believed only from
    // trusted proxies, and every answer (pages, API, /socket.io, 405) gets the security headers.
    server.prependListener("request", (req, res) => prepareRequest(req, res, trustedProxies));
    setRealtimeStats(realtime.stats);
    metrics.watchRealtime(realtime);
    setPipelineMonitor(monitor);
    monitor.onSample((snapshot) => realtime.emitOpsUpdated(snapshot));
    monitor.start();

    const symbolsDb = createWorkerDb(ctx, env.DATABASE_URL, "web-symbols", 2);
    const symbolsRelay = createSymbolsRelay({
      readSummaries: (list) => readSymbolSummaries(symbolsDb, list, env.INGEST_SOURCE),
      emit: (delta) => realtime.emitSymbolsChanged(delta),
      logger: logger.child({ component: "symbols-relay" }),
      intervalMs: SYMBOLS_DELTA_INTERVAL_MS,
    });
    const symbolsListener = listenForNotifications({
      url: env.DATABASE_URL,
      channel: SYMBOLS_CHANGED_CHANNEL,
      schema: symbolsChangedSchema,
      logger,
      onNotify: (hint) => symbolsRelay.notify(hint),
      onReconnect: () => symbolsRelay.invalidateAll(),
    });

    const alertsRelay = createAlertsRelay({
      readAlerts: (ids) => getAlertViewsByIds(symbolsDb, ids),
      emit: (delta) => realtime.emitAlertsChanged(delta),
      logger: logger.child({ component: "alerts-relay" }),
      intervalMs: ALERTS_DELTA_INTERVAL_MS,
    });
    const alertsListener = listenForNotifications({
      url: env.DATABASE_URL,
      channel: ALERT_EVENTS_CHANGED_CHANNEL,
      schema: alertEventsChangedSchema,
      logger,
      onNotify: (hint) => alertsRelay.notify(hint),
      onReconnect: () => alertsRelay.invalidateAll(),
    });

    server.on("error", (error: NodeJS.ErrnoException) => {
      if (error.code === "EADDRINUSE")
        logger.fatal(`port ${env.PORT} is in use: stop what uses it or set PORT`);
      else logger.fatal({ err: describeError(error) }, "web server failed");
      ctx.shutdown("web server failed", 1);
    });
    server.listen(env.PORT, env.HOST, () => {
      const url = env.PUBLIC_URL ?? `http://localhost:${env.PORT}`;
      logger.info({ url, mode: dev ? "development" : "production" }, `Tickstream is up at ${url}`);
    });

    // Hooks run last-registered first: the listeners stop, the alerts and symbols relays send what they are building,
    // Socket.IO closes the sockets, the http server and the live consumer, the pipeline monitor stops,
    // this instance's consumer groups are dropped, the pools close (registered by createWorkerDb), and
    // Next closes last.
    ctx.onShutdown(() => deleteConsumerGroups(kafka, [groupId, deadLetterGroupId], logger));
    ctx.onShutdown(() => monitor.stop());
    ctx.onShutdown(() => realtime.close());
    ctx.onShutdown(() => watchlistRelay.stop());
    ctx.onShutdown(() => symbolsRelay.stop());
    ctx.onShutdown(() => symbolsListener.stop());
    ctx.onShutdown(() => alertsRelay.stop());
    ctx.onShutdown(() => alertsListener.stop());
  },
  // Next.js reports errors of route code itself; one failed request must not stop the web process.
  { shutdownTimeoutMs: SHUTDOWN_TIMEOUT_MS, shouldExitOnUncaught: false },
);
