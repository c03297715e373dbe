import { afterAll, beforeAll, describe, expect, it } from "vitest";

import {
  CLAIMS_APPLICATION_NAME,
  createPartitionClaims,
  type PartitionClaims,
} from "@/lib/db/partition-claims";

import { createTestDatabase, type TestDatabase, uniqueId, waitFor } from "./helpers";

let database: TestDatabase;
const opened: PartitionClaims[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
});

afterAll(async () => {
  await Promise.all(opened.map((c) => c.close()));
  await database?.drop();
});

function claimsOf(consumerGroup: string, waitMs = 10_000): PartitionClaims {
  const claims = createPartitionClaims({ db: database.db, consumerGroup, topic: "market.ticks", waitMs });
  opened.push(claims);
  return claims;
}

/** Ends the claims' sessions of the test database (only those waiting for a lock when `waitingOnly`). */
async function terminateClaimSessions({ waitingOnly = false } = {}): Promise<void> {
  await database.db.$client.query(
    `select pg_terminate_backend(pid) from pg_stat_activity
      where datname = current_database() and application_name = $1 ${waitingOnly ? "and wait_event_type = 'Lock'" : ""}`,
    [CLAIMS_APPLICATION_NAME],
  );
}

/** Whether `promise` is still pending after `ms`. */
async function pendingAfter(promise: Promise<unknown>, ms: number): Promise<boolean> {
  const tick = Symbol("pending");
  return (await Promise.race([promise, new Promise((r) => setTimeout(() => r(tick), ms))])) === tick;
}

/** The claims' sessions on the test database. */
async function countClaimSessions(): Promise<number> {
  const { rows } = await database.db.$client.query<{ n: number }>(
    `select count(*)::int as n from pg_stat_activity where datname = current_database() and application_name = $1`,
    [CLAIMS_APPLICATION_NAME],
  );
  return rows[0]!.n;
}

describe("partition claims (session advisory locks)", () => {
  it("open their connection ahead of the first hold, and hold on it", async () => {
    const claims = claimsOf(uniqueId("group"));
    const before = await countClaimSessions();
    await claims.open();
    expect(await countClaimSessions()).toBe(before + 1);
    // Opening again, and the holds after it, use the same session.
    await claims.open();
    expect(await claims.hold([0, 1])).toMatchObject({ claimed: [0, 1], unclaimed: [] });
    expect(await countClaimSessions()).toBe(before + 1);
  });

  it("settle an open that close() ends while the connection is being opened, and claim nothing after", async () => {
    const claims = claimsOf(uniqueId("group"));
    const opening = claims.open();
    // Let the open start connecting, then close: the connection ends before PostgreSQL has answered.
    await new Promise((r) => setImmediate(r));
    const closing = claims.close();
    expect(await pendingAfter(closing, 5_000)).toBe(false);
    // Opened or failed, either way settled.
    expect(
      await pendingAfter(
        opening.catch(() => undefined),
        5_000,
      ),
    ).toBe(false);
    expect(await claims.hold([0])).toMatchObject({ claimed: [], unclaimed: [0] });
  });

  it("hand a partition to another member only once its holder releases it, and keep the rest", async () => {
    const group = uniqueId("group");
    const first = claimsOf(group);
    const second = claimsOf(group);
    expect(await first.hold([0, 1, 2])).toMatchObject({ claimed: [0, 1, 2], unclaimed: [] });

    const taking = second.hold([1, 2]);
    expect(await pendingAfter(taking, 300)).toBe(true);
    // The first member keeps 0 and releases 1 and 2 (as a rebalance's settle does).
    expect(await first.hold([0])).toMatchObject({ claimed: [], unclaimed: [] });
    const took = await taking;
    expect(took).toMatchObject({ claimed: [1, 2], unclaimed: [] });
    expect(took.waitedMs).toBeGreaterThanOrEqual(250);
    expect([...first.held]).toEqual([0]);
    expect([...second.held].sort()).toEqual([1, 2]);

    // Holding what is already held claims nothing again and waits for no one.
    const again = await second.hold([1, 2, 3]);
    expect(again).toMatchObject({ claimed: [3], unclaimed: [] });
  });

  it("go on unclaimed when the holder keeps a partition past the wait; other groups are not held up", async () => {
    const group = uniqueId("group");
    const holder = claimsOf(group);
    const impatient = claimsOf(group, 200);
    await holder.hold([0]);
    // Claimed in the order given: 1 at once, then 0 waits for what is left of the wait.
    const result = await impatient.hold([1, 0]);
    expect(result).toMatchObject({ claimed: [1], unclaimed: [0] });
    expect(result.waitedMs).toBeGreaterThanOrEqual(150);
    expect(result.waitedMs).toBeLessThan(5_000);
    expect([...impatient.held]).toEqual([1]);

    const otherGroup = claimsOf(uniqueId("group"), 200);
    expect(await otherGroup.hold([0])).toMatchObject({ claimed: [0], unclaimed: [] });
  });

  it("lose their claims with their connection, and reconnect on the next hold", async () => {
    const group = uniqueId("group");
    const lost = claimsOf(group);
    await lost.hold([0, 1]);
    await terminateClaimSessions();
    await waitFor("the claims' connection seen lost", () => lost.held.size === 0, 10_000);

    // The server dropped the locks with the session: another member claims at once.
    const other = claimsOf(group, 200);
    expect(await other.hold([0, 1])).toMatchObject({ claimed: [0, 1], unclaimed: [] });
    await other.close();
    expect(await lost.hold([0])).toMatchObject({ claimed: [0], unclaimed: [] });
  });

  it("wait for all their partitions together at most the wait, and stop claiming once stale", async () => {
    const group = uniqueId("group");
    const holder = claimsOf(group);
    await holder.hold([0, 1, 2]);
    const impatient = claimsOf(group, 300);
    const result = await impatient.hold([0, 1, 2]);
    expect(result).toMatchObject({ claimed: [], unclaimed: [0, 1, 2] });
    // One deadline for the three, not 300 ms for each.
    expect(result.waitedMs).toBeGreaterThanOrEqual(250);
    expect(result.waitedMs).toBeLessThan(850);

    // A newer join came: what it lost is still released, nothing more is claimed.
    expect(await holder.hold([5], () => true)).toMatchObject({ claimed: [], unclaimed: [5] });
    expect(holder.held.size).toBe(0);
    expect(await impatient.hold([0, 1, 2])).toMatchObject({ claimed: [0, 1, 2], unclaimed: [] });
  });

  it("end a claim still waiting when closed, and claim nothing after", async () => {
    const group = uniqueId("group");
    const holder = claimsOf(group);
    await holder.hold([7]);
    const waiting = claimsOf(group);
    const taking = waiting.hold([7]);
    expect(await pendingAfter(taking, 200)).toBe(true);
    const closedAt = performance.now();
    await waiting.close();
    expect(await taking).toMatchObject({ claimed: [], unclaimed: [7] });
    expect(performance.now() - closedAt).toBeLessThan(2_000);
    expect(await waiting.hold([8])).toMatchObject({ claimed: [], unclaimed: [8] });
  });

  it("end a wait whose connection is killed with nothing claimed, and claim on the next hold", async () => {
    const group = uniqueId("group");
    const holder = claimsOf(group);
    await holder.hold([3, 9]);
    const waiting = claimsOf(group);
    await waiting.hold([4]);
    const taking = waiting.hold([9]);
    expect(await pendingAfter(taking, 200)).toBe(true);
    await terminateClaimSessions({ waitingOnly: true });
    expect(await taking).toMatchObject({ claimed: [], unclaimed: [9] });
    // Its claim on 4 went with the session.
    expect(waiting.held.size).toBe(0);
    await holder.hold([3]);
    expect(await waiting.hold([4, 9])).toMatchObject({ claimed: [4, 9], unclaimed: [] });
  });

  it("release every claim on close", async () => {
    const group = uniqueId("group");
    const closing = claimsOf(group);
    await closing.hold([4]);
    const waiting = claimsOf(group);
    const taking = waiting.hold([4]);
    expect(await pendingAfter(taking, 200)).toBe(true);
    await closing.close();
    expect(await taking).toMatchObject({ claimed: [4], unclaimed: [] });
  });
});
