import { describe, expect, it } from "vitest";

import { buildPageCsp, createCspNonce, getSecurityHeaders, NON_PAGE_CSP } from "@/lib/http/security-headers";

const directives = (csp: string) =>
  new Map(csp.split("; ").map((d) => [d.split(" ")[0]!, d.split(" ").slice(1).join(" ")]));

describe("security headers of every answer", () => {
  it("send HSTS only for https", () => {
    expect(getSecurityHeaders({ isHttps: false })).not.toHaveProperty("strict-transport-security");
    expect(getSecurityHeaders({ isHttps: true })["strict-transport-security"]).toBe("max-age=31536000");
  });

  it("forbid loading anything and framing on non-page answers", () => {
    const headers = getSecurityHeaders({ isHttps: false });
    expect(headers["content-security-policy"]).toBe(NON_PAGE_CSP);
    expect(directives(NON_PAGE_CSP).get("default-src")).toBe("'none'");
    expect(headers["x-frame-options"]).toBe("DENY");
    expect(headers["x-content-type-options"]).toBe("nosniff");
  });
});

describe("page CSP", () => {
  const nonce = createCspNonce();

  it("runs scripts only with the nonce, without eval in production", () => {
    const csp = directives(buildPageCsp({ nonce, isHttps: false, isDevelopment: false, host: "h:3000" }));
    expect(csp.get("script-src")).toBe(`'self' 'nonce-${nonce}' 'strict-dynamic'`);
    expect(csp.get("style-src-elem")).toBe(`'self' 'nonce-${nonce}'`);
    expect(csp.get("object-src")).toBe("'none'");
    expect(csp.get("frame-ancestors")).toBe("'none'");
    expect(csp.has("upgrade-insecure-requests")).toBe(false);
  });

  it("lets Socket.IO reach this host over ws: (wss: behind https) and upgrades requests under https", () => {
    expect(
      directives(buildPageCsp({ nonce, isHttps: false, isDevelopment: false, host: "127.0.0.1:3000" })).get(
        "connect-src",
      ),
    ).toBe("'self' ws://127.0.0.1:3000");
    const https = directives(
      buildPageCsp({ nonce, isHttps: true, isDevelopment: false, host: "ts.example" }),
    );
    expect(https.get("connect-src")).toBe("'self' wss://ts.example");
    expect(https.has("upgrade-insecure-requests")).toBe(true);
  });

  it("never copies a Host header that is not a host into the policy", () => {
    const csp = buildPageCsp({ nonce, isHttps: false, isDevelopment: false, host: "x; script-src *" });
    expect(directives(csp).get("connect-src")).toBe("'self'");
  });

  it("allows eval and unnonced styles in development only", () => {
    const csp = directives(buildPageCsp({ nonce, isHttps: false, isDevelopment: true, host: null }));
    expect(csp.get("script-src")).toContain("'unsafe-eval'");
    expect(csp.get("style-src-elem")).toBe("'self' 'unsafe-inline'");
  });

  it("makes a new 128-bit nonce each time", () => {
    const nonces = new Set(Array.from({ length: 100 }, createCspNonce));
    expect(nonces.size).toBe(100);
    expect(Buffer.from(nonce, "base64")).toHaveLength(16);
  });
});
