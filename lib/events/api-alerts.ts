import { z } from "zod";

import { alertEventSchema } from "@/lib/events/alert-event";
import { alertRuleSchema } from "@/lib/events/alert-rule";
import { symbolParamSchema } from "@/lib/events/api-admin-requests";
import { alertConditionTypeSchema } from "@/lib/events/alert-rule";
import { wholeNumberParam } from "@/lib/events/whole-number-param";

// The shapes of alerts as the dashboards see them: REST GET /api/alerts, the Socket.IO
// `alerts:changed` event, and the admin's rule list (GET /api/admin/alert-rules).

/** An alert event with its rule's name, as a page shows it. */
export const alertViewSchema = alertEventSchema.extend({ ruleName: z.string() });
export type AlertView = z.infer<typeof alertViewSchema>;

/** A rule as the alerts panel's filter offers it (retired rules too: their events stay in the history). */
export const alertRuleOptionSchema = z.object({
  id: z.number().int().positive(),
  name: z.string(),
  type: alertConditionTypeSchema,
  isRetired: z.boolean(),
});
export type AlertRuleOption = z.infer<typeof alertRuleOptionSchema>;

export const ALERTS_PAGE_MAX = 200;

/** GET /api/alerts?limit=&before=&symbol=&rule=: newest first (by id, i.e. the order they fired). */
export const alertsQuerySchema = z.strictObject({
  limit: wholeNumberParam(1, ALERTS_PAGE_MAX).default(50),
  before: z.coerce.number({ error: "before must be an alert id" }).int().positive().optional(),
  symbol: symbolParamSchema.optional(),
  rule: z.coerce.number({ error: "rule must be a rule id" }).int().positive().optional(),
});
export type AlertsQuery = z.infer<typeof alertsQuerySchema>;

export const alertsPageSchema = z.object({
  alerts: z.array(alertViewSchema),
  /** The id to page on from (`before`), null on the last page. */
  nextBefore: z.number().int().nullable(),
  rules: z.array(alertRuleOptionSchema),
});
export type AlertsPage = z.infer<typeof alertsPageSchema>;

/** PostgreSQL channel the alert_events triggers notify (drizzle/0008_alert_events_notify.sql). */
export const ALERT_EVENTS_CHANGED_CHANNEL = "alert_events_changed";

/** A notification's payload: the ids a statement inserted or updated. A hint: the rows are re-read. */
export const alertEventsChangedSchema = z.object({
  ids: z.array(z.number().int().positive()).min(1).max(1000),
});
export type AlertEventsChanged = z.infer<typeof alertEventsChangedSchema>;

/** Most alerts one `alerts:changed` event carries; past it pages re-read the history instead. */
export const ALERTS_DELTA_MAX = 200;

/**
 * Socket.IO `alerts:changed`, sent to every page: alerts fired, fired again or retracted in a short
 * interval, as PostgreSQL holds them. `isReloadNeeded`: more changed than one event carries, or
 * changes may have been missed (the listener reconnected); `alerts` is then empty and pages re-read.
 */
export const alertsDeltaSchema = z.object({
  alerts: z.array(alertViewSchema).max(ALERTS_DELTA_MAX),
  isReloadNeeded: z.boolean(),
});
export type AlertsDelta = z.infer<typeof alertsDeltaSchema>;

/** A rule as the admin sees it: the stored rule and how many events it fired (and how many are active). */
export const adminAlertRuleSchema = alertRuleSchema.extend({
  eventCount: z.number().int().nonnegative(),
  activeEventCount: z.number().int().nonnegative(),
  lastFiredAt: z.number().nullable(),
});
export type AdminAlertRule = z.infer<typeof adminAlertRuleSchema>;

/** GET /api/admin/alert-rules */
export const adminAlertRulesResponseSchema = z.object({ rules: z.array(adminAlertRuleSchema) });
export type AdminAlertRulesResponse = z.infer<typeof adminAlertRulesResponseSchema>;

/** POST, PUT and PATCH /api/admin/alert-rules[/id] */
export const alertRuleChangeResponseSchema = z.object({ rule: adminAlertRuleSchema });
export type AlertRuleChangeResponse = z.infer<typeof alertRuleChangeResponseSchema>;

/** DELETE /api/admin/alert-rules/[id] */
export const alertRuleDeleteResponseSchema = z.object({ id: z.number().int(), deleted: z.boolean() });
export type AlertRuleDeleteResponse = z.infer<typeof alertRuleDeleteResponseSchema>;

/** PATCH /api/admin/alert-rules/[id]: pause or resume only. */
export const alertRuleStatusBodySchema = z.strictObject({
  status: z.enum(["enabled", "paused"], { error: 'status must be "enabled" (resume) or "paused" (pause)' }),
});
