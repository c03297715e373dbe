import type { Server } from "socket.io";

import type {
  ClientToServerEvents,
  InterServerEvents,
  ServerToClientEvents,
  SocketData,
} from "@/lib/realtime/events";

type RealtimeServer = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;
type RoomEvent = "symbol:updated" | "movers:updated" | "watchlist:updated" | "ops:updated";

/** Sockets written to in one event-loop turn by a room's broadcast (a few milliseconds of writes). */
export const FANOUT_SLICE_SOCKETS = 100;

/**
 * Emits to one room of this process's in-memory adapter. A room of at most `sliceSockets` members gets
 * the emit at once, as `io.to(room).emit` does. A larger one (the 5-minute movers that every dashboard tab
 * follows) is written to in slices of that many sockets, one slice per event-loop turn: Socket.IO writes
 * a broadcast to every member in one synchronous loop, one socket write each, and the frames of every
 * other room (a symbol's update for its few viewers) waited behind all of them.
 *
 * Emits to one room keep their order: while a room's slices are going out, later emits to it wait
 * their turn. The members are those of the emit's start; a socket that joins meanwhile gets the room's
 * next emit (a page loads what it shows from REST when it subscribes), one that leaves or disconnects
 * gets no further slice.
 */
export function createRoomFanout(io: RealtimeServer, sliceSockets = FANOUT_SLICE_SOCKETS) {
  /** Rooms with a sliced emit going out, and the emits to them that wait for it. */
  const sending = new Map<string, (() => void)[]>();

  /** Starts the room's next waiting emit, or notes that none is going out. */
  function finish(room: string): void {
    const following = sending.get(room)?.shift();
    if (following) following();
    else sending.delete(room);
  }

  /** Emits to the room's members of now: at once when they are few, else in slices; then `finish`. */
  function send(room: string, emitTo: (to: string | string[]) => void): void {
    const members = io.sockets.adapter.rooms.get(room);
    if (!members || members.size <= sliceSockets) {
      if (members) emitTo(room);
      finish(room);
      return;
    }
    // Each socket is in a room named by its id; one gone since the start is in none and is skipped.
    const ids = [...members];
    let next = 0;
    const sendSlice = () => {
      emitTo(ids.slice(next, next + sliceSockets));
      next += sliceSockets;
      if (next < ids.length) setImmediate(sendSlice);
      else finish(room);
    };
    sendSlice();
  }

  function emit<E extends RoomEvent>(
    room: string,
    event: E,
    ...args: Parameters<ServerToClientEvents[E]>
  ): void {
    const emitTo = (to: string | string[]) => io.to(to).emit(event, ...args);
    const waiting = sending.get(room);
    if (waiting) {
      waiting.push(() => send(room, emitTo));
      return;
    }
    const members = io.sockets.adapter.rooms.get(room);
    // The common case, a room of a few viewers or none: no bookkeeping.
    if (!members || members.size <= sliceSockets) {
      if (members) emitTo(room);
      return;
    }
    sending.set(room, []);
    send(room, emitTo);
  }

  return {
    emit,
    /** Rooms whose sliced emit is still going out (for tests). */
    pendingRooms: (): number => sending.size,
  };
}
