/**
 * The sign-in delay rule: how long a client address must wait before its next sign-in attempt is
 * heard, from the failure counters of that address and of the account it names. Pure (callers pass
 * `now`); lib/auth/sign-in-throttle.ts keeps the counters in PostgreSQL and applies it. The README's
 * "Sign-in throttling" section states these numbers.
 */

export type DelayPolicy = {
  /** Failures that cost nothing; after them an attempt waits 1 s, after one more 2 s, then 4 s… */
  freeFailures: number;
  /** The longest delay. */
  maxDelayMs: number;
  /** A counter whose last failure is older than this starts again from zero. */
  forgetAfterMs: number;
};

/** Per client address: 5 free failures, then 1 s doubling up to 15 minutes; forgotten after 1 hour. */
export const ADDRESS_POLICY: DelayPolicy = {
  freeFailures: 5,
  maxDelayMs: 15 * 60_000,
  forgetAfterMs: 60 * 60_000,
};

/**
 * Per account, whatever the address: 10 free failures, then 1 s doubling up to 30 s; forgotten after
 * 15 minutes. Short on purpose: it slows guesses spread over many addresses but can only ever make
 * the real admin wait 30 s.
 */
export const ACCOUNT_POLICY: DelayPolicy = {
  freeFailures: 10,
  maxDelayMs: 30_000,
  forgetAfterMs: 15 * 60_000,
};

/** One stored counter (epoch ms). `lastAttemptAt`: when this key was last heard, or began waiting. */
export type FailureCounter = {
  failures: number;
  lastFailureAt: number | null;
  lastAttemptAt: number | null;
};

export type SignInDecision =
  { isAllowed: true } | { isAllowed: false; retryAfterMs: number; cause: "address" | "account" };

/** The counter's failures at `now`: zero once its last failure is older than the policy forgets. */
export function countRecentFailures(
  counter: FailureCounter | null,
  now: number,
  policy: DelayPolicy,
): number {
  if (!counter || counter.lastFailureAt === null) return 0;
  return now - counter.lastFailureAt > policy.forgetAfterMs ? 0 : counter.failures;
}

/** The wait after `failures` failures: 0 before the free ones are used up, then 1 s, 2 s, 4 s… up to the cap. */
export function computeSignInDelayMs(failures: number, policy: DelayPolicy): number {
  const paid = failures - policy.freeFailures;
  if (paid < 0) return 0;
  // 2 ** 40 s is past every cap; bounding the exponent keeps huge counts finite.
  return Math.min(policy.maxDelayMs, 1000 * 2 ** Math.min(paid, 40));
}

/**
 * Whether an attempt from an address on an account may be heard at `now`.
 *
 * - The address waits its own delay after its last failure.
 * - While the account's failures (from every address) are past its free ones, each address also
 *   waits the account's delay, counted from that address's own last attempt, or for an address never
 *   heard from, from its first refused attempt. Attackers elsewhere can therefore never push an
 *   address's turn back: the right password gets in within the account's cap (30 s) unless its own
 *   address has failed too.
 */
export function decideSignInAttempt(input: {
  now: number;
  address: FailureCounter | null;
  account: FailureCounter | null;
}): SignInDecision {
  const { now, address, account } = input;
  const addressDelay = computeSignInDelayMs(
    countRecentFailures(address, now, ADDRESS_POLICY),
    ADDRESS_POLICY,
  );
  const addressReadyAt = addressDelay > 0 ? address!.lastFailureAt! + addressDelay : now;
  const accountDelay = computeSignInDelayMs(
    countRecentFailures(account, now, ACCOUNT_POLICY),
    ACCOUNT_POLICY,
  );
  const accountReadyAt = accountDelay > 0 ? (address?.lastAttemptAt ?? now) + accountDelay : now;
  const readyAt = Math.max(addressReadyAt, accountReadyAt);
  if (readyAt <= now) return { isAllowed: true };
  return {
    isAllowed: false,
    retryAfterMs: readyAt - now,
    cause: addressReadyAt >= accountReadyAt ? "address" : "account",
  };
}

/** The 429 message the sign-in form shows. */
export function describeSignInRefusal(decision: {
  retryAfterMs: number;
  cause: "address" | "account";
}): string {
  const seconds = Math.ceil(decision.retryAfterMs / 1000);
  const wait =
    seconds < 120 ? `${seconds} second${seconds === 1 ? "" : "s"}` : `${Math.ceil(seconds / 60)} minutes`;
  return decision.cause === "address"
    ? `too many failed sign-ins from your address; try again in ${wait}`
    : `too many failed sign-ins for this account from elsewhere; try again in ${wait}`;
}
