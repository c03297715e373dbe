"use client";

import { useEffect, useState } from "react";

/** `value` once it has stayed the same for `delayMs` (e.g. a search box's text, one request per pause). */
export function useDebouncedValue<T>(value: T, delayMs: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), delayMs);
    return () => clearTimeout(timer);
  }, [value, delayMs]);
  return settled;
}
