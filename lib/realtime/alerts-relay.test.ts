import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import type { AlertsDelta, AlertView } from "@/lib/events/api-alerts";
import { createLogger } from "@/lib/log";
import { createAlertsRelay } from "@/lib/realtime/alerts-relay";

const logger = createLogger("test", "silent");

function view(id: number): AlertView {
  return {
    id,
    ruleId: 1,
    ruleVersion: 1,
    ruleType: "price_cross",
    symbol: "AAPL",
    barTs: 0,
    values: {},
    firedAt: 0,
    retractedAt: null,
    retractReason: null,
    revision: 1,
    ruleName: "r",
  };
}

describe("alerts relay", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  function setUp(readAlerts: (ids: readonly number[]) => Promise<AlertView[]>) {
    const sent: AlertsDelta[] = [];
    const reads: number[][] = [];
    const relay = createAlertsRelay({
      readAlerts: (ids) => {
        reads.push([...ids]);
        return readAlerts(ids);
      },
      emit: (delta) => sent.push(delta),
      logger,
      intervalMs: 200,
      maxAlerts: 5,
    });
    return { relay, sent, reads };
  }

  it("gathers an interval's hints into one re-read and one event, ids named twice read once", async () => {
    const { relay, sent, reads } = setUp((ids) => Promise.resolve(ids.filter((id) => id !== 9).map(view)));
    relay.notify({ ids: [1, 2] });
    relay.notify({ ids: [2, 9] });
    await vi.advanceTimersByTimeAsync(199);
    expect(sent).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    await relay.stop();
    expect(reads).toEqual([[1, 2, 9]]);
    // 9 has no row (a forged or stale hint): it is not sent.
    expect(sent).toEqual([{ alerts: [view(1), view(2)], isReloadNeeded: false }]);
  });

  it("past maxAlerts, and after a reconnect or a failed read, pages are told to reload", async () => {
    const { relay, sent, reads } = setUp(() => Promise.reject(new Error("db down")));
    relay.notify({ ids: [1, 2, 3, 4, 5, 6] });
    await vi.advanceTimersByTimeAsync(200);
    relay.invalidateAll();
    await vi.advanceTimersByTimeAsync(200);
    relay.notify({ ids: [7] });
    await vi.advanceTimersByTimeAsync(200);
    await relay.stop();
    expect(reads).toEqual([[7]]);
    expect(sent).toEqual([
      { alerts: [], isReloadNeeded: true },
      { alerts: [], isReloadNeeded: true },
      { alerts: [], isReloadNeeded: true },
    ]);
  });

  it("sends nothing after stop", async () => {
    const { relay, sent } = setUp((ids) => Promise.resolve(ids.map(view)));
    await relay.stop();
    relay.notify({ ids: [1] });
    await vi.advanceTimersByTimeAsync(1_000);
    expect(sent).toEqual([]);
  });
});
