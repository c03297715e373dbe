import { describe, expect, it } from "vitest";

import { KPI_HEADERS } from "@/lib/events/topics";
import {
  readProducedAtHeaders,
  readPublishedAtHeader,
  readUpdateCountHeader,
  summarizeProducedAt,
  toKpiHeaders,
  toProducedAtHeaders,
} from "@/lib/events/produced-at-headers";

describe("producedAt ranges of KPI updates", () => {
  it("spans each symbol's ticks and all of them, whatever their order", () => {
    const { bySymbol, all } = summarizeProducedAt([
      { symbol: "AAPL", producedAt: 30 },
      { symbol: "MSFT", producedAt: 5 },
      { symbol: "AAPL", producedAt: 10 },
    ]);
    expect(bySymbol.get("AAPL")).toEqual({ oldest: 10, newest: 30 });
    expect(bySymbol.get("MSFT")).toEqual({ oldest: 5, newest: 5 });
    expect(all).toEqual({ oldest: 5, newest: 30 });
    expect(summarizeProducedAt([]).all).toBeNull();
  });

  it("travels through the KPI headers and back", () => {
    const headers = toProducedAtHeaders({ oldest: 1_700_000_000_000, newest: 1_700_000_000_500 });
    expect(headers[KPI_HEADERS.oldestProducedAt]).toBe("1700000000000");
    expect(readProducedAtHeaders(headers)).toEqual({ oldest: 1_700_000_000_000, newest: 1_700_000_000_500 });
  });

  it("reads missing or malformed headers (an older worker) as unknown", () => {
    expect(readProducedAtHeaders({})).toBeNull();
    expect(
      readProducedAtHeaders({ [KPI_HEADERS.oldestProducedAt]: "x", [KPI_HEADERS.newestProducedAt]: "5" }),
    ).toBeNull();
    expect(
      readProducedAtHeaders({ [KPI_HEADERS.oldestProducedAt]: "9", [KPI_HEADERS.newestProducedAt]: "5" }),
    ).toBeNull();
  });

  it("carries publishedAt as decoded text or as a Kafka client's Buffer, and the range when known", () => {
    const headers = toKpiHeaders(1_700_000_000_700, { oldest: 1_700_000_000_000, newest: 1_700_000_000_500 });
    expect(readPublishedAtHeader(headers)).toBe(1_700_000_000_700);
    expect(readProducedAtHeaders(headers)).toEqual({ oldest: 1_700_000_000_000, newest: 1_700_000_000_500 });
    const asReceived = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, Buffer.from(v)]));
    expect(readPublishedAtHeader(asReceived)).toBe(1_700_000_000_700);
    expect(toKpiHeaders(5, null)).toEqual({ [KPI_HEADERS.publishedAt]: "5" });
  });

  it("carries a symbols message's number of updates, and reads a missing or malformed one as unknown", () => {
    const headers = toKpiHeaders(5, null, 42);
    expect(headers).toEqual({ [KPI_HEADERS.publishedAt]: "5", [KPI_HEADERS.updates]: "42" });
    expect(readUpdateCountHeader(headers)).toBe(42);
    expect(readUpdateCountHeader({ [KPI_HEADERS.updates]: Buffer.from("42") })).toBe(42);
    for (const value of ["", "x", "1.5", "-3", "0"])
      expect(readUpdateCountHeader({ [KPI_HEADERS.updates]: value }), value).toBeNull();
    expect(readUpdateCountHeader({})).toBeNull();
    expect(readUpdateCountHeader(undefined)).toBeNull();
  });

  it("reads a missing or malformed publishedAt (an older worker) as unknown", () => {
    expect(readPublishedAtHeader({ [KPI_HEADERS.publishedAt]: [Buffer.from("7"), "8"] })).toBe(7);
    for (const value of [undefined, "", "x", "1.5", "-3", "0", [], 5])
      expect(readPublishedAtHeader({ [KPI_HEADERS.publishedAt]: value })).toBeNull();
    expect(readPublishedAtHeader(undefined)).toBeNull();
  });
});
