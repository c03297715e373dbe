import { describe, expect, it } from "vitest";

import { SYMBOLS_UPDATE_KEY, type KpiUpdateV1, type SymbolKpiUpdateV1 } from "@/lib/events/kpi-update-v1";
import { symbolsKpiUpdateV3Schema } from "@/lib/events/kpi-update-v3";
import {
  readProducedAtHeaders,
  readPublishedAtHeader,
  readUpdateCountHeader,
} from "@/lib/events/produced-at-headers";
import { applyRevisions, createSeriesState } from "@/lib/kpi/symbol-series";
import {
  addTouchedRankings,
  buildSymbolUpdates,
  createTouchedRankings,
  MAX_BARS_PER_UPDATE,
  SYMBOLS_MESSAGE_WEIGHT,
  toKpiMessages,
  toSymbolsMessages,
} from "@/workers/handlers/kpi-updates";

const M = 60_000;

/** A pass of symbol updates that left no bar out. */
const whole = (updates: SymbolKpiUpdateV1[]) => ({ updates, omitted: new Map<string, number>() });
const DAY1 = Date.parse("2026-03-12T13:30:00Z");
const DAY2 = Date.parse("2026-03-13T13:30:00Z");

/** What the stream worker computes for 25 bars over two days: every indicator filled on day 2. */
function computeUpdates(): KpiUpdateV1[] {
  const state = createSeriesState(
    { symbol: "AAPL", timeZone: "America/New_York", windows: [5, 15], finalGraceMs: 30_000 },
    [],
    true,
  );
  const bars = Array.from({ length: 25 }, (_, i) => {
    const close = 100 + Math.sin(i) * 3;
    return {
      ts: (i < 5 ? DAY1 : DAY2) + i * M,
      open: close - 0.5,
      high: close + 1,
      low: close - 1,
      close,
      volume: 100 + i,
    };
  });
  const changes = applyRevisions(state, bars, DAY2 + 30 * M);
  const gainer = { symbol: "AAPL", gainPct: 1.5, lastClose: 101, totalVolume: 500, rank: 1 };
  return [
    {
      v: 1,
      type: "symbol",
      symbol: "AAPL",
      bars: changes.bars,
      day: changes.days.at(-1) ?? null,
      windows: changes.windows,
      publishedAt: DAY2 + 30 * M,
    },
    {
      v: 1,
      type: "movers",
      windowMinutes: 5,
      windowStart: DAY2,
      windowEnd: DAY2 + 5 * M,
      gainers: [gainer],
      losers: [{ ...gainer, symbol: "MSFT", gainPct: -2 }],
      publishedAt: DAY2 + 30 * M,
    },
  ];
}

describe("toKpiMessages", () => {
  it("sends every field the KPI math computed, unchanged", () => {
    const updates = computeUpdates();
    const newest = updates[0]?.type === "symbol" ? updates[0].bars.at(-1) : undefined;
    expect(newest?.ma20).not.toBeNull();
    expect(newest?.ema20).not.toBeNull();
    const messages = toKpiMessages(updates);
    expect(messages.map((m) => m.key)).toEqual(["AAPL", "movers:5"]);
    expect(messages.map((m) => m.value)).toStrictEqual(updates);
  });

  it("heads each message with its update's publishedAt and the producedAt range it is given", () => {
    const updates = computeUpdates();
    const range = { oldest: 1_700_000_000_000, newest: 1_700_000_000_900 };
    const messages = toKpiMessages(updates, (u) => (u.type === "symbol" ? range : null));
    expect(messages.map((m) => readPublishedAtHeader(m.headers))).toEqual(updates.map((u) => u.publishedAt));
    expect(messages.map((m) => readProducedAtHeaders(m.headers ?? {}))).toEqual([range, null]);
  });

  it("refuses an update carrying a field the contract lacks instead of stripping it", () => {
    const [symbolUpdate] = computeUpdates();
    if (symbolUpdate?.type !== "symbol") throw new Error("expected the symbol update first");
    const withExtra = { ...symbolUpdate, bars: symbolUpdate.bars.map((b) => ({ ...b, rsi14: 50 })) };
    expect(() => toKpiMessages([withExtra])).toThrow(/rsi14/);
  });

  it("checks every movers update, wherever it comes in the call", () => {
    const [symbolUpdate, moversUpdate] = computeUpdates();
    if (symbolUpdate?.type !== "symbol" || moversUpdate?.type !== "movers")
      throw new Error("unexpected updates");
    const badMovers = { ...moversUpdate, gainers: moversUpdate.gainers.map((m) => ({ ...m, rank: 0.5 })) };
    expect(() => toKpiMessages([symbolUpdate, moversUpdate])).not.toThrow();
    expect(() => toKpiMessages([symbolUpdate, symbolUpdate, badMovers])).toThrow(/rank|int/i);
  });
});

describe("toSymbolsMessages", () => {
  /** The computed symbol update under other symbols, each with its first `bars` bars. */
  function symbolUpdates(bars: readonly number[]): SymbolKpiUpdateV1[] {
    const [computed] = computeUpdates();
    if (computed?.type !== "symbol") throw new Error("expected the symbol update first");
    const all = Array.from({ length: 200 }, (_, i) => ({ ...computed.bars[i % computed.bars.length]! }));
    return bars.map((n, i) => {
      const symbol = `S${i}`;
      return {
        ...computed,
        symbol,
        bars: all.slice(0, n).map((b) => ({ ...b, symbol })),
        day: computed.day && { ...computed.day, symbol },
        windows: computed.windows.map((w) => ({ ...w, symbol })),
      };
    });
  }

  it("puts the updates of a pass in order into v3 messages of about SYMBOLS_MESSAGE_WEIGHT rows, each under the one key", () => {
    // Each update weighs its bars, its day, its two windows and one more: 104 three times passes 300.
    const updates = symbolUpdates([100, 100, 100, 1, 60, 0]);
    const messages = toSymbolsMessages(whole(updates));
    expect(SYMBOLS_MESSAGE_WEIGHT).toBe(300);
    expect(messages.map((m) => m.key)).toEqual([SYMBOLS_UPDATE_KEY, SYMBOLS_UPDATE_KEY]);
    expect(messages.map((m) => m.value.updates.map((u) => u.symbol))).toEqual([
      ["S0", "S1", "S2"],
      ["S3", "S4", "S5"],
    ]);
    for (const { value } of messages) {
      expect(symbolsKpiUpdateV3Schema.parse(JSON.parse(JSON.stringify(value)))).toStrictEqual(value);
      expect(value.publishedAt).toBe(updates[0]!.publishedAt);
    }
    expect(messages.flatMap((m) => m.value.updates)).toStrictEqual(updates);
    expect(toSymbolsMessages(whole([]))).toEqual([]);
  });

  it("heads each message with the publishedAt, how many updates it holds and the producedAt range over its own symbols' events", () => {
    const updates = symbolUpdates([200, 200, 5]);
    const ranges = new Map([
      ["S0", { oldest: 40, newest: 50 }],
      ["S1", { oldest: 10, newest: 45 }],
      ["S2", { oldest: 60, newest: 70 }],
    ]);
    const messages = toSymbolsMessages(whole(updates), (symbol) => ranges.get(symbol) ?? null);
    expect(messages.map((m) => readProducedAtHeaders(m.headers ?? {}))).toEqual([
      { oldest: 10, newest: 50 },
      { oldest: 60, newest: 70 },
    ]);
    expect(messages.map((m) => readPublishedAtHeader(m.headers))).toEqual([DAY2 + 30 * M, DAY2 + 30 * M]);
    expect(messages.map((m) => readUpdateCountHeader(m.headers ?? {}))).toEqual(
      messages.map((m) => m.value.updates.length),
    );
    expect(messages.map((m) => m.value.updates.length)).toEqual([2, 1]);
    // No range known: no range headers.
    expect(toSymbolsMessages(whole(updates)).map((m) => readProducedAtHeaders(m.headers ?? {}))).toEqual([
      null,
      null,
    ]);
  });

  it("keeps each message to about 100 KB of JSON, however the rows fall: one-bar updates or full ones", () => {
    const [computed] = computeUpdates();
    if (computed?.type !== "symbol") throw new Error("expected the symbol update first");
    // Three window lengths and 20-character symbols, every number with 17 digits.
    const windows = [5, 15, 60].map((windowMinutes) => ({ ...computed.windows[0]!, windowMinutes }));
    const pass = (bars: number) =>
      symbolUpdates(Array.from({ length: 1_000 }, () => bars)).map((u, i) => {
        const symbol = `S${String(i).padStart(19, "0")}`;
        return {
          ...u,
          symbol,
          bars: u.bars.map((b) => ({ ...b, symbol })),
          day: u.day && { ...u.day, symbol },
          windows: windows.map((w) => ({ ...w, symbol })),
        };
      });
    for (const bars of [1, 60]) {
      const messages = toSymbolsMessages(whole(pass(bars)));
      const sizes = messages.map((m) => JSON.stringify(m.value).length);
      expect(messages.flatMap((m) => m.value.updates)).toHaveLength(1_000);
      // 300 rows of at most about 450 bytes, and one update of 65 rows past them.
      expect(Math.max(...sizes), `${bars} bars an update`).toBeLessThan(170_000);
      expect(Math.min(...sizes.slice(0, -1)), `${bars} bars an update`).toBeGreaterThan(60_000);
    }
  });

  it("gives each message the bars left out of its own updates, and no other's", () => {
    // Each update of 60 bars weighs 64 rows: five fill a message.
    const updates = symbolUpdates([60, 60, 60, 60, 60, 60, 3]);
    const omitted = new Map([
      ["S1", 1_000],
      ["S5", 3_000],
    ]);
    const messages = toSymbolsMessages({ updates, omitted });
    expect(messages.map((m) => m.value.updates.map((u) => u.symbol))).toEqual([
      ["S0", "S1", "S2", "S3", "S4"],
      ["S5", "S6"],
    ]);
    expect(messages.map((m) => m.value.omitted)).toEqual([{ S1: 1_000 }, { S5: 3_000 }]);
    expect(toSymbolsMessages(whole(updates)).map((m) => m.value.omitted)).toEqual([{}, {}]);
    for (const { value } of messages)
      expect(symbolsKpiUpdateV3Schema.parse(JSON.parse(JSON.stringify(value)))).toStrictEqual(value);
  });

  it("refuses a pass whose updates carry a field the contract lacks", () => {
    const [update] = symbolUpdates([3]);
    const withExtra = { ...update!, bars: update!.bars.map((b) => ({ ...b, rsi14: 50 })) };
    expect(() => toSymbolsMessages(whole([withExtra]))).toThrow(/rsi14/);
  });
});

describe("buildSymbolUpdates and addTouchedRankings", () => {
  it("send every changed symbol at once and collect the rankings its changes touched, for a later movers pass", () => {
    const [computed] = computeUpdates();
    if (computed?.type !== "symbol") throw new Error("expected a symbol update");
    const windows = computed.windows;
    // As many bars as an update carries whole.
    const bars = computed.bars.slice(-MAX_BARS_PER_UPDATE);
    const changes = new Map([
      ["AAPL", { bars, days: computed.day ? [computed.day] : [], windows }],
      ["IDLE", { bars: [], days: [], windows }],
    ]);
    const {
      updates: [update, ...others],
      omitted,
    } = buildSymbolUpdates(changes, DAY2 + 30 * M);
    expect(omitted).toEqual(new Map());
    expect(others).toEqual([]);
    expect(update).toMatchObject({ type: "symbol", symbol: "AAPL", bars, day: computed.day });
    // The newest window of each length, as a live update carries them.
    const newest = [5, 15].map((length) =>
      windows
        .filter((w) => w.windowMinutes === length)
        .reduce((a, b) => (b.windowStart > a.windowStart ? b : a)),
    );
    expect(
      update?.type === "symbol" && [...update.windows].sort((a, b) => a.windowMinutes - b.windowMinutes),
    ).toEqual(newest);

    const touched = createTouchedRankings();
    addTouchedRankings(touched, changes, { oldest: 5, newest: 9 });
    addTouchedRankings(touched, changes, { oldest: 2, newest: 7 });
    addTouchedRankings(touched, new Map(), null);
    // A symbol with no bar and no day touches nothing; the same window twice is one ranking.
    expect([...touched.windows.keys()]).toEqual(windows.map((w) => `${w.windowMinutes}:${w.windowStart}`));
    expect([...touched.tradeDates]).toEqual([computed.day!.tradeDate]);
    expect(touched.produced).toEqual({ oldest: 2, newest: 9 });
  });
});

describe("buildSymbolUpdates", () => {
  it("sends the newest MAX_BARS_PER_UPDATE bars of a symbol that changed more, and names the start of the oldest it left out", () => {
    const state = createSeriesState(
      { symbol: "AAPL", timeZone: "America/New_York", windows: [5], finalGraceMs: 30_000 },
      [],
      true,
    );
    const count = MAX_BARS_PER_UPDATE + 40;
    const bars = Array.from({ length: count }, (_, i) => ({
      ts: DAY2 + i * M,
      open: 100,
      high: 101 + (i % 7),
      low: 99,
      close: 100 + (i % 5),
      volume: 10 + i,
    }));
    const changes = applyRevisions(state, bars, DAY2 + count * M);
    expect(changes.bars).toHaveLength(count);
    const few = { ...changes, bars: changes.bars.slice(0, MAX_BARS_PER_UPDATE) };
    const { updates, omitted } = buildSymbolUpdates(
      new Map([
        ["AAPL", changes],
        ["MSFT", few],
      ]),
      DAY2 + count * M,
    );
    expect(updates.map((u) => [u.symbol, u.bars.length])).toEqual([
      ["AAPL", MAX_BARS_PER_UPDATE],
      ["MSFT", MAX_BARS_PER_UPDATE],
    ]);
    expect(updates[0]!.bars).toEqual(changes.bars.slice(-MAX_BARS_PER_UPDATE));
    expect(updates[1]!.bars).toEqual(few.bars);
    // AAPL's 40 oldest bars were left out, from the first; MSFT lost none.
    expect(omitted).toEqual(new Map([["AAPL", DAY2]]));
  });
});
