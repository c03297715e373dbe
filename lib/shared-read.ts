/**
 * Shares one read among the callers that ask for the same key at about the same time, without ever
 * answering a caller with a read that started before it asked (a live page settles a REST answer
 * against the events it received after its request: components/realtime/use-live-resource.ts, so an
 * answer must hold every commit made before the request). A caller that finds a read of its key in
 * flight waits for the next one, which starts as soon as that one has ended and serves every caller
 * that came meanwhile. However many callers, a key has at most one read in flight and one waiting.
 */
export function createSharedRead<K, T>(read: (key: K) => Promise<T>): (key: K) => Promise<T> {
  type Slot = { current: Promise<T> | null; next: Promise<T> | null };
  const slots = new Map<K, Slot>();
  const ignore = () => undefined;

  function start(key: K, slot: Slot): Promise<T> {
    const reading: Promise<T> = read(key).finally(() => {
      if (slot.current === reading) slot.current = null;
      if (slot.current === null && slot.next === null) slots.delete(key);
    });
    slot.current = reading;
    return reading;
  }

  return (key) => {
    let slot = slots.get(key);
    if (!slot) {
      slot = { current: null, next: null };
      slots.set(key, slot);
    }
    // A waiting read starts after this caller asked: it holds what the caller must see.
    if (slot.next) return slot.next;
    const inFlight = slot.current;
    if (!inFlight) return start(key, slot);
    const waiting = slot;
    waiting.next = inFlight.then(ignore, ignore).then(() => {
      waiting.next = null;
      return start(key, waiting);
    });
    return waiting.next;
  };
}
