"use client";

import type { QueryKey } from "@tanstack/react-query";

import {
  applySymbolChanges,
  type SymbolPageScope,
  type SymbolPageView,
} from "@/components/realtime/symbol-page-changes";
import { useLiveResource, type LiveResource } from "@/components/realtime/use-live-resource";
import type { SymbolSummary } from "@/lib/events/api-market";

export type LiveSymbolPageOptions<T extends SymbolSummary, P extends SymbolPageView<T>> = {
  queryKey: QueryKey;
  /** Reads the page from REST (GET /api/symbols or /api/admin/symbols with the page's query). */
  load: (signal: AbortSignal) => Promise<P>;
  scope: SymbolPageScope<T>;
  initialData?: P;
  isEnabled?: boolean;
  refetchInterval?: number;
};

/**
 * One page of a symbol list, kept current by `symbols:changed`: each change is applied to the page
 * (symbol-page-changes.ts), and only a "many changed" event, or a symbol entering the page that its
 * summary cannot describe, re-reads the page. The whole list is never read.
 */
export function useLiveSymbolPage<T extends SymbolSummary, P extends SymbolPageView<T>>(
  options: LiveSymbolPageOptions<T, P>,
): LiveResource<P> {
  const { scope } = options;
  return useLiveResource({
    queryKey: options.queryKey,
    load: options.load,
    initialData: options.initialData,
    isEnabled: options.isEnabled,
    refetchInterval: options.refetchInterval,
    event: "symbols:changed",
    merge: (page, delta) => applySymbolChanges(page, delta.changes, scope).page,
    reloadOn: (page, delta) =>
      delta.isReloadNeeded || applySymbolChanges(page, delta.changes, scope).isReloadNeeded,
  });
}
