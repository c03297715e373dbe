import { Counter, Gauge, Histogram, type Registry } from "prom-client";
import type { Server } from "socket.io";

import { readProducedAtHeaders } from "@/lib/events/produced-at-headers";
import { createMetricsRegistry, LATENCY_BUCKETS_SECONDS } from "@/lib/metrics/registry";
import { getRoomKind, ROOM_KINDS } from "@/lib/realtime/events";

/** The Socket.IO server and relay figures the web series read at each scrape. */
export type WatchedRealtime = {
  io: Pick<Server, "engine" | "of">;
  stats: () => { consumerRunning: boolean; invalid: number };
};

/**
 * The web process's series: Socket.IO clients, rooms and emits, and the latency from a tick's
 * producedAt to the emit of the update it caused (from the KPI_HEADERS of the Kafka message).
 */
export function createWebMetrics(registry: Registry, clock: () => number = Date.now) {
  const registers = [registry];
  let watched: WatchedRealtime | null = null;

  new Gauge({
    name: "tickstream_web_socketio_clients",
    help: "Socket.IO clients connected to this web instance",
    registers,
    collect() {
      if (watched) this.set(watched.io.engine.clientsCount);
    },
  });
  new Gauge({
    name: "tickstream_web_socketio_rooms",
    help: "Socket.IO rooms with at least one client, by kind (symbol, movers, other); a socket's own room is not counted",
    labelNames: ["kind"] as const,
    registers,
    collect() {
      if (!watched) return;
      const { rooms, sids } = watched.io.of("/").adapter;
      const counts = Object.fromEntries(ROOM_KINDS.map((k) => [k, 0])) as Record<string, number>;
      for (const room of rooms.keys()) if (!sids.has(room)) counts[getRoomKind(room)]!++;
      for (const kind of ROOM_KINDS) this.set({ kind }, counts[kind] ?? 0);
    },
  });
  new Gauge({
    name: "tickstream_web_live_consumer_running",
    help: "1 while the consumer of market.kpis relays updates, 0 while it waits for Kafka",
    registers,
    collect() {
      if (watched) this.set(watched.stats().consumerRunning ? 1 : 0);
    },
  });
  new Counter({
    name: "tickstream_web_kpi_updates_invalid_total",
    help: "market.kpis updates that a page wanted and that failed their schema, and messages that are not one (not relayed)",
    registers,
    collect() {
      if (!watched) return;
      this.reset();
      this.inc(watched.stats().invalid);
    },
  });
  const emits = new Counter({
    name: "tickstream_web_socketio_emits_total",
    help: "Events emitted to Socket.IO rooms with clients or to every client, by event (a live update nobody watches is not one)",
    labelNames: ["event"] as const,
    registers,
  });
  const producedToEmitted = new Histogram({
    name: "tickstream_web_produced_to_emitted_seconds",
    help: "End-to-end latency from the producedAt of the ticks behind a live-update message (a symbols message of many symbols is one) to its relay by this web process (emitted to the Socket.IO clients watching it, if any); bound = the oldest or newest of those ticks",
    labelNames: ["update", "bound"] as const,
    buckets: [...LATENCY_BUCKETS_SECONDS],
    registers,
  });
  for (const update of ["symbol", "movers"])
    for (const bound of ["oldest", "newest"]) producedToEmitted.zero({ update, bound });
  const lastEmit = new Gauge({
    name: "tickstream_web_last_emit_timestamp_seconds",
    help: "Unix time of the last live update relayed (emitted to the Socket.IO clients watching it, if any)",
    registers,
  });

  return {
    registry,
    /** Reads clients, rooms and relay figures from this Socket.IO server at each scrape. */
    watchRealtime: (realtime: WatchedRealtime): void => {
      watched = realtime;
    },
    /**
     * An event went out, or a live update was relayed (`watched`: whether a page got it; only those
     * count as emits); `headers` are those of the Kafka message behind a live update, decoded.
     */
    onEmitted: ({
      event,
      headers,
      watched = true,
      emits: count = 1,
    }: {
      event: string;
      headers?: Record<string, string>;
      watched?: boolean;
      /** Rooms it went to (a symbols message of many symbols: one per watched symbol). */
      emits?: number;
    }): void => {
      if (watched) emits.inc({ event }, count);
      if (event !== "symbol:updated" && event !== "movers:updated") return;
      const now = clock();
      lastEmit.set(now / 1000);
      const range = headers ? readProducedAtHeaders(headers) : null;
      if (!range) return;
      const update = event === "symbol:updated" ? "symbol" : "movers";
      producedToEmitted.observe({ update, bound: "oldest" }, Math.max(0, now - range.oldest) / 1000);
      producedToEmitted.observe({ update, bound: "newest" }, Math.max(0, now - range.newest) / 1000);
    },
  };
}

export type WebMetrics = ReturnType<typeof createWebMetrics>;

const KEY = Symbol.for("tickstream.webMetrics");

/**
 * The web process's one registry. server.ts and the /api/metrics route handler are separate module
 * graphs in Next (each may even load its own copy of prom-client), so the instance lives on globalThis
 * and is created by whichever asks first.
 */
export function getWebMetrics(): WebMetrics {
  const store = globalThis as Record<symbol, WebMetrics | undefined>;
  return (store[KEY] ??= createWebMetrics(createMetricsRegistry("web")));
}
