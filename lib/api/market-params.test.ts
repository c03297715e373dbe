import { describe, expect, it } from "vitest";

import {
  dailyQuerySchema,
  moversQuerySchema,
  pricesQuerySchema,
  watchlistQuerySchema,
  windowsQuerySchema,
} from "@/lib/api/market-params";
import { TRADING_DAY_WINDOW } from "@/lib/kpi/movers-window";

describe("moversQuerySchema", () => {
  it("reads the trading day as window 0, spelt `day` or `0`, like live updates carry it", () => {
    expect(moversQuerySchema.parse({ window: "day" }).window).toBe(TRADING_DAY_WINDOW);
    expect(moversQuerySchema.parse({ window: "0" }).window).toBe(TRADING_DAY_WINDOW);
  });

  it("reads window lengths in minutes, 5 by default", () => {
    expect(moversQuerySchema.parse({ window: "15", limit: "3" })).toEqual({ window: 15, limit: 3 });
    expect(moversQuerySchema.parse({})).toEqual({ window: 5, limit: 5 });
  });

  it("rejects a window that is neither the day nor whole minutes up to a day", () => {
    for (const window of ["week", "1441", "-5", "7.5"])
      expect(moversQuerySchema.safeParse({ window }).success, window).toBe(false);
  });
});

describe("whole-number parameters", () => {
  const messages = (result: { success: boolean; error?: { issues: { message: string }[] } }) =>
    result.error?.issues.map((i) => i.message) ?? [];

  it("say the same words whether the value is no number, a fraction or out of range", () => {
    for (const limit of ["0", "ten", "2.5", "51", ""])
      expect(messages(moversQuerySchema.safeParse({ limit })), limit).toEqual([
        "a whole number from 1 to 50",
      ]);
    expect(messages(dailyQuerySchema.safeParse({ symbol: "AAPL", days: "121" }))).toEqual([
      "a whole number from 1 to 120",
    ]);
    expect(messages(watchlistQuerySchema.safeParse({ points: "1" }))).toEqual([
      "a whole number from 2 to 120",
    ]);
    expect(messages(windowsQuerySchema.safeParse({ symbol: "AAPL", window: "1441" }))).toEqual([
      "a whole number from 1 to 1440",
    ]);
  });

  it("take their defaults when absent", () => {
    expect(windowsQuerySchema.parse({ symbol: "AAPL" })).toEqual({ symbol: "AAPL", window: 5, limit: 100 });
  });
});

describe("pricesQuerySchema", () => {
  const fail = (input: Record<string, string>) => {
    const result = pricesQuerySchema.safeParse({ symbol: "AAPL", ...input });
    return result.success ? null : result.error.issues.map((i) => i.path.join("."));
  };

  it("takes a preset range, or a custom range of trading dates instead", () => {
    expect(pricesQuerySchema.parse({ symbol: "aapl" })).toEqual({ symbol: "AAPL", range: "session" });
    expect(pricesQuerySchema.parse({ symbol: "AAPL", from: "2026-03-12", to: "2026-03-13" })).toMatchObject({
      from: "2026-03-12",
      to: "2026-03-13",
    });
  });

  it("names the parameter at fault: a date that is not one, one bound alone, a reversed or too long range", () => {
    expect(fail({ from: "2026-02-30", to: "2026-03-02" })).toEqual(["from"]);
    expect(fail({ from: "12/03/2026", to: "2026-03-13" })).toEqual(["from"]);
    expect(fail({ from: "2026-03-12" })).toEqual(["to"]);
    expect(fail({ to: "2026-03-12" })).toEqual(["from"]);
    expect(fail({ from: "2026-03-13", to: "2026-03-12" })).toEqual(["to"]);
    expect(fail({ from: "2026-03-01", to: "2026-03-31" })).toBeNull();
    expect(fail({ from: "2026-03-01", to: "2026-04-01" })).toEqual(["to"]);
  });
});
