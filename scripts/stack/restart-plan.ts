// What `npm start`'s supervisor does when one of its processes exits: how long it waits before the next
// start, and which consumer-group member id the next stream worker takes over (lib/events/kafka-membership.ts).
import type { KafkaMembershipMessage } from "@/lib/events/kafka-membership";
import { computeBackoffMs } from "@/lib/retry";

/**
 * An exit within this long of the start counts as a crash loop (about the time a worker takes to start).
 * With 10 s, a stream worker killed 8 s after a restart waited 2–4 s (the fault suite kills one every
 * 4–25 s).
 */
export const CRASH_LOOP_MS = 3_000;

export type RestartState = {
  /** Exits in a row within CRASH_LOOP_MS of their start. */
  restarts: number;
  startedAt: number;
  /** The member id the exited child was started with (a dead child's before it). */
  handOver?: string;
  /** The consumer group membership the exited child last reported, if it joined. */
  membership?: KafkaMembershipMessage;
};

export type RestartPlan = {
  restarts: number;
  delayMs: number;
  /** The member id the next start joins as: its group holds the dead member until its session expires. */
  handOver: string | undefined;
};

/**
 * A process that ran a while (one killed by a signal or an OOM in the middle of its work) restarts
 * 125–250 ms after it died; a crash loop backs off from 1–2 s up to 30 s. A child that died before it
 * joined its group passes on the id it was given: that member may still be held.
 */
export function planRestart(state: RestartState, now: number, random?: () => number): RestartPlan {
  const restarts = now - state.startedAt > CRASH_LOOP_MS ? 0 : state.restarts + 1;
  const delayMs =
    restarts === 0
      ? computeBackoffMs(1, { baseMs: 250, maxMs: 250, random })
      : computeBackoffMs(restarts, { baseMs: 2_000, maxMs: 30_000, random });
  return { restarts, delayMs, handOver: state.membership?.memberId ?? state.handOver };
}
