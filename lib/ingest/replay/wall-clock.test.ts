import { describe, expect, it } from "vitest";

import { loadRecordedBars } from "@/lib/ingest/replay/recorded-bars";
import { getReplayBar, isReversedReplayMinute, REPLAY_ANCHOR_MS } from "@/lib/ingest/replay/wall-clock";

const MIN = 60_000;
const recording = loadRecordedBars("data/minute-bars").get("AAPL")!;
const n = recording.length;

describe("getReplayBar", () => {
  it("gives the same bar for the same symbol and minute, whenever it is asked", () => {
    const minute = Date.parse("2026-11-30T07:46:00Z");
    expect(getReplayBar(recording, minute)).toEqual(getReplayBar([...recording], minute));
    expect(getReplayBar(recording, minute + 59_999)).toEqual(getReplayBar(recording, minute));
  });

  it("dates every bar at the start of the minute it is asked for", () => {
    const minute = Date.parse("2026-11-30T07:46:00Z");
    expect(getReplayBar(recording, minute).ts).toBe(minute);
    expect(getReplayBar(recording, minute + 30_000).ts).toBe(minute);
  });

  it("plays the recorded bars exactly and one after the other from the anchor, around the clock", () => {
    for (const k of [0, 1, 389, 390, n - 1]) {
      const { ts, ...bar } = getReplayBar(recording, REPLAY_ANCHOR_MS + k * MIN);
      const { ts: _recordedTs, ...recorded } = recording[k]!;
      expect(ts).toBe(REPLAY_ANCHOR_MS + k * MIN);
      expect(bar).toEqual(recorded);
    }
  });

  it("gives a new bar every minute: consecutive minutes are consecutive recorded minutes", () => {
    const start = Date.parse("2026-11-28T23:58:00Z"); // across midnight in UTC and a weekend
    const bars = Array.from({ length: 600 }, (_, i) => getReplayBar(recording, start + i * MIN));
    const k0 = (start - REPLAY_ANCHOR_MS) / MIN;
    for (const [i, bar] of bars.entries()) {
      expect(bar.ts).toBe(start + i * MIN);
      const phase = (k0 + i) % (2 * n);
      const source = phase < n ? recording[phase]! : recording[2 * n - 1 - phase]!;
      expect(bar.volume).toBe(source.volume);
    }
  });

  it("plays the recording backward after its end, mirrored, so the price continues without a jump", () => {
    const last = getReplayBar(recording, REPLAY_ANCHOR_MS + (n - 1) * MIN);
    const turned = getReplayBar(recording, REPLAY_ANCHOR_MS + n * MIN);
    expect(isReversedReplayMinute(n, REPLAY_ANCHOR_MS + (n - 1) * MIN)).toBe(false);
    expect(isReversedReplayMinute(n, REPLAY_ANCHOR_MS + n * MIN)).toBe(true);
    expect(turned.open).toBe(last.close);
    const lastRecorded = recording[n - 1]!;
    expect(turned).toMatchObject({
      open: lastRecorded.close,
      close: lastRecorded.open,
      high: lastRecorded.high,
      low: lastRecorded.low,
      volume: lastRecorded.volume,
    });
    // The backward pass ends on the first recorded bar mirrored; the next forward pass opens where it closed.
    const endOfBackward = getReplayBar(recording, REPLAY_ANCHOR_MS + (2 * n - 1) * MIN);
    const nextForward = getReplayBar(recording, REPLAY_ANCHOR_MS + 2 * n * MIN);
    expect(endOfBackward.close).toBe(recording[0]!.open);
    expect(nextForward.open).toBe(recording[0]!.open);
    expect(nextForward.close).toBe(recording[0]!.close);
  });

  it("works before the anchor too (negative minutes wrap the same way)", () => {
    const before = getReplayBar(recording, REPLAY_ANCHOR_MS - MIN);
    expect(before.ts).toBe(REPLAY_ANCHOR_MS - MIN);
    expect(before.close).toBe(recording[0]!.open); // the end of a backward pass
  });
});
