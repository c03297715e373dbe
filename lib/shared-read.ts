export type SharedReadOptions<K> = {
  /** How long a read may hold up the callers that wait for the next (ms). */
  stalledAfterMs?: number;
  /** Told when the waiting read starts beside one that ran past `stalledAfterMs` (for a log line). */
  onStalled?: (key: K) => void;
};

/** The default of SharedReadOptions.stalledAfterMs. */
export const SHARED_READ_STALLED_MS = 10_000;

/**
 * Shares one read among the callers that ask for the same key at about the same time, without ever
 * answering a caller with a read that started before it asked (a live page settles a REST answer
 * against the events it received after its request: components/realtime/use-live-resource.ts, so an
 * answer must hold every commit made before the request). A caller that finds a read of its key in
 * flight waits for the next one, which starts as soon as that one has ended, or has run `stalledAfterMs`
 * (a hung read holds nobody up for longer), and serves every caller that came meanwhile. However many
 * callers, a key has at most one read in flight and one waiting, besides reads given up as stalled.
 *
 * The sharer keeps no code of its own: each call brings the read to run (the newest module's, across
 * dev reloads, when the sharer itself is kept on globalThis).
 */
export function createSharedRead<K, T>(options: SharedReadOptions<K> = {}) {
  const { stalledAfterMs = SHARED_READ_STALLED_MS, onStalled } = options;
  type Slot = { current: Promise<T> | null; startedAt: number; next: Promise<T> | null };
  const slots = new Map<K, Slot>();

  function start(key: K, slot: Slot, read: (key: K) => Promise<T>): Promise<T> {
    const reading: Promise<T> = read(key).finally(() => {
      if (slot.current === reading) slot.current = null;
      if (slot.current === null && slot.next === null && slots.get(key) === slot) slots.delete(key);
    });
    slot.current = reading;
    slot.startedAt = Date.now();
    return reading;
  }

  return (key: K, read: (key: K) => Promise<T>): Promise<T> => {
    let slot = slots.get(key);
    if (!slot) {
      slot = { current: null, startedAt: 0, next: null };
      slots.set(key, slot);
    }
    // A waiting read starts after this caller asked: it holds what the caller must see.
    if (slot.next) return slot.next;
    const inFlight = slot.current;
    if (!inFlight) return start(key, slot, read);
    const waiting = slot;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const stalled = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, Math.max(0, waiting.startedAt + stalledAfterMs - Date.now()));
    });
    const ended = inFlight.then(
      () => true,
      () => true,
    );
    waiting.next = Promise.race([ended, stalled.then(() => false)]).then((hasEnded) => {
      clearTimeout(timer);
      if (!hasEnded) onStalled?.(key);
      waiting.next = null;
      return start(key, waiting, read);
    });
    return waiting.next;
  };
}
