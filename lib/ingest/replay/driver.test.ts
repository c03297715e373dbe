import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import { loadRecordedBars } from "@/lib/ingest/replay/recorded-bars";
import { createReplayDriver } from "@/lib/ingest/replay/driver";
import { createSyntheticDriver } from "@/lib/ingest/synthetic/driver";
import type { IngestSymbol } from "@/lib/ingest/symbol-registry";
import { createFakeDriverDeps } from "@/tests/support/ingest/fake-driver-deps";

const recorded = loadRecordedBars("data/minute-bars");
const symbol = (s: string, source: IngestSymbol["source"] = "replay"): IngestSymbol => ({
  symbol: s,
  source,
  pollIntervalSeconds: 60,
  timeZone: "America/New_York",
});
const flush = () => vi.advanceTimersByTimeAsync(0);

describe("replay source", () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(Date.parse("2026-11-23T15:00:00Z")); // Monday 10:00 New York
  });
  afterEach(() => vi.useRealTimers());

  it("backfills a new symbol from the previous replay day's open, then plays one bar a second at 60x", async () => {
    const fake = createFakeDriverDeps({ clock: Date.now });
    const driver = createReplayDriver({ recorded, timeZone: "America/New_York", speed: 60, deps: fake.deps });
    await driver.start();
    driver.setSymbols([symbol("AAPL")]);
    await flush();
    await vi.advanceTimersByTimeAsync(1_000);
    const backfill = fake.publishedFor("AAPL").length;
    // Friday's whole session (recorded 2026-03-12) plus today's (2026-03-13) from 09:30 to the clock:
    // 10:00 at start, one replayed minute later after the first second = 390 + 32 bars.
    expect(backfill).toBe(390 + 32);
    const first = fake.publishedFor("AAPL")[0]!;
    expect(new Date(first.ts).toISOString()).toBe("2026-11-20T14:30:00.000Z"); // Fri 09:30 EST
    const original = recorded.get("AAPL")![0]!;
    expect(first).toMatchObject({
      open: original.open,
      high: original.high,
      low: original.low,
      close: original.close,
      volume: original.volume,
      source: "replay",
    });

    await vi.advanceTimersByTimeAsync(5_000);
    const live = fake.publishedFor("AAPL").slice(backfill);
    expect(live).toHaveLength(5);
    expect(live.map((t) => (t.ts - fake.publishedFor("AAPL")[backfill - 1]!.ts) / 60_000)).toEqual([
      1, 2, 3, 4, 5,
    ]);
    await driver.stop();
  });

  it("holds while the publisher is full and resumes where it stopped, without skipping", async () => {
    const fake = createFakeDriverDeps({ clock: Date.now });
    const driver = createReplayDriver({ recorded, timeZone: "America/New_York", speed: 60, deps: fake.deps });
    await driver.start();
    driver.setSymbols([symbol("MSFT")]);
    await flush();
    await vi.advanceTimersByTimeAsync(2_000);
    const before = fake.publishedFor("MSFT").length;
    fake.control.accepting = false;
    await vi.advanceTimersByTimeAsync(30_000);
    expect(fake.publishedFor("MSFT")).toHaveLength(before);
    fake.control.accepting = true;
    await vi.advanceTimersByTimeAsync(3_000);
    const ts = fake.publishedFor("MSFT").map((t) => t.ts);
    expect(ts.length).toBeGreaterThan(before);
    expect(ts.length - before).toBeLessThanOrEqual(4); // no burst for the 30 s held
    expect(ts.every((t, i) => i === 0 || t > ts[i - 1]!)).toBe(true);
    await driver.stop();
  });

  it("resumes a symbol after its durable cursor and marks unknown symbols invalid", async () => {
    const fake = createFakeDriverDeps({ clock: Date.now, cursors: { SPY: { lastTs: 0, replaySeq: 400 } } });
    const driver = createReplayDriver({ recorded, timeZone: "America/New_York", speed: 60, deps: fake.deps });
    await driver.start();
    driver.setSymbols([symbol("SPY"), symbol("ZZZZ")]);
    await flush();
    await vi.advanceTimersByTimeAsync(1_000);
    // Position 400 is minute 10 of the second recorded day; the next bar sent is position 401.
    expect(fake.publishedFor("SPY")[0]?.close).toBe(recorded.get("SPY")![401]!.close);
    expect(fake.publishedFor("SPY")).toHaveLength(421 - 400); // up to the clock: position 421
    expect(fake.invalid.map((i) => i.symbol)).toEqual(["ZZZZ"]);
    expect(fake.invalid[0]?.reason).toMatch(/no recorded bars for ZZZZ/);
    await driver.stop();
  });

  it("runs at the configured speed: 600x is ten bars a second", async () => {
    const fake = createFakeDriverDeps({
      clock: Date.now,
      cursors: { QQQ: { lastTs: 0, replaySeq: 10_000 } },
    });
    const driver = createReplayDriver({
      recorded,
      timeZone: "America/New_York",
      speed: 600,
      deps: fake.deps,
    });
    await driver.start();
    driver.setSymbols([symbol("QQQ")]);
    await flush();
    await vi.advanceTimersByTimeAsync(10_000);
    // The cursor is ahead of the clock: nothing until the clock passes it, so measure the clock instead.
    expect(driver.metrics().position).toBeGreaterThanOrEqual(390 + 30 + 99);
    expect(driver.metrics().position).toBeLessThanOrEqual(390 + 30 + 101);
    await driver.stop();
  });
});

describe("synthetic source", () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(Date.parse("2026-11-23T15:00:30Z"));
  });
  afterEach(() => vi.useRealTimers());

  it("produces the configured rate of consistent, minute-spaced bars for any number of symbols", async () => {
    const fake = createFakeDriverDeps({ clock: Date.now });
    const driver = createSyntheticDriver({ seed: 42, barsPerSecond: 5, deps: fake.deps });
    await driver.start();
    driver.setSymbols(Array.from({ length: 50 }, (_, i) => symbol(`SYN${i}`, "synthetic")));
    await flush();
    await vi.advanceTimersByTimeAsync(4_000);
    expect(fake.rejected).toHaveLength(0);
    for (let i = 0; i < 50; i++) {
      const ticks = fake.publishedFor(`SYN${i}`);
      expect(ticks.length).toBeGreaterThanOrEqual(19);
      expect(ticks.length).toBeLessThanOrEqual(21);
      expect(ticks.every((t, j) => j === 0 || t.ts - ticks[j - 1]!.ts === 60_000)).toBe(true);
    }
    expect(fake.publishedFor("SYN0")[0]!.ts).toBe(Date.parse("2026-11-23T15:00:00Z"));
    await driver.stop();
  });
});
