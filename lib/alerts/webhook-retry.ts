import { computeBackoffMs } from "@/lib/retry";

/** How webhook deliveries are retried (WEBHOOK_MAX_ATTEMPTS and the backoff below by default). */
export type WebhookRetryPolicy = {
  /** Attempts in all, the first included; after the last failed one the delivery is `failed`. */
  maxAttempts: number;
  /** Ceiling of the first retry's delay; doubles per attempt up to `maxDelayMs`, with jitter. */
  baseDelayMs: number;
  maxDelayMs: number;
  random?: () => number;
};

/**
 * 8 attempts, 10 s then doubling to at most an hour: a receiver down for up to about an hour and a
 * half still gets everything, and a dead one is marked failed within about 2 h instead of being
 * retried forever.
 */
export const DEFAULT_WEBHOOK_RETRY_POLICY: WebhookRetryPolicy = {
  maxAttempts: 8,
  baseDelayMs: 10_000,
  maxDelayMs: 3_600_000,
};

/** What one attempt got: a 2xx, another HTTP status, or no answer (timeout, refused, reset, DNS). */
export type WebhookAttemptOutcome =
  | { kind: "delivered"; httpStatus: number }
  | { kind: "rejected"; httpStatus: number }
  | { kind: "unreachable"; error: string; isPermanent?: boolean };

export type WebhookAttemptDecision =
  { status: "delivered" } | { status: "pending"; nextAttemptAt: number } | { status: "failed" };

/**
 * The delivery's state after attempt number `attempt` (1 = the first) ending at `now`. Any non-2xx is
 * retried, as Standard Webhooks senders do (a 4xx is often a receiver being redeployed); a permanent
 * refusal (an address the SSRF guard refuses) fails at once, since retrying cannot change it.
 */
export function decideWebhookAttempt(
  outcome: WebhookAttemptOutcome,
  attempt: number,
  now: number,
  policy: WebhookRetryPolicy,
): WebhookAttemptDecision {
  if (outcome.kind === "delivered") return { status: "delivered" };
  if (outcome.kind === "unreachable" && outcome.isPermanent) return { status: "failed" };
  if (attempt >= policy.maxAttempts) return { status: "failed" };
  const delay = computeBackoffMs(attempt, {
    baseMs: policy.baseDelayMs,
    maxMs: policy.maxDelayMs,
    random: policy.random,
  });
  return { status: "pending", nextAttemptAt: now + delay };
}
