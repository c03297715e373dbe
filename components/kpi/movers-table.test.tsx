// @vitest-environment jsdom
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { cleanup, render, screen, waitFor, within } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import { MoversTable } from "@/components/kpi/movers-table";
import { DisplayZoneProvider } from "@/components/ui/display-zone-provider";
import type { MoversView } from "@/lib/events/api-market";
import type { MoversKpiUpdateV1 } from "@/lib/events/kpi-update-v1";
import { TRADING_DAY_WINDOW } from "@/lib/kpi/movers-window";
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

const WINDOW_START = Date.parse("2026-03-13T15:00:00Z");
const mover = (symbol: string, gainPct: number, rank: number) => ({
  symbol,
  gainPct,
  lastClose: 100,
  totalVolume: 1_000,
  rank,
});
const ranking = (gainers: ReturnType<typeof mover>[], windowStart = WINDOW_START): MoversView => ({
  windowMinutes: 5,
  windowStart,
  windowEnd: windowStart + 5 * 60_000,
  gainers,
  losers: [],
});
const update = (view: MoversView, publishedAt: number): MoversKpiUpdateV1 => ({
  v: 1,
  type: "movers",
  windowMinutes: view.windowMinutes,
  windowStart: view.windowStart!,
  windowEnd: view.windowEnd!,
  gainers: view.gainers,
  losers: view.losers,
  publishedAt,
});

/** MSFT is replayed; AAPL comes from Yahoo. */
const SOURCES = new Map([
  ["MSFT", "replay"],
  ["AAPL", "yahoo"],
] as const);

function renderTable({ windows = [5], deploymentTimeZone = "UTC" } = {}) {
  const client = new QueryClient({ defaultOptions: { queries: { staleTime: Infinity, retry: false } } });
  render(
    <QueryClientProvider client={client}>
      <DisplayZoneProvider deploymentTimeZone={deploymentTimeZone}>
        <MoversTable windows={windows} sources={SOURCES} onPick={() => undefined} />
      </DisplayZoneProvider>
    </QueryClientProvider>,
  );
  return client;
}

const gainers = () =>
  within(screen.getByTestId("movers-gainers"))
    .getAllByRole("button")
    .map((b) => b.textContent);

describe("MoversTable", () => {
  let http: ReturnType<typeof createControlledFetch>;
  beforeEach(() => {
    live = createFakeLiveSocket();
    http = createControlledFetch();
    vi.stubGlobal("fetch", http.fetch);
  });
  afterEach(() => {
    cleanup();
    vi.unstubAllGlobals();
  });

  it("keeps a live ranking that arrived while an older REST answer was on its way", async () => {
    const client = renderTable();
    await waitFor(() => expect(live.sent.some((s) => s.event === "movers:subscribe")).toBe(true));
    await waitFor(() => expect(http.pending("/api/movers?window=5").length).toBeGreaterThan(0));

    // The server read the ranking before the commit that moved NVDA up, and answers after its update.
    live.deliver("movers:updated", update(ranking([mover("NVDA", 2.5, 1), mover("AAPL", 1, 2)]), 2));
    for (const request of http.pending("/api/movers")) request.respond(ranking([mover("AAPL", 1, 1)]));

    // Judge what stays on screen only once the late answer has landed.
    await waitFor(() => expect(client.isFetching()).toBe(0));
    await waitFor(() => expect(gainers()).toEqual(["NVDA", "AAPL"]));
  });

  it("applies live rankings after the REST answer, but never one of an earlier window", async () => {
    const client = renderTable();
    await waitFor(() => expect(http.pending("/api/movers").length).toBeGreaterThan(0));
    for (const request of http.pending("/api/movers")) request.respond(ranking([mover("AAPL", 1, 1)]));
    await waitFor(() => expect(gainers()).toEqual(["AAPL"]));

    live.deliver("movers:updated", update(ranking([mover("MSFT", 3, 1)]), 2));
    await waitFor(() => expect(gainers()).toEqual(["MSFT"]));
    // Every ranking the page holds from here on, to see whether the late bar's ever got in.
    const held: string[][] = [];
    const unsubscribe = client.getQueryCache().subscribe(({ query }) => {
      const data = query.state.data as { value?: MoversView } | undefined;
      if (data?.value) held.push(data.value.gainers.map((m) => m.symbol));
    });
    // An update of an earlier window (a late bar) does not replace the newest window's ranking; the
    // revision that follows it shows both were handled.
    live.deliver("movers:updated", update(ranking([mover("TSLA", 9, 1)], WINDOW_START - 5 * 60_000), 3));
    live.deliver("movers:updated", update(ranking([mover("MSFT", 3, 1), mover("AAPL", 2, 2)]), 4));
    await waitFor(() => expect(gainers()).toEqual(["MSFT", "AAPL"]));
    unsubscribe();
    expect(held.flat()).not.toContain("TSLA");
  });

  it("names the window's zone and marks replayed symbols as a replay", async () => {
    renderTable();
    await waitFor(() => expect(http.pending("/api/movers").length).toBeGreaterThan(0));
    for (const request of http.pending("/api/movers"))
      request.respond(ranking([mover("MSFT", 3, 1), mover("AAPL", 1, 2)]));
    await waitFor(() => expect(gainers()).toEqual(["MSFT", "AAPL"]));
    expect(screen.getByTestId("movers-window").textContent).toBe("Window Mar 13, 15:00 – 15:05 UTC");
    const rows = within(screen.getByTestId("movers-gainers")).getAllByRole("row");
    const badges = rows.map((r) => within(r).queryByTestId("source-badge")?.dataset.source ?? null);
    expect(badges).toEqual(["replay", null]);
    expect(within(rows[0]!).getByTestId("source-badge").title).toMatch(/replayed on the wall clock/);
  });

  it("dates the trading day in the deployment's zone, where the day window was computed", async () => {
    renderTable({ windows: [TRADING_DAY_WINDOW], deploymentTimeZone: "Asia/Tokyo" });
    await waitFor(() => expect(http.pending("/api/movers?window=day").length).toBeGreaterThan(0));
    // Midnight in Tokyo on 13 March is still 12 March in UTC.
    const tokyoMidnight = Date.parse("2026-03-12T15:00:00Z");
    for (const request of http.pending("/api/movers"))
      request.respond({
        ...ranking([mover("MSFT", 3, 1)], tokyoMidnight),
        windowMinutes: TRADING_DAY_WINDOW,
        windowEnd: tokyoMidnight + 24 * 60 * 60_000,
      });
    await waitFor(() =>
      expect(screen.getByTestId("movers-window").textContent).toBe(
        "Trading day 2026-03-13, change vs previous close",
      ),
    );
  });
});
