import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

import { Server } from "socket.io";
import { io as connect, type Socket as ClientSocket } from "socket.io-client";
import { afterEach, describe, expect, it } from "vitest";

import type { SymbolKpiUpdateV1 } from "@/lib/events/kpi-update-v1";
import type { OpsSnapshot } from "@/lib/events/ops-snapshot";
import type {
  ClientToServerEvents,
  InterServerEvents,
  ServerToClientEvents,
  SocketData,
} from "@/lib/realtime/events";
import { createRoomFanout } from "@/lib/realtime/room-fanout";

type RealtimeServer = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;

const SLICE = 10;
/** A symbol update that names its order in `publishedAt` (the fan-out never looks inside it). */
const update = (n: number) =>
  ({
    v: 1,
    type: "symbol",
    symbol: "AAPL",
    bars: [],
    day: null,
    windows: [],
    publishedAt: n,
  }) as SymbolKpiUpdateV1;
const snapshot = (n: number) => ({ at: n }) as unknown as OpsSnapshot;

let cleanup: (() => Promise<void>) | null = null;
afterEach(async () => {
  await cleanup?.();
  cleanup = null;
});

/** A Socket.IO server on a free port, and `count` clients that it puts in room "big" in connection order. */
async function start(count: number) {
  const http = createServer();
  const io: RealtimeServer = new Server(http, { serveClient: false });
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  const clients: ClientSocket[] = [];
  const serverIds: string[] = [];
  for (let i = 0; i < count; i++) {
    const joined = new Promise<void>((resolve) =>
      io.once("connection", (socket) => {
        serverIds.push(socket.id);
        void socket.join("big");
        resolve();
      }),
    );
    clients.push(connect(url, { transports: ["websocket"], forceNew: true }));
    await joined;
  }
  cleanup = async () => {
    for (const c of clients) c.disconnect();
    await new Promise<void>((resolve) => io.close(() => resolve()));
  };
  return { io, clients, serverIds };
}

/** Resolves with what `client` got, in order, once it got `n` events ("s<publishedAt>" / "o<at>"). */
function record(client: ClientSocket, n: number): Promise<string[]> {
  const got: string[] = [];
  return new Promise((resolve) => {
    const add = (entry: string) => {
      got.push(entry);
      if (got.length === n) resolve(got);
    };
    client.on("symbol:updated", (u: SymbolKpiUpdateV1) => add(`s${u.publishedAt}`));
    client.on("ops:updated", (s: OpsSnapshot) => add(`o${(s as unknown as { at: number }).at}`));
  });
}

describe("createRoomFanout", () => {
  it("reaches every member of a large room once, and lets another room's emit through before its last slice", async () => {
    const { io, clients, serverIds } = await start(3 * SLICE + 5);
    const fanout = createRoomFanout(io, SLICE);
    const last = clients.at(-1)!;
    // The last client to join is also alone in a small room: its emit, made after the large room's,
    // must not wait for the large room's three later slices.
    io.in(serverIds.at(-1)!).socketsJoin("small");
    const lastGot = record(last, 2);
    const othersGot = clients.slice(0, -1).map((c) => record(c, 1));

    fanout.emit("big", "symbol:updated", update(1));
    expect(fanout.pendingRooms()).toBe(1);
    fanout.emit("small", "ops:updated", snapshot(2));

    expect(await lastGot).toEqual(["o2", "s1"]);
    expect(await Promise.all(othersGot)).toEqual(clients.slice(0, -1).map(() => ["s1"]));
    expect(fanout.pendingRooms()).toBe(0);
  });

  it("keeps the order of a room's emits although members leave between them", async () => {
    const { io, clients, serverIds } = await start(3 * SLICE);
    const fanout = createRoomFanout(io, SLICE);
    const last = clients.at(-1)!;
    const got = record(last, 2);

    fanout.emit("big", "symbol:updated", update(1));
    // The members before the last one leave: for the next emit it is in the first slice, which would
    // reach it before the first emit's last slice does.
    io.in(serverIds.slice(0, 2 * SLICE)).socketsLeave("big");
    fanout.emit("big", "symbol:updated", update(2));

    expect(await got).toEqual(["s1", "s2"]);
  });

  it("emits to a small room at once, and to an empty one not at all", async () => {
    const { io, clients } = await start(SLICE);
    const fanout = createRoomFanout(io, SLICE);
    const got = clients.map((c) => record(c, 1));
    fanout.emit("nobody", "symbol:updated", update(0));
    fanout.emit("big", "symbol:updated", update(1));
    expect(fanout.pendingRooms()).toBe(0);
    expect(await Promise.all(got)).toEqual(clients.map(() => ["s1"]));
  });
});
