import { describe, expect, it } from "vitest";

import type { SeriesChanges } from "@/lib/kpi/symbol-series";
import type { DailyStat, FactBar, WindowKpi } from "@/lib/kpi/types";
import {
  createLiveUpdatePublisher,
  mergeCommittedChanges,
  type CommittedChanges,
} from "@/workers/stream/live-update-publisher";

const M = 60_000;
const TS = Date.parse("2026-03-12T14:00:00Z");

const bar = (ts: number, close: number) => ({ ts, close }) as FactBar;
const day = (tradeDate: string, close: number) => ({ tradeDate, close }) as DailyStat;
const win = (windowMinutes: number, windowStart: number, gainPct: number) =>
  ({ windowMinutes, windowStart, gainPct }) as WindowKpi;

function committed(symbol: string, change: Partial<SeriesChanges>, producedAt = TS): CommittedChanges {
  return {
    changes: new Map([[symbol, { bars: [], days: [], windows: [], ...change }]]),
    ticks: [{ symbol, producedAt }],
  };
}

describe("mergeCommittedChanges", () => {
  it("keeps the later batch's bar, day and window where two batches changed the same one", () => {
    const merged = mergeCommittedChanges([
      committed("AAPL", {
        bars: [bar(TS, 1), bar(TS + M, 2)],
        days: [day("2026-03-12", 2)],
        windows: [win(5, TS, 0.1)],
      }),
      committed("AAPL", {
        bars: [bar(TS - M, 0.5), bar(TS + M, 3)],
        days: [day("2026-03-12", 3)],
        windows: [win(5, TS, 0.2), win(5, TS + 5 * M, 0.3)],
      }),
    ]);
    expect(merged.changes.get("AAPL")).toEqual({
      bars: [bar(TS - M, 0.5), bar(TS, 1), bar(TS + M, 3)],
      days: [day("2026-03-12", 3)],
      windows: [win(5, TS, 0.2), win(5, TS + 5 * M, 0.3)],
    });
  });

  it("keeps every symbol and every tick of the merged batches", () => {
    const merged = mergeCommittedChanges([
      committed("AAPL", { bars: [bar(TS, 1)] }, TS + 1),
      committed("MSFT", { bars: [bar(TS, 2)] }, TS + 2),
    ]);
    expect([...merged.changes.keys()]).toEqual(["AAPL", "MSFT"]);
    expect(merged.ticks.map((t) => t.producedAt)).toEqual([TS + 1, TS + 2]);
  });
});

describe("createLiveUpdatePublisher", () => {
  it("publishes in commit order, merging the batches committed while a pass ran into the next pass", async () => {
    const passes: number[][] = [];
    let finishPass: () => void = () => undefined;
    const publisher = createLiveUpdatePublisher({
      publish: ({ changes }) => {
        passes.push([...changes.get("AAPL")!.bars.map((b) => b.close)]);
        return new Promise<void>((resolve) => (finishPass = resolve));
      },
      onError: (error) => {
        throw error;
      },
    });
    publisher.enqueue(committed("AAPL", { bars: [bar(TS, 1)] }));
    publisher.enqueue(committed("AAPL", { bars: [bar(TS + M, 2)] }));
    publisher.enqueue(committed("AAPL", { bars: [bar(TS + M, 3)] }));
    expect(publisher.queued).toBe(2);
    finishPass();
    await new Promise((resolve) => setImmediate(resolve));
    expect(passes).toEqual([[1], [3]]);
    finishPass();
    await publisher.flush();
    expect(publisher.queued).toBe(0);
  });

  it("reports a failed pass and carries on with the next batches", async () => {
    const errors: unknown[] = [];
    const published: string[] = [];
    const publisher = createLiveUpdatePublisher({
      publish: ({ changes }) => {
        const [symbol] = changes.keys();
        if (symbol === "BAD") return Promise.reject(new Error("broker down"));
        published.push(symbol!);
        return Promise.resolve();
      },
      onError: (error) => errors.push(error),
    });
    publisher.enqueue(committed("BAD", { bars: [bar(TS, 1)] }));
    await publisher.flush();
    publisher.enqueue(committed("AAPL", { bars: [bar(TS, 1)] }));
    await publisher.flush();
    expect(errors).toEqual([new Error("broker down")]);
    expect(published).toEqual(["AAPL"]);
  });

  it("skips a batch that changed nothing", async () => {
    let passes = 0;
    const publisher = createLiveUpdatePublisher({
      publish: () => {
        passes++;
        return Promise.resolve();
      },
      onError: () => undefined,
    });
    publisher.enqueue({ changes: new Map(), ticks: [] });
    await publisher.flush();
    expect(passes).toBe(0);
  });
});
