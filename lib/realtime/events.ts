import type { MoversKpiUpdateV1, SymbolKpiUpdateV1 } from "@/lib/events/kpi-update-v1";
import type { AlertsDelta } from "@/lib/events/api-alerts";
import type { WatchlistUpdate } from "@/lib/events/api-market";
import type { OpsSnapshot } from "@/lib/events/ops-snapshot";
import type { SymbolsDelta } from "@/lib/events/symbols-changed";

export type { SymbolsDelta };

/**
 * A `symbol:updated` event: the v1 symbol update as the stream worker sent it and, when the worker left
 * some of the symbol's changed bars out (a backlog: lib/events/kpi-update-v3.ts), `omittedFrom`, the
 * start of the oldest of them: every bar from it up to the update's first bar changed too, and a page
 * that shows them reads them back.
 */
export type SymbolUpdatedEvent = SymbolKpiUpdateV1 & { omittedFrom?: number };

export type SubscribeAck = { ok: true; subscribed: string[] } | { ok: false; error: string };

/**
 * Events the server emits. Rooms: `symbol:<TICKER>`, `movers:<minutes>` (0 = the trading day),
 * `ops` (the pipeline monitor's snapshot every couple of seconds) and `watchlist` (every symbol's day
 * figures, the changed ones only, at most once a second).
 */
export type ServerToClientEvents = {
  "symbol:updated": (update: SymbolUpdatedEvent) => void;
  "movers:updated": (update: MoversKpiUpdateV1) => void;
  /** Symbols added, changed or deleted, coalesced over a short interval (lib/realtime/symbols-relay.ts). */
  "symbols:changed": (delta: SymbolsDelta) => void;
  "ops:updated": (snapshot: OpsSnapshot) => void;
  /** Alerts fired, fired again or retracted, sent to every page (lib/realtime/alerts-relay.ts). */
  "alerts:changed": (delta: AlertsDelta) => void;
  "watchlist:updated": (update: WatchlistUpdate) => void;
};

/** Events a browser sends; each answers through its ack with what it is subscribed to now. */
export type ClientToServerEvents = {
  "symbol:subscribe": (symbols: string[], ack: (result: SubscribeAck) => void) => void;
  "symbol:unsubscribe": (symbols: string[], ack: (result: SubscribeAck) => void) => void;
  "movers:subscribe": (windows: number[], ack: (result: SubscribeAck) => void) => void;
  "ops:subscribe": (ack: (result: SubscribeAck) => void) => void;
  /** One room for all symbols, so a list of hundreds stays within MAX_SUBSCRIPTIONS_PER_SOCKET. */
  "watchlist:subscribe": (ack: (result: SubscribeAck) => void) => void;
  "watchlist:unsubscribe": (ack: (result: SubscribeAck) => void) => void;
};

export type InterServerEvents = Record<string, never>;
export type SocketData = Record<string, never>;

/** Most rooms one connection may join (symbols plus movers windows). */
export const MAX_SUBSCRIPTIONS_PER_SOCKET = 50;

export const symbolRoom = (symbol: string) => `symbol:${symbol}`;
export const moversRoom = (windowMinutes: number) => `movers:${windowMinutes}`;
export const OPS_ROOM = "ops";
export const WATCHLIST_ROOM = "watchlist";

export const ROOM_KINDS = ["symbol", "movers", "other"] as const;

/** The kind of a Socket.IO room name ("symbol:AAPL" → symbol), as symbolRoom and moversRoom name them. */
export function getRoomKind(room: string): (typeof ROOM_KINDS)[number] {
  const prefix = room.split(":", 1)[0];
  return prefix === "symbol" || prefix === "movers" ? prefix : "other";
}
