// @vitest-environment jsdom
import { QueryClient, QueryClientProvider, useQuery } from "@tanstack/react-query";
import { act, cleanup, renderHook, waitFor } from "@testing-library/react";
import type { ReactNode } from "react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { z } from "zod";

import { fetchJson } from "@/components/realtime/fetch-json";
import { useLiveResource, type LiveResourceOptions } from "@/components/realtime/use-live-resource";
import type { MoversKpiUpdateV1 } from "@/lib/events/kpi-update-v1";
import {
  createControlledFetch,
  createFakeLiveSocket,
  type FakeLiveSocket,
} from "@/tests/support/fake-live-socket";

let live: FakeLiveSocket;
vi.mock("@/components/realtime/socket", async (importOriginal) => ({
  ...(await importOriginal<object>()),
  getLiveSocket: () => live.socket,
}));

/** A resource whose every state has a version: the commit it reflects, as a counter. */
const counterSchema = z.object({ version: z.number() });
type Counter = z.infer<typeof counterSchema>;

/** A live event carrying version `n` (the movers event is used as a plain carrier of `publishedAt`). */
const event = (n: number): MoversKpiUpdateV1 => ({
  v: 1,
  type: "movers",
  windowMinutes: 5,
  windowStart: 0,
  windowEnd: 0,
  gainers: [],
  losers: [],
  publishedAt: n,
});

type CounterOptions = Pick<
  LiveResourceOptions<Counter, "movers:updated">,
  "reloadOn" | "rereadOn" | "rereadIntervalMs"
>;

/** The hook on a counter resource; its first join waits until the test calls `releaseJoin`. */
function renderCounter(options: CounterOptions = {}) {
  const client = new QueryClient({ defaultOptions: { queries: { staleTime: Infinity, retry: false } } });
  const wrapper = ({ children }: { children: ReactNode }) => (
    <QueryClientProvider client={client}>{children}</QueryClientProvider>
  );
  let releaseJoin = () => undefined as void;
  const joining = new Promise<void>((resolve) => (releaseJoin = resolve));
  const hook = renderHook(
    () =>
      useLiveResource({
        queryKey: ["counter"],
        load: (signal) => fetchJson("/api/counter", counterSchema, { signal }),
        event: "movers:updated",
        join: () => joining,
        // Replaces the value with the event's version: only the order of arrival decides.
        merge: (_: Counter, e) => ({ version: e.publishedAt }),
        ...options,
      }),
    { wrapper },
  );
  return { ...hook, client, releaseJoin };
}

describe("useLiveResource: REST answers and live events", () => {
  let http: ReturnType<typeof createControlledFetch>;
  const answerAll = (version: number) => {
    for (const request of http.pending("/api/counter")) request.respond({ version });
  };
  /**
   * Lets the server confirm the join, and waits for the reload that follows it (it marks the query
   * invalidated; with no data yet it joins the read in flight rather than starting another).
   */
  const completeJoin = async (client: QueryClient, releaseJoin: () => void) => {
    act(() => releaseJoin());
    await waitFor(() => expect(client.getQueryState(["counter"])?.isInvalidated).toBe(true));
  };
  /** Waits until no REST read is in flight, so every answer has landed in the cache. */
  const waitForIdle = (client: QueryClient) => waitFor(() => expect(client.isFetching()).toBe(0));
  /** The hook on a counter with `options`, its first read answered at version 1. */
  const renderLoaded = async (options: CounterOptions) => {
    const rendered = renderCounter(options);
    await waitFor(() => expect(http.pending("/api/counter").length).toBeGreaterThan(0));
    await completeJoin(rendered.client, rendered.releaseJoin);
    answerAll(1);
    await waitForIdle(rendered.client);
    await waitFor(() => expect(rendered.result.current.data).toEqual({ version: 1 }));
    return rendered;
  };
  /**
   * A counter whose negative versions stand for "many changed" (reloadOn refuses them), loaded at
   * version 1, then sent version -1: returns it with the read that event started, still unanswered.
   */
  const renderReloading = async () => {
    const rendered = await renderLoaded({ reloadOn: (_, e) => e.publishedAt < 0 });
    act(() => live.deliver("movers:updated", event(-1)));
    await waitFor(() => expect(http.pending("/api/counter")).toHaveLength(1));
    return { ...rendered, read: http.pending("/api/counter")[0]! };
  };

  beforeEach(() => {
    live = createFakeLiveSocket();
    http = createControlledFetch();
    vi.stubGlobal("fetch", http.fetch);
  });
  afterEach(() => {
    cleanup();
    vi.unstubAllGlobals();
  });

  it("keeps a live value that arrived after the REST request started and before its older answer", async () => {
    const { result, client, releaseJoin } = renderCounter();
    await waitFor(() => expect(http.pending("/api/counter").length).toBeGreaterThan(0));
    await completeJoin(client, releaseJoin);
    act(() => live.deliver("movers:updated", event(2)));
    answerAll(1);
    await waitForIdle(client);
    await waitFor(() => expect(result.current.data).toEqual({ version: 2 }));
    expect(result.current.liveAt).not.toBeNull();
  });

  it("shows the REST answer when the live value arrived before the request started", async () => {
    const { result, client, releaseJoin } = renderCounter();
    await waitFor(() => expect(http.pending("/api/counter").length).toBeGreaterThan(0));
    await completeJoin(client, releaseJoin);
    answerAll(1);
    await waitFor(() => expect(result.current.data).toEqual({ version: 1 }));
    act(() => live.deliver("movers:updated", event(2)));
    await waitFor(() => expect(result.current.data).toEqual({ version: 2 }));

    // A reconnect reloads; that answer was read after update 2 and includes commit 3.
    act(() => live.reconnect());
    await waitFor(() => expect(http.pending("/api/counter").length).toBe(1));
    answerAll(3);
    await waitFor(() => expect(result.current.data).toEqual({ version: 3 }));
  });

  it("reloads instead of merging an event its reloadOn refuses, and merges the others", async () => {
    const { result } = await renderReloading();
    expect(result.current.data).toEqual({ version: 1 });
    answerAll(5);
    await waitFor(() => expect(result.current.data).toEqual({ version: 5 }));

    act(() => live.deliver("movers:updated", event(6)));
    await waitFor(() => expect(result.current.data).toEqual({ version: 6 }));
    expect(http.pending("/api/counter")).toHaveLength(0);
  });

  it("lets a read in flight land when reloadOn asks again, and reads once more after it", async () => {
    const { result, client, read: first } = await renderReloading();
    // Two more while it is in flight (a backlog): neither cancels it, and together they ask one read.
    act(() => live.deliver("movers:updated", event(-2)));
    act(() => live.deliver("movers:updated", event(-3)));
    expect(first.signal?.aborted).toBe(false);
    expect(http.pending("/api/counter")).toEqual([first]);
    first.respond({ version: 5 });
    await waitFor(() => expect(result.current.data).toEqual({ version: 5 }));
    // The read that answered may predate the later events: the next one follows it.
    await waitFor(() => expect(http.pending("/api/counter")).toHaveLength(1));
    answerAll(7);
    await waitFor(() => expect(result.current.data).toEqual({ version: 7 }));
    await waitForIdle(client);
    expect(http.requests.filter((r) => r.url.startsWith("/api/counter") && r.signal?.aborted)).toEqual([]);
  });

  it("cancels a read that looks stalled (10 s) when reloadOn asks again, and reads anew", async () => {
    const { result, client, read: stalled } = await renderReloading();
    const now = Date.now();
    vi.spyOn(Date, "now").mockReturnValue(now + 9_000);
    act(() => live.deliver("movers:updated", event(-2)));
    expect(stalled.signal?.aborted).toBe(false);
    vi.spyOn(Date, "now").mockReturnValue(now + 11_000);
    act(() => live.deliver("movers:updated", event(-3)));
    await waitFor(() => expect(stalled.signal?.aborted).toBe(true));
    await waitFor(() => expect(http.pending("/api/counter")).toHaveLength(1));
    vi.restoreAllMocks();
    answerAll(8);
    await waitFor(() => expect(result.current.data).toEqual({ version: 8 }));
    // That read started after every event: none is due after it.
    await waitForIdle(client);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(http.pending("/api/counter")).toHaveLength(0);
  });

  it("reads again when an event its reloadOn refuses came during the first read, before there was data", async () => {
    const { result, client, releaseJoin } = renderCounter({ reloadOn: (_, e) => e.publishedAt < 0 });
    await waitFor(() => expect(http.pending("/api/counter").length).toBeGreaterThan(0));
    await completeJoin(client, releaseJoin);
    act(() => live.deliver("movers:updated", event(-1)));
    answerAll(1);
    await waitFor(() => expect(result.current.data).toEqual({ version: 1 }));
    // The answer may predate the change the event stands for: it is read again, not merged.
    await waitFor(() => expect(http.pending("/api/counter")).toHaveLength(1));
    answerAll(5);
    await waitFor(() => expect(result.current.data).toEqual({ version: 5 }));
  });

  describe("rereadOn (merged, yet read again: at most once per interval)", () => {
    const INTERVAL = 1_000;
    /** A counter whose negative versions leave something out (rereadOn), loaded at version 1. */
    const renderRereading = () =>
      renderLoaded({ rereadOn: (_, e) => e.publishedAt < 0, rereadIntervalMs: INTERVAL });
    const counterReads = () => http.requests.filter((r) => r.url.startsWith("/api/counter")).length;

    it("merges such an event and reads at once, then serves the next ones by one read an interval later", async () => {
      const { result, client } = await renderRereading();
      const before = counterReads();
      act(() => live.deliver("movers:updated", event(-1)));
      await waitFor(() => expect(result.current.data).toEqual({ version: -1 }));
      await waitFor(() => expect(http.pending("/api/counter")).toHaveLength(1));
      // Two more while that read is in flight: merged, and one read an interval after it serves both.
      act(() => live.deliver("movers:updated", event(-2)));
      act(() => live.deliver("movers:updated", event(-3)));
      await waitFor(() => expect(result.current.data).toEqual({ version: -3 }));
      answerAll(5);
      await waitForIdle(client);
      expect(result.current.data).toEqual({ version: -3 });
      expect(http.pending("/api/counter")).toHaveLength(0);
      await waitFor(() => expect(http.pending("/api/counter")).toHaveLength(1), { timeout: 2 * INTERVAL });
      answerAll(9);
      await waitFor(() => expect(result.current.data).toEqual({ version: 9 }));
      // Nothing flagged since that read started, and an event it does not flag reads nothing.
      act(() => live.deliver("movers:updated", event(10)));
      await new Promise((resolve) => setTimeout(resolve, 1.5 * INTERVAL));
      expect(counterReads() - before).toBe(2);
      expect(result.current.data).toEqual({ version: 10 });
    });

    it("lets a read in flight land, and reads once more after it", async () => {
      const { result, client } = await renderRereading();
      act(() => live.reconnect());
      await waitFor(() => expect(http.pending("/api/counter")).toHaveLength(1));
      const inFlight = http.pending("/api/counter")[0]!;
      act(() => live.deliver("movers:updated", event(-4)));
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(inFlight.signal?.aborted).toBe(false);
      expect(http.pending("/api/counter")).toEqual([inFlight]);
      inFlight.respond({ version: 3 });
      // That answer may predate the event: the next read follows it.
      await waitFor(() => expect(http.pending("/api/counter")).toHaveLength(1));
      answerAll(6);
      await waitFor(() => expect(result.current.data).toEqual({ version: 6 }));
      await waitForIdle(client);
    });

    it("reads nothing once its page has gone, though another part of the page still shows the resource", async () => {
      const { unmount, client } = await renderRereading();
      // Another observer of the same query stays: an invalidation would still read.
      renderHook(
        () =>
          useQuery({
            queryKey: ["counter"],
            queryFn: ({ signal }) => fetchJson("/api/counter", counterSchema, { signal }),
          }),
        {
          wrapper: ({ children }: { children: ReactNode }) => (
            <QueryClientProvider client={client}>{children}</QueryClientProvider>
          ),
        },
      );
      act(() => live.deliver("movers:updated", event(-1)));
      await waitFor(() => expect(http.pending("/api/counter")).toHaveLength(1));
      answerAll(2);
      await waitForIdle(client);
      const before = counterReads();
      act(() => live.deliver("movers:updated", event(-2)));
      unmount();
      await new Promise((resolve) => setTimeout(resolve, 1.5 * INTERVAL));
      expect(counterReads()).toBe(before);
    });
  });

  it("applies a live value that arrives after the REST answer", async () => {
    const { result, client, releaseJoin } = renderCounter();
    await waitFor(() => expect(http.pending("/api/counter").length).toBeGreaterThan(0));
    await completeJoin(client, releaseJoin);
    answerAll(1);
    await waitFor(() => expect(result.current.data).toEqual({ version: 1 }));
    expect(result.current.liveAt).toBeNull();
    act(() => live.deliver("movers:updated", event(2)));
    await waitFor(() => expect(result.current.data).toEqual({ version: 2 }));
    expect(result.current.liveAt).not.toBeNull();
  });

  it("keeps the last good value and reports the error when a reload fails", async () => {
    const { result, client, releaseJoin } = renderCounter();
    await waitFor(() => expect(http.pending("/api/counter").length).toBeGreaterThan(0));
    await completeJoin(client, releaseJoin);
    answerAll(1);
    await waitFor(() => expect(result.current.data).toEqual({ version: 1 }));
    act(() => live.reconnect());
    await waitFor(() => expect(http.pending("/api/counter").length).toBe(1));
    for (const request of http.pending("/api/counter"))
      request.respond({ error: { code: "internal", message: "internal error; see the server log" } }, 500);
    await waitFor(() => expect(result.current.error?.message).toBe("internal error; see the server log"));
    expect(result.current.data).toEqual({ version: 1 });
  });
});
