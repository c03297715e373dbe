import { describe, expect, it } from "vitest";

import { MINUTE_MS } from "@/lib/kpi/durations";
import { computeLastFinalTs, isBarFinal } from "@/lib/kpi/bar-finality";

const M = MINUTE_MS;
const TS = Date.parse("2026-03-12T14:00:00Z");
const GRACE = 30_000;

describe("isBarFinal", () => {
  it("keeps the newest bar open until its minute plus the grace period is over, and final from that instant", () => {
    expect(isBarFinal({ ts: TS }, true, TS + M + GRACE - 1, GRACE)).toBe(false);
    expect(isBarFinal({ ts: TS }, true, TS + M + GRACE, GRACE)).toBe(true);
  });

  it("makes a bar with a later bar final at once, even inside its own minute", () => {
    expect(isBarFinal({ ts: TS }, false, TS + 1, GRACE)).toBe(true);
  });

  it("agrees with the sweep cutoff: a bar at the cutoff is final, one a millisecond later is not", () => {
    const now = TS + M + GRACE;
    const cutoff = computeLastFinalTs(now, GRACE);
    expect(isBarFinal({ ts: cutoff }, true, now, GRACE)).toBe(true);
    expect(isBarFinal({ ts: cutoff + 1 }, true, now, GRACE)).toBe(false);
  });
});
