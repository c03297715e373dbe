import { describe, expect, it } from "vitest";

import { DLQ_HEADERS } from "@/lib/events/topics";
import { createRandom } from "@/lib/ingest/synthetic/walk";
import { parseTickMessage } from "@/lib/events/tick-v1";
import { isFutureBar } from "@/lib/kpi/future-bar";
import type { ReadMessage } from "@/tests/integration/support/read-topic";

import { checkDeadLetters } from "./dead-letters";
import {
  BAD_CATEGORIES,
  buildBadEvents,
  buildGoodEvents,
  EXPECTED_CLASS,
  interleave,
  type SuiteBar,
} from "./events";

const NOW = Date.UTC(2026, 10, 30, 12, 0);
const SYMBOLS = ["FLT-AAPL", "FLT-MSFT"];

/** The class the stream worker gives an event (tick-batch.ts: parse, then the clock, then the key). */
function classify(key: string, value: string): string | null {
  const parsed = parseTickMessage(value);
  if (!parsed.ok) return parsed.reasonClass;
  if (isFutureBar(parsed.tick.ts, NOW, 60_000)) return "future_bar";
  if (parsed.tick.symbol !== key) return "key_mismatch";
  return null;
}

describe("the fault suite's malformed events", () => {
  it.each(BAD_CATEGORIES)("every %s event is rejected with its expected class", (category) => {
    const events = buildBadEvents(category, 50, SYMBOLS, NOW);
    expect(events).toHaveLength(50);
    for (const e of events) expect(classify(e.key, e.value)).toBe(EXPECTED_CLASS[category]);
  });
});

describe("the fault suite's good events", () => {
  const bars: SuiteBar[] = SYMBOLS.flatMap((symbol, s) =>
    Array.from({ length: 300 }, (_, i) => ({
      symbol,
      ts: Date.UTC(2026, 2, 12, 13, 30) + i * 60_000,
      open: 100 + s + i / 100,
      high: 102 + s + i / 100,
      low: 98 + s + i / 100,
      close: 101 + s + i / 100,
      volume: 1_000 + i,
    })),
  );

  it("are all valid, and the last event of each bar (the highest offset) carries its true values", () => {
    const events = buildGoodEvents(bars, createRandom(1));
    expect(events.length).toBeGreaterThan(bars.length); // revisions and duplicates
    const last = new Map<string, string>();
    for (const e of events) {
      expect(classify(e.key, e.value)).toBeNull();
      const tick = JSON.parse(e.value) as { symbol: string; ts: number };
      last.set(`${tick.symbol}|${tick.ts}`, e.value);
    }
    expect(last.size).toBe(bars.length);
    for (const bar of bars) {
      const tick = JSON.parse(last.get(`${bar.symbol}|${bar.ts}`)!) as Record<string, number>;
      expect([tick.open, tick.high, tick.low, tick.close, tick.volume]).toEqual([
        bar.open,
        bar.high,
        bar.low,
        bar.close,
        bar.volume,
      ]);
    }
    // Some bars arrive after a later bar of their symbol (late bars).
    const order = events.map((e) => JSON.parse(e.value) as { symbol: string; ts: number });
    expect(order.some((t, i) => i > 0 && t.symbol === order[i - 1]!.symbol && t.ts < order[i - 1]!.ts)).toBe(
      true,
    );
  });

  it("interleaving keeps each list's own order", () => {
    const mixed = interleave([1, 2, 3, 4], [10, 20, 30], createRandom(2));
    expect(mixed.filter((x) => x < 10)).toEqual([1, 2, 3, 4]);
    expect(mixed.filter((x) => x >= 10)).toEqual([10, 20, 30]);
  });
});

describe("checkDeadLetters", () => {
  const at = (partition: number, offset: number, value: string): ReadMessage => ({
    partition,
    offset,
    key: "K",
    value,
    headers: {},
  });
  const letter = (partition: number, offset: number, cls: string, topic = "t"): ReadMessage => ({
    partition: 0,
    offset: 0,
    key: "K",
    value: "",
    headers: {
      [DLQ_HEADERS.sourceTopic]: topic,
      [DLQ_HEADERS.sourcePartition]: String(partition),
      [DLQ_HEADERS.sourceOffset]: String(offset),
      [DLQ_HEADERS.reasonClass]: cls,
    },
  });
  const ticks = [at(0, 0, "bad-a"), at(0, 1, "good"), at(1, 0, "bad-a"), at(1, 1, "bad-b")];
  const expected = new Map([
    ["bad-a", "schema"],
    ["bad-b", "not_json"],
  ]);

  it("passes when each bad event on the topic has one letter of its class, duplicates told apart by source", () => {
    const check = checkDeadLetters(
      "t",
      ticks,
      [letter(0, 0, "schema"), letter(1, 0, "schema"), letter(1, 1, "not_json"), letter(1, 1, "not_json")],
      expected,
    );
    expect(check).toMatchObject({ missing: [], extra: [], wrongClass: [], duplicates: 1 });
    expect(check.byClass.get("schema")).toEqual({ expected: 2, got: 2 });
  });

  it("reports a missing letter, a letter for a good event and a letter of the wrong class", () => {
    const check = checkDeadLetters(
      "t",
      ticks,
      [letter(0, 0, "schema"), letter(0, 1, "schema"), letter(1, 1, "schema")],
      expected,
    );
    expect(check.missing).toEqual(["1:0"]);
    expect(check.extra).toEqual(["0:1 schema"]);
    expect(check.wrongClass).toEqual(["1:1 schema (expected not_json)"]);
  });
});
