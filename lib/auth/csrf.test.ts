import { describe, expect, it } from "vitest";

import { computeCsrfToken, decideCrossSite, isCsrfTokenValid, type CrossSiteInput } from "@/lib/auth/csrf";

const ours = ["http://127.0.0.1:3000", "https://tickstream.example.com"];
const input = (over: Partial<CrossSiteInput>): CrossSiteInput => ({
  method: "POST",
  origin: null,
  referer: null,
  secFetchSite: null,
  allowedOrigins: ours,
  ...over,
});

describe("cross-site decision for state-changing requests", () => {
  it("lets safe methods through whatever their origin", () => {
    expect(
      decideCrossSite(input({ method: "GET", origin: "https://evil.example", secFetchSite: "cross-site" }))
        .isAllowed,
    ).toBe(true);
    expect(decideCrossSite(input({ method: "HEAD", origin: "https://evil.example" })).isAllowed).toBe(true);
  });

  it("accepts our own origin and PUBLIC_URL's, ignoring case", () => {
    expect(
      decideCrossSite(input({ origin: "http://127.0.0.1:3000", secFetchSite: "same-origin" })).isAllowed,
    ).toBe(true);
    expect(
      decideCrossSite(input({ method: "PATCH", origin: "HTTPS://Tickstream.example.com" })).isAllowed,
    ).toBe(true);
  });

  it("refuses another origin, another port, another scheme", () => {
    for (const origin of [
      "https://evil.example",
      "http://127.0.0.1:3001",
      "https://127.0.0.1:3000",
      "http://tickstream.example.com",
    ]) {
      const decision = decideCrossSite(input({ method: "DELETE", origin }));
      expect(decision.isAllowed, origin).toBe(false);
    }
  });

  it("refuses what the browser marks cross-site or same-site even with a matching Origin", () => {
    expect(
      decideCrossSite(input({ origin: "http://127.0.0.1:3000", secFetchSite: "cross-site" })).isAllowed,
    ).toBe(false);
    expect(
      decideCrossSite(input({ origin: "http://127.0.0.1:3000", secFetchSite: "same-site" })).isAllowed,
    ).toBe(false);
  });

  it("refuses an opaque origin (sandboxed frame, data: URL)", () => {
    expect(decideCrossSite(input({ origin: "null" })).isAllowed).toBe(false);
  });

  it("falls back to the Referer's origin when Origin is absent", () => {
    expect(decideCrossSite(input({ referer: "http://127.0.0.1:3000/admin" })).isAllowed).toBe(true);
    expect(decideCrossSite(input({ referer: "https://evil.example/page" })).isAllowed).toBe(false);
    expect(decideCrossSite(input({ referer: "not a url" })).isAllowed).toBe(false);
  });

  it("lets a request with neither header through (not a browser page: the CSRF token still guards it)", () => {
    expect(decideCrossSite(input({})).isAllowed).toBe(true);
  });

  it("explains a refusal", () => {
    const decision = decideCrossSite(input({ origin: "https://evil.example" }));
    expect(decision).toEqual({
      isAllowed: false,
      reason: "cross-site request refused (origin https://evil.example is not this site)",
    });
  });
});

describe("CSRF token bound to the session", () => {
  const secret = "k".repeat(64);

  it("is stable for one session and differs between sessions and secrets", () => {
    expect(computeCsrfToken("session-a", secret)).toBe(computeCsrfToken("session-a", secret));
    expect(computeCsrfToken("session-a", secret)).not.toBe(computeCsrfToken("session-b", secret));
    expect(computeCsrfToken("session-a", secret)).not.toBe(computeCsrfToken("session-a", "j".repeat(64)));
  });

  it("validates only the exact token", () => {
    const token = computeCsrfToken("session-a", secret);
    expect(isCsrfTokenValid(token, token)).toBe(true);
    expect(isCsrfTokenValid(computeCsrfToken("session-b", secret), token)).toBe(false);
    expect(isCsrfTokenValid(token.slice(1), token)).toBe(false);
    expect(isCsrfTokenValid("", token)).toBe(false);
    expect(isCsrfTokenValid(null, token)).toBe(false);
  });
});
