import { Counter } from "prom-client";
import { afterEach, describe, expect, it } from "vitest";

import { createLogger } from "@/lib/log";
import { createMetricsRegistry } from "@/lib/metrics/registry";
import { startMetricsServer, type MetricsServer } from "@/lib/metrics/serve-metrics";

const logger = createLogger("test", "silent");

describe("startMetricsServer", () => {
  let server: MetricsServer | null = null;
  afterEach(async () => {
    await server?.close();
    server = null;
  });

  it("serves the registry with process metrics at GET /metrics on a free port, and nothing else", async () => {
    const registry = createMetricsRegistry("ingest");
    new Counter({ name: "tickstream_test_total", help: "a test counter", registers: [registry] }).inc(4);
    server = await startMetricsServer({ registry, host: "127.0.0.1", port: 0, logger });
    expect(server.port).toBeGreaterThan(0);
    const response = await fetch(server.url);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/plain; version=0.0.4");
    const text = await response.text();
    expect(text).toContain('tickstream_test_total{service="ingest"} 4');
    expect(text).toMatch(/^process_cpu_user_seconds_total\{service="ingest"\} /m);
    expect(text).toMatch(/^nodejs_eventloop_lag_seconds\{service="ingest"\} /m);
    expect((await fetch(server.url.replace("/metrics", "/"))).status).toBe(404);
  });

  it("rejects when the port is taken, so the caller can carry on without it", async () => {
    const registry = createMetricsRegistry("stream", { withProcessMetrics: false });
    server = await startMetricsServer({ registry, host: "127.0.0.1", port: 0, logger });
    await expect(
      startMetricsServer({ registry, host: "127.0.0.1", port: server.port, logger }),
    ).rejects.toThrow(/EADDRINUSE/);
  });
});
