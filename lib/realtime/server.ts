import type { IncomingMessage, Server as HttpServer } from "node:http";

import { Server } from "socket.io";
import { z } from "zod";

import type { WatchlistUpdate } from "@/lib/events/api-market";
import {
  getKpiUpdateKey,
  kpiUpdateV1Schema,
  parseKpiUpdateKey,
  symbolKpiUpdateV1Schema,
  type KpiUpdateRoute,
} from "@/lib/events/kpi-update-v1";
import { symbolsKpiEnvelopeSchema } from "@/lib/events/kpi-update-v3";
import { readPublishedAtHeader, readUpdateCountHeader } from "@/lib/events/produced-at-headers";
import { formatIssues } from "@/lib/events/format-issues";
import { parseJsonWith } from "@/lib/events/parse-json";
import { symbolSchema } from "@/lib/events/symbol";
import type { AlertsDelta } from "@/lib/events/api-alerts";
import type { OpsSnapshot } from "@/lib/events/ops-snapshot";
import type { RealtimeStats } from "@/lib/events/realtime-stats";
import type { SymbolsDelta } from "@/lib/events/symbols-changed";
import type { Consumer } from "@/lib/kafka/client";
import { decodeHeaders } from "@/lib/events/header-value";
import { describeError, type Logger } from "@/lib/log";
import { createJsonEventsParser } from "@/lib/realtime/json-events-parser";
import { retry } from "@/lib/retry";
import { createRoomFanout, type RealtimeServer } from "@/lib/realtime/room-fanout";
import {
  getRoomKind,
  MAX_SUBSCRIPTIONS_PER_SOCKET,
  moversRoom,
  OPS_ROOM,
  symbolRoom,
  WATCHLIST_ROOM,
  type SymbolUpdatedEvent,
} from "@/lib/realtime/events";

export type RealtimeDeps = {
  /** A consumer in a group unique to this web instance, so that every instance sees every update. */
  consumer: Consumer;
  topic: string;
  logger: Logger;
  /** Allowed movers windows (minutes; 0 = day). */
  moversWindows: readonly number[];
  /**
   * Told of each emit to the browsers once it is made (a large room's slices may still be going out:
   * lib/realtime/room-fanout.ts), for the web process's metrics and the pipeline monitor's latency.
   */
  onEmitted?: (emitted: Emitted) => void;
  /**
   * Told of each valid symbol update while a page shows the watchlist, after it was emitted to its room
   * (the watchlist relay gathers them), with `omittedFrom` as its room got it.
   */
  onSymbolUpdated?: (update: SymbolUpdatedEvent) => void;
  /**
   * Headers added to each answer engine.io writes itself, the WebSocket upgrade (101) included, which
   * never passes through the server's "request" listeners (the security headers).
   */
  getExtraHeaders?: (req: IncomingMessage) => Record<string, string>;
};

/**
 * One emit to the browsers, or one live-update message relayed (a symbols message, with the updates
 * of many symbols, is one). It also carries when the stream worker published it, when this process
 * received it, the headers of the Kafka message behind it (decoded once, here, for every reader of the
 * relay), and whether it was emitted to a room with clients (`emits`: to how many, when a symbols message
 * went to several; one when absent): one nobody watched reached no browser (the watchlist's own event
 * is separate), but still times the pipeline up to this process.
 */
export type Emitted =
  | { event: "symbols:changed" | "alerts:changed" }
  | {
      event: "symbol:updated" | "movers:updated";
      publishedAt: number;
      receivedAt: number;
      headers: Record<string, string>;
      watched: boolean;
      emits?: number;
    };

const symbolListSchema = z.array(symbolSchema).max(MAX_SUBSCRIPTIONS_PER_SOCKET);

const EVENT_OF = { symbol: "symbol:updated", movers: "movers:updated" } as const;

/** The routes of v1 updates, one symbol or one movers window each. */
type V1Route = Exclude<KpiUpdateRoute, { type: "symbols" }>;

/**
 * Attaches Socket.IO to the web server and relays `market.kpis` to the browsers: one room per symbol
 * and per movers window. The consumer starts at the latest offset (history comes from REST) and keeps
 * retrying while Kafka is away; pages keep working and backfill from REST when updates resume.
 */
export function attachRealtime(httpServer: HttpServer, deps: RealtimeDeps) {
  const { logger, consumer } = deps;
  const io: RealtimeServer = new Server(httpServer, {
    serveClient: false,
    // Next.js (dev) handles its own upgrade requests on the same server.
    destroyUpgrade: false,
    maxHttpBufferSize: 16_384,
    pingInterval: 10_000,
    pingTimeout: 10_000,
    // The relayed updates are zod-checked JSON: no binary scan of each one (lib/realtime/json-events-parser).
    parser: createJsonEventsParser(Object.values(EVENT_OF)),
  });
  if (deps.getExtraHeaders) {
    const getExtraHeaders = deps.getExtraHeaders;
    io.engine.on("headers", (headers: Record<string, string>, req: IncomingMessage) =>
      Object.assign(headers, getExtraHeaders(req)),
    );
  }
  const stats: Omit<RealtimeStats, "sockets"> = {
    connections: 0,
    relayed: 0,
    invalid: 0,
    consumerRunning: false,
  };

  io.on("connection", (socket) => {
    stats.connections++;
    const joined = () => [...socket.rooms].filter((r) => r !== socket.id);
    const parseSymbols = (raw: unknown) => {
      const parsed = symbolListSchema.safeParse(
        Array.isArray(raw)
          ? (raw as unknown[]).map((s) => (typeof s === "string" ? s.toUpperCase() : s))
          : raw,
      );
      return parsed.success
        ? { ok: true as const, symbols: parsed.data }
        : { ok: false as const, error: formatIssues(parsed.error.issues) };
    };
    socket.on("symbol:subscribe", (raw, ack) => {
      const parsed = parseSymbols(raw);
      if (!parsed.ok)
        return typeof ack === "function" && ack({ ok: false, error: `invalid symbols: ${parsed.error}` });
      const rooms = parsed.symbols.map(symbolRoom).filter((r) => !socket.rooms.has(r));
      if (joined().length + rooms.length > MAX_SUBSCRIPTIONS_PER_SOCKET) {
        return (
          typeof ack === "function" &&
          ack({ ok: false, error: `at most ${MAX_SUBSCRIPTIONS_PER_SOCKET} subscriptions per connection` })
        );
      }
      void socket.join(rooms);
      if (typeof ack === "function") ack({ ok: true, subscribed: joined() });
    });
    socket.on("symbol:unsubscribe", (raw, ack) => {
      const parsed = parseSymbols(raw);
      if (!parsed.ok)
        return typeof ack === "function" && ack({ ok: false, error: `invalid symbols: ${parsed.error}` });
      for (const s of parsed.symbols) void socket.leave(symbolRoom(s));
      if (typeof ack === "function") ack({ ok: true, subscribed: joined() });
    });
    socket.on("movers:subscribe", (raw, ack) => {
      const parsed = z.array(z.number().int()).max(10).safeParse(raw);
      if (!parsed.success || parsed.data.some((w) => !deps.moversWindows.includes(w))) {
        return (
          typeof ack === "function" &&
          ack({ ok: false, error: `windows must be among ${deps.moversWindows.join(", ")}` })
        );
      }
      for (const room of joined().filter((r) => r.startsWith("movers:"))) void socket.leave(room);
      void socket.join(parsed.data.map(moversRoom));
      if (typeof ack === "function") ack({ ok: true, subscribed: joined() });
    });
    socket.on("ops:subscribe", (ack) => {
      void socket.join(OPS_ROOM);
      if (typeof ack === "function") ack({ ok: true, subscribed: joined() });
    });
    socket.on("watchlist:subscribe", (ack) => {
      void socket.join(WATCHLIST_ROOM);
      if (typeof ack === "function") ack({ ok: true, subscribed: joined() });
    });
    socket.on("watchlist:unsubscribe", (ack) => {
      void socket.leave(WATCHLIST_ROOM);
      if (typeof ack === "function") ack({ ok: true, subscribed: joined() });
    });
    socket.on("disconnect", () => stats.connections--);
  });

  // One process, the default in-memory adapter: its rooms are every room there is.
  const fanout = createRoomFanout(io);
  const hasMembers = (room: string) => (io.sockets.adapter.rooms.get(room)?.size ?? 0) > 0;
  // Symbol rooms with a client, as the adapter creates and deletes them (on the first join and the last
  // leave or disconnect): while there are none, a symbols message has no update a room wants.
  let symbolRoomsWatched = 0;
  io.sockets.adapter.on("create-room", (room: string) => {
    if (getRoomKind(room) === "symbol") symbolRoomsWatched++;
  });
  io.sockets.adapter.on("delete-room", (room: string) => {
    if (getRoomKind(room) === "symbol") symbolRoomsWatched--;
  });
  /** The room of a v1 route, or of a v1 update (which is its own route). */
  const roomOf = (route: V1Route) =>
    route.type === "symbol" ? symbolRoom(route.symbol) : moversRoom(route.windowMinutes);
  /** Whether a page shows what the update behind a v1 `route` changes: its room, or the watchlist. */
  const isWanted = (route: V1Route) =>
    hasMembers(roomOf(route)) ||
    (route.type === "symbol" && deps.onSymbolUpdated !== undefined && hasMembers(WATCHLIST_ROOM));

  /**
   * A symbols message (v3, lib/events/kpi-update-v3.ts, or v2 from an older worker): each update a page
   * wants, checked on its own (a bad one costs only itself), goes to its room as a v1 `symbol:updated`,
   * with the start of the bars the worker left out of it (`omittedFrom`, v3), and to the watchlist. The
   * message is one relay for the metrics, watched when any of its updates reached a room. While no page
   * watches a symbol or the watchlist, it is not decoded (JSON of ≈ 100 KB, most of this process's work
   * in a backlog drain): it is timed and its updates counted from its headers (KPI_HEADERS), as a v1
   * update nobody watches is; one without them (an older worker) is decoded.
   */
  function relaySymbols(value: Buffer | null, headers: Record<string, string>, receivedAt: number): void {
    const toWatchlist = deps.onSymbolUpdated !== undefined && hasMembers(WATCHLIST_ROOM);
    if (symbolRoomsWatched === 0 && !toWatchlist) {
      const publishedAt = readPublishedAtHeader(headers);
      const updates = readUpdateCountHeader(headers);
      if (publishedAt !== null && updates !== null) {
        stats.relayed += updates;
        deps.onEmitted?.({
          event: "symbol:updated",
          publishedAt,
          receivedAt,
          headers,
          watched: false,
          emits: 0,
        });
        return;
      }
    }
    const message = parseJsonWith(symbolsKpiEnvelopeSchema, value?.toString("utf8") ?? "");
    if (!message.ok) {
      stats.invalid++;
      return;
    }
    const omitted = message.data.v === 3 ? message.data.omitted : {};
    let emits = 0;
    for (const raw of message.data.updates) {
      const symbol = (raw as { symbol?: unknown } | null)?.symbol;
      const room = typeof symbol === "string" ? symbolRoom(symbol) : null;
      const inRoom = room !== null && hasMembers(room);
      if (inRoom || toWatchlist) {
        const update = symbolKpiUpdateV1Schema.safeParse(raw);
        // Routed by the symbol as sent: one the schema would change (trim) was routed wrongly.
        if (!update.success || update.data.symbol !== symbol) {
          stats.invalid++;
          continue;
        }
        const omittedFrom = omitted[update.data.symbol];
        const event: SymbolUpdatedEvent =
          omittedFrom === undefined ? update.data : { ...update.data, omittedFrom };
        if (inRoom) {
          fanout.emit(room, "symbol:updated", event);
          emits++;
        }
        if (toWatchlist) deps.onSymbolUpdated?.(event);
      }
      stats.relayed++;
    }
    deps.onEmitted?.({
      event: "symbol:updated",
      publishedAt: message.data.publishedAt,
      receivedAt,
      headers,
      watched: emits > 0,
      emits,
    });
  }
  const stopping = new AbortController();
  async function startConsumer(): Promise<void> {
    await consumer.connect();
    await consumer.subscribe({ topics: [deps.topic], fromBeginning: false });
    await consumer.run({
      eachBatch: ({ batch }) => {
        for (const message of batch.messages) {
          const receivedAt = Date.now();
          // Decoded only when a page wants it: JSON and the schema cost as much as all the rest of
          // the relay, and most symbols of a large feed have no viewer at a given moment. An update
          // nobody watches is timed from its headers (KPI_HEADERS) and passed over.
          const key = message.key?.toString("utf8") ?? null;
          const route = key === null ? null : parseKpiUpdateKey(key);
          const headers = decodeHeaders(message.headers);
          if (route?.type === "symbols") {
            relaySymbols(message.value, headers, receivedAt);
            continue;
          }
          const publishedAt = readPublishedAtHeader(headers);
          if (route && publishedAt !== null && !isWanted(route)) {
            stats.relayed++;
            deps.onEmitted?.({
              event: EVENT_OF[route.type],
              publishedAt,
              receivedAt,
              headers,
              watched: false,
            });
            continue;
          }
          const update = parseJsonWith(kpiUpdateV1Schema, message.value?.toString("utf8") ?? "");
          // A keyed update must carry its own key: it was routed (or passed over) by it.
          if (!update.ok || (key !== null && getKpiUpdateKey(update.data) !== key)) {
            stats.invalid++;
            continue;
          }
          const u = update.data;
          // Socket.IO encodes a broadcast before it looks for sockets: rooms nobody watches are skipped.
          const room = roomOf(u);
          const inRoom = hasMembers(room);
          if (u.type === "symbol") {
            if (inRoom) fanout.emit(room, "symbol:updated", u);
            if (hasMembers(WATCHLIST_ROOM)) deps.onSymbolUpdated?.(u);
          } else if (inRoom) fanout.emit(room, "movers:updated", u);
          stats.relayed++;
          deps.onEmitted?.({
            event: EVENT_OF[u.type],
            publishedAt: u.publishedAt,
            receivedAt,
            headers,
            watched: inRoom,
          });
        }
        return Promise.resolve();
      },
    });
  }
  async function runConsumer(): Promise<void> {
    try {
      await retry(startConsumer, {
        baseMs: 1_000,
        maxMs: 15_000,
        signal: stopping.signal,
        onRetry: async (error, _attempt, delayMs) => {
          stats.consumerRunning = false;
          logger.warn(
            { err: describeError(error), retryInMs: delayMs },
            "live updates unavailable (Kafka unreachable?); retrying",
          );
          await consumer
            .disconnect()
            .catch((err: unknown) =>
              logger.debug(
                { err: describeError(err) },
                "disconnecting the failed live-update consumer failed",
              ),
            );
        },
      });
    } catch {
      return; // only close() ends the loop
    }
    stats.consumerRunning = true;
    logger.info({ topic: deps.topic }, "relaying live KPI updates");
  }
  consumer.on(consumer.events.CRASH, (event) => {
    stats.consumerRunning = false;
    if (!event.payload.restart && !stopping.signal.aborted) {
      logger.warn({ err: describeError(event.payload.error) }, "live-update consumer stopped; restarting it");
      void runConsumer();
    }
  });
  void runConsumer();

  return {
    io,
    stats: (): RealtimeStats => ({ ...stats, sockets: io.engine.clientsCount }),
    /** Tells every browser which symbols changed (built by lib/realtime/symbols-relay.ts). */
    emitSymbolsChanged(delta: SymbolsDelta): void {
      fanout.emitToAll("symbols:changed", delta);
      deps.onEmitted?.({ event: "symbols:changed" });
    },
    /** Tells every browser which alerts fired or were retracted (built by lib/realtime/alerts-relay.ts). */
    emitAlertsChanged(delta: AlertsDelta): void {
      fanout.emitToAll("alerts:changed", delta);
      deps.onEmitted?.({ event: "alerts:changed" });
    },
    /** Sends the changed rows of the watchlist to the pages showing it (lib/realtime/watchlist-relay.ts). */
    emitWatchlistUpdated(update: WatchlistUpdate): void {
      fanout.emit(WATCHLIST_ROOM, "watchlist:updated", update);
    },
    /** Whether any page shows the watchlist. */
    hasWatchlistListeners: (): boolean => hasMembers(WATCHLIST_ROOM),
    /** Sends the pipeline monitor's snapshot to the pages showing /ops. */
    emitOpsUpdated(snapshot: OpsSnapshot): void {
      fanout.emit(OPS_ROOM, "ops:updated", snapshot);
    },
    async close(): Promise<void> {
      stopping.abort();
      await new Promise<void>((resolve) => io.close(() => resolve()));
      await consumer
        .disconnect()
        .catch((err: unknown) =>
          logger.warn({ err: describeError(err) }, "disconnecting the live-update consumer failed"),
        );
    },
  };
}
