import { z } from "zod";

import type { AlertView } from "@/lib/events/api-alerts";

/**
 * Which alerts this browser has acknowledged. Stored per browser (localStorage), not per user: the
 * dashboard has no viewer accounts, an alert is shared by every viewer, and one analyst acknowledging
 * it must not hide it from the others. Compact however many alerts fire: "acknowledge all" moves a
 * watermark (every id up to it), single acknowledgements above it are listed until the next one.
 */
export const alertAcksSchema = z.object({
  throughId: z.number().int().nonnegative(),
  ids: z.array(z.number().int().positive()).max(2000),
});
export type AlertAcks = z.infer<typeof alertAcksSchema>;

export const NO_ACKS: AlertAcks = { throughId: 0, ids: [] };
export const ALERT_ACKS_STORAGE_KEY = "tickstream.alert-acks.v1";

/** What localStorage held, or nothing acknowledged when it holds nothing readable. */
export function parseAlertAcks(raw: string | null): AlertAcks {
  if (!raw) return NO_ACKS;
  try {
    const parsed = alertAcksSchema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : NO_ACKS;
  } catch {
    return NO_ACKS;
  }
}

export function isAlertAcknowledged(acks: AlertAcks, id: number): boolean {
  return id <= acks.throughId || acks.ids.includes(id);
}

export function acknowledgeAlert(acks: AlertAcks, id: number): AlertAcks {
  if (isAlertAcknowledged(acks, id)) return acks;
  // The oldest single acknowledgements go first past the cap; they are the least likely still shown.
  return { throughId: acks.throughId, ids: [...acks.ids, id].sort((a, b) => a - b).slice(-2000) };
}

/** Acknowledges every alert up to the newest id the page knows of. */
export function acknowledgeAllAlerts(acks: AlertAcks, alerts: readonly Pick<AlertView, "id">[]): AlertAcks {
  const throughId = Math.max(acks.throughId, ...alerts.map((a) => a.id));
  return { throughId, ids: acks.ids.filter((id) => id > throughId) };
}

/** Unread: active (not retracted) and not acknowledged. A retracted alert needs no action. */
export function isAlertUnread(acks: AlertAcks, alert: Pick<AlertView, "id" | "retractedAt">): boolean {
  return alert.retractedAt === null && !isAlertAcknowledged(acks, alert.id);
}

export function countUnreadAlerts(
  acks: AlertAcks,
  alerts: readonly Pick<AlertView, "id" | "retractedAt">[],
): number {
  return alerts.filter((a) => isAlertUnread(acks, a)).length;
}
