import { describe, expect, it } from "vitest";

import { parseCookieHeader, serializeCookie } from "@/lib/auth/http-cookies";

describe("cookies", () => {
  it("parses a Cookie header, first occurrence winning", () => {
    const cookies = parseCookieHeader('a=1; tickstream_admin=tok.sig; b="quoted"; a=2; broken; =x');
    expect(cookies.get("a")).toBe("1");
    expect(cookies.get("tickstream_admin")).toBe("tok.sig");
    expect(cookies.get("b")).toBe("quoted");
    expect(cookies.size).toBe(3);
  });

  it("serializes an httpOnly, SameSite, Path=/ session cookie with Max-Age and Expires", () => {
    const value = serializeCookie("tickstream_admin", "tok.sig", {
      maxAgeSeconds: 3600,
      isSecure: false,
      sameSite: "Lax",
      now: Date.UTC(2025, 0, 1),
    });
    expect(value).toBe(
      "tickstream_admin=tok.sig; Path=/; HttpOnly; SameSite=Lax; Max-Age=3600; Expires=Wed, 01 Jan 2025 01:00:00 GMT",
    );
  });

  it("adds Secure when asked and expires a deleted cookie in the past", () => {
    const value = serializeCookie("tickstream_admin", "", {
      maxAgeSeconds: 0,
      isSecure: true,
      sameSite: "Strict",
      now: 0,
    });
    expect(value).toContain("Max-Age=0");
    expect(value).toContain("Expires=Thu, 01 Jan 1970 00:00:00 GMT");
    expect(value).toMatch(/; Secure$/);
  });
});
