import { createHmac } from "node:crypto";

import { describe, expect, it } from "vitest";

import {
  createWebhookSecret,
  signWebhook,
  verifyWebhook,
  WEBHOOK_HEADERS,
  WEBHOOK_TOLERANCE_SECONDS,
} from "@/lib/alerts/webhook-signature";

// The example of the Standard Webhooks specification, computed here independently with node:crypto.
const SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
const TIMESTAMP = 1_614_265_330;
const BODY = '{"test": 2432232314}';

describe("signWebhook", () => {
  it("signs id, timestamp and body with the secret's bytes as Standard Webhooks does", () => {
    const headers = signWebhook(SECRET, { id: ID, timestampSeconds: TIMESTAMP, body: BODY });
    const key = Buffer.from(SECRET.slice("whsec_".length), "base64");
    const expected = createHmac("sha256", key).update(`${ID}.${TIMESTAMP}.${BODY}`).digest("base64");
    expect(headers).toEqual({
      [WEBHOOK_HEADERS.id]: ID,
      [WEBHOOK_HEADERS.timestamp]: String(TIMESTAMP),
      [WEBHOOK_HEADERS.signature]: `v1,${expected}`,
    });
    // The value the specification publishes for this example.
    expect(headers[WEBHOOK_HEADERS.signature]).toBe("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
  });

  it("refuses secrets that are not whsec_ keys of at least 24 bytes", () => {
    expect(() => signWebhook("secret", { id: ID, timestampSeconds: TIMESTAMP, body: BODY })).toThrow(
      /whsec_/,
    );
    expect(() => signWebhook("whsec_c2hvcnQ=", { id: ID, timestampSeconds: TIMESTAMP, body: BODY })).toThrow(
      /24 bytes/,
    );
  });
});

describe("verifyWebhook", () => {
  const headers = signWebhook(SECRET, { id: ID, timestampSeconds: TIMESTAMP, body: BODY });

  it("accepts its own signature within the tolerance and returns the dedupe id", () => {
    expect(verifyWebhook(SECRET, headers, BODY, TIMESTAMP + WEBHOOK_TOLERANCE_SECONDS)).toEqual({
      ok: true,
      id: ID,
    });
  });

  it("refuses a changed body, another secret, an old timestamp and missing headers", () => {
    expect(verifyWebhook(SECRET, headers, BODY.replace("2", "3"), TIMESTAMP)).toMatchObject({ ok: false });
    expect(verifyWebhook(createWebhookSecret(), headers, BODY, TIMESTAMP)).toEqual({
      ok: false,
      reason: "no matching signature",
    });
    expect(verifyWebhook(SECRET, headers, BODY, TIMESTAMP + WEBHOOK_TOLERANCE_SECONDS + 1)).toEqual({
      ok: false,
      reason: "timestamp outside the tolerance",
    });
    expect(verifyWebhook(SECRET, { ...headers, [WEBHOOK_HEADERS.id]: undefined }, BODY, TIMESTAMP)).toEqual({
      ok: false,
      reason: "missing webhook headers",
    });
    expect(
      verifyWebhook(SECRET, { ...headers, [WEBHOOK_HEADERS.timestamp]: "1e9" }, BODY, TIMESTAMP),
    ).toEqual({
      ok: false,
      reason: "malformed timestamp",
    });
  });

  it("accepts any of several signatures (a secret being rotated)", () => {
    const other = signWebhook(createWebhookSecret(), { id: ID, timestampSeconds: TIMESTAMP, body: BODY });
    const both = `${other[WEBHOOK_HEADERS.signature]} ${headers[WEBHOOK_HEADERS.signature]}`;
    expect(verifyWebhook(SECRET, { ...headers, [WEBHOOK_HEADERS.signature]: both }, BODY, TIMESTAMP)).toEqual(
      {
        ok: true,
        id: ID,
      },
    );
  });

  it("makes secrets of 32 random bytes", () => {
    const secret = createWebhookSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(createWebhookSecret()).not.toBe(secret);
  });
});
