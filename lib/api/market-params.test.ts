import { describe, expect, it } from "vitest";

import { moversQuerySchema } from "@/lib/api/market-params";
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
