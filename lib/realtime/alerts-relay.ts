import {
  ALERTS_DELTA_MAX,
  type AlertEventsChanged,
  type AlertsDelta,
  type AlertView,
} from "@/lib/events/api-alerts";
import { describeError, type Logger } from "@/lib/log";

export type AlertsRelayDeps = {
  /** The alerts with these ids as PostgreSQL holds them now. */
  readAlerts: (ids: readonly number[]) => Promise<AlertView[]>;
  /** Sends one event to every page (attachRealtime's emitAlertsChanged). */
  emit: (delta: AlertsDelta) => void;
  logger: Logger;
  /** How long hints are gathered before one event goes out (ms); small, as alerts must show within 3 s. */
  intervalMs: number;
  /** More ids than this in one interval make a reload hint instead of a list. */
  maxAlerts?: number;
};

export type AlertsRelay = {
  /** Takes an `alert_events_changed` notification (parsed with its schema) as a hint. */
  notify: (hint: AlertEventsChanged) => void;
  /** Alerts may have changed unseen (the listener reconnected): pages re-read their history. */
  invalidateAll: () => void;
  /** Cancels the pending interval and waits for an event being built. */
  stop: () => Promise<void>;
};

/**
 * Turns `alert_events_changed` notifications into `alerts:changed` events. The payload is untrusted and
 * only names rows, so each event carries the rows as re-read when it is built (an id without a row is
 * dropped). Hints are gathered for `intervalMs`; a flood past `maxAlerts` (a replay of a past day
 * firing thousands) goes out as one reload hint.
 */
export function createAlertsRelay(deps: AlertsRelayDeps): AlertsRelay {
  const { logger, intervalMs } = deps;
  const maxAlerts = Math.min(deps.maxAlerts ?? ALERTS_DELTA_MAX, ALERTS_DELTA_MAX);
  let pending = new Set<number>();
  let isOverflowing = false;
  let timer: NodeJS.Timeout | null = null;
  let isStopped = false;
  // Events go out in the order their intervals closed: each waits for the previous one's read.
  let chain: Promise<void> = Promise.resolve();

  async function flush(): Promise<void> {
    const ids = [...pending];
    const isReloadNeeded = isOverflowing;
    pending = new Set();
    isOverflowing = false;
    if (isReloadNeeded) return deps.emit({ alerts: [], isReloadNeeded: true });
    if (ids.length === 0) return;
    let alerts: AlertView[];
    try {
      alerts = await deps.readAlerts(ids);
    } catch (error) {
      logger.warn({ err: describeError(error), alerts: ids.length }, "re-reading changed alerts failed");
      return deps.emit({ alerts: [], isReloadNeeded: true });
    }
    if (alerts.length > 0) deps.emit({ alerts, isReloadNeeded: false });
  }

  function schedule(): void {
    if (timer || isStopped) return;
    timer = setTimeout(() => {
      timer = null;
      chain = chain.then(flush).catch((error: unknown) => {
        logger.error({ err: describeError(error) }, "sending alerts:changed failed");
      });
    }, intervalMs);
  }

  return {
    notify(hint) {
      if (!isOverflowing) {
        for (const id of hint.ids) pending.add(id);
        if (pending.size > maxAlerts) {
          isOverflowing = true;
          pending = new Set();
        }
      }
      schedule();
    },
    invalidateAll() {
      isOverflowing = true;
      pending = new Set();
      schedule();
    },
    async stop() {
      isStopped = true;
      if (timer) clearTimeout(timer);
      timer = null;
      await chain;
    },
  };
}
