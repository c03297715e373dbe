import { describe, expect, it } from "vitest";

import { createWebhookSecret, verifyWebhook } from "@/lib/alerts/webhook-signature";
import type { DueWebhookDelivery } from "@/lib/db/queries/webhook-deliveries";
import { signDelivery } from "@/workers/stream/webhook-relay";

const now = Date.parse("2026-11-30T15:00:00Z");
const body = '{"type":"alert.fired"}';
const current = createWebhookSecret();
const previous = createWebhookSecret();

function delivery(previousSecretExpiresAt: number | null): DueWebhookDelivery {
  return {
    alertEventId: 42,
    eventRevision: 3,
    secret: current,
    previousSecret: previousSecretExpiresAt === null ? null : previous,
    previousSecretExpiresAt: previousSecretExpiresAt === null ? null : new Date(previousSecretExpiresAt),
  } as DueWebhookDelivery;
}

describe("signDelivery", () => {
  it("names the delivery by the event's dedupe key and signs it with the current secret", () => {
    const headers = signDelivery(delivery(null), body, now);
    expect(headers["webhook-id"]).toBe("alert-42-r3");
    expect(headers["webhook-timestamp"]).toBe(String(now / 1000));
    expect(verifyWebhook(current, headers, body, now / 1000)).toEqual({ ok: true, id: "alert-42-r3" });
    expect(verifyWebhook(previous, headers, body, now / 1000).ok).toBe(false);
  });

  it("signs with the previous secret too until its grace period ends, and not from then on", () => {
    const during = signDelivery(delivery(now + 1), body, now);
    expect(during["webhook-signature"]?.split(" ")).toHaveLength(2);
    expect(verifyWebhook(current, during, body, now / 1000).ok).toBe(true);
    expect(verifyWebhook(previous, during, body, now / 1000).ok).toBe(true);
    const after = signDelivery(delivery(now), body, now);
    expect(after["webhook-signature"]?.split(" ")).toHaveLength(1);
    expect(verifyWebhook(previous, after, body, now / 1000).ok).toBe(false);
  });
});
