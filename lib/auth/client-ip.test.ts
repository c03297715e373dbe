import { describe, expect, it } from "vitest";

import { getClientIp } from "@/lib/auth/client-ip";

describe("client address", () => {
  it("takes the last x-forwarded-for entry (the one our server or proxy added)", () => {
    expect(getClientIp(new Headers({ "x-forwarded-for": "10.0.0.1" }))).toBe("10.0.0.1");
    expect(getClientIp(new Headers({ "x-forwarded-for": "6.6.6.6, 203.0.113.7" }))).toBe("203.0.113.7");
  });

  it("unwraps IPv4-mapped IPv6 and keeps real IPv6", () => {
    expect(getClientIp(new Headers({ "x-forwarded-for": "::ffff:127.0.0.1" }))).toBe("127.0.0.1");
    expect(getClientIp(new Headers({ "x-forwarded-for": "2001:db8::1" }))).toBe("2001:db8::1");
  });

  it("is null for anything that is not an address", () => {
    expect(getClientIp(new Headers())).toBeNull();
    expect(getClientIp(new Headers({ "x-forwarded-for": "'; drop table symbols;--" }))).toBeNull();
  });
});
