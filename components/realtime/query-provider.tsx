"use client";

import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { useState, type ReactNode } from "react";
import { z } from "zod";

// zod probes whether it may compile validators with `new Function`; under the page CSP (no eval) that
// probe is refused and reported as a CSP violation. This module loads on every page before any
// schema parses, so the browser's zod never probes.
z.config({ jitless: true });

/**
 * One query cache per page load (per request when the server renders), for the live resources of
 * components/realtime/use-live-resource.ts.
 */
export function QueryProvider({ children }: { children: ReactNode }) {
  const [client] = useState(
    () =>
      new QueryClient({
        defaultOptions: {
          // Live resources are kept current by Socket.IO and reloaded on every (re)connect, not on
          // focus or remount; a failed read is retried once, then the page shows the error.
          queries: { staleTime: Infinity, refetchOnWindowFocus: false, retry: 1 },
        },
      }),
  );
  return <QueryClientProvider client={client}>{children}</QueryClientProvider>;
}
