import { createClockedDriver, type DriverDeps, type SourceDriver } from "@/lib/ingest/driver";
import {
  buildReplayTimeline,
  getInitialReplayClock,
  getPreviousDayStart,
  getRecordedTimestamp,
  getReplayTimestamp,
  type ReplayClock,
} from "@/lib/ingest/replay/timeline";
import type { Bar } from "@/lib/kpi/types";

/**
 * The offline default source: recorded real 1-minute bars replayed as a live feed, shifted to the
 * present (see timeline.ts), `speed` times faster than real time (60 → one bar a second),
 * looping. A symbol seen for the first time is backfilled from the previous replay day's open.
 */
export function createReplayDriver(options: {
  recorded: ReadonlyMap<string, readonly Bar[]>;
  timeZone: string;
  speed: number;
  deps: DriverDeps;
}): SourceDriver {
  const timeline = buildReplayTimeline(options.recorded, options.timeZone);
  const byTs = new Map<string, Map<number, Bar>>();
  for (const [symbol, bars] of options.recorded) byTs.set(symbol, new Map(bars.map((b) => [b.ts, b])));
  const known = [...byTs.keys()].sort().join(", ");

  return createClockedDriver<ReplayClock>({
    source: "replay",
    deps: options.deps,
    stateKey: "replay.clock",
    positionsPerSecond: options.speed / 60,
    marketState: "replay",
    initialClock: (now) => getInitialReplayClock(timeline, now),
    rejects: (symbol) =>
      byTs.has(symbol) ? null : `no recorded bars for ${symbol} in the replay data (recorded: ${known})`,
    firstPosition: (_symbol, cursor, clock) => {
      const backfillFrom = getPreviousDayStart(timeline, clock.position);
      return cursor?.replaySeq != null ? Math.max(cursor.replaySeq + 1, backfillFrom) : backfillFrom;
    },
    barAt: (symbol, position, clock) => {
      const bar = byTs.get(symbol)?.get(getRecordedTimestamp(timeline, position));
      if (!bar) return null;
      return {
        ts: getReplayTimestamp(timeline, clock.anchorDate, position),
        open: bar.open,
        high: bar.high,
        low: bar.low,
        close: bar.close,
        volume: bar.volume,
      };
    },
  });
}
