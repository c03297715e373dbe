"use client";

import { useQueries, useQuery } from "@tanstack/react-query";
import { useMemo } from "react";

import { fetchJson } from "@/components/realtime/fetch-json";
import { pricesResponseSchema } from "@/lib/events/api-market";
import type { TimeRange } from "@/lib/kpi/time-range";
import type { FactBar } from "@/lib/kpi/types";

/** A custom range of trading dates (both included), as /api/prices takes it. */
export type CustomRange = { from: string; to: string };

/** Compared symbols are not live: their bars are read again this often. */
const COMPARE_REFRESH_MS = 30_000;

function toPricesUrl(symbol: string, range: TimeRange, custom: CustomRange | null): string {
  const params = new URLSearchParams({ symbol });
  if (custom) {
    params.set("from", custom.from);
    params.set("to", custom.to);
  } else params.set("range", range);
  return `/api/prices?${params.toString()}`;
}

/** The bars of a custom range (a past, closed range: read once). */
export function useCustomRangeBars(symbol: string, custom: CustomRange | null) {
  return useQuery({
    queryKey: ["prices", symbol, custom?.from, custom?.to],
    enabled: custom !== null,
    queryFn: ({ signal }) =>
      fetchJson(toPricesUrl(symbol, "session", custom), pricesResponseSchema, { signal }),
    staleTime: Infinity,
  });
}

/** Bars of each compared symbol over the chart's range, by symbol (absent while loading). */
export function useCompareBars(
  symbols: readonly string[],
  range: TimeRange,
  custom: CustomRange | null,
): { bars: Map<string, FactBar[]>; errors: string[] } {
  const results = useQueries({
    queries: symbols.map((symbol) => ({
      queryKey: ["prices", symbol, range, custom?.from, custom?.to],
      queryFn: ({ signal }: { signal: AbortSignal }) =>
        fetchJson(toPricesUrl(symbol, range, custom), pricesResponseSchema, { signal }),
      refetchInterval: custom ? false : COMPARE_REFRESH_MS,
    })),
  });
  const key = results.map((r) => r.dataUpdatedAt).join("|");
  return useMemo(
    () => {
      const bars = new Map<string, FactBar[]>();
      const errors: string[] = [];
      results.forEach((r, k) => {
        const symbol = symbols[k]!;
        if (r.data) bars.set(symbol, r.data.bars);
        if (r.error) errors.push(`${symbol}: ${r.error.message}`);
      });
      return { bars, errors };
    },
    // eslint-disable-next-line react-hooks/exhaustive-deps -- `results` is a new array each render; `key` changes when any answer does.
    [key, symbols.join(",")],
  );
}
