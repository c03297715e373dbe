import { describe, expect, it } from "vitest";

import { decideWebhookAttempt, type WebhookRetryPolicy } from "@/lib/alerts/webhook-retry";

const now = 1_000_000;
const policy: WebhookRetryPolicy = { maxAttempts: 5, baseDelayMs: 1_000, maxDelayMs: 6_000 };
const rejected = { kind: "rejected", httpStatus: 500 } as const;

describe("decideWebhookAttempt", () => {
  it("a 2xx is delivered, whatever the attempt", () => {
    expect(decideWebhookAttempt({ kind: "delivered", httpStatus: 204 }, 5, now, policy)).toEqual({
      status: "delivered",
    });
  });

  it("backs off exponentially with jitter between half and all of a doubling ceiling, capped", () => {
    const low = { ...policy, random: () => 0 };
    const high = { ...policy, random: () => 0.999_999 };
    const delays = (p: WebhookRetryPolicy) =>
      [1, 2, 3, 4].map((attempt) => {
        const d = decideWebhookAttempt(rejected, attempt, now, p);
        return d.status === "pending" ? d.nextAttemptAt - now : null;
      });
    expect(delays(low)).toEqual([500, 1_000, 2_000, 3_000]);
    expect(delays(high)).toEqual([1_000, 2_000, 4_000, 6_000]);
  });

  it("retries a 4xx and an unreachable receiver like a 5xx", () => {
    expect(decideWebhookAttempt({ kind: "rejected", httpStatus: 404 }, 1, now, policy).status).toBe(
      "pending",
    );
    expect(decideWebhookAttempt({ kind: "unreachable", error: "timeout" }, 1, now, policy).status).toBe(
      "pending",
    );
  });

  it("gives up after the last attempt: attempt maxAttempts - 1 is retried, maxAttempts fails", () => {
    expect(decideWebhookAttempt(rejected, 4, now, policy).status).toBe("pending");
    expect(decideWebhookAttempt(rejected, 5, now, policy)).toEqual({ status: "failed" });
  });

  it("fails a permanent refusal (an address the SSRF guard refuses) at once", () => {
    expect(
      decideWebhookAttempt({ kind: "unreachable", error: "private", isPermanent: true }, 1, now, policy),
    ).toEqual({ status: "failed" });
  });
});
