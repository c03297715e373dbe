import { describe, expect, it } from "vitest";

import { createFactBar, toBar } from "@/lib/kpi/bar";
import { isSameBar, isSameFactBar } from "@/lib/kpi/shape-equality";
import type { Bar, FactBar } from "@/lib/kpi/types";

const BAR: Bar = { ts: 1_773_322_200_000, open: 10, high: 11, low: 9, close: 10.5, volume: 100 };
const FACT: FactBar = {
  ...BAR,
  symbol: "AAPL",
  tradeDate: "2026-03-12",
  ma5: 10.1,
  ma20: null,
  ema20: null,
  vwap: 10.2,
  isFinal: false,
};

// Every field, one at a time: the key maps are exhaustive by type, this checks they are used.
const barChanges: Bar[] = (Object.keys(BAR) as (keyof Bar)[]).map((k) => ({ ...BAR, [k]: BAR[k] + 1 }));
const factChanges: FactBar[] = [
  ...barChanges.map((b) => ({ ...FACT, ...b })),
  { ...FACT, symbol: "MSFT" },
  { ...FACT, tradeDate: "2026-03-13" },
  { ...FACT, ma5: null },
  { ...FACT, ma20: 10 },
  { ...FACT, ema20: 10 },
  { ...FACT, vwap: null },
  { ...FACT, isFinal: true },
];

describe("isSameBar", () => {
  it("tells apart bars that differ in any one field", () => {
    expect(isSameBar(BAR, { ...BAR })).toBe(true);
    for (const changed of barChanges) expect(isSameBar(BAR, changed)).toBe(false);
  });

  it("compares only the bar fields of a stored fact (a revision carries no indicators)", () => {
    expect(isSameBar(FACT, BAR)).toBe(true);
  });
});

describe("isSameFactBar", () => {
  it("tells apart facts that differ in any one field, including indicators and finality", () => {
    expect(factChanges).toHaveLength(Object.keys(FACT).length);
    expect(isSameFactBar(FACT, { ...FACT })).toBe(true);
    for (const changed of factChanges) expect(isSameFactBar(FACT, changed)).toBe(false);
  });
});

describe("toBar / createFactBar", () => {
  it("keeps exactly the bar fields of a wider value", () => {
    const tick = { ...BAR, v: 1, symbol: "AAPL", source: "replay", producedAt: 5 };
    expect(toBar(tick)).toEqual(BAR);
  });

  it("starts a new fact with the bar, no indicators and not final", () => {
    expect(createFactBar("AAPL", BAR, "2026-03-12")).toEqual({
      ...BAR,
      symbol: "AAPL",
      tradeDate: "2026-03-12",
      ma5: null,
      ma20: null,
      ema20: null,
      vwap: null,
      isFinal: false,
    });
  });
});
