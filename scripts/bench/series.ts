import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

import { getEnv } from "@/lib/env";
import { applyRevisions, createSeriesState, type SeriesState } from "@/lib/kpi/symbol-series";
import type { Bar } from "@/lib/kpi/types";

const MINUTE = 60_000;
/** 09:30 New York on a winter day: every bar of the run falls in one session. */
const SESSION_START = Date.parse("2026-01-14T14:30:00Z");

/**
 * The stream worker's in-memory series at the cache's bound: `STREAM_MAX_CACHED_SYMBOLS`'s order of
 * symbols holding `STREAM_MAX_CACHED_BARS` bars between them (10,000 symbols × 200 minutes = the
 * default 2,000,000), appended minute by minute in time order (no revisions, late bars, trims, day
 * changes or alert rules). Prints the memory the states hold (V8 heap and array buffers after a full
 * collection, not RSS) per bar, and the CPU time per applied bar. No servers.
 */
export function benchSeries(): void {
  setFlagsFromString("--expose-gc");
  const gc = runInNewContext("gc") as () => void;
  const env = getEnv();
  const symbols = 10_000;
  const minutes = Math.floor(env.STREAM_MAX_CACHED_BARS / symbols);
  console.log(
    `series state: ${symbols.toLocaleString("en-US")} symbols × ${minutes} minutes = ` +
      `${(symbols * minutes).toLocaleString("en-US")} bars (STREAM_MAX_CACHED_BARS ${env.STREAM_MAX_CACHED_BARS.toLocaleString("en-US")}), ` +
      `windows ${env.KPI_WINDOWS.join(", ")} min, Node ${process.version}`,
  );
  gc();
  const heapBefore = heldBytes();
  const states: SeriesState[] = Array.from({ length: symbols }, (_, s) =>
    createSeriesState(
      { symbol: `S${s}`, timeZone: "America/New_York", windows: env.KPI_WINDOWS, finalGraceMs: 0 },
      [],
      true,
    ),
  );
  const cpuBefore = process.cpuUsage();
  let rows = 0;
  for (let m = 0; m < minutes; m++) {
    const ts = SESSION_START + m * MINUTE;
    for (let s = 0; s < symbols; s++) {
      const close = 100 + (s % 50) + Math.sin(m / 7 + s) * 3;
      const bar: Bar = {
        ts,
        open: close - 0.2,
        high: close + 0.5,
        low: close - 0.6,
        close,
        volume: 1_000 + m,
      };
      const changes = applyRevisions(states[s]!, [bar], ts + 2 * MINUTE);
      rows += changes.bars.length + changes.days.length + changes.windows.length;
    }
  }
  const cpu = process.cpuUsage(cpuBefore);
  gc();
  const heapAfter = heldBytes();
  const bars = symbols * minutes;
  console.log(
    `  memory the states hold: ${((heapAfter - heapBefore) / 1_048_576).toFixed(0)} MiB, ` +
      `${((heapAfter - heapBefore) / bars).toFixed(0)} bytes per bar (V8 heap and array buffers after a full collection)`,
  );
  console.log(
    `  applying them: ${((cpu.user + cpu.system) / bars).toFixed(2)} µs CPU per bar ` +
      `(${rows.toLocaleString("en-US")} rows of changes)`,
  );
  if (states.length !== symbols) throw new Error("states lost");
}

/** The V8 heap in use plus the memory of array buffers (which live outside it). */
function heldBytes(): number {
  const usage = process.memoryUsage();
  return usage.heapUsed + usage.arrayBuffers;
}
