import { describe, expect, it } from "vitest";

import { createRateLimiter } from "@/lib/auth/rate-limiter";

const MINUTE = 60_000;

describe("sign-in rate limiter (5 failures per 15 minutes)", () => {
  const create = () => createRateLimiter({ limit: 5, windowMs: 15 * MINUTE });

  it("allows the first five failures and refuses the sixth attempt", () => {
    const limiter = create();
    for (let i = 0; i < 5; i++) {
      expect(limiter.check("1.2.3.4", i * 1000).isAllowed).toBe(true);
      limiter.recordFailure("1.2.3.4", i * 1000);
    }
    expect(limiter.check("1.2.3.4", 5000)).toEqual({ isAllowed: false, retryAfterSeconds: 15 * 60 - 5 });
  });

  it("counts each client separately", () => {
    const limiter = create();
    for (let i = 0; i < 5; i++) limiter.recordFailure("1.2.3.4", 0);
    expect(limiter.check("1.2.3.4", 1).isAllowed).toBe(false);
    expect(limiter.check("5.6.7.8", 1).isAllowed).toBe(true);
  });

  it("lets a client in again when its oldest failure leaves the window (sliding, not fixed)", () => {
    const limiter = create();
    for (let i = 0; i < 5; i++) limiter.recordFailure("k", i * MINUTE);
    expect(limiter.check("k", 15 * MINUTE - 1).isAllowed).toBe(false);
    expect(limiter.check("k", 15 * MINUTE).isAllowed).toBe(true);
    // One more failure: the five in the window now end at minute 4 + 15.
    limiter.recordFailure("k", 15 * MINUTE);
    expect(limiter.check("k", 15 * MINUTE + 1)).toEqual({ isAllowed: false, retryAfterSeconds: 60 * 1 - 0 });
  });

  it("forgets a client after a success (reset)", () => {
    const limiter = create();
    for (let i = 0; i < 5; i++) limiter.recordFailure("k", 0);
    limiter.reset("k");
    expect(limiter.check("k", 1).isAllowed).toBe(true);
  });

  it("keeps at most maxKeys clients, dropping the least recently failed", () => {
    const limiter = createRateLimiter({ limit: 1, windowMs: MINUTE, maxKeys: 2 });
    limiter.recordFailure("a", 0);
    limiter.recordFailure("b", 1);
    limiter.recordFailure("c", 2);
    expect(limiter.check("a", 3).isAllowed).toBe(true);
    expect(limiter.check("b", 3).isAllowed).toBe(false);
    expect(limiter.check("c", 3).isAllowed).toBe(false);
  });
});
