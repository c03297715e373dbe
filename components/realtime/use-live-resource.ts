"use client";

import { hashKey, useQuery, useQueryClient, type QueryKey } from "@tanstack/react-query";
import { useCallback, useEffect, useRef } from "react";

import { getLiveSocket, type LiveSocket } from "@/components/realtime/socket";
import type { ServerToClientEvents } from "@/lib/realtime/events";
import { createThrottledPass } from "@/lib/throttled-pass";

export type LiveEventName = keyof ServerToClientEvents;
export type LiveEvent<E extends LiveEventName> = Parameters<ServerToClientEvents[E]>[0];

export type LiveResourceOptions<T, E extends LiveEventName> = {
  /** Identifies the resource in the page's query cache. */
  queryKey: QueryKey;
  /** Reads the whole resource from REST, parsed with its schema (see fetch-json.ts). */
  load: (signal: AbortSignal) => Promise<T>;
  /** The value the server rendered; it is still reloaded once the rooms are joined. */
  initialData?: T;
  /** False while there is nothing to load (no symbol selected). */
  isEnabled?: boolean;
  /** The Socket.IO event that changes the resource. */
  event: E;
  /**
   * Joins the rooms that carry `event` and resolves once the server has joined them; called on every
   * (re)connect, since a new connection starts in no room. Absent for events sent to every page.
   */
  join?: (socket: LiveSocket) => Promise<void>;
  leave?: (socket: LiveSocket) => void;
  /**
   * Folds one live event into the resource. Returns `data` itself for an event that is older than what
   * it holds or about something else. Absent: the event only says "changed", and the resource reloads.
   */
  merge?: (data: T, event: LiveEvent<E>) => T;
  /**
   * Whether an event cannot be merged into what the page holds (it says "many changed" rather than
   * what, or leaves part of the change out): the resource reloads instead, once a read in flight has
   * landed. An event that arrives while a read is in flight is judged against that read's answer when
   * the resource had no data to judge it by. Absent: every event is merged (or reloads, without `merge`).
   */
  reloadOn?: (data: T, event: LiveEvent<E>) => boolean;
  /**
   * Whether an event, merged, still leaves the resource short of part of the change (it left some out),
   * where reading the resource again is too dear to do on every such event: the first after a quiet
   * spell reads it again at once, the ones during the next `rereadIntervalMs` by one read after it (the
   * last is never left unread), and a read in flight is not cancelled. Absent: never.
   */
  rereadOn?: (data: T, event: LiveEvent<E>) => boolean;
  /**
   * Least time between two passes of `rereadOn` (ms; 0 when absent; read once per key). A pass that finds
   * a read in flight asks for one after it, which may then start sooner after the previous pass's.
   */
  rereadIntervalMs?: number;
  /** Also reload on a timer, for figures that change without an event (ms). */
  refetchInterval?: number;
};

export type LiveResource<T> = {
  data: T | undefined;
  /** The last failed read; `data` keeps the last good value meanwhile. */
  error: Error | null;
  isLoading: boolean;
  /** When a live event last changed the resource (ms), for "updated x ago"; null before the first. */
  liveAt: number | null;
  /** Reads the resource again now (after the page changed it), cancelling a read in flight. */
  reload: () => Promise<void>;
};

/** What the cache holds: the resource and when a live event last changed it. */
type Entry<T> = { value: T; liveAt: number | null };

/**
 * The live events that arrived while REST reads were in flight, numbered in arrival order; when the
 * newest read started; and the key whose events asked for a reload while reads were in flight (read
 * once none is).
 */
type Journal<E> = {
  seq: number;
  inFlight: number;
  events: { seq: number; event: E }[];
  newestReadAt: number;
  reloadDue: QueryKey | null;
};

/**
 * How long a read in flight holds back the reload an event asks for; past it, the read is taken for
 * stalled and cancelled, and the resource read again.
 */
const STALLED_READ_MS = 10_000;

/**
 * Settles a REST answer against the live events received since its request started, by folding them in
 * on top of it in arrival order. Why arrival order and not a version: REST bodies carry no publish time,
 * but an update is emitted only after its commit, so an event received before the request started is
 * already in the answer, while one received after it may be newer than the answer (the server read
 * before its commit). Updates of one key arrive in commit order (one Kafka partition, one socket), so
 * the fold ends on the newest state received; a commit the answer already holds whose event is still on
 * its way is applied when that event arrives. Hence an older REST answer never overwrites a newer live
 * value, whichever of the two arrives last.
 */
function settleAnswer<T, E>(
  answer: T,
  eventsSinceStart: readonly E[],
  merge: (data: T, event: E) => T,
  reloadOn?: (data: T, event: E) => boolean,
): { value: T; isReloadNeeded: boolean } {
  // An event that came before there was data to judge it by is judged here: one that cannot be merged
  // is left out, and the resource is read again.
  let isReloadNeeded = false;
  const value = eventsSinceStart.reduce((data, event) => {
    if (!reloadOn?.(data, event)) return merge(data, event);
    isReloadNeeded = true;
    return data;
  }, answer);
  return { value, isReloadNeeded };
}

/**
 * The one way a page keeps server data live: a TanStack query reads the REST snapshot, and the
 * Socket.IO `event` is merged into that query's cache (or triggers a reload). On every (re)connect it
 * joins its rooms first and reloads after the server confirmed them, so no update falls between the
 * REST read and the subscription; see `settleAnswer` for the race between the two.
 */
export function useLiveResource<T, E extends LiveEventName>(
  options: LiveResourceOptions<T, E>,
): LiveResource<T> {
  const { queryKey, event, isEnabled = true } = options;
  const queryClient = useQueryClient();
  const journal = useRef<Journal<LiveEvent<E>>>({
    seq: 0,
    inFlight: 0,
    events: [],
    newestReadAt: 0,
    reloadDue: null,
  });
  // The socket listeners live as long as the key; they read the newest callbacks through this ref.
  const latest = useRef(options);
  useEffect(() => {
    latest.current = options;
  });
  const key = hashKey(queryKey);

  const query = useQuery<Entry<T>>({
    queryKey,
    enabled: isEnabled,
    initialData: options.initialData === undefined ? undefined : { value: options.initialData, liveAt: null },
    refetchInterval: options.refetchInterval,
    queryFn: async ({ signal }) => {
      const j = journal.current;
      const from = j.seq;
      j.inFlight++;
      j.newestReadAt = Date.now();
      try {
        const answer = await latest.current.load(signal);
        const { merge, reloadOn } = latest.current;
        const since = j.events.filter((e) => e.seq > from).map((e) => e.event);
        const previous = queryClient.getQueryData<Entry<T>>(queryKey);
        if (!merge || since.length === 0) return { value: answer, liveAt: previous?.liveAt ?? null };
        const settled = settleAnswer(answer, since, merge, reloadOn);
        if (settled.isReloadNeeded) j.reloadDue = queryKey;
        return { value: settled.value, liveAt: previous?.liveAt ?? Date.now() };
      } finally {
        if (--j.inFlight === 0) {
          j.events = [];
          const due = j.reloadDue;
          if (due) {
            j.reloadDue = null;
            // Once this read has settled in the cache (invalidating now would cancel it); a read started
            // meanwhile started after the events, and is not cancelled either.
            setTimeout(
              () =>
                void queryClient.invalidateQueries({ queryKey: due, exact: true }, { cancelRefetch: false }),
              0,
            );
          }
        }
      }
    },
  });

  useEffect(() => {
    if (!isEnabled) return;
    const socket = getLiveSocket();
    const reload = () => queryClient.invalidateQueries({ queryKey, exact: true });
    /**
     * Reads the resource again after the events so far. A read in flight may predate them: another
     * follows it. It is not cancelled, so that a steady stream of such events (a backlog's omitted bars)
     * still lets every read land, unless it looks stalled.
     */
    const readAfterEvents = async () => {
      const j = journal.current;
      if (j.inFlight > 0 && Date.now() - j.newestReadAt < STALLED_READ_MS) {
        j.reloadDue = latest.current.queryKey;
        return;
      }
      // The read it starts follows every event so far: no other is due.
      j.reloadDue = null;
      await reload();
    };
    let isRereadDue = false;
    let isStopped = false;
    const rereads = createThrottledPass({
      intervalMs: latest.current.rereadIntervalMs ?? 0,
      hasWork: () => isRereadDue && !isStopped,
      pass: async () => {
        isRereadDue = false;
        if (!isStopped) await readAfterEvents();
      },
      onError: () => {}, // a failed read shows in `error`
    });
    const onEvent = (payload: LiveEvent<E>) => {
      const { merge, reloadOn, rereadOn } = latest.current;
      const held = queryClient.getQueryData<Entry<T>>(queryKey);
      if (!merge || (held && reloadOn?.(held.value, payload))) {
        void readAfterEvents();
        return;
      }
      // Without data (the first answer on its way, whose read may predate the event) it is read again.
      if (rereadOn && (!held || rereadOn(held.value, payload))) {
        isRereadDue = true;
        rereads.kick();
      }
      const j = journal.current;
      j.seq++;
      if (j.inFlight > 0) j.events.push({ seq: j.seq, event: payload });
      const entry = queryClient.getQueryData<Entry<T>>(queryKey);
      if (!entry) return; // the first REST answer is on its way and replays this event
      const value = merge(entry.value, payload);
      if (value !== entry.value) queryClient.setQueryData<Entry<T>>(queryKey, { value, liveAt: Date.now() });
    };
    const onConnect = () => {
      const joined = latest.current.join?.(socket) ?? Promise.resolve();
      // Reload even when joining failed: the page then shows REST data without live updates, and the
      // console says why (the next reconnect joins again).
      void joined
        .catch((error: unknown) =>
          console.warn(`live updates of ${event} unavailable: joining failed`, error),
        )
        .then(reload);
    };
    // socket.io's typed `on` cannot follow a generic event name to its listener type.
    const name: LiveEventName = event;
    const listener = onEvent as unknown as ServerToClientEvents[LiveEventName];
    socket.on(name, listener);
    socket.on("connect", onConnect);
    if (socket.connected) onConnect();
    return () => {
      isStopped = true;
      socket.off(name, listener);
      socket.off("connect", onConnect);
      if (socket.connected) latest.current.leave?.(socket);
    };
    // `key` stands for `queryKey` (a new array on every render with the same contents).
    // eslint-disable-next-line react-hooks/exhaustive-deps -- see above
  }, [key, event, isEnabled, queryClient]);

  const reload = useCallback(
    () => queryClient.invalidateQueries({ queryKey: latest.current.queryKey, exact: true }),
    [queryClient],
  );

  return {
    reload,
    data: query.data?.value,
    error: query.error,
    isLoading: query.isLoading,
    liveAt: query.data?.liveAt ?? null,
  };
}
