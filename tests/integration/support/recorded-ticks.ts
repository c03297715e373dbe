import path from "node:path";

import type { TickV1 } from "@/lib/events/tick-v1";
import { loadRecordedBars } from "@/lib/ingest/replay/recorded-bars";
import type { Bar } from "@/lib/kpi/types";

const DATA_DIR = path.resolve("data/minute-bars");
let cache: Map<string, Bar[]> | null = null;

/** The recorded real bars shipped in data/minute-bars, by symbol. */
export function getRecordedBars(): Map<string, Bar[]> {
  cache ??= loadRecordedBars(DATA_DIR);
  return cache;
}

/** Recorded bars of the given symbols on the given UTC dates (YYYY-MM-DD), as tick events. */
export function getRecordedTicks(symbols: readonly string[], dates: readonly string[]): TickV1[] {
  const out: TickV1[] = [];
  for (const symbol of symbols) {
    for (const bar of getRecordedBars().get(symbol) ?? []) {
      if (dates.includes(new Date(bar.ts).toISOString().slice(0, 10)))
        out.push({ v: 1, symbol, source: "replay", producedAt: bar.ts, ...bar });
    }
  }
  return out;
}
