import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server as HttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";

import { io as connectSocket, type Socket } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { GET as getWebMetricsRoute } from "@/app/api/metrics/route";
import { createConsumer, createProducer } from "@/lib/kafka/client";
import { TRADING_DAY_WINDOW } from "@/lib/kpi/movers-window";
import { createMetricsRegistry } from "@/lib/metrics/registry";
import { startMetricsServer, type MetricsServer } from "@/lib/metrics/serve-metrics";
import { getWebMetrics } from "@/lib/metrics/web-metrics";
import { attachRealtime } from "@/lib/realtime/server";
import type { IngestWorker } from "@/workers/ingest/start-ingest-worker";
import type { StreamWorker } from "@/workers/stream/start-stream-worker";

import {
  createTestDatabase,
  createTestKafka,
  createTestTopics,
  startTestIngestWorker,
  startTestStreamWorker,
  testLogger,
  type TestDatabase,
  type TestTopics,
  uniqueId,
  waitFor,
} from "./helpers";
import { typecheckDashboards } from "./support/grafana-schema";
import { findFreePort } from "@/scripts/stack/ports";

const PROMETHEUS = "/usr/bin/prometheus";
const PROMTOOL = "/usr/bin/promtool";
const hasPrometheus = existsSync(PROMETHEUS);
if (!hasPrometheus)
  console.warn(
    `SKIPPED the real-Prometheus tests: ${PROMETHEUS} is missing (Debian: apt-get install prometheus; .ci/run installs it)`,
  );

const DASHBOARD_FILE = path.resolve("bi/grafana/dashboards/pipeline-health.json");
const DATASOURCE_FILE = path.resolve("bi/grafana/provisioning/datasources/prometheus.yaml");
const SCRAPE_CONFIGS = ["bi/prometheus/prometheus.yml", "bi/prometheus/prometheus.local.yml"];
const dashboardText = readFileSync(DASHBOARD_FILE, "utf8");
const dashboard = JSON.parse(dashboardText) as {
  panels: { id: number; title: string; targets?: { expr?: string; datasource?: unknown }[] }[];
};
const promQueries = dashboard.panels.flatMap((panel) =>
  (panel.targets ?? []).map((t) => ({ panel: panel.title, expr: t.expr ?? "", datasource: t.datasource })),
);

describe("the pipeline health dashboard (bi/grafana/dashboards/pipeline-health.json)", () => {
  it("queries the provisioned Prometheus data source in every panel, on rates, lag, latency, dead letters and freshness", () => {
    const datasourceYaml = readFileSync(DATASOURCE_FILE, "utf8");
    const uid = /^\s+uid:\s*([\w-]+)/m.exec(datasourceYaml)?.[1];
    expect(uid).toBe("tickstream-prometheus");
    expect(/^\s+type:\s*prometheus\s*$/m.test(datasourceYaml)).toBe(true);
    for (const q of promQueries) {
      expect(q.datasource, `${q.panel}: datasource`).toEqual({ type: "prometheus", uid });
      expect(q.expr, `${q.panel}: a PromQL expression`).not.toBe("");
    }
    const all = promQueries.map((q) => q.expr).join("\n");
    expect(all).toMatch(/rate\(tickstream_ingest_events_produced_total/);
    expect(all).toMatch(/rate\(tickstream_stream_events_applied_total/);
    expect(all).toMatch(/by \(partition\) \(tickstream_stream_consumer_lag_events\)/);
    for (const quantile of ["0.5", "0.95", "0.99"])
      expect(all).toContain(
        `histogram_quantile(${quantile}, sum by (le) (rate(tickstream_stream_produced_to_committed_seconds_bucket`,
      );
    expect(all).toMatch(
      /histogram_quantile\(0\.99, sum by \(le\) \(rate\(tickstream_web_produced_to_emitted_seconds_bucket/,
    );
    expect(all).toMatch(/by \(reason\) \(rate\(tickstream_stream_dead_letters_total/);
    expect(all).toMatch(/time\(\) - max\(tickstream_stream_last_commit_timestamp_seconds\)/);
    expect(new Set(dashboard.panels.map((p) => p.id)).size).toBe(dashboard.panels.length);
  });

  it("type-checks against @grafana/schema like the KPI dashboard", () => {
    const check = typecheckDashboards({
      "pipeline.ts": dashboardText,
      // Control: the check must reject what Grafana's schema rejects.
      "bad-enum.ts": dashboardText.replace('"colorMode": "background"', '"colorMode": "backdrop"'),
    });
    expect(check["pipeline.ts"]).toEqual([]);
    expect(check["bad-enum.ts"]?.join("\n")).toMatch(/backdrop/);
  });

  it.skipIf(!existsSync(PROMTOOL))("the project's scrape configurations pass promtool check config", () => {
    const result = spawnSync(PROMTOOL, ["check", "config", ...SCRAPE_CONFIGS], { encoding: "utf8" });
    expect(result.status, result.stdout + result.stderr).toBe(0);
  });
});

type PromResult = { metric: Record<string, string>; value: [number, string] };

describe.skipIf(!hasPrometheus)("a real Prometheus scraping both workers and the web process", () => {
  let database: TestDatabase;
  let topics: TestTopics;
  let stream: StreamWorker;
  let ingest: IngestWorker;
  let web: HttpServer;
  let realtime: ReturnType<typeof attachRealtime>;
  let browser: Socket;
  const servers: MetricsServer[] = [];
  let prometheus: ChildProcess | null = null;
  let prometheusUrl = "";
  let workDir = "";
  let prometheusLog = "";

  const query = async (expr: string): Promise<PromResult[]> => {
    const response = await fetch(`${prometheusUrl}/api/v1/query?query=${encodeURIComponent(expr)}`);
    const body = (await response.json()) as {
      status: string;
      error?: string;
      data?: { resultType: string; result: PromResult[] };
    };
    if (body.status !== "success") throw new Error(`${expr}: ${body.error}`);
    return body.data!.result;
  };
  const valueOf = (rows: PromResult[]) => Number(rows[0]?.value[1]);

  beforeAll(async () => {
    database = await createTestDatabase();
    topics = await createTestTopics(3);

    // The stream worker and the ingest worker, each with its registry served as its entrypoint does.
    const streamRegistry = createMetricsRegistry("stream");
    stream = await startTestStreamWorker(database, topics, { registry: streamRegistry });
    const ingestRegistry = createMetricsRegistry("ingest");
    ingest = await startTestIngestWorker(database, topics.ticks, {
      registry: ingestRegistry,
      // Every recorded symbol: their keys spread over all three partitions.
      seedSymbols: ["AAPL", "AMZN", "GOOG", "META", "MSFT", "NVDA", "QQQ", "SPY", "TSLA"],
    });
    for (const registry of [ingestRegistry, streamRegistry])
      servers.push(await startMetricsServer({ registry, host: "127.0.0.1", port: 0, logger: testLogger }));

    // The web process's parts: Socket.IO relaying market.kpis with the web metrics, /api/metrics
    // answered by the route handler itself, and one browser subscribed to a symbol.
    const webMetrics = getWebMetrics();
    web = createServer((req, res) => {
      if (req.url !== "/api/metrics") return;
      void getWebMetricsRoute(new Request(`http://127.0.0.1${req.url}`), {
        params: Promise.resolve({}),
      }).then(async (response) => {
        res.writeHead(response.status, Object.fromEntries(response.headers));
        res.end(await response.text());
      });
    });
    realtime = attachRealtime(web, {
      consumer: createConsumer(createTestKafka(), { groupId: uniqueId("web") }),
      topic: topics.kpis,
      logger: testLogger,
      moversWindows: [TRADING_DAY_WINDOW, 5, 15, 60],
      onEmitted: webMetrics.onEmitted,
    });
    webMetrics.watchRealtime(realtime);
    await new Promise<void>((resolve) => web.listen(0, "127.0.0.1", resolve));
    const webPort = (web.address() as AddressInfo).port;
    browser = connectSocket(`http://127.0.0.1:${webPort}`, { transports: ["websocket"] });
    await waitFor("the browser subscribed", () =>
      browser.connected
        ? browser.emitWithAck("symbol:subscribe", ["AAPL"]).then((ack: { ok: boolean }) => ack.ok)
        : false,
    );

    // One invalid event per partition: the dead-letter series moves, and every partition has a batch
    // (the lag of a partition is known from its first batch on).
    const producer = createProducer(createTestKafka());
    await producer.connect();
    await producer.send({
      topic: topics.ticks,
      messages: [0, 1, 2].map((partition) => ({ partition, key: "AAPL", value: "{not json" })),
    });
    await producer.disconnect();

    // The project's scrape configuration with this test's targets and a 1 s interval.
    workDir = mkdtempSync(path.join(os.tmpdir(), "tickstream-prometheus-"));
    const [ingestServer, streamServer] = servers;
    const config = readFileSync("bi/prometheus/prometheus.local.yml", "utf8")
      .replace('"127.0.0.1:3000"', `"127.0.0.1:${webPort}"`)
      .replace('"127.0.0.1:9464"', `"127.0.0.1:${ingestServer!.port}"`)
      .replace('"127.0.0.1:9465"', `"127.0.0.1:${streamServer!.port}"`)
      .replace(/scrape_interval: \S+/, "scrape_interval: 1s")
      .replace(/scrape_timeout: \S+/, "scrape_timeout: 1s");
    expect(config, "the test found every target of the project's configuration").not.toMatch(
      /127\.0\.0\.1:(3000|9464|9465)"/,
    );
    writeFileSync(path.join(workDir, "prometheus.yml"), config);
    const port = await findFreePort();
    prometheusUrl = `http://127.0.0.1:${port}`;
    prometheus = spawn(
      PROMETHEUS,
      [
        `--config.file=${path.join(workDir, "prometheus.yml")}`,
        `--storage.tsdb.path=${path.join(workDir, "data")}`,
        `--web.listen-address=127.0.0.1:${port}`,
        "--log.level=warn",
      ],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    prometheus.stderr?.on("data", (chunk: Buffer) => (prometheusLog += chunk.toString()));
    await waitFor(
      `Prometheus ready at ${prometheusUrl} (log: ${prometheusLog.slice(-500)})`,
      async () => (await fetch(`${prometheusUrl}/-/ready`)).ok,
      30_000,
      250,
    );
  });

  afterAll(async () => {
    prometheus?.kill("SIGTERM");
    if (prometheus && prometheus.exitCode === null)
      await new Promise((resolve) => prometheus!.once("exit", resolve));
    browser?.disconnect();
    await realtime?.close();
    for (const server of servers) await server.close();
    await ingest?.stop();
    await stream?.stop();
    await database?.drop();
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  });

  it("scrapes every target and finds it up", async () => {
    const targets = await waitFor(
      "three targets scraped and up",
      async () => {
        const response = await fetch(`${prometheusUrl}/api/v1/targets`);
        const body = (await response.json()) as {
          data: { activeTargets: { labels: Record<string, string>; health: string; lastError: string }[] };
        };
        const active = body.data.activeTargets;
        return active.length === 3 && active.every((t) => t.health === "up") ? active : null;
      },
      30_000,
      250,
    );
    expect(targets.map((t) => t.labels.job).sort()).toEqual([
      "tickstream-ingest",
      "tickstream-stream",
      "tickstream-web",
    ]);
    const up = await query('up{job=~"tickstream-.*"}');
    expect(up.map((r) => r.value[1])).toEqual(["1", "1", "1"]);
  });

  it("holds the key series of each process, with the figures of the running pipeline", async () => {
    // Each process: Node's default metrics under its service label.
    const services = await waitFor(
      "a first scrape of each process",
      async () => {
        const rows = await query("process_cpu_user_seconds_total");
        return rows.length === 3 ? rows : null;
      },
      30_000,
      250,
    );
    expect(services.map((r) => r.metric.service).sort()).toEqual(["ingest", "stream", "web"]);

    const positive = async (expr: string) =>
      waitFor(`${expr} > 0 in Prometheus`, async () => valueOf(await query(expr)) > 0, 60_000, 500);
    await positive('tickstream_ingest_events_produced_total{source="replay"}');
    await positive('tickstream_ingest_produce_duration_seconds_count{outcome="ok"}');
    await positive("tickstream_stream_events_applied_total");
    await positive('tickstream_stream_rows_written_total{table="fact_prices"}');
    await positive('sum(tickstream_stream_produced_to_committed_seconds_count{source="replay"})');
    await positive("tickstream_stream_batch_duration_seconds_count");
    await positive('tickstream_stream_dead_letters_total{reason="not_json"}');
    await positive('tickstream_web_produced_to_emitted_seconds_count{update="symbol",bound="oldest"}');
    await positive('tickstream_web_socketio_emits_total{event="symbol:updated"}');
    expect(valueOf(await query("tickstream_web_socketio_clients"))).toBe(1);
    expect(valueOf(await query('tickstream_web_socketio_rooms{kind="symbol"}'))).toBe(1);
    await waitFor(
      "the three dead letters counted",
      async () => valueOf(await query('tickstream_stream_dead_letters_total{reason="not_json"}')) === 3,
      30_000,
      500,
    );

    // Lag per partition: every partition of the topic, none negative.
    const lag = await waitFor(
      "lag of the three partitions",
      async () => {
        const rows = await query("tickstream_stream_consumer_lag_events");
        return rows.length === 3 ? rows : null;
      },
      60_000,
      500,
    );
    expect(lag.map((r) => r.metric.partition).sort()).toEqual(["0", "1", "2"]);
    for (const row of lag) expect(Number(row.value[1])).toBeGreaterThanOrEqual(0);
    // Yahoo's series exist before any request (errors at zero by kind), so a dashboard shows 0, not "no data".
    expect((await query("tickstream_yahoo_request_errors_total")).length).toBeGreaterThanOrEqual(7);
  });

  it("answers every panel query of the pipeline dashboard with series", async () => {
    // Grafana's $__rate_interval: at least four scrape intervals (1 s here).
    const expand = (expr: string) => expr.replaceAll("$__rate_interval", "10s");
    // A rate needs two samples of its series inside the window, and each stage starts counting when its
    // first event reaches it (the web's emits come last): wait for each panel's own series.
    for (const { panel, expr } of promQueries) {
      await waitFor(`${panel}: ${expr}`, async () => (await query(expand(expr))).length > 0, 30_000, 500);
    }
  });
});
