import { describe, expect, it } from "vitest";

import type { DailyStat } from "@/lib/kpi/types";
import {
  combineWatchlistTicks,
  MAX_SPARK_POINTS,
  mergeSparkline,
  mergeWatchlistTick,
  mergeWatchlistTicks,
  isSparklineCut,
  toWatchlistTick,
  type SparkPoint,
  type WatchlistRow,
  type WatchlistTick,
} from "@/lib/kpi/watchlist-row";

const MIN = 60_000;
const T0 = Date.UTC(2026, 10, 30, 14, 30);

function row(over: Partial<WatchlistRow> = {}): WatchlistRow {
  return {
    symbol: "AAPL",
    displayName: "Apple",
    status: "active",
    tradeDate: "2026-11-30",
    lastTs: T0 + 4 * MIN,
    last: 101,
    changePct: 1,
    volume: 5_000,
    dayHigh: 102,
    dayLow: 99,
    spark: [
      [T0, 100],
      [T0 + 2 * MIN, 101],
    ],
    ...over,
  };
}

function tick(over: Partial<WatchlistTick> = {}): WatchlistTick {
  return {
    symbol: "AAPL",
    tradeDate: "2026-11-30",
    lastTs: T0 + 5 * MIN,
    last: 103,
    changePct: 3,
    volume: 6_000,
    dayHigh: 103,
    dayLow: 99,
    bars: [[T0 + 5 * MIN, 103]],
    ...over,
  };
}

describe("mergeSparkline", () => {
  it("opens a point for a bar at or past the last bucket's end (width from the first two points)", () => {
    expect(mergeSparkline(row().spark, [[T0 + 4 * MIN, 104]])).toEqual([
      [T0, 100],
      [T0 + 2 * MIN, 101],
      [T0 + 4 * MIN, 104],
    ]);
  });

  it("sets the close of the last point for a bar inside its bucket", () => {
    expect(mergeSparkline(row().spark, [[T0 + 3 * MIN, 99.5]])).toEqual([
      [T0, 100],
      [T0 + 2 * MIN, 99.5],
    ]);
  });

  it("leaves earlier buckets alone (a late bar) and never mutates its input", () => {
    const spark = row().spark;
    expect(mergeSparkline(spark, [[T0 + MIN, 50]])).toEqual(spark);
    expect(spark[1]).toEqual([T0 + 2 * MIN, 101]);
  });

  it("starts an empty line with the bars, one a minute", () => {
    expect(
      mergeSparkline(
        [],
        [
          [T0 + MIN, 2],
          [T0, 1],
        ],
      ),
    ).toEqual([
      [T0, 1],
      [T0 + MIN, 2],
    ]);
  });

  it("merges neighbours pairwise past the cap (first ts, last close)", () => {
    const spark: SparkPoint[] = Array.from({ length: MAX_SPARK_POINTS }, (_, i) => [T0 + i * MIN, i]);
    const merged = mergeSparkline(spark, [[T0 + MAX_SPARK_POINTS * MIN, 999]]);
    expect(merged).toHaveLength(Math.ceil((MAX_SPARK_POINTS + 1) / 2));
    expect(merged[0]).toEqual([T0, 1]);
    expect(merged.at(-1)).toEqual([T0 + MAX_SPARK_POINTS * MIN, 999]);
  });
});

describe("mergeWatchlistTick", () => {
  it("replaces the figures of the same day and extends the sparkline", () => {
    const merged = mergeWatchlistTick(row(), tick());
    expect(merged).toMatchObject({
      last: 103,
      changePct: 3,
      volume: 6_000,
      dayHigh: 103,
      lastTs: T0 + 5 * MIN,
    });
    expect(merged.spark.at(-1)).toEqual([T0 + 5 * MIN, 103]);
    expect(merged.displayName).toBe("Apple");
  });

  it("ignores a tick of an earlier trading day (a late bar)", () => {
    const r = row();
    expect(mergeWatchlistTick(r, tick({ tradeDate: "2026-11-27" }))).toBe(r);
  });

  it("starts a later trading day afresh, sparkline included", () => {
    const merged = mergeWatchlistTick(row(), tick({ tradeDate: "2026-12-01", bars: [[T0 + 86_400_000, 7]] }));
    expect(merged.tradeDate).toBe("2026-12-01");
    expect(merged.spark).toEqual([[T0 + 86_400_000, 7]]);
  });

  it("takes the figures of a tick that left bars out, and leaves the sparkline as it was rather than cross them", () => {
    const r = row();
    const merged = mergeWatchlistTick(r, tick({ last: 120, omittedFrom: T0 + 3 * MIN }));
    expect(merged).toMatchObject({ last: 120, sparkCut: true });
    expect(merged.spark).toBe(r.spark);
    // The ticks of the day after it neither: the line would still cross the bars left out.
    const after = mergeWatchlistTick(
      merged,
      tick({ last: 121, lastTs: T0 + 9 * MIN, bars: [[T0 + 9 * MIN, 121]] }),
    );
    expect(after).toMatchObject({ last: 121, sparkCut: true });
    expect(after.spark).toBe(r.spark);
    // A later day's: the day's line is not known yet.
    const newDay = mergeWatchlistTick(
      r,
      tick({ tradeDate: "2026-12-01", bars: [[T0 + 86_400_000, 7]], omittedFrom: T0 + 86_000_000 }),
    );
    expect(newDay).toMatchObject({ tradeDate: "2026-12-01", spark: [], sparkCut: true });
  });

  it("starts a later day's line afresh after a cut of the day before", () => {
    const cut = mergeWatchlistTick(row(), tick({ omittedFrom: T0 + 3 * MIN }));
    const newDay = mergeWatchlistTick(cut, tick({ tradeDate: "2026-12-01", bars: [[T0 + 86_400_000, 7]] }));
    expect(newDay.spark).toEqual([[T0 + 86_400_000, 7]]);
    expect(newDay).not.toHaveProperty("sparkCut");
  });

  it("fills a row that had no bar yet", () => {
    const empty = row({ tradeDate: null, last: null, lastTs: null, spark: [] });
    expect(mergeWatchlistTick(empty, tick())).toMatchObject({ tradeDate: "2026-11-30", last: 103 });
  });
});

describe("mergeWatchlistTicks", () => {
  it("keeps the identity of untouched rows and of the list when nothing applies", () => {
    const rows = [row(), row({ symbol: "MSFT" })];
    const next = mergeWatchlistTicks(rows, [tick({ symbol: "MSFT" })]);
    expect(next).not.toBe(rows);
    expect(next[0]).toBe(rows[0]);
    expect(next[1]!.last).toBe(103);
    expect(mergeWatchlistTicks(rows, [tick({ symbol: "NOPE" })])).toBe(rows);
    expect(mergeWatchlistTicks(rows, [])).toBe(rows);
  });

  it("applies several ticks of one symbol in arrival order", () => {
    const [merged] = mergeWatchlistTicks([row()], [tick({ last: 110 }), tick({ last: 104 })]);
    expect(merged!.last).toBe(104);
  });
});

describe("combineWatchlistTicks", () => {
  it("takes the later figures and keeps the bars of both, the later close of a minute winning", () => {
    const a = tick({
      last: 1,
      bars: [
        [T0, 1],
        [T0 + MIN, 2],
      ],
    });
    const b = tick({ last: 3, bars: [[T0 + MIN, 3]] });
    expect(combineWatchlistTicks(a, b)).toMatchObject({
      last: 3,
      bars: [
        [T0, 1],
        [T0 + MIN, 3],
      ],
    });
  });

  it("keeps a newer day over a late tick of an older one", () => {
    const a = tick({ tradeDate: "2026-12-01" });
    expect(combineWatchlistTicks(a, tick({ tradeDate: "2026-11-30" }))).toBe(a);
  });

  it("keeps the older start of the bars either tick left out, whichever of the two left some out", () => {
    expect(combineWatchlistTicks(tick({ omittedFrom: T0 }), tick()).omittedFrom).toBe(T0);
    expect(combineWatchlistTicks(tick(), tick({ omittedFrom: T0 + MIN })).omittedFrom).toBe(T0 + MIN);
    expect(
      combineWatchlistTicks(tick({ omittedFrom: T0 + MIN }), tick({ omittedFrom: T0 })).omittedFrom,
    ).toBe(T0);
    expect(combineWatchlistTicks(tick(), tick())).not.toHaveProperty("omittedFrom");
  });

  it("drops what an older day's tick left out once a newer day's replaces it", () => {
    const combined = combineWatchlistTicks(tick({ omittedFrom: T0 }), tick({ tradeDate: "2026-12-01" }));
    expect(combined).not.toHaveProperty("omittedFrom");
  });
});

describe("isSparklineCut", () => {
  it("is true for a tick that left bars out of a row it merges into, of the row's day or a later one", () => {
    expect(isSparklineCut([row()], [tick({ omittedFrom: T0 + 3 * MIN })])).toBe(true);
    expect(isSparklineCut([row()], [tick({ tradeDate: "2026-12-01", omittedFrom: T0 })])).toBe(true);
    // A row without a day yet: its first bars came cut.
    expect(isSparklineCut([row({ tradeDate: null, spark: [] })], [tick({ omittedFrom: T0 })])).toBe(true);
  });

  it("is false without a cut, for a symbol the page does not hold, and for an older day's late tick", () => {
    expect(isSparklineCut([row()], [tick()])).toBe(false);
    expect(isSparklineCut([row()], [tick({ symbol: "MSFT", omittedFrom: T0 })])).toBe(false);
    expect(isSparklineCut([row()], [tick({ tradeDate: "2026-11-27", omittedFrom: T0 })])).toBe(false);
  });

  it("looks at every tick of the batch", () => {
    const rows = [row(), row({ symbol: "MSFT" })];
    expect(isSparklineCut(rows, [tick(), tick({ symbol: "MSFT", omittedFrom: T0 })])).toBe(true);
  });
});

describe("toWatchlistTick", () => {
  const day: DailyStat = {
    symbol: "AAPL",
    tradeDate: "2026-11-30",
    open: 100,
    high: 105,
    low: 98,
    close: 104,
    volume: 9_000,
    prevClose: 100,
    changePct: 4,
    range: 7,
    rangePct: 7.14,
    vwap: 101,
    barCount: 3,
    firstTs: T0,
    lastTs: T0 + 2 * MIN,
  };

  it("carries the day's figures and only the bars of that day", () => {
    const t = toWatchlistTick(
      [
        { ts: T0 - 86_400_000, close: 1, tradeDate: "2026-11-27" },
        { ts: T0 + 2 * MIN, close: 104, tradeDate: "2026-11-30" },
      ],
      day,
    );
    expect(t).toEqual({
      symbol: "AAPL",
      tradeDate: "2026-11-30",
      lastTs: T0 + 2 * MIN,
      last: 104,
      changePct: 4,
      volume: 9_000,
      dayHigh: 105,
      dayLow: 98,
      bars: [[T0 + 2 * MIN, 104]],
    });
  });

  it("is null without a day", () => {
    expect(toWatchlistTick([], null)).toBeNull();
  });

  it("says where the bars left out of the update start when they may be of the day", () => {
    const sent = [
      { ts: T0 + 2 * MIN, close: 104, tradeDate: "2026-11-30" },
      { ts: T0 + MIN, close: 103, tradeDate: "2026-11-30" },
    ];
    expect(toWatchlistTick(sent, day, T0)).toMatchObject({ omittedFrom: T0 });
    expect(toWatchlistTick(sent, day)).not.toHaveProperty("omittedFrom");
  });

  it("drops it when the oldest bar sent is of an earlier day: those left out are older still", () => {
    const sent = [
      { ts: T0 + 2 * MIN, close: 104, tradeDate: "2026-11-30" },
      { ts: T0 - 86_400_000, close: 1, tradeDate: "2026-11-27" },
    ];
    expect(toWatchlistTick(sent, day, T0 - 2 * 86_400_000)).not.toHaveProperty("omittedFrom");
  });
});
