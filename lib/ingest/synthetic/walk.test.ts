import { describe, expect, it } from "vitest";

import { createSyntheticWalk, hashSeed } from "@/lib/ingest/synthetic/walk";

describe("synthetic random walk", () => {
  it("is deterministic: the same seed and symbol give the same bars, in order or not", () => {
    const a = createSyntheticWalk(42, "SYN1");
    const b = createSyntheticWalk(42, "SYN1");
    const sequential = Array.from({ length: 200 }, (_, m) => a.barAt(m));
    expect(b.barAt(150)).toEqual(sequential[150]);
    expect(b.barAt(10)).toEqual(sequential[10]); // going back restarts the walk
    expect(b.barAt(10)).toEqual(sequential[10]); // asking twice gives the same bar
  });

  it("differs between seeds and symbols", () => {
    expect(createSyntheticWalk(42, "SYN1").barAt(5)).not.toEqual(createSyntheticWalk(43, "SYN1").barAt(5));
    expect(createSyntheticWalk(42, "SYN1").barAt(5)).not.toEqual(createSyntheticWalk(42, "SYN2").barAt(5));
    expect(hashSeed("a")).not.toBe(hashSeed("b"));
  });

  it("keeps OHLC consistent, prices in cents and positive, volume a non-negative integer, each bar opening at the previous close", () => {
    const walk = createSyntheticWalk(7, "LOAD");
    let previousClose: number | null = null;
    for (let m = 0; m < 5_000; m++) {
      const bar = walk.barAt(m);
      expect(bar.low).toBeLessThanOrEqual(Math.min(bar.open, bar.close));
      expect(bar.high).toBeGreaterThanOrEqual(Math.max(bar.open, bar.close));
      expect(bar.low).toBeGreaterThan(0);
      for (const p of [bar.open, bar.high, bar.low, bar.close]) expect(Math.round(p * 100) / 100).toBe(p);
      expect(Number.isInteger(bar.volume) && bar.volume >= 0).toBe(true);
      if (previousClose !== null) expect(bar.open).toBe(previousClose);
      previousClose = bar.close;
    }
  });
});
