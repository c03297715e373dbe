import { describe, expect, it } from "vitest";

import { createLruCache } from "@/lib/lru-cache";

describe("createLruCache", () => {
  it("keeps entries beyond the capacity until trim, then evicts the least recently used", () => {
    const cache = createLruCache<string, number>(2);
    cache.set("a", 1);
    cache.set("b", 2);
    cache.set("c", 3);
    expect(cache.size).toBe(3);
    expect(cache.trim()).toBe(1);
    expect([...cache.values()]).toEqual([2, 3]);
    expect(cache.has("a")).toBe(false);
  });

  it("counts a get as a use: the entry read last survives the trim", () => {
    const cache = createLruCache<string, number>(2);
    cache.set("a", 1);
    cache.set("b", 2);
    expect(cache.get("a")).toBe(1);
    cache.set("c", 3);
    cache.trim();
    expect(cache.has("a")).toBe(true);
    expect(cache.has("b")).toBe(false);
  });

  it("lists its keys least recently used first", () => {
    const cache = createLruCache<string, number>(3);
    cache.set("a", 1);
    cache.set("b", 2);
    cache.set("c", 3);
    cache.get("a");
    expect([...cache.keys()]).toEqual(["b", "c", "a"]);
  });

  it("counts re-setting an existing key as a use, without a second entry", () => {
    const cache = createLruCache<string, number>(2);
    cache.set("a", 1);
    cache.set("b", 2);
    cache.set("a", 10);
    cache.set("c", 3);
    expect(cache.trim()).toBe(1);
    expect(cache.get("a")).toBe(10);
    expect(cache.has("b")).toBe(false);
  });

  it("keeps a stored undefined apart from an absent key", () => {
    const cache = createLruCache<string, number | undefined>(1);
    cache.set("a", undefined);
    expect(cache.has("a")).toBe(true);
    expect(cache.get("missing")).toBeUndefined();
    expect(cache.size).toBe(1);
  });

  it("trims nothing at or under the capacity, and deletes and clears", () => {
    const cache = createLruCache<string, number>(3);
    cache.set("a", 1);
    cache.set("b", 2);
    expect(cache.trim()).toBe(0);
    expect(cache.delete("a")).toBe(true);
    expect(cache.delete("a")).toBe(false);
    cache.clear();
    expect(cache.size).toBe(0);
  });

  it("refuses a capacity below one", () => {
    expect(() => createLruCache(0)).toThrow(RangeError);
    expect(() => createLruCache(1.5)).toThrow(RangeError);
  });

  it("with a weight bound, evicts the least recently used until the values' total weight fits", () => {
    const cache = createLruCache<string, number[]>(10, { maxWeight: 5, weigh: (bars) => bars.length });
    cache.set("a", [1, 2]);
    cache.set("b", [1, 2]);
    cache.set("c", [1]);
    expect(cache.trim()).toBe(0);
    // Weighed at trim: a value that grew in place counts as it is now.
    cache.get("a")!.push(3, 4);
    expect(cache.trim()).toBe(1);
    expect([...cache.values()].map((v) => v.length)).toEqual([1, 4]);
    expect(cache.has("b")).toBe(false);
    expect(cache.weight).toBe(5);
    cache.clear();
    expect(cache.weight).toBe(0);
  });

  it("keeps the newest entry even when it alone weighs more than the bound, and applies both bounds", () => {
    const cache = createLruCache<string, number>(2, { maxWeight: 10, weigh: (n) => n });
    cache.set("a", 1);
    cache.set("b", 1);
    cache.set("c", 1);
    expect(cache.trim()).toBe(1);
    cache.set("big", 50);
    expect(cache.trim()).toBe(2);
    expect([...cache.values()]).toEqual([50]);
    expect(() => createLruCache<string, number>(2, { maxWeight: 0, weigh: (n) => n })).toThrow(RangeError);
    for (const bad of [Number.NaN, -1, Infinity]) {
      cache.set("bad", bad);
      expect(() => cache.trim()).toThrow(/finite/);
      cache.delete("bad");
    }
  });
});
