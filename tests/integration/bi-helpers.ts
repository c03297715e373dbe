import path from "node:path";

import pg from "pg";

import type { Db } from "@/lib/db/client";
import { insertSymbols } from "@/lib/db/queries/symbols";
import { getEnv } from "@/lib/env";
import { loadRecordedBars } from "@/lib/ingest/recorded-bars";
import type { InMessage } from "@/lib/kafka/messages";
import type { Bar } from "@/lib/kpi/types";
import { loadEnvFiles } from "@/scripts/stack/env-file";
import { createTickBatchHandler } from "@/workers/handlers/tick-batch";

import { testLogger } from "./helpers";

export const BI_ROLE = "tickstream_bi";

/** The six views of the `bi` schema, the interface documented in bi/README.md. */
export const BI_VIEWS = ["daily_high_low", "pipeline_freshness", "price_trend", "top_movers", "volume_trend", "window_kpis"] as const;

/** The BI role's password as the migrate step set it: BI_READONLY_PASSWORD (or .env), default "tickstream_bi". */
export function getBiPassword(): string {
  loadEnvFiles();
  return getEnv().BI_READONLY_PASSWORD;
}

/** A client connected to `databaseUrl`'s database as the read-only BI role (same host and port). */
export async function connectAsBiRole(databaseUrl: string): Promise<pg.Client> {
  const url = new URL(databaseUrl);
  url.username = BI_ROLE;
  url.password = encodeURIComponent(getBiPassword());
  const client = new pg.Client({ connectionString: url.toString(), application_name: "tickstream-bi-test" });
  await client.connect();
  return client;
}

/** Runs `sql` and returns the SQLSTATE it failed with, or null when it succeeded. */
export async function getErrorCode(client: pg.Client, sql: string): Promise<string | null> {
  try {
    await client.query(sql);
    return null;
  } catch (error) {
    return (error as { code?: string }).code ?? "unknown";
  }
}

export type RecordedFill = { symbols: string[]; from: number; to: number; bars: number };

const RECORDING_DIR = path.resolve("data/minute-bars");

/**
 * Fills a test database with real recorded bars (data/minute-bars) through the stream worker's own
 * batch handler, so fact_prices, daily_stats and kpi_snapshots hold exactly what production writes.
 * Takes the first `days` recorded trading days of each symbol; returns the covered time range.
 */
export async function fillWithRecordedBars(db: Db, options: { symbols: string[]; days: number }): Promise<RecordedFill> {
  const recorded = loadRecordedBars(RECORDING_DIR);
  await insertSymbols(
    db,
    options.symbols.map((symbol) => ({ symbol, source: "replay" as const, status: "active" as const, exchangeTimezone: "America/New_York", marketState: "replay" })),
  );
  const picked = options.symbols.map((symbol) => {
    const bars = recorded.get(symbol);
    if (!bars) throw new Error(`no recording for ${symbol} in ${RECORDING_DIR}`);
    const dates = [...new Set(bars.map((b) => new Date(b.ts).toISOString().slice(0, 10)))].slice(0, options.days);
    return { symbol, bars: bars.filter((b) => dates.includes(new Date(b.ts).toISOString().slice(0, 10))) };
  });
  const all = picked.flatMap(({ symbol, bars }) => bars.map((bar) => ({ symbol, bar })));
  const from = Math.min(...all.map((x) => x.bar.ts));
  const to = Math.max(...all.map((x) => x.bar.ts)) + 60_000;

  const handler = createTickBatchHandler({
    db,
    logger: testLogger,
    clock: () => to + 3_600_000,
    config: { groupId: "bi-test", windows: [5, 15, 60], finalGraceMs: 30_000, defaultTimeZone: "America/New_York", landRawTicks: false },
    sendDeadLetters: async (messages) => {
      throw new Error(`unexpected dead letters: ${JSON.stringify(messages.slice(0, 3))}`);
    },
  });
  // One partition in bar order, as the ingest worker would produce it, in batches like kafkajs hands out.
  const messages = all.sort((a, b) => a.bar.ts - b.bar.ts || a.symbol.localeCompare(b.symbol)).map(({ symbol, bar }, offset) => toTickMessage(symbol, bar, offset));
  const BATCH = 500;
  for (let i = 0; i < messages.length; i += BATCH) {
    const result = await handler.handleBatch({ topic: "market.ticks", partition: 0, messages: messages.slice(i, i + BATCH) });
    if (result.kind !== "applied") throw new Error(`batch at offset ${i} was not applied: ${JSON.stringify(result)}`);
  }
  return { symbols: options.symbols, from, to, bars: messages.length };
}

function toTickMessage(symbol: string, bar: Bar, offset: number): InMessage {
  const tick = { v: 1, symbol, ...bar, source: "replay", producedAt: bar.ts + 60_000 };
  return { partition: 0, offset, key: symbol, value: Buffer.from(JSON.stringify(tick)), headers: {}, timestamp: bar.ts + 60_000 };
}
