"use client";

import { io, type Socket } from "socket.io-client";

import type { ClientToServerEvents, ServerToClientEvents, SubscribeAck } from "@/lib/realtime/events";

export type LiveSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

let socket: LiveSocket | null = null;

/** The page's one Socket.IO connection (same origin; reconnects by itself with backoff). */
export function getLiveSocket(): LiveSocket {
  socket ??= io({
    transports: ["websocket", "polling"],
    reconnectionDelay: 500,
    reconnectionDelayMax: 5_000,
  });
  return socket;
}

/** How long to wait for the server to confirm a subscription; the caller loads from REST anyway. */
const JOIN_TIMEOUT_MS = 5_000;

function settleAck(resolve: () => void, reject: (error: Error) => void) {
  return (error: Error | null, ack: SubscribeAck) =>
    error ? reject(error) : ack.ok ? resolve() : reject(new Error(ack.error));
}

/** Joins `symbol:<TICKER>`; resolves once the server confirmed it. */
export function joinSymbolRoom(socket: LiveSocket, symbol: string): Promise<void> {
  return new Promise((resolve, reject) => {
    socket.timeout(JOIN_TIMEOUT_MS).emit("symbol:subscribe", [symbol], settleAck(resolve, reject));
  });
}

export function leaveSymbolRoom(socket: LiveSocket, symbol: string): void {
  socket.emit("symbol:unsubscribe", [symbol], () => undefined);
}

/** Joins `movers:<minutes>` (leaving the connection's other movers rooms); resolves once confirmed. */
export function joinMoversRoom(socket: LiveSocket, windowMinutes: number): Promise<void> {
  return new Promise((resolve, reject) => {
    socket.timeout(JOIN_TIMEOUT_MS).emit("movers:subscribe", [windowMinutes], settleAck(resolve, reject));
  });
}

/** Joins the `watchlist` room (every symbol's changed day figures, once a second); resolves once confirmed. */
export function joinWatchlistRoom(socket: LiveSocket): Promise<void> {
  return new Promise((resolve, reject) => {
    socket.timeout(JOIN_TIMEOUT_MS).emit("watchlist:subscribe", settleAck(resolve, reject));
  });
}

export function leaveWatchlistRoom(socket: LiveSocket): void {
  socket.emit("watchlist:unsubscribe", () => undefined);
}
