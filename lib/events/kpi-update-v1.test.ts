import { describe, expect, expectTypeOf, it } from "vitest";
import { z } from "zod";

import {
  type dailyStatSchema,
  factBarSchema,
  getKpiUpdateKey,
  kpiUpdateV1Schema,
  type moverSchema,
  parseKpiUpdateKey,
  SYMBOLS_UPDATE_KEY,
  type windowKpiSchema,
  type SymbolKpiUpdateV1,
} from "@/lib/events/kpi-update-v1";
import { tieSchema, type IsSameShape } from "@/lib/events/same-shape";
import { symbolSchema } from "@/lib/events/symbol";
import type { DailyStat, FactBar, Mover, WindowKpi } from "@/lib/kpi/types";

const FACT_BAR: FactBar = {
  symbol: "AAPL",
  ts: Date.parse("2026-03-12T14:00:00Z"),
  tradeDate: "2026-03-12",
  open: 10,
  high: 11,
  low: 9,
  close: 10.5,
  volume: 100,
  ma5: 10.1,
  ma20: null,
  ema20: null,
  vwap: 10.2,
  isFinal: true,
};

// tsc checks this file (tsconfig includes tests): these cases are the compile-time half of the tie.
describe("tieSchema (typecheck)", () => {
  it("accepts only a schema with exactly the fields of its type", () => {
    expectTypeOf<IsSameShape<z.output<typeof factBarSchema>, FactBar>>().toEqualTypeOf<true>();
    expectTypeOf<IsSameShape<z.output<typeof dailyStatSchema>, DailyStat>>().toEqualTypeOf<true>();
    expectTypeOf<IsSameShape<z.output<typeof windowKpiSchema>, WindowKpi>>().toEqualTypeOf<true>();
    expectTypeOf<IsSameShape<z.output<typeof moverSchema>, Mover>>().toEqualTypeOf<true>();
  });

  it("rejects a FactBar with a field its schema lacks, and a schema with a field FactBar lacks", () => {
    type FactBarWithRsi = FactBar & { rsi14: number | null };
    expectTypeOf<IsSameShape<z.output<typeof factBarSchema>, FactBarWithRsi>>().toEqualTypeOf<false>();
    // An optional extra field is still a difference: it would be stripped or never filled.
    expectTypeOf<IsSameShape<FactBar & { rsi14?: number }, FactBar>>().toEqualTypeOf<false>();

    // @ts-expect-error the schema lacks rsi14
    tieSchema<FactBarWithRsi>()(factBarSchema);
    // @ts-expect-error FactBar lacks rsi14
    tieSchema<FactBar>()(factBarSchema.extend({ rsi14: z.number().nullable() }));
    // @ts-expect-error an optional field only in the schema is a difference too
    tieSchema<FactBar>()(factBarSchema.extend({ rsi14: z.number().optional() }));
    // @ts-expect-error same keys, different type (a nullable close)
    tieSchema<FactBar>()(factBarSchema.extend({ close: z.number().nullable() }));
    expect(tieSchema<FactBar>()(factBarSchema)).toBe(factBarSchema);
  });
});

describe("KPI update v1 (run time)", () => {
  const update: SymbolKpiUpdateV1 = {
    v: 1,
    type: "symbol",
    symbol: "AAPL",
    bars: [FACT_BAR],
    day: null,
    windows: [],
    publishedAt: 1,
  };

  it("keeps every field of a valid update", () => {
    expect(kpiUpdateV1Schema.parse(update)).toEqual(update);
  });

  it("rejects an unknown field instead of stripping it, in a bar and in the envelope", () => {
    const withExtraBarField = { ...update, bars: [{ ...FACT_BAR, rsi14: 55 }] };
    expect(kpiUpdateV1Schema.safeParse(withExtraBarField).success).toBe(false);
    expect(kpiUpdateV1Schema.safeParse({ ...update, source: "replay" }).success).toBe(false);
  });
});

describe("KPI update keys", () => {
  const envelope = { v: 1 as const, bars: [], day: null, windows: [], publishedAt: 1 };
  const movers = {
    v: 1 as const,
    type: "movers" as const,
    windowStart: 0,
    windowEnd: 1,
    gainers: [],
    losers: [],
  };

  it("name the symbol or the movers window, and read back to the same route", () => {
    for (const symbol of ["AAPL", "BRK-B", "^GSPC", "EURUSD=X", "MOVERS"])
      expect(parseKpiUpdateKey(getKpiUpdateKey({ ...envelope, type: "symbol", symbol }))).toEqual({
        type: "symbol",
        symbol,
      });
    for (const windowMinutes of [0, 5, 1440])
      expect(parseKpiUpdateKey(getKpiUpdateKey({ ...movers, windowMinutes, publishedAt: 1 }))).toEqual({
        type: "movers",
        windowMinutes,
      });
  });

  it("are refused when no producer writes them", () => {
    for (const key of [
      "",
      " AAPL",
      "aapl",
      "movers:",
      "movers:x",
      "movers:-5",
      "movers:5 ",
      "movers:1e3",
      "Symbols",
    ])
      expect(parseKpiUpdateKey(key), key).toBeNull();
  });

  it("route symbols messages by their one key, which no symbol can take", () => {
    expect(parseKpiUpdateKey(SYMBOLS_UPDATE_KEY)).toEqual({ type: "symbols" });
    expect(symbolSchema.safeParse(SYMBOLS_UPDATE_KEY).success).toBe(false);
    expect(symbolSchema.safeParse(SYMBOLS_UPDATE_KEY.toUpperCase()).success).toBe(true);
  });
});
