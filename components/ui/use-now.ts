"use client";

import { useEffect, useState } from "react";

/**
 * The wall clock (ms), read again every `intervalMs`, for "x ago" texts. `initial` is the time the
 * server rendered with, so hydration sees the same text; the browser's clock takes over at the first tick.
 * Use it in the smallest component that shows the time, so only that one re-renders on each tick.
 */
export function useNow(intervalMs: number, initial?: number): number {
  const [now, setNow] = useState(() => initial ?? Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}
