import { pino } from "pino";

import type { TickV1 } from "@/lib/events/tick-v1";
import { tickV1Schema } from "@/lib/events/tick-v1";
import { parseWith } from "@/lib/events/parse-json";
import type { DriverDeps, IngestCursor } from "@/lib/ingest/driver";

type Status = { marketState?: string; lastError?: string | null };

/**
 * Driver ports as plain objects that record every call. The publisher validates like the real one
 * (an invalid bar is counted, not kept) and accepts while `accepting` is true.
 */
export function createFakeDriverDeps(options: {
  clock: () => number;
  cursors?: Record<string, IngestCursor>;
  /** Durable driver state as stored before the driver starts (key → JSON value). */
  state?: Record<string, unknown>;
}) {
  const published: TickV1[] = [];
  const rejected: unknown[] = [];
  const statuses: { symbol: string; status: Status }[] = [];
  const invalid: { symbol: string; reason: string }[] = [];
  const state = new Map<string, unknown>(Object.entries(options.state ?? {}));
  const control = { accepting: true };

  const deps: DriverDeps = {
    publisher: {
      enqueue: (ticks) => {
        let accepted = 0;
        for (const tick of ticks) {
          if (tickV1Schema.safeParse(tick).success) {
            published.push(tick);
            accepted++;
          } else rejected.push(tick);
        }
        return accepted;
      },
      canAccept: () => control.accepting,
    },
    clock: options.clock,
    logger: pino({ level: "silent" }),
    getCursor: (symbol) => Promise.resolve(options.cursors?.[symbol] ?? null),
    loadState: (key, schema) => Promise.resolve(state.has(key) ? parseWith(schema, state.get(key)) : null),
    saveState: (key, value) => {
      state.set(key, value);
      return Promise.resolve();
    },
    reportStatus: (symbol, status) => void statuses.push({ symbol, status }),
    markInvalid: (symbol, reason) => void invalid.push({ symbol, reason }),
  };

  return {
    deps,
    control,
    published,
    rejected,
    statuses,
    invalid,
    state,
    publishedFor: (symbol: string) => published.filter((t) => t.symbol === symbol),
    lastErrorsFor: (symbol: string) =>
      statuses.filter((s) => s.symbol === symbol && "lastError" in s.status).map((s) => s.status.lastError),
    marketStatesFor: (symbol: string) =>
      statuses.filter((s) => s.symbol === symbol && s.status.marketState).map((s) => s.status.marketState),
  };
}

/**
 * A clock and a `sleep` the test drives: the code under test runs until it sleeps, then the test lets
 * that sleep elapse (the clock jumps by its length) and waits for the next one. No real timers.
 */
export function createManualTime(start: number) {
  let now = start;
  let pending: { ms: number; resolve: () => void } | null = null;
  let onSleep: (() => void)[] = [];
  const sleeps: number[] = [];

  const whenSleeping = (): Promise<void> => {
    if (pending) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("the driver did not go to sleep within 3 s")), 3_000);
      onSleep.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  };

  return {
    clock: () => now,
    sleeps,
    advance: (ms: number) => void (now += ms),
    sleep: (ms: number, signal: AbortSignal): Promise<void> => {
      sleeps.push(ms);
      return new Promise<void>((resolve) => {
        const entry = { ms, resolve };
        pending = entry;
        signal.addEventListener("abort", () => {
          if (pending === entry) pending = null;
          resolve();
        });
        const waiting = onSleep;
        onSleep = [];
        for (const wake of waiting) wake();
      });
    },
    /** Resolves once the code under test is waiting in `sleep`. */
    whenSleeping,
    /** Lets the current sleep elapse and returns its length once the code under test sleeps again. */
    async elapse(): Promise<number> {
      await whenSleeping();
      const entry = pending!;
      pending = null;
      now += entry.ms;
      entry.resolve();
      await whenSleeping();
      return entry.ms;
    },
  };
}

export type ManualTime = ReturnType<typeof createManualTime>;
