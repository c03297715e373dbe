import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { loadSymbolHistories, loadSymbolHistory, upsertFactPrices } from "@/lib/db/queries/fact-prices";
import type { FactBar } from "@/lib/kpi/types";

import { createTestDatabase, type TestDatabase } from "./helpers";

const M = 60_000;
const TS = Date.parse("2026-03-12T14:00:00Z");

function buildBars(symbol: string, count: number): FactBar[] {
  return Array.from({ length: count }, (_, i) => ({
    symbol,
    ts: TS + i * M,
    tradeDate: "2026-03-12",
    open: 10 + i / 7,
    high: 11 + i,
    low: 9 + i,
    close: 10.5 + i / 3,
    // Past 2^32, as a whole day's volume of a busy symbol can be.
    volume: 5_000_000_000 + i,
    ma5: i >= 4 ? 10.1 + i / 9 : null,
    ma20: i >= 19 ? 10.2 + i / 11 : null,
    ema20: i >= 19 ? 10.3 + i / 13 : null,
    vwap: 10.4 + i / 17,
    isFinal: i % 2 === 0,
  }));
}

/** The stream worker loads the history of a batch's new symbols in one query: the same bars as one by one. */
describe("loadSymbolHistories", () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
    // AAA has more than the context before its `from`, BBB fewer, CCC none at all.
    await upsertFactPrices(database.db, [...buildBars("AAA", 40), ...buildBars("BBB", 8)]);
  });
  afterAll(async () => {
    await database?.drop();
  });

  it("returns each symbol's bars from its own `from` plus the context bars before it, like loadSymbolHistory", async () => {
    const requests = [
      { symbol: "AAA", from: TS + 30 * M },
      { symbol: "BBB", from: TS + 5 * M },
      { symbol: "CCC", from: TS },
      { symbol: "AAA2", from: TS + 100 * M },
    ];
    const histories = await loadSymbolHistories(database.db, requests, 20);
    expect([...histories.keys()]).toEqual(requests.map((r) => r.symbol));
    for (const { symbol, from } of requests)
      expect(histories.get(symbol)).toStrictEqual(await loadSymbolHistory(database.db, symbol, from, 20));
    expect(histories.get("AAA")!.bars).toHaveLength(30);
    // The 20 bars before AAA's `from`, then the rest, oldest first, with every value as written.
    expect(histories.get("AAA")!.bars).toStrictEqual(buildBars("AAA", 40).slice(10));
    expect(histories.get("AAA")!.hasAllHistory).toBe(false);
    expect(histories.get("BBB")!.bars).toHaveLength(8);
    expect(histories.get("BBB")!.hasAllHistory).toBe(true);
    expect(histories.get("CCC")).toStrictEqual({ bars: [], hasAllHistory: true });
  });

  it("answers an empty request without a query", async () => {
    expect((await loadSymbolHistories(database.db, [], 20)).size).toBe(0);
  });
});
