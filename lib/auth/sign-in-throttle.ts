import {
  ACCOUNT_POLICY,
  ADDRESS_POLICY,
  countRecentFailures,
  decideSignInAttempt,
  type FailureCounter,
  type SignInDecision,
} from "@/lib/auth/sign-in-delay";
import type { Db } from "@/lib/db/client";
import {
  deleteStaleSignInCounters,
  lockSignInCounters,
  refundSignInFailure,
  updateSignInCounter,
  type ThrottleKey,
} from "@/lib/db/queries/sign-in-throttle";
import type { SignInThrottleRow } from "@/lib/db/schema";

export type SignInAttempt = {
  /** The client address (null when unknown: all such clients share one counter). */
  clientIp: string | null;
  /** The username as submitted. */
  username: string;
  now: number;
};

export type SignInThrottle = {
  /**
   * Decides whether the attempt may be heard. An allowed attempt is counted as a failure of its
   * address and account right away, so concurrent requests (on any web instance) see it;
   * `recordSuccess` takes it back when the password was right.
   */
  claimAttempt: (attempt: SignInAttempt) => Promise<SignInDecision>;
  recordSuccess: (attempt: SignInAttempt) => Promise<void>;
};

function getKeys(attempt: SignInAttempt): { address: ThrottleKey; account: ThrottleKey } {
  return {
    address: { scope: "address", key: attempt.clientIp ?? "unknown" },
    // Case-folded so that "Admin" and "admin " count against the same account.
    account: { scope: "account", key: attempt.username.trim().toLowerCase().slice(0, 64) },
  };
}

const toCounter = (row: SignInThrottleRow | undefined): FailureCounter | null =>
  row
    ? {
        failures: row.failures,
        lastFailureAt: row.lastFailureAt?.getTime() ?? null,
        lastAttemptAt: row.lastAttemptAt?.getTime() ?? null,
      }
    : null;

/** Counters outlive their policy's memory by nothing: a row untouched for an hour decides nothing. */
const STALE_AFTER_MS = Math.max(ADDRESS_POLICY.forgetAfterMs, ACCOUNT_POLICY.forgetAfterMs);

/**
 * Sign-in throttling shared by every web instance through the `sign_in_throttle` table; the rule is
 * lib/auth/sign-in-delay.ts. Each decision runs in one transaction holding the address's and the
 * account's rows locked, so two instances never both hear the same address's next attempt.
 */
export function createSignInThrottle(db: Db): SignInThrottle {
  return {
    async claimAttempt(attempt) {
      const keys = getKeys(attempt);
      const now = new Date(attempt.now);
      const decision = await db.transaction(async (tx) => {
        const rows = await lockSignInCounters(tx, [keys.address, keys.account], now);
        const find = (k: ThrottleKey) => rows.find((r) => r.scope === k.scope && r.key === k.key);
        const address = toCounter(find(keys.address));
        const account = toCounter(find(keys.account));
        const decided = decideSignInAttempt({ now: attempt.now, address, account });
        if (!decided.isAllowed) {
          // A refused new address starts its wait for the account's delay now; later refusals keep
          // that start, so retrying early never pushes its turn back.
          if (address?.lastAttemptAt === null)
            await updateSignInCounter(tx, keys.address, { lastAttemptAt: now }, now);
          return decided;
        }
        for (const [key, counter, policy] of [
          [keys.address, address, ADDRESS_POLICY],
          [keys.account, account, ACCOUNT_POLICY],
        ] as const) {
          const failures = countRecentFailures(counter, attempt.now, policy) + 1;
          await updateSignInCounter(tx, key, { failures, lastFailureAt: now, lastAttemptAt: now }, now);
        }
        return decided;
      });
      await deleteStaleSignInCounters(db, new Date(attempt.now - STALE_AFTER_MS));
      return decision;
    },

    async recordSuccess(attempt) {
      const keys = getKeys(attempt);
      const now = new Date(attempt.now);
      await db.transaction(async (tx) => {
        await updateSignInCounter(tx, keys.address, { failures: 0, lastFailureAt: null }, now);
        await refundSignInFailure(tx, keys.account, now);
      });
    },
  };
}
