import { io, type Socket } from "socket.io-client";

import type { SymbolKpiUpdateV1 } from "@/lib/events/kpi-update-v1";
import {
  MAX_SUBSCRIPTIONS_PER_SOCKET,
  type ClientToServerEvents,
  type ServerToClientEvents,
  type SubscribeAck,
} from "@/lib/realtime/events";

type BenchSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** One bar as a client received it: which event it shows (its volume), when, and when it was published. */
export type ReceivedBar = {
  symbol: string;
  ts: number;
  volume: number;
  receivedAt: number;
  publishedAt: number;
};

function subscribe(socket: BenchSocket, symbols: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    socket
      .timeout(15_000)
      .emit("symbol:subscribe", symbols, (error: Error | null, ack: SubscribeAck) =>
        error ? reject(error) : ack.ok ? resolve() : reject(new Error(ack.error)),
      );
  });
}

/**
 * Socket.IO clients of the web process that together watch every symbol of `symbols` (a connection may
 * join at most 50 rooms), as the dashboard's browser does: WebSocket transport, `symbol:subscribe`
 * with an acknowledgement. Each bar of each `symbol:updated` goes to `onBar`; resolves once all are
 * subscribed.
 */
export async function connectWatchers(
  url: string,
  symbols: readonly string[],
  onBar: (bar: ReceivedBar) => void,
): Promise<{ sockets: number; close: () => void }> {
  const sockets: BenchSocket[] = [];
  const onUpdate = (update: SymbolKpiUpdateV1) => {
    const receivedAt = Date.now();
    for (const bar of update.bars)
      onBar({
        symbol: bar.symbol,
        ts: bar.ts,
        volume: bar.volume,
        receivedAt,
        publishedAt: update.publishedAt,
      });
  };
  try {
    for (let i = 0; i < symbols.length; i += MAX_SUBSCRIPTIONS_PER_SOCKET) {
      const socket: BenchSocket = io(url, { transports: ["websocket"], reconnectionDelay: 500 });
      sockets.push(socket);
      socket.on("symbol:updated", onUpdate);
      await subscribe(socket, symbols.slice(i, i + MAX_SUBSCRIPTIONS_PER_SOCKET));
    }
  } catch (error) {
    for (const s of sockets) s.close();
    throw error;
  }
  return { sockets: sockets.length, close: () => sockets.forEach((s) => s.close()) };
}
