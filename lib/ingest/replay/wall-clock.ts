import { computeTradingDate, computeZonedTimestamp } from "@/lib/kpi/trading-day";
import type { Bar } from "@/lib/kpi/types";
import { MINUTE_MS } from "@/lib/kpi/durations";

/**
 * Where every symbol's recording starts playing: 2026-01-01 00:00 in New York. Any fixed minute would
 * do; it only has to be the same for every symbol (so that symbols recorded together move together)
 * and never change (so that a bar already stored is the bar the replay would produce again).
 */
export const REPLAY_ANCHOR_MS = Date.UTC(2026, 0, 1, 5, 0);

/**
 * The replayed bar of a symbol for the minute starting at `minuteTs`: a pure function of the
 * recording and the minute, so the replay needs no durable clock and a restart or a second worker
 * produces the same bar.
 *
 * The recorded minutes are laid end to end from `REPLAY_ANCHOR_MS`, one per wall-clock minute, around
 * the clock. The recording plays forward, then backward in time (each bar mirrored: open and close
 * swapped, high, low and volume unchanged), then forward again: at either turn the price continues
 * from the bar before, where looping forward only would jump from the last close to the first open
 * (up to 10 % in the shipped data) and rescaling each loop would drift the price without bound.
 * Forward passes return the recorded bars exactly.
 */
export function getReplayBar(recording: readonly Bar[], minuteTs: number): Bar {
  const n = recording.length;
  if (n === 0) throw new Error("getReplayBar needs a recording with at least one bar");
  const minute = Math.floor((minuteTs - REPLAY_ANCHOR_MS) / MINUTE_MS);
  const period = 2 * n;
  const phase = ((minute % period) + period) % period;
  const ts = REPLAY_ANCHOR_MS + minute * MINUTE_MS;
  if (phase < n) return { ...recording[phase]!, ts };
  const bar = recording[period - 1 - phase]!;
  return { ts, open: bar.close, high: bar.high, low: bar.low, close: bar.open, volume: bar.volume };
}

/** Whether the minute starting at `minuteTs` plays the recording backward (see `getReplayBar`). */
export function isReversedReplayMinute(recordingLength: number, minuteTs: number): boolean {
  const minute = Math.floor((minuteTs - REPLAY_ANCHOR_MS) / MINUTE_MS);
  const period = 2 * recordingLength;
  return ((minute % period) + period) % period >= recordingLength;
}

/**
 * Where a replay symbol without a usable cursor starts: local midnight of the calendar day `days`
 * days before today in `timeZone`, so the day so far, the previous day's close and a full multi-day
 * view exist at once (replayed symbols trade around the clock; every calendar day is a trading day).
 */
export function computeReplayBackfillStart(now: number, timeZone: string, days: number): number {
  const date = new Date(`${computeTradingDate(now, timeZone)}T12:00:00Z`);
  date.setUTCDate(date.getUTCDate() - days);
  return computeZonedTimestamp(date.toISOString().slice(0, 10), 0, timeZone);
}
