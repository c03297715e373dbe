import { describe, expect, it } from "vitest";

import { CRASH_LOOP_MS, planRestart } from "./restart-plan";

const membership = (memberId: string) => ({ type: "kafka-membership" as const, groupId: "g", memberId });
const low = () => 0;
const high = () => 0.999;
const half = () => 0.5;

describe("planRestart (npm start's supervisor)", () => {
  it("restarts a process that ran a while within 125-250 ms and clears its crash count", () => {
    const state = { restarts: 4, startedAt: 0 };
    const now = CRASH_LOOP_MS + 1;
    expect(planRestart(state, now, low)).toMatchObject({ restarts: 0, delayMs: 125 });
    expect(planRestart(state, now, high).delayMs).toBe(250);
  });

  it("backs a crash loop off from 1-2 s, doubling up to 30 s", () => {
    const delays = [0, 1, 2, 3, 4, 5].map(
      (restarts) => planRestart({ restarts, startedAt: 1_000 }, 1_000 + CRASH_LOOP_MS, half).delayMs,
    );
    expect(delays).toEqual([1_500, 3_000, 6_000, 12_000, 22_500, 22_500]);
    expect(planRestart({ restarts: 0, startedAt: 1_000 }, 2_000, low)).toEqual({
      restarts: 1,
      delayMs: 1_000,
      handOver: undefined,
    });
  });

  it("hands the member the dead child reported to the next start, over the one it was given", () => {
    expect(
      planRestart({ restarts: 0, startedAt: 0, handOver: "old", membership: membership("new") }, 9_000)
        .handOver,
    ).toBe("new");
  });

  it("passes the id a child was given on when it died before it joined (that member may still be held)", () => {
    expect(planRestart({ restarts: 0, startedAt: 0, handOver: "old" }, 500).handOver).toBe("old");
    expect(planRestart({ restarts: 0, startedAt: 0 }, 9_000).handOver).toBeUndefined();
  });
});
