import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

import { Server } from "socket.io";
import { io as connect, type Socket as ClientSocket } from "socket.io-client";
import { afterEach, describe, expect, it } from "vitest";

import type { SymbolKpiUpdateV1 } from "@/lib/events/kpi-update-v1";
import type { OpsSnapshot } from "@/lib/events/ops-snapshot";
import { createRoomFanout, type RealtimeServer } from "@/lib/realtime/room-fanout";
import { makeSymbolUpdate } from "@/tests/support/symbol-update";

const SLICE = 10;
/** A symbol update that names its order in `publishedAt` (the fan-out never looks inside it). */
const update = (n: number) => makeSymbolUpdate({ publishedAt: n });
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
  // Set before the clients connect, so that a start that fails part-way is cleaned up too.
  cleanup = async () => {
    for (const c of clients) c.disconnect();
    await new Promise<void>((resolve) => io.close(() => resolve()));
  };
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

/**
 * Room "big" of three slices and five more clients, the last of which is also alone in room "small"; what
 * the last client gets (its first three events) and what each of the others gets (their first two).
 */
async function startLargeAndSmall() {
  const { io, clients, serverIds } = await start(3 * SLICE + 5);
  io.in(serverIds.at(-1)!).socketsJoin("small");
  const others = clients.slice(0, -1);
  return {
    fanout: createRoomFanout(io, SLICE),
    others,
    lastGot: record(clients.at(-1)!, 3),
    othersGot: Promise.all(others.map((c) => record(c, 2))),
  };
}

describe("createRoomFanout", () => {
  it("reaches every member of a large room once, and lets another room's emit through before its last slice", async () => {
    // The small room's emit, made after the large room's, must not wait for its three later slices; a
    // second emit to the large room ends each log: an update sent twice to a client would show before it.
    const { fanout, others, lastGot, othersGot } = await startLargeAndSmall();

    fanout.emit("big", "symbol:updated", update(1));
    expect(fanout.countSendingRooms()).toBe(1);
    fanout.emit("small", "ops:updated", snapshot(2));
    fanout.emit("big", "symbol:updated", update(3));

    expect(await lastGot).toEqual(["o2", "s1", "s3"]);
    expect(await othersGot).toEqual(others.map(() => ["s1", "s3"]));
    expect(fanout.countSendingRooms()).toBe(0);
  });

  it("keeps the order of a room's emits although members leave between them, and sends nothing more to those who left", async () => {
    const { io, clients, serverIds } = await start(3 * SLICE);
    const fanout = createRoomFanout(io, SLICE);
    const got = clients.map((c, i) => record(c, i < SLICE || i >= 2 * SLICE ? 3 : 1));
    const lastHasBoth = new Promise<void>((resolve) => {
      let n = 0;
      clients.at(-1)!.on("symbol:updated", () => ++n === 2 && resolve());
    });

    fanout.emit("big", "symbol:updated", update(1));
    // The members after the first slice and before the last leave: for the next emit the last ones are
    // in its first slice, which would reach them before the first emit's last slice does.
    io.in(serverIds.slice(SLICE, 2 * SLICE)).socketsLeave("big");
    fanout.emit("big", "symbol:updated", update(2));
    // Once both are out, every client gets a last emit of its own: it ends each log.
    await lastHasBoth;
    io.in(serverIds).socketsJoin("end");
    fanout.emit("end", "ops:updated", snapshot(9));

    const logs = await Promise.all(got);
    expect(logs.slice(0, SLICE)).toEqual(clients.slice(0, SLICE).map(() => ["s1", "s2", "o9"]));
    // Left after the first slice: neither update reached them.
    expect(logs.slice(SLICE, 2 * SLICE)).toEqual(clients.slice(SLICE, 2 * SLICE).map(() => ["o9"]));
    expect(logs.slice(2 * SLICE)).toEqual(clients.slice(2 * SLICE).map(() => ["s1", "s2", "o9"]));
  });

  it("sends a broadcast to every socket in slices too, once to each, in order with the next one", async () => {
    const { fanout, others, lastGot, othersGot } = await startLargeAndSmall();

    fanout.emitToAll("ops:updated", snapshot(1));
    expect(fanout.countSendingRooms()).toBe(1);
    fanout.emit("small", "symbol:updated", update(2));
    fanout.emitToAll("ops:updated", snapshot(3));

    expect(await lastGot).toEqual(["s2", "o1", "o3"]);
    expect(await othersGot).toEqual(others.map(() => ["o1", "o3"]));
    expect(fanout.countSendingRooms()).toBe(0);
  });

  it("emits to a small room at once, and to an empty one not at all", async () => {
    const { io, clients } = await start(SLICE);
    const fanout = createRoomFanout(io, SLICE);
    const got = clients.map((c) => record(c, 1));
    fanout.emit("nobody", "symbol:updated", update(0));
    fanout.emit("big", "symbol:updated", update(1));
    expect(fanout.countSendingRooms()).toBe(0);
    expect(await Promise.all(got)).toEqual(clients.map(() => ["s1"]));
  });
});
