import { describe, expect, it } from "vitest";

import { checkWebhookUrl, isPrivateAddress, parseWebhookHostPolicy } from "@/lib/alerts/webhook-url";

const none = parseWebhookHostPolicy(undefined);

describe("isPrivateAddress", () => {
  it.each([
    "127.0.0.1",
    "10.1.2.3",
    "172.16.0.1",
    "172.31.255.255",
    "192.168.1.1",
    "169.254.169.254",
    "100.64.0.1",
    "0.0.0.0",
    "224.0.0.1",
    "255.255.255.255",
    "::1",
    "::",
    "fd00::1",
    "fe80::1",
    "::ffff:127.0.0.1",
    "::ffff:7f00:1",
    "::ffff:a9fe:a9fe",
    "64:ff9b::a00:1",
    "not-an-address",
  ])("refuses %s", (address) => {
    expect(isPrivateAddress(address)).toBe(true);
  });

  it.each(["8.8.8.8", "172.15.255.255", "172.32.0.1", "100.128.0.1", "2606:4700::1111", "::ffff:808:808"])(
    "lets %s through",
    (address) => {
      expect(isPrivateAddress(address)).toBe(false);
    },
  );
});

describe("checkWebhookUrl", () => {
  it("accepts a public https or http URL", () => {
    expect(checkWebhookUrl("https://hooks.example.com/alerts?x=1", none)).toMatchObject({ ok: true });
    expect(checkWebhookUrl("http://203.0.113.9:8080/in", none)).toMatchObject({ ok: true });
  });

  it.each([
    ["ftp://example.com/x", /http/],
    ["file:///etc/passwd", /http/],
    ["javascript:alert(1)", /http/],
    ["example.com/hook", /absolute URL/],
    ["https://user:pw@example.com/", /user name or password/],
    [`https://example.com/${"a".repeat(2100)}`, /2048/],
  ])("refuses %s", (url, reason) => {
    const check = checkWebhookUrl(url, none);
    expect(check.ok).toBe(false);
    if (!check.ok) expect(check.reason).toMatch(reason);
  });

  it.each([
    "http://localhost:3000/x",
    "http://api.localhost/x",
    "http://127.0.0.1/x",
    "http://[::1]:80/x",
    "http://[::ffff:127.0.0.1]/x",
    "http://169.254.169.254/latest/meta-data",
    "http://10.0.0.5/x",
    "http://0x7f000001/x",
    "http://2130706433/x",
  ])("refuses the private or local address %s unless allowed", (url) => {
    const check = checkWebhookUrl(url, none);
    expect(check.ok).toBe(false);
    if (!check.ok) expect(check.reason).toMatch(/WEBHOOK_ALLOWED_HOSTS/);
  });

  it("lets an allowed host through (case-insensitive, IPv6 with or without brackets), and only that host", () => {
    const policy = parseWebhookHostPolicy(" 127.0.0.1 , Receiver.Internal,[::1]");
    expect(checkWebhookUrl("http://127.0.0.1:9000/x", policy).ok).toBe(true);
    expect(checkWebhookUrl("http://receiver.internal/x", policy).ok).toBe(true);
    expect(checkWebhookUrl("http://[::1]/x", policy).ok).toBe(true);
    expect(checkWebhookUrl("http://10.0.0.5/x", policy).ok).toBe(false);
  });

  it("lets every host through with *", () => {
    expect(checkWebhookUrl("http://10.0.0.5/x", parseWebhookHostPolicy("*")).ok).toBe(true);
  });
});
