import { describe, expect, it } from "vitest";

import {
  ACCOUNT_POLICY,
  ADDRESS_POLICY,
  computeSignInDelayMs,
  countRecentFailures,
  decideSignInAttempt,
  describeSignInRefusal,
  type FailureCounter,
} from "@/lib/auth/sign-in-delay";

const NOW = 1_800_000_000_000;
const counter = (failures: number, lastFailureAgoMs: number, lastAttemptAgoMs = lastFailureAgoMs) => ({
  failures,
  lastFailureAt: NOW - lastFailureAgoMs,
  lastAttemptAt: NOW - lastAttemptAgoMs,
});

describe("sign-in delay after n failures", () => {
  it("is free up to the free failures, then 1 s, 2 s, 4 s… per address", () => {
    const delays = [4, 5, 6, 7, 8, 9].map((n) => computeSignInDelayMs(n, ADDRESS_POLICY));
    expect(delays).toEqual([0, 1000, 2000, 4000, 8000, 16_000]);
  });

  it("caps the address delay at 15 minutes and the account delay at 30 s, even for huge counts", () => {
    expect(computeSignInDelayMs(14, ADDRESS_POLICY)).toBe(512_000);
    expect(computeSignInDelayMs(15, ADDRESS_POLICY)).toBe(15 * 60_000);
    expect(computeSignInDelayMs(1_000_000, ADDRESS_POLICY)).toBe(15 * 60_000);
    expect([9, 10, 14, 15, 500].map((n) => computeSignInDelayMs(n, ACCOUNT_POLICY))).toEqual([
      0, 1000, 16_000, 30_000, 30_000,
    ]);
  });

  it("forgets a counter whose last failure is older than the policy keeps", () => {
    expect(countRecentFailures(counter(9, ADDRESS_POLICY.forgetAfterMs), NOW, ADDRESS_POLICY)).toBe(9);
    expect(countRecentFailures(counter(9, ADDRESS_POLICY.forgetAfterMs + 1), NOW, ADDRESS_POLICY)).toBe(0);
    expect(countRecentFailures(null, NOW, ADDRESS_POLICY)).toBe(0);
  });
});

describe("deciding an attempt", () => {
  it("lets a new address in on a quiet account", () => {
    expect(decideSignInAttempt({ now: NOW, address: null, account: null })).toEqual({ isAllowed: true });
  });

  it("makes an address wait its own delay after its last failure, to the millisecond", () => {
    const address = counter(6, 500); // 6 failures: 2 s after the last one
    expect(decideSignInAttempt({ now: NOW, address, account: counter(7, 500) })).toEqual({
      isAllowed: false,
      retryAfterMs: 1500,
      cause: "address",
    });
    expect(decideSignInAttempt({ now: NOW, address: counter(6, 2000), account: null }).isAllowed).toBe(true);
  });

  it("makes a never-seen address wait the account delay when the account is under attack", () => {
    const account = counter(50, 100); // 50 failures from elsewhere: the account's cap
    expect(decideSignInAttempt({ now: NOW, address: null, account })).toEqual({
      isAllowed: false,
      retryAfterMs: 30_000,
      cause: "account",
    });
  });

  it("lets an address in once it has waited the account delay, however recent the others' failures", () => {
    const account = counter(50, 0); // a failure elsewhere this very millisecond
    const waitedLongEnough: FailureCounter = {
      failures: 0,
      lastFailureAt: null,
      lastAttemptAt: NOW - 30_000,
    };
    expect(decideSignInAttempt({ now: NOW, address: waitedLongEnough, account }).isAllowed).toBe(true);
    const notYet = { ...waitedLongEnough, lastAttemptAt: NOW - 29_000 };
    expect(decideSignInAttempt({ now: NOW, address: notYet, account })).toMatchObject({ retryAfterMs: 1000 });
  });

  it("lets the account's free failures pass without any account delay", () => {
    expect(decideSignInAttempt({ now: NOW, address: null, account: counter(9, 0) }).isAllowed).toBe(true);
    expect(decideSignInAttempt({ now: NOW, address: null, account: counter(10, 0) })).toMatchObject({
      retryAfterMs: 1000,
    });
  });

  it("names the longer of the two waits", () => {
    const decision = decideSignInAttempt({ now: NOW, address: counter(20, 0), account: counter(50, 0) });
    expect(decision).toEqual({ isAllowed: false, retryAfterMs: 15 * 60_000, cause: "address" });
  });
});

describe("refusal message", () => {
  it("says whose failures and how long, in seconds or minutes", () => {
    expect(describeSignInRefusal({ retryAfterMs: 1, cause: "address" })).toBe(
      "too many failed sign-ins from your address; try again in 1 second",
    );
    expect(describeSignInRefusal({ retryAfterMs: 29_001, cause: "account" })).toBe(
      "too many failed sign-ins for this account from elsewhere; try again in 30 seconds",
    );
    expect(describeSignInRefusal({ retryAfterMs: 15 * 60_000, cause: "address" })).toMatch(/15 minutes$/);
  });
});
