/**
 * A Map bounded by recency: `get` and `set` make an entry the most recently used, and `trim` evicts the
 * least recently used entries beyond `capacity`. Eviction is explicit (never inside `set`) so that a
 * unit of work may hold more entries than the capacity until it ends: the stream worker keeps every
 * symbol of a batch between loading its state and writing its rows, then trims. Written here rather
 * than taken from `lru-cache`, whose `set` evicts at once and would drop state a batch still uses.
 * A Map iterates in insertion order, so re-inserting on use keeps the oldest entry first.
 */
export type LruCache<K, V> = {
  readonly capacity: number;
  readonly size: number;
  /** The value, now the most recently used; undefined when absent. */
  get(key: K): V | undefined;
  has(key: K): boolean;
  /** Stores the value as the most recently used (may exceed the capacity until `trim`). */
  set(key: K, value: V): void;
  delete(key: K): boolean;
  clear(): void;
  values(): IterableIterator<V>;
  /** Evicts the least recently used entries until at most `capacity` remain; returns how many went. */
  trim(): number;
};

export function createLruCache<K, V>(capacity: number): LruCache<K, V> {
  if (!Number.isInteger(capacity) || capacity < 1)
    throw new RangeError(`an LRU cache needs a capacity of at least 1 (got ${capacity})`);
  const entries = new Map<K, V>();
  return {
    capacity,
    get size() {
      return entries.size;
    },
    get(key) {
      if (!entries.has(key)) return undefined;
      const value = entries.get(key) as V;
      entries.delete(key);
      entries.set(key, value);
      return value;
    },
    has: (key) => entries.has(key),
    set(key, value) {
      entries.delete(key);
      entries.set(key, value);
    },
    delete: (key) => entries.delete(key),
    clear: () => entries.clear(),
    values: () => entries.values(),
    trim() {
      let evicted = 0;
      for (const key of entries.keys()) {
        if (entries.size <= capacity) break;
        entries.delete(key);
        evicted++;
      }
      return evicted;
    },
  };
}
