import type { Server } from "socket.io";

import type {
  ClientToServerEvents,
  InterServerEvents,
  ServerToClientEvents,
  SocketData,
} from "@/lib/realtime/events";

/** The web process's Socket.IO server, typed with the events of lib/realtime/events.ts. */
export type RealtimeServer = Server<
  ClientToServerEvents,
  ServerToClientEvents,
  InterServerEvents,
  SocketData
>;
type RoomEvent = keyof ServerToClientEvents;

/** Sockets written to in one event-loop turn by a room's broadcast (a few milliseconds of writes). */
export const FANOUT_SLICE_SOCKETS = 100;

/** The key of a broadcast to every socket (`emitToAll`): no room has this name. */
const ALL_SOCKETS = "\u0000all";

/**
 * Emits to one room of this process's in-memory adapter. A room of at most `sliceSockets` members gets
 * the emit at once, as `io.to(room).emit` does. A larger one (the 5-minute movers that every dashboard tab
 * follows) is written to in slices of that many sockets, one slice per event-loop turn: Socket.IO writes
 * a broadcast to every member in one synchronous loop, one socket write each, and the frames of every
 * other room (a symbol's update for its few viewers) waited behind all of them. (Socket.IO encodes the
 * packet once per slice instead of once per emit: a few encodes of one update.)
 *
 * Emits to one room keep their order: while a room's slices are going out, later emits to it wait
 * their turn, whatever the room's size by then. Each slice goes to the members of the emit's start that
 * are still in the room; a socket that joins meanwhile gets the room's next emit (a page loads what it
 * shows from REST when it subscribes). `emitToAll` does the same for every socket of the server.
 */
export function createRoomFanout(io: RealtimeServer, sliceSockets = FANOUT_SLICE_SOCKETS) {
  /** Rooms with a sliced emit going out, and the emits to them that wait for it. */
  const sending = new Map<string, (() => void)[]>();

  /** The ids of the room's members (of every socket for ALL_SOCKETS), or undefined for a room nobody is in. */
  const membersOf = (room: string): ReadonlySet<string> | ReadonlyMap<string, unknown> | undefined =>
    room === ALL_SOCKETS ? io.sockets.sockets : io.sockets.adapter.rooms.get(room);

  /** The room's member ids when there are more than a slice of them, else null (after emitting to the few). */
  function emitIfFew(room: string, emitTo: (to: string | string[]) => void): string[] | null {
    const members = membersOf(room);
    if (members && members.size > sliceSockets) return [...members.keys()];
    if (members && members.size > 0) emitTo(room);
    return null;
  }

  /** Starts the room's next waiting emit, or notes that none is going out. */
  function finish(room: string): void {
    const following = sending.get(room)?.shift();
    if (following) following();
    else sending.delete(room);
  }

  /** Sends to `ids`, the room's members at the start, a slice per turn; then `finish`. */
  function sendSliced(room: string, ids: readonly string[], emitTo: (to: string[]) => void): void {
    let next = 0;
    const sendSlice = () => {
      // A socket gone from the room since the start gets no further slice (a socket is also in a
      // room named by its id, which is what the slice is sent to).
      const members = membersOf(room);
      const slice = members ? ids.slice(next, next + sliceSockets).filter((id) => members.has(id)) : [];
      next = members ? next + sliceSockets : ids.length;
      try {
        if (slice.length > 0) emitTo(slice);
      } finally {
        // Whatever an emit throws, the room's later emits are not left waiting.
        if (next < ids.length) setImmediate(sendSlice);
        else finish(room);
      }
    };
    sendSlice();
  }

  /** A waiting emit's turn: as `emit`, with the room already marked as sending. */
  function send(room: string, emitTo: (to: string | string[]) => void): void {
    let members: string[] | null = null;
    try {
      members = emitIfFew(room, emitTo);
    } finally {
      if (!members) finish(room);
    }
    if (members) sendSliced(room, members, emitTo);
  }

  function emit<E extends RoomEvent>(
    room: string,
    event: E,
    ...args: Parameters<ServerToClientEvents[E]>
  ): void {
    const emitTo = (to: string | string[]) =>
      to === ALL_SOCKETS ? io.emit(event, ...args) : io.to(to).emit(event, ...args);
    const waiting = sending.get(room);
    if (waiting) {
      waiting.push(() => send(room, emitTo));
      return;
    }
    // The common case, a room of a few viewers or none, needs no bookkeeping.
    const members = emitIfFew(room, emitTo);
    if (!members) return;
    sending.set(room, []);
    sendSliced(room, members, emitTo);
  }

  return {
    emit,
    /** `emit` to every socket of the server, in slices when there are many, in order with each other. */
    emitToAll: <E extends RoomEvent>(event: E, ...args: Parameters<ServerToClientEvents[E]>): void =>
      emit(ALL_SOCKETS, event, ...args),
    /** How many rooms have a sliced emit going out. */
    countSendingRooms: (): number => sending.size,
  };
}
