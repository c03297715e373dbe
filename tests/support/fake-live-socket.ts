import type { LiveSocket } from "@/components/realtime/socket";
import type { ServerToClientEvents } from "@/lib/realtime/events";

type Listener = (payload: unknown) => void;

/**
 * A stand-in for the page's Socket.IO connection (components/realtime/socket.ts): it is connected,
 * confirms every subscription on the next microtask like a server would, records what the page sent,
 * and lets a test deliver server events.
 */
export function createFakeLiveSocket() {
  const listeners = new Map<string, Set<Listener>>();
  const sent: { event: string; args: unknown }[] = [];
  const answer = (event: string, args: unknown, ack: unknown) => {
    sent.push({ event, args });
    if (typeof ack === "function")
      queueMicrotask(() => (ack as (...a: unknown[]) => void)(null, { ok: true, subscribed: [] }));
  };
  const fake = {
    connected: true,
    on(event: string, listener: Listener) {
      (listeners.get(event) ?? listeners.set(event, new Set()).get(event)!).add(listener);
      return fake;
    },
    off(event: string, listener: Listener) {
      listeners.get(event)?.delete(listener);
      return fake;
    },
    emit(event: string, args: unknown, ack?: unknown) {
      // Without timeout() socket.io calls the ack with the answer alone.
      sent.push({ event, args });
      if (typeof ack === "function")
        queueMicrotask(() => (ack as (a: unknown) => void)({ ok: true, subscribed: [] }));
      return fake;
    },
    timeout() {
      return { emit: answer };
    },
    io: { on: () => undefined, off: () => undefined },
  };
  return {
    socket: fake as unknown as LiveSocket,
    sent,
    /** Delivers a server event to the page's listeners, as socket.io would. */
    deliver<E extends keyof ServerToClientEvents>(event: E, payload: Parameters<ServerToClientEvents[E]>[0]) {
      for (const listener of listeners.get(event) ?? []) listener(payload);
    },
    /** The connection dropped and came back: socket.io emits `connect` again. */
    reconnect() {
      for (const listener of listeners.get("connect") ?? []) listener(undefined);
    },
  };
}

export type FakeLiveSocket = ReturnType<typeof createFakeLiveSocket>;

/** One request the page made, answered when the test decides. */
export type PendingRequest = {
  url: string;
  signal: AbortSignal | null;
  isAnswered: boolean;
  respond: (body: unknown, status?: number) => void;
};

/**
 * A `fetch` whose answers the test releases one by one, so it can order them against live events.
 * Aborted requests reject like the browser's fetch.
 */
export function createControlledFetch() {
  const requests: PendingRequest[] = [];
  const fetch = (input: RequestInfo | URL, init?: RequestInit): Promise<Response> =>
    new Promise((resolve, reject) => {
      const signal = init?.signal ?? null;
      signal?.addEventListener("abort", () => reject(new DOMException("aborted", "AbortError")));
      const request: PendingRequest = {
        url: typeof input === "string" ? input : input instanceof URL ? input.href : input.url,
        signal,
        isAnswered: false,
        respond: (body, status = 200) => {
          request.isAnswered = true;
          resolve(Response.json(body, { status }));
        },
      };
      requests.push(request);
    });
  return {
    fetch,
    requests,
    /** The requests to `path` that are still waiting for an answer and were not cancelled. */
    pending: (path: string) =>
      requests.filter((r) => r.url.startsWith(path) && !r.isAnswered && !r.signal?.aborted),
  };
}
