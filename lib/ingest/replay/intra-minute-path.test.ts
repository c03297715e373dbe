import { describe, expect, it } from "vitest";

import { computePartialBar } from "@/lib/ingest/replay/intra-minute-path";
import type { Bar } from "@/lib/kpi/types";

const TS = Date.parse("2026-11-30T15:00:00Z");
const up: Bar = { ts: TS, open: 100, high: 103, low: 98.5, close: 102, volume: 12_345 };
const down: Bar = { ts: TS, open: 100, high: 101.25, low: 96, close: 97, volume: 999 };
const everySecond = (bar: Bar) => Array.from({ length: 60 }, (_, s) => computePartialBar(bar, s * 1_000));

describe("computePartialBar", () => {
  it("starts the minute at the open with no volume", () => {
    expect(computePartialBar(up, 0)).toEqual({
      ts: TS,
      open: 100,
      high: 100,
      low: 100,
      close: 100,
      volume: 0,
    });
    expect(computePartialBar(up, -500)).toEqual(computePartialBar(up, 0));
  });

  it("is the recorded bar exactly from the end of the minute on", () => {
    expect(computePartialBar(up, 60_000)).toEqual(up);
    expect(computePartialBar(down, 61_234)).toEqual(down);
  });

  it("shows the recorded close in the last second of the minute, with almost all the volume", () => {
    const last = computePartialBar(up, 59_000);
    expect(last).toMatchObject({ open: 100, high: 103, low: 98.5, close: 102 });
    expect(last.volume).toBe(Math.floor((12_345 * 59) / 60));
  });

  it("touches the low then the high on a bar that closed up, the high then the low on one that closed down", () => {
    const upSeconds = everySecond(up);
    const firstLow = upSeconds.findIndex((b) => b.low === up.low);
    const firstHigh = upSeconds.findIndex((b) => b.high === up.high);
    expect(firstLow).toBeGreaterThan(0);
    expect(firstHigh).toBeGreaterThan(firstLow);
    const downSeconds = everySecond(down);
    const downHigh = downSeconds.findIndex((b) => b.high === down.high);
    const downLow = downSeconds.findIndex((b) => b.low === down.low);
    expect(downHigh).toBeGreaterThan(0);
    expect(downLow).toBeGreaterThan(downHigh);
  });

  it("keeps the running high and low inside the final bar, grows volume monotonically and never widens back", () => {
    for (const bar of [up, down, { ...up, high: 100, low: 100, open: 100, close: 100 }]) {
      const seconds = [...everySecond(bar), computePartialBar(bar, 60_000)];
      for (const [i, b] of seconds.entries()) {
        expect(b.open).toBe(bar.open);
        expect(b.high).toBeLessThanOrEqual(bar.high);
        expect(b.low).toBeGreaterThanOrEqual(bar.low);
        expect(b.close).toBeLessThanOrEqual(b.high);
        expect(b.close).toBeGreaterThanOrEqual(b.low);
        expect(Number.isInteger(b.volume)).toBe(true);
        if (i === 0) continue;
        const prev = seconds[i - 1]!;
        expect(b.volume).toBeGreaterThanOrEqual(prev.volume);
        expect(b.high).toBeGreaterThanOrEqual(prev.high);
        expect(b.low).toBeLessThanOrEqual(prev.low);
      }
    }
  });

  it("moves the price between one second and the next while the minute is open", () => {
    const closes = everySecond(up).map((b) => b.close);
    const changes = closes.filter((c, i) => i > 0 && c !== closes[i - 1]).length;
    // The price holds only once the close is reached (the last 3 s).
    expect(changes).toBeGreaterThanOrEqual(55);
  });
});
