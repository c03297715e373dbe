/**
 * A Map bounded by recency: `get` and `set` make an entry the most recently used, and `trim` evicts the
 * least recently used entries beyond `capacity`. Eviction is explicit (never inside `set`) so that a
 * unit of work may hold more entries than the capacity until it ends: the stream worker keeps every
 * symbol of a batch between loading its state and writing its rows, then trims. Written here rather
 * than taken from `lru-cache`, whose `set` evicts at once and would drop state a batch still uses.
 * A Map iterates in insertion order, so re-inserting on use keeps the oldest entry first.
 *
 * An optional second bound weighs the values (`weigh`, read at `trim`, so values that grow in place are
 * weighed as they are then): `trim` also evicts the least recently used until their total weight is at
 * most `maxWeight`. The stream worker bounds its series states by symbols and by bars: 10,000 symbols of
 * ten bars each weigh what 1,000 symbols of a hundred do.
 */
export type LruCache<K, V> = {
  readonly capacity: number;
  readonly size: number;
  /** The values' total weight as the last `trim` left it (0 unweighed or before any trim). */
  readonly weight: number;
  /** The value, now the most recently used; undefined when absent. */
  get(key: K): V | undefined;
  has(key: K): boolean;
  /** Stores the value as the most recently used (may exceed the capacity until `trim`). */
  set(key: K, value: V): void;
  delete(key: K): boolean;
  clear(): void;
  /** The keys, least recently used first. */
  keys(): IterableIterator<K>;
  values(): IterableIterator<V>;
  /**
   * Evicts the least recently used entries until at most `capacity` remain and, when weighed, their
   * total weight is at most `maxWeight` (the newest entry stays even when it alone weighs more);
   * returns how many went.
   */
  trim(): number;
};

export type LruWeight<V> = { maxWeight: number; weigh: (value: V) => number };

export function createLruCache<K, V>(capacity: number, weight?: LruWeight<V>): LruCache<K, V> {
  if (!Number.isInteger(capacity) || capacity < 1)
    throw new RangeError(`an LRU cache needs a capacity of at least 1 (got ${capacity})`);
  if (weight && !(weight.maxWeight >= 1))
    throw new RangeError(`an LRU cache needs a maximum weight of at least 1 (got ${weight.maxWeight})`);
  const entries = new Map<K, V>();
  let lastWeight = 0;
  return {
    capacity,
    get size() {
      return entries.size;
    },
    get weight() {
      return lastWeight;
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
    clear() {
      entries.clear();
      lastWeight = 0;
    },
    keys: () => entries.keys(),
    values: () => entries.values(),
    trim() {
      let evicted = 0;
      let total = 0;
      const weigh = (value: V) => {
        const w = weight!.weigh(value);
        if (!(w >= 0 && Number.isFinite(w)))
          throw new RangeError(`an LRU weight must be finite and ≥ 0 (got ${w})`);
        return w;
      };
      if (weight) for (const value of entries.values()) total += weigh(value);
      for (const [key, value] of entries) {
        if (entries.size <= capacity && (!weight || total <= weight.maxWeight || entries.size === 1)) break;
        if (weight) total -= weigh(value);
        entries.delete(key);
        evicted++;
      }
      lastWeight = total;
      return evicted;
    },
  };
}
