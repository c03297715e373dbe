import { describe, expect, it } from "vitest";

import {
  applyForwardedHeaders,
  createTrustedProxies,
  resolveForwardedHeaders,
} from "@/lib/http/forwarded-headers";

const trusted = createTrustedProxies(["10.0.0.0/8", "127.0.0.2", "fd00::/8"]);
const forged = {
  "x-forwarded-for": "1.2.3.4",
  "x-forwarded-proto": "https",
  "x-forwarded-host": "evil.example",
  "x-forwarded-port": "443",
};

describe("forwarded headers", () => {
  it("from a peer that is no trusted proxy, replaces every claim by what the socket says", () => {
    for (const remoteAddress of ["203.0.113.9", "::ffff:203.0.113.9", "127.0.0.1"]) {
      const resolved = resolveForwardedHeaders(
        { headers: forged, remoteAddress, isEncrypted: false },
        trusted,
      );
      expect(resolved).toEqual({
        "x-forwarded-for": remoteAddress.replace("::ffff:", ""),
        "x-forwarded-proto": "http",
        "x-forwarded-host": undefined,
        "x-forwarded-port": undefined,
      });
    }
  });

  it("says https for a TLS socket whatever the client claims", () => {
    const resolved = resolveForwardedHeaders(
      { headers: { "x-forwarded-proto": "http" }, remoteAddress: "203.0.113.9", isEncrypted: true },
      createTrustedProxies([]),
    );
    expect(resolved["x-forwarded-proto"]).toBe("https");
  });

  it("from a trusted proxy, believes its scheme and host and takes the first untrusted hop from the right", () => {
    const resolved = resolveForwardedHeaders(
      {
        headers: { ...forged, "x-forwarded-for": "6.6.6.6, 198.51.100.7, 10.1.2.3" },
        remoteAddress: "::ffff:10.0.0.5",
        isEncrypted: false,
      },
      trusted,
    );
    expect(resolved).toEqual({
      "x-forwarded-for": "198.51.100.7",
      "x-forwarded-proto": "https",
      "x-forwarded-host": "evil.example",
      "x-forwarded-port": "443",
    });
  });

  it("stops at a hop that is not an address (the proxy that wrote it is the client) and ignores an odd scheme", () => {
    const resolved = resolveForwardedHeaders(
      {
        headers: { "x-forwarded-for": "garbage, 10.9.9.9", "x-forwarded-proto": "gopher" },
        remoteAddress: "127.0.0.2",
        isEncrypted: false,
      },
      trusted,
    );
    expect(resolved["x-forwarded-for"]).toBe("10.9.9.9");
    expect(resolved["x-forwarded-proto"]).toBe("http");
  });

  it("without X-Forwarded-For from a trusted proxy, the proxy is the client", () => {
    const resolved = resolveForwardedHeaders(
      { headers: {}, remoteAddress: "fd00::1", isEncrypted: false },
      trusted,
    );
    expect(resolved["x-forwarded-for"]).toBe("fd00::1");
  });

  it("writes the result into the request and drops the other spellings of the same claims", () => {
    const headers: Record<string, string | undefined> = {
      ...forged,
      forwarded: "for=1.2.3.4;proto=https",
      "x-real-ip": "1.2.3.4",
      host: "localhost:3000",
    };
    applyForwardedHeaders(
      headers,
      resolveForwardedHeaders({ headers, remoteAddress: "203.0.113.9", isEncrypted: false }, trusted),
    );
    expect(headers).toEqual({
      "x-forwarded-for": "203.0.113.9",
      "x-forwarded-proto": "http",
      host: "localhost:3000",
    });
  });

  it("refuses a trusted-proxy entry that is not an address or range", () => {
    expect(() => createTrustedProxies(["proxy.local"])).toThrow(/not an address/);
    expect(() => createTrustedProxies(["10.0.0.0/33"])).toThrow(/prefix/);
  });
});
