import { syntheticClockSchema, type SyntheticClock } from "@/lib/events/app-state";
import type { SyntheticSourceMetrics } from "@/lib/events/source-metrics";
import { createClockedDriver, type DriverDeps, type SourceDriver } from "@/lib/ingest/driver";
import { createSyntheticWalk, type SyntheticWalk } from "@/lib/ingest/synthetic/walk";
import { floorToMinute, MINUTE_MS } from "@/lib/kpi/durations";

/** How far back a new synthetic feed starts, so that `barsPerSecond` has a past to fast-forward through. */
const HISTORY_MS = 24 * 60 * MINUTE_MS;

/**
 * Load source: a deterministic seeded random walk per symbol (see walk.ts), one minute of market time
 * per bar, starting a day before the feed was first started. It fast-forwards through that past at
 * `barsPerSecond` bars per symbol per second, then follows the wall clock (a bar when its minute
 * starts), so it never produces a bar after the current minute. The same seed always produces the
 * same bars, so a restart resumes the identical series.
 */
export function createSyntheticDriver(options: {
  seed: number;
  barsPerSecond: number;
  deps: DriverDeps;
}): SourceDriver<SyntheticSourceMetrics> {
  const walks = new Map<string, SyntheticWalk>();
  const walkOf = (symbol: string) => {
    let walk = walks.get(symbol);
    if (!walk) walks.set(symbol, (walk = createSyntheticWalk(options.seed, symbol)));
    return walk;
  };
  return createClockedDriver<SyntheticClock>({
    source: "synthetic",
    deps: options.deps,
    stateKey: `synthetic.clock.${options.seed}`,
    clockSchema: syntheticClockSchema,
    positionsPerSecond: options.barsPerSecond,
    marketState: "synthetic",
    initialClock: (now) => ({ startTs: floorToMinute(now) - HISTORY_MS, position: 0 }),
    latestPosition: (now, clock) => Math.floor((now - clock.startTs) / MINUTE_MS),
    firstPosition: (_symbol, cursor, clock) =>
      cursor ? Math.max(0, Math.floor((cursor.lastTs - clock.startTs) / MINUTE_MS) + 1) : clock.position,
    barAt: (symbol, position, clock) => ({
      ...walkOf(symbol).barAt(position),
      ts: clock.startTs + position * MINUTE_MS,
    }),
  });
}
