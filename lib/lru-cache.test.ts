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
});
