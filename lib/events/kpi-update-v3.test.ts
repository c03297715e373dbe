import { describe, expect, it } from "vitest";

import { symbolsKpiUpdateV2Schema } from "@/lib/events/kpi-update-v2";
import {
  kpiMessageSchema,
  symbolsKpiEnvelopeV3Schema,
  symbolsKpiUpdateV3Schema,
} from "@/lib/events/kpi-update-v3";
import { makeSymbolUpdate } from "@/tests/support/symbol-update";

const message = {
  v: 3,
  type: "symbols",
  publishedAt: 1_796_304_679_848,
  omitted: { AAPL: 1_796_300_000_000 },
  updates: [makeSymbolUpdate({ symbol: "AAPL" })],
};

describe("market.kpis symbols message v3", () => {
  it("is v2 with the bars left out, and stays closed", () => {
    expect(symbolsKpiUpdateV3Schema.parse(message)).toStrictEqual(message);
    expect(symbolsKpiUpdateV3Schema.parse({ ...message, omitted: {} }).omitted).toEqual({});
    expect(symbolsKpiUpdateV3Schema.safeParse({ ...message, rsi14: 1 }).success).toBe(false);
    expect(symbolsKpiUpdateV3Schema.safeParse({ ...message, omitted: undefined }).success).toBe(false);
    expect(symbolsKpiUpdateV3Schema.safeParse({ ...message, v: 2 }).success).toBe(false);
    const { omitted: _, ...asV2 } = message;
    expect(symbolsKpiUpdateV2Schema.safeParse({ ...asV2, v: 2 }).success).toBe(true);
    expect(symbolsKpiUpdateV2Schema.safeParse(message).success).toBe(false);
  });

  it("names only symbols, each with a whole bar start", () => {
    for (const omitted of [
      { aapl: 1 },
      { "": 1 },
      { " AAPL": 1 },
      { "AAPL ": 1 },
      { AAPL: 1.5 },
      { AAPL: "1" },
      { AAPL: null },
    ])
      expect(
        symbolsKpiEnvelopeV3Schema.safeParse({ ...message, omitted }).success,
        JSON.stringify(omitted),
      ).toBe(false);
  });

  it("is one of the values market.kpis carries, beside v2 and v1", () => {
    const { omitted: _, ...asV2 } = message;
    expect(kpiMessageSchema.parse(message)).toStrictEqual(message);
    expect(kpiMessageSchema.parse({ ...asV2, v: 2 })).toStrictEqual({ ...asV2, v: 2 });
    expect(kpiMessageSchema.parse(makeSymbolUpdate({ symbol: "AAPL" }))).toMatchObject({
      v: 1,
      type: "symbol",
    });
    expect(kpiMessageSchema.safeParse({ ...message, v: 4 }).success).toBe(false);
  });
});
