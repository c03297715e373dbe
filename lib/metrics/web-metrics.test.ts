import { describe, expect, it } from "vitest";

import { toProducedAtHeaders } from "@/lib/events/produced-at-headers";
import { createMetricsRegistry } from "@/lib/metrics/registry";
import { readSample } from "@/lib/metrics/testing/read-sample";
import { createWebMetrics, type WatchedRealtime } from "@/lib/metrics/web-metrics";

function createFakeIo(rooms: Record<string, string[]>, clients: number): WatchedRealtime["io"] {
  const roomMap = new Map(Object.entries(rooms).map(([room, ids]) => [room, new Set(ids)]));
  const sids = new Map<string, Set<string>>();
  for (const [room, ids] of roomMap)
    for (const id of ids) {
      const joined = sids.get(id) ?? new Set<string>();
      sids.set(id, joined.add(room));
    }
  return {
    engine: { clientsCount: clients },
    of: () => ({ adapter: { rooms: roomMap, sids } }),
  } as unknown as WatchedRealtime["io"];
}

describe("web metrics", () => {
  it("counts clients and rooms by kind at scrape time, leaving out each socket's own room", async () => {
    const registry = createMetricsRegistry("web", { withProcessMetrics: false });
    const metrics = createWebMetrics(registry);
    metrics.watchRealtime({
      io: createFakeIo(
        { s1: ["s1"], s2: ["s2"], "symbol:AAPL": ["s1", "s2"], "symbol:MSFT": ["s1"], "movers:15": ["s2"] },
        2,
      ),
      stats: () => ({ consumerRunning: true, invalid: 3 }),
    });
    const text = await registry.metrics();
    expect(text).toContain('tickstream_web_socketio_clients{service="web"} 2');
    const rooms = (kind: string) => readSample(registry, "tickstream_web_socketio_rooms", { kind });
    expect(await rooms("symbol")).toBe(2);
    expect(await rooms("movers")).toBe(1);
    expect(await rooms("other")).toBe(0);
    expect(await readSample(registry, "tickstream_web_kpi_updates_invalid_total")).toBe(3);
    expect(await readSample(registry, "tickstream_web_live_consumer_running")).toBe(1);
  });

  it("observes producedAt → emitted from the update's headers, for its oldest and newest tick", async () => {
    const registry = createMetricsRegistry("web", { withProcessMetrics: false });
    const metrics = createWebMetrics(registry, () => 10_000);
    metrics.onEmitted({
      event: "symbol:updated",
      headers: toProducedAtHeaders({ oldest: 7_000, newest: 9_950 }),
    });
    metrics.onEmitted({ event: "movers:updated" });
    metrics.onEmitted({ event: "symbols:changed" });
    // Relayed to a room nobody is in: timed, not an emit.
    metrics.onEmitted({
      event: "symbol:updated",
      headers: toProducedAtHeaders({ oldest: 7_000, newest: 9_950 }),
      watched: false,
    });
    // A symbols message of many symbols, three of them watched: three emits, one latency sample per bound.
    metrics.onEmitted({ event: "symbol:updated", emits: 3 });
    const latency = (suffix: string, update: string, bound: string, le?: number) =>
      readSample(registry, `tickstream_web_produced_to_emitted_seconds_${suffix}`, {
        update,
        bound,
        ...(le === undefined ? {} : { le }),
      });
    expect(await latency("sum", "symbol", "oldest")).toBe(6);
    expect(await latency("bucket", "symbol", "oldest", 2.5)).toBe(0);
    expect(await latency("bucket", "symbol", "oldest", 5)).toBe(2);
    expect(await latency("sum", "symbol", "newest")).toBeCloseTo(0.1);
    expect(await latency("bucket", "symbol", "newest", 0.05)).toBe(2);
    // Without headers (an older stream worker) the emit counts but no latency is made up.
    expect(await latency("count", "movers", "newest")).toBe(0);
    const emits = (event: string) => readSample(registry, "tickstream_web_socketio_emits_total", { event });
    expect(await emits("movers:updated")).toBe(1);
    expect(await emits("symbol:updated")).toBe(4);
    expect(await emits("symbols:changed")).toBe(1);
    expect(await readSample(registry, "tickstream_web_last_emit_timestamp_seconds")).toBe(10);
  });
});
