import type { Db, DbOrTx } from "@/lib/db/client";
import { listenForNotifications } from "@/lib/db/listen";
import { insertAlertEvents, listSymbolLastBars, type NewAlertEvent } from "@/lib/db/queries/alert-events";
import { listAlertRules } from "@/lib/db/queries/alert-rules";
import {
  ALERT_RULES_CHANGED_CHANNEL,
  alertRulesChangedSchema,
  type AlertRule,
} from "@/lib/events/alert-rule";
import { findStaleGap } from "@/lib/kpi/alert-rules";
import type { SeriesChanges, SeriesState } from "@/lib/kpi/symbol-series";
import { describeError, type Logger } from "@/lib/log";
import {
  evaluateAlerts,
  indexAlertRules,
  type AlertEvaluationResult,
  type AlertRuleIndex,
} from "@/workers/handlers/alert-evaluation";

/**
 * Market states in which a symbol's bars are expected every minute: Yahoo's regular session, and the
 * replay and synthetic feeds, which run whenever they run.
 */
const OPEN_MARKET_STATES = new Set(["open", "regular", "replay", "synthetic"]);

export type AlertRuntimeOptions = {
  db: Db;
  logger: Logger;
  clock: () => number;
  /** When set, LISTENs for rule changes so that the next batch re-reads them at once. */
  databaseUrl?: string;
  /** Rules are re-read at least this often, NOTIFY or not (a missed notification costs at most this). */
  refreshMs?: number;
  /** Interval of the stale-data sweep (0 disables it). */
  staleSweepMs?: number;
};

/**
 * The stream worker's alerting: the rules in force (read from alert_rules in the batch's transaction
 * when a change was notified or `refreshMs` passed), their evaluation on each batch, and the stale-data
 * sweep. A NOTIFY is only a hint: the rows are always re-read.
 */
export function startAlertRuntime(options: AlertRuntimeOptions) {
  const { db, logger, clock } = options;
  const refreshMs = options.refreshMs ?? 5_000;
  let index: AlertRuleIndex | null = null;
  let staleRules: AlertRule[] = [];
  let loadedAt = -Infinity;
  // Hints counted, not flagged: a notification arriving while the rules are being read must not be lost.
  let hints = 0;
  let hintsLoaded = -1;

  async function getRuleIndex(tx: DbOrTx, now: number): Promise<AlertRuleIndex> {
    if (index && hints === hintsLoaded && now - loadedAt < refreshMs) return index;
    const seen = hints;
    const rules = await listAlertRules(tx, logger);
    index = indexAlertRules(rules);
    staleRules = rules.filter((r) => r.status === "enabled" && r.condition.type === "stale_data");
    loadedAt = now;
    hintsLoaded = seen;
    return index;
  }

  async function evaluate(
    tx: DbOrTx,
    changes: ReadonlyMap<string, SeriesChanges>,
    getState: (symbol: string) => SeriesState | undefined,
    now: number,
  ): Promise<AlertEvaluationResult> {
    const rules = await getRuleIndex(tx, now);
    return evaluateAlerts(tx, rules, changes, getState, now);
  }

  /**
   * Stale data: one event per (rule, symbol, gap), keyed by the last bar before the gap, so that every
   * sweep of every worker reporting the same gap writes the same row once. Not retracted when a late
   * bar fills the gap afterwards: it records what was missing while the market was open.
   */
  async function sweepStale(): Promise<number> {
    const now = clock();
    await getRuleIndex(db, now);
    const events: NewAlertEvent[] = [];
    for (const rule of staleRules) {
      if (rule.condition.type !== "stale_data") continue;
      const { minutes } = rule.condition;
      const symbols = await listSymbolLastBars(db, rule.scope.kind === "all" ? null : rule.scope.symbols);
      for (const s of symbols) {
        const isOpen = s.marketState !== null && OPEN_MARKET_STATES.has(s.marketState);
        const gapStart = findStaleGap(s.lastBarTs, now, minutes, isOpen);
        if (gapStart === null) continue;
        events.push({
          ruleId: rule.id,
          ruleVersion: rule.version,
          ruleType: "stale_data",
          symbol: s.symbol,
          barTs: gapStart,
          values: { minutes, lastBarTs: gapStart },
        });
      }
    }
    await insertAlertEvents(db, events, new Date(now));
    return events.length;
  }

  const listener = options.databaseUrl
    ? listenForNotifications({
        url: options.databaseUrl,
        channel: ALERT_RULES_CHANGED_CHANNEL,
        schema: alertRulesChangedSchema,
        logger,
        onNotify: () => hints++,
        onReconnect: () => hints++,
      })
    : null;
  const staleSweepMs = options.staleSweepMs ?? 15_000;
  const sweepTimer =
    staleSweepMs > 0
      ? setInterval(() => {
          void sweepStale().catch((error: unknown) =>
            logger.debug({ err: describeError(error) }, "stale-data sweep failed"),
          );
        }, staleSweepMs)
      : undefined;

  return {
    evaluate,
    sweepStale,
    /** Makes the next batch re-read the rules (what a notification does). */
    invalidate(): void {
      hints++;
    },
    async stop(): Promise<void> {
      clearInterval(sweepTimer);
      await listener?.stop();
    },
  };
}

export type AlertRuntime = ReturnType<typeof startAlertRuntime>;
