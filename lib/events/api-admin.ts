import { z } from "zod";

import { alertRuleSchema } from "@/lib/events/alert-rule";
import { symbolSummarySchema } from "@/lib/events/api-market";
import { symbolSchema, symbolSourceSchema, symbolStatusSchema } from "@/lib/events/symbol";
import { symbolPageFieldsSchema } from "@/lib/events/symbol-page";

/** The bodies of the admin REST API (app/api/admin/*, built in lib/admin), parsed by the admin page. */

/** A symbol as the admin API and page show it: the dashboard's summary and what an admin manages. */
export const adminSymbolSchema = symbolSummarySchema.extend({
  pollIntervalSeconds: z.number().int().positive(),
  latestTradeDate: z.string().nullable(),
  ticksToday: z.number().int().nonnegative(),
  lastError: z.string().nullable(),
  lastErrorAt: z.number().int().nullable(),
  removedAt: z.number().int().nullable(),
  updatedAt: z.number().int(),
});

/** Every action the admin code writes to the audit log (lib/admin). */
export const auditActionSchema = z.enum([
  "symbol.add",
  "symbol.reactivate",
  "symbol.pause",
  "symbol.resume",
  "symbol.poll_interval",
  "symbol.update",
  "symbol.remove",
  "symbol.purge",
  "session.login",
  "session.logout",
  "session.login_failed",
  "webhook.create",
  "webhook.update",
  "webhook.enable",
  "webhook.disable",
  "webhook.rotate_secret",
  "webhook.delete",
  "alert_rule.create",
  "alert_rule.update",
  "alert_rule.pause",
  "alert_rule.resume",
  "alert_rule.delete",
]);

/**
 * What an alert rule's audit entry records before and after a change: its parameters, id and version,
 * read as stored rules are (an entry may predate a bound on what an admin may write now).
 */
export const auditAlertRuleSchema = alertRuleSchema.omit({ createdAt: true, updatedAt: true });
export type AuditAlertRule = z.infer<typeof auditAlertRuleSchema>;

/** The fields of a symbol an audit entry records before and after a change (`source` null: the default). */
export const auditStateSchema = z.object({
  status: symbolStatusSchema,
  statusReason: z.string().nullable(),
  pollIntervalSeconds: z.number().int().positive(),
  source: symbolSourceSchema.nullable(),
  displayName: z.string().nullable(),
});

/**
 * One audit log row. The log is history: rows written by older versions may carry actions and states
 * this version no longer writes, so the wire keeps them as stored (any string, any JSON) and readers
 * narrow them with auditActionSchema, auditStateSchema and purgedHistorySchema, showing what does not
 * parse as unavailable rather than failing the page.
 */
export const auditEntrySchema = z.object({
  id: z.number().int(),
  at: z.number().int(),
  actor: z.string(),
  action: z.string(),
  symbol: z.string().nullable(),
  before: z.unknown(),
  after: z.unknown(),
  clientIp: z.string().nullable(),
});

/** POST /api/admin/session */
export const adminSessionResponseSchema = z.object({
  username: z.string(),
  csrfToken: z.string(),
  expiresAt: z.number().int(),
});

/** DELETE /api/admin/session */
export const signOutResponseSchema = z.object({ signedOut: z.boolean() });

/** Symbols per status, over the whole table (not only a search's matches). */
export const symbolStatusCountsSchema = z.record(symbolStatusSchema, z.number().int().nonnegative());

/** GET /api/admin/symbols?q=&limit=&cursor=: one page of every symbol, removed ones too (lib/events/symbol-page.ts). */
export const adminSymbolsResponseSchema = symbolPageFieldsSchema.extend({
  /** The deployment's default source (INGEST_SOURCE), used by symbols without their own. */
  source: symbolSourceSchema,
  symbols: z.array(adminSymbolSchema),
  statusCounts: symbolStatusCountsSchema,
});

/** POST /api/admin/symbols (also the `details` of its 400 when every symbol was rejected). */
export const addSymbolsOutcomeSchema = z.object({
  added: z.array(symbolSchema),
  reactivated: z.array(symbolSchema),
  alreadyFollowed: z.array(z.object({ symbol: symbolSchema, status: symbolStatusSchema })),
  rejected: z.array(z.object({ symbol: z.string(), reason: z.string() })),
});

/** PATCH and DELETE /api/admin/symbols/[symbol] */
export const symbolChangeResponseSchema = z.object({
  changed: z.boolean(),
  symbol: adminSymbolSchema.nullable(),
});

const rowCount = z.number().int().nonnegative();

/** Rows a purge deleted per table of a symbol's history (lib/db/queries/symbols.ts purgeSymbolHistory). */
export const purgedHistorySchema = z.strictObject({
  factPrices: rowCount,
  dailyStats: rowCount,
  kpiSnapshots: rowCount,
  rawTicks: rowCount,
  ingestCursors: rowCount,
});

/** What a purge's audit entry records after it: POST …/purge's answer, rows deleted per table. */
export const auditPurgeSchema = z.object({ deleted: purgedHistorySchema });

/** POST /api/admin/symbols/[symbol]/purge: rows deleted per table. */
export const purgeResponseSchema = z.object({
  symbol: symbolSchema,
  deleted: purgedHistorySchema,
});

/** GET /api/admin/audit: newest first; `nextBefore` is the id to page on from, null on the last page. */
export const auditPageSchema = z.object({
  entries: z.array(auditEntrySchema),
  nextBefore: z.number().int().nullable(),
});

export type AdminSymbol = z.infer<typeof adminSymbolSchema>;
export type AuditAction = z.infer<typeof auditActionSchema>;
export type AuditState = z.infer<typeof auditStateSchema>;
export type AuditPurge = z.infer<typeof auditPurgeSchema>;
export type AuditEntry = z.infer<typeof auditEntrySchema>;
export type AdminSessionResponse = z.infer<typeof adminSessionResponseSchema>;
export type SignOutResponse = z.infer<typeof signOutResponseSchema>;
export type AdminSymbolsResponse = z.infer<typeof adminSymbolsResponseSchema>;
export type SymbolStatusCounts = z.infer<typeof symbolStatusCountsSchema>;
export type AddSymbolsOutcome = z.infer<typeof addSymbolsOutcomeSchema>;
export type SymbolChangeResponse = z.infer<typeof symbolChangeResponseSchema>;
export type PurgedHistory = z.infer<typeof purgedHistorySchema>;
export type PurgeResponse = z.infer<typeof purgeResponseSchema>;
export type AuditPage = z.infer<typeof auditPageSchema>;

/** The poll interval an admin may choose, in seconds (api-admin-requests.ts sets the values). */
export const pollIntervalBoundsSchema = z.object({ min: z.number().int(), max: z.number().int() });
export type PollIntervalBounds = z.infer<typeof pollIntervalBoundsSchema>;
