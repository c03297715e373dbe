import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

/**
 * Webhook signatures in the Standard Webhooks scheme (standardwebhooks.com), so that a receiver can
 * verify them with that project's libraries or a dozen lines of its own: the headers below, and
 * `v1,<base64 HMAC-SHA256 over "<id>.<timestamp>.<body>">` with the secret's bytes as the key. The id
 * is the delivery's dedupe key (the same on every retry of one alert); the timestamp bounds replays.
 */
export const WEBHOOK_HEADERS = {
  id: "webhook-id",
  timestamp: "webhook-timestamp",
  signature: "webhook-signature",
} as const;

const SECRET_PREFIX = "whsec_";
/** A receiver refuses a timestamp further than this from its clock (Standard Webhooks' default). */
export const WEBHOOK_TOLERANCE_SECONDS = 300;

/** A new secret: 32 random bytes, `whsec_` + base64, shown to the admin once. */
export function createWebhookSecret(): string {
  return SECRET_PREFIX + randomBytes(32).toString("base64");
}

function toKey(secret: string): Buffer {
  if (!secret.startsWith(SECRET_PREFIX)) throw new Error("a webhook secret starts with whsec_");
  const key = Buffer.from(secret.slice(SECRET_PREFIX.length), "base64");
  if (key.length < 24) throw new Error("a webhook secret holds at least 24 bytes");
  return key;
}

function sign(secret: string, id: string, timestampSeconds: number, body: string): string {
  return createHmac("sha256", toKey(secret)).update(`${id}.${timestampSeconds}.${body}`).digest("base64");
}

/** The three headers of one delivery attempt. */
export function signWebhook(
  secret: string,
  delivery: { id: string; timestampSeconds: number; body: string },
): Record<string, string> {
  return {
    [WEBHOOK_HEADERS.id]: delivery.id,
    [WEBHOOK_HEADERS.timestamp]: String(delivery.timestampSeconds),
    [WEBHOOK_HEADERS.signature]: `v1,${sign(secret, delivery.id, delivery.timestampSeconds, delivery.body)}`,
  };
}

export type WebhookVerdict = { ok: true; id: string } | { ok: false; reason: string };

/**
 * What a receiver does: the signature must match one of the space-separated `v1,` entries (several
 * while a secret is rotated), compared in constant time, and the timestamp must be within the
 * tolerance of `nowSeconds`.
 */
export function verifyWebhook(
  secret: string,
  headers: Readonly<Record<string, string | undefined>>,
  body: string,
  nowSeconds: number,
): WebhookVerdict {
  const id = headers[WEBHOOK_HEADERS.id];
  const timestamp = headers[WEBHOOK_HEADERS.timestamp];
  const signatures = headers[WEBHOOK_HEADERS.signature];
  if (!id || !timestamp || !signatures) return { ok: false, reason: "missing webhook headers" };
  const timestampSeconds = Number(timestamp);
  if (!/^\d+$/.test(timestamp) || !Number.isSafeInteger(timestampSeconds))
    return { ok: false, reason: "malformed timestamp" };
  if (Math.abs(nowSeconds - timestampSeconds) > WEBHOOK_TOLERANCE_SECONDS)
    return { ok: false, reason: "timestamp outside the tolerance" };
  const expected = Buffer.from(sign(secret, id, timestampSeconds, body), "base64");
  for (const entry of signatures.split(" ")) {
    const [version, value] = entry.split(",", 2);
    if (version !== "v1" || !value) continue;
    const given = Buffer.from(value, "base64");
    if (given.length === expected.length && timingSafeEqual(given, expected)) return { ok: true, id };
  }
  return { ok: false, reason: "no matching signature" };
}
