import { z } from "zod";

import { alertConditionTypeSchema } from "@/lib/events/alert-rule";
import { symbolSchema } from "@/lib/events/symbol";

/**
 * One fired alert as stored in alert_events (and, later, pushed to browsers and webhooks). Unique per
 * (rule, symbol, bar ts). `revision` is bumped on every change of the row (retracted, fired again,
 * values updated by a revision of its bars), so (id, revision) names one state of one event.
 */
export const alertEventSchema = z.strictObject({
  id: z.number().int().positive(),
  ruleId: z.number().int().positive(),
  ruleVersion: z.number().int().positive(),
  ruleType: alertConditionTypeSchema,
  symbol: symbolSchema,
  /** Start of the final bar that fired it (epoch ms); for stale data, the last bar before the gap. */
  barTs: z.number(),
  /** The KPI values that made the condition true (close, level, indicators, gain %, …). */
  values: z.record(z.string(), z.number().nullable()),
  firedAt: z.number(),
  /** Set when a revision of the bars undid the condition (or the cooldown now hides it); the row stays. */
  retractedAt: z.number().nullable(),
  retractReason: z.string().nullable(),
  revision: z.number().int().positive(),
});
export type AlertEvent = z.infer<typeof alertEventSchema>;

/**
 * The dedupe key a delivery (webhook, browser) carries: a receiver that has seen it has seen this
 * state of this event. Stable across retries of a delivery, new when the event is retracted or fires again.
 */
export function formatAlertDedupeKey(event: Pick<AlertEvent, "id" | "revision">): string {
  return `alert-${event.id}-r${event.revision}`;
}
