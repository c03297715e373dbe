import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import type { TickV1 } from "@/lib/events/tick-v1";
import { loadRecordedBars } from "@/lib/ingest/replay/recorded-bars";
import { createReplayDriver } from "@/lib/ingest/replay/driver";
import { computePartialBar } from "@/lib/ingest/replay/intra-minute-path";
import { getReplayBar } from "@/lib/ingest/replay/wall-clock";
import { createSyntheticDriver } from "@/lib/ingest/synthetic/driver";
import type { IngestSymbol } from "@/lib/ingest/symbol-registry";
import { createFakeDriverDeps } from "@/tests/support/ingest/fake-driver-deps";

const MIN = 60_000;
const recorded = loadRecordedBars("data/minute-bars");
const symbol = (s: string, source: IngestSymbol["source"] = "replay"): IngestSymbol => ({
  symbol: s,
  source,
  pollIntervalSeconds: 60,
  timeZone: "America/New_York",
});
// Catching up runs in zero-delay steps; 100 ms lets them all run without reaching the next second.
const flush = () => vi.advanceTimersByTimeAsync(100);
const bareBar = ({ ts, open, high, low, close, volume }: TickV1) => ({ ts, open, high, low, close, volume });
// Monday 02:46:30 in New York: the real exchange is closed, the replay is not.
const NOW = Date.parse("2026-11-30T07:46:30Z");
const CURRENT = Date.parse("2026-11-30T07:46:00Z");

describe("replay source on the wall clock", () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(NOW);
  });
  afterEach(() => vi.useRealTimers());

  it("backfills a new symbol from midnight five days ago to the current minute, every minute once, none in the future", async () => {
    const fake = createFakeDriverDeps({ clock: Date.now });
    const driver = createReplayDriver({ recorded, backfillDays: 5, deps: fake.deps });
    await driver.start();
    driver.setSymbols([symbol("AAPL")]);
    await flush();
    const ticks = fake.publishedFor("AAPL");
    const first = Date.parse("2026-11-25T05:00:00Z"); // Wednesday 00:00 in New York
    expect(ticks[0]!.ts).toBe(first);
    expect(ticks.at(-1)!.ts).toBe(CURRENT);
    expect(ticks).toHaveLength((CURRENT - first) / MIN + 1);
    expect(ticks.every((t, i) => i === 0 || t.ts - ticks[i - 1]!.ts === MIN)).toBe(true);
    expect(ticks.every((t) => t.ts <= Date.now() && t.source === "replay")).toBe(true);
    // Every finished minute is its replay bar exactly; the current one is 30 s along its path.
    for (const t of ticks.slice(0, -1)) expect(bareBar(t)).toEqual(getReplayBar(recorded.get("AAPL")!, t.ts));
    const last = ticks.at(-1)!;
    expect(bareBar(last)).toEqual(
      computePartialBar(getReplayBar(recorded.get("AAPL")!, CURRENT), last.producedAt - CURRENT),
    );
    expect(last.volume).toBeLessThan(getReplayBar(recorded.get("AAPL")!, CURRENT).volume);
    await driver.stop();
  });

  it("revises the current minute's bar every second and starts a new bar when the minute turns", async () => {
    const fake = createFakeDriverDeps({ clock: Date.now });
    const driver = createReplayDriver({ recorded, backfillDays: 0, deps: fake.deps });
    await driver.start();
    driver.setSymbols([symbol("MSFT")]);
    await flush();
    const backfill = fake.publishedFor("MSFT").length;
    await vi.advanceTimersByTimeAsync(29_000); // to 07:46:59.1
    const revisions = fake.publishedFor("MSFT").slice(backfill);
    expect(revisions).toHaveLength(29);
    expect(revisions.every((t) => t.ts === CURRENT)).toBe(true);
    const volumes = revisions.map((t) => t.volume);
    expect(volumes.every((v, i) => i === 0 || v >= volumes[i - 1]!)).toBe(true);

    await vi.advanceTimersByTimeAsync(1_000); // 07:47:00.1: the minute turned
    const [final, opening] = fake.publishedFor("MSFT").slice(backfill + 29);
    const recording = recorded.get("MSFT")!;
    expect(bareBar(final!)).toEqual(getReplayBar(recording, CURRENT));
    const next = getReplayBar(recording, CURRENT + MIN);
    expect(opening).toMatchObject({ ts: CURRENT + MIN, open: next.open });
    expect(bareBar(opening!)).toEqual(computePartialBar(next, opening!.producedAt - (CURRENT + MIN)));
    expect(opening!.producedAt - (CURRENT + MIN)).toBeLessThan(1_000);

    await vi.advanceTimersByTimeAsync(150_000);
    const all = fake.publishedFor("MSFT");
    expect(all.every((t) => t.ts <= t.producedAt)).toBe(true);
    expect(new Set(all.map((t) => t.ts)).size).toBe((CURRENT + 3 * MIN - all[0]!.ts) / MIN + 1);
    await driver.stop();
  });

  it("holds while the publisher is full and then sends every missed minute once, in order, without skipping", async () => {
    const fake = createFakeDriverDeps({ clock: Date.now });
    const driver = createReplayDriver({ recorded, backfillDays: 0, deps: fake.deps });
    await driver.start();
    driver.setSymbols([symbol("SPY")]);
    await flush();
    const before = fake.publishedFor("SPY").length;
    fake.control.accepting = false;
    await vi.advanceTimersByTimeAsync(150_000); // to 07:49:00.1
    expect(fake.publishedFor("SPY")).toHaveLength(before);
    fake.control.accepting = true;
    await vi.advanceTimersByTimeAsync(1_000);
    const resumed = fake.publishedFor("SPY").slice(before);
    expect(resumed.map((t) => (t.ts - CURRENT) / MIN)).toEqual([0, 1, 2, 3]);
    for (const t of resumed.slice(0, 3)) expect(bareBar(t)).toEqual(getReplayBar(recorded.get("SPY")!, t.ts));
    await driver.stop();
  });

  it("resumes after the last final minute in its cursor; an old-style or missing cursor backfills; unknown symbols are invalid", async () => {
    const lastFinal = CURRENT - 10 * MIN;
    const fake = createFakeDriverDeps({
      clock: Date.now,
      cursors: {
        SPY: { lastTs: lastFinal + MIN, replaySeq: lastFinal }, // a partial bar of the next minute reached Kafka
        QQQ: { lastTs: CURRENT + 3 * 86_400_000, replaySeq: 400 }, // the replay before this one
      },
    });
    const driver = createReplayDriver({ recorded, backfillDays: 1, deps: fake.deps });
    await driver.start();
    driver.setSymbols([symbol("SPY"), symbol("QQQ"), symbol("ZZZZ")]);
    await flush();
    expect([...new Set(fake.publishedFor("SPY").map((t) => (t.ts - lastFinal) / MIN))]).toEqual([
      1, 2, 3, 4, 5, 6, 7, 8, 9, 10,
    ]);
    expect(fake.publishedFor("QQQ")[0]!.ts).toBe(Date.parse("2026-11-29T05:00:00Z"));
    expect(fake.invalid.map((i) => i.symbol)).toEqual(["ZZZZ"]);
    expect(fake.invalid[0]?.reason).toMatch(/no recorded bars for ZZZZ/);
    await driver.stop();
  });

  it("produces the same bars after a restart: no clock of its own to drift", async () => {
    const run = async () => {
      const fake = createFakeDriverDeps({ clock: Date.now });
      const driver = createReplayDriver({ recorded, backfillDays: 0, deps: fake.deps });
      await driver.start();
      driver.setSymbols([symbol("NVDA")]);
      await flush();
      await driver.stop();
      return fake.publishedFor("NVDA").map(bareBar);
    };
    const first = await run();
    vi.setSystemTime(NOW + 90_000);
    const second = await run();
    expect(second.slice(0, first.length - 1)).toEqual(first.slice(0, -1));
    expect(second.length).toBe(first.length + 2);
  });
});

describe("synthetic source", () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(Date.parse("2026-11-23T15:00:30Z"));
  });
  afterEach(() => vi.useRealTimers());

  it("fast-forwards through the last day at the configured rate of consistent, minute-spaced bars for any number of symbols", async () => {
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
    expect(fake.publishedFor("SYN0")[0]!.ts).toBe(Date.parse("2026-11-22T15:00:00Z"));
    await driver.stop();
  });

  it("resumes from its stored clock, and starts a new clock when the stored one fails its schema", async () => {
    const startTs = Date.parse("2026-11-23T14:00:00Z");
    const resumed = createFakeDriverDeps({
      clock: Date.now,
      state: { "synthetic.clock.42": { startTs, position: 50 } },
    });
    const driver = createSyntheticDriver({ seed: 42, barsPerSecond: 1_000, deps: resumed.deps });
    await driver.start();
    driver.setSymbols([symbol("SYN0", "synthetic")]);
    await flush();
    await driver.stop();
    expect(resumed.publishedFor("SYN0")[0]!.ts).toBe(startTs + 50 * 60_000);

    const broken = createFakeDriverDeps({
      clock: Date.now,
      state: { "synthetic.clock.42": { startTs: "yesterday", position: 50 } },
    });
    const fresh = createSyntheticDriver({ seed: 42, barsPerSecond: 1_000, deps: broken.deps });
    await fresh.start();
    fresh.setSymbols([symbol("SYN0", "synthetic")]);
    await flush();
    await fresh.stop();
    // A new clock starts a day before now, like a first start, and replaces the broken value.
    expect(broken.publishedFor("SYN0")[0]!.ts).toBe(Date.parse("2026-11-22T15:00:00Z"));
    expect(broken.state.get("synthetic.clock.42")).toMatchObject({
      startTs: Date.parse("2026-11-22T15:00:00Z"),
    });
  });

  it("never passes the wall clock: once caught up, one bar as each minute starts", async () => {
    const fake = createFakeDriverDeps({ clock: Date.now });
    const driver = createSyntheticDriver({ seed: 42, barsPerSecond: 1_000, deps: fake.deps });
    await driver.start();
    driver.setSymbols([symbol("SYN0", "synthetic")]);
    await flush();
    await vi.advanceTimersByTimeAsync(150_000);
    const ticks = fake.publishedFor("SYN0");
    expect(ticks.every((t) => t.ts <= t.producedAt)).toBe(true);
    expect(ticks.at(-1)!.ts).toBe(Date.parse("2026-11-23T15:03:00Z"));
    expect(ticks.every((t, j) => j === 0 || t.ts - ticks[j - 1]!.ts === 60_000)).toBe(true);
    await driver.stop();
  });
});
