import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { upsertFactPrices } from "@/lib/db/queries/fact-prices";
import { listSymbolFreshness } from "@/lib/db/queries/symbol-freshness";
import { insertSymbols } from "@/lib/db/queries/symbols";
import { createFactBar } from "@/lib/kpi/bar";
import { MINUTE_MS } from "@/lib/kpi/durations";

import { createTestDatabase, type TestDatabase } from "./helpers";

const T0 = Date.parse("2026-03-12T14:00:00Z");
const bar = (symbol: string, ts: number) =>
  createFactBar(symbol, { ts, open: 10, high: 10, low: 10, close: 10, volume: 1 }, "2026-03-12");

describe("listSymbolFreshness (the /ops freshness and the stale-symbol health check read it)", () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase();
    await insertSymbols(database.db, [
      { symbol: "AAA", status: "active" },
      { symbol: "BBB", status: "active" },
      { symbol: "CCC", status: "active" },
      { symbol: "OFF", status: "paused" },
    ]);
    await upsertFactPrices(database.db, [
      bar("AAA", T0),
      bar("AAA", T0 + MINUTE_MS),
      bar("BBB", T0 + 30 * MINUTE_MS),
      bar("OFF", T0 + 60 * MINUTE_MS),
    ]);
  });

  afterAll(async () => {
    await database?.drop();
  });

  it("gives each active symbol the start of its own newest bar, null before its first", async () => {
    const rows = await listSymbolFreshness(database.db);
    expect(rows.map((r) => [r.symbol, r.newestBarAt?.getTime() ?? null])).toEqual([
      ["AAA", T0 + MINUTE_MS],
      ["BBB", T0 + 30 * MINUTE_MS],
      ["CCC", null],
    ]);
  });
});
