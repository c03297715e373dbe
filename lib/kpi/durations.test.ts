import { describe, expect, it } from "vitest";

import { HOUR_MS, isMinuteAligned, MINUTE_MS } from "@/lib/kpi/durations";

describe("durations", () => {
  it("are milliseconds", () => {
    expect(MINUTE_MS).toBe(60_000);
    expect(HOUR_MS).toBe(3_600_000);
  });

  it("call a timestamp minute-aligned only at the start of a whole minute", () => {
    const minute = Date.parse("2026-03-12T14:31:00Z");
    expect(isMinuteAligned(minute)).toBe(true);
    expect(isMinuteAligned(0)).toBe(true);
    expect(isMinuteAligned(minute + 1)).toBe(false);
    expect(isMinuteAligned(minute - 1)).toBe(false);
    expect(isMinuteAligned(minute + 30_000)).toBe(false);
  });
});
