import type pg from "pg";

import { createDedicatedClient, databaseUrlOf, type Db } from "@/lib/db/client";
import { hasSqlState, SQL_STATE } from "@/lib/db/sql-state";

export type PartitionClaimsOptions = {
  /** The pool whose server and role the claims' own connection uses. */
  db: Db;
  consumerGroup: string;
  topic: string;
  /** How long a claim waits for the member that holds the partition (then it goes on unclaimed). */
  waitMs: number;
};

/** What one hold() did: the partitions claimed now, those not claimed in time, and how long it waited. */
export type HoldResult = { claimed: number[]; unclaimed: number[]; waitedMs: number };

export type PartitionClaims = {
  /**
   * Holds exactly `partitions`: releases the claims on the others first, then claims the new ones,
   * waiting up to `waitMs` in all for the sessions that hold them, and stops claiming once `isStale()`
   * (a newer join has come) says so. Calls run one at a time, in call order. An error other than a lock
   * not granted in time (a broken connection, a deadlock between two rebalances' claims) ends the
   * session and every claim with it; the next call opens a new one. Rejects only when no connection can
   * be opened: the claims are an optimisation, the caller goes on without them.
   */
  hold(partitions: readonly number[], isStale?: () => boolean): Promise<HoldResult>;
  /**
   * Opens the connection ahead of the first hold (as the member joins), so that a join does not wait
   * for a connection and its authentication before it reads the stored offsets. Queued like a hold;
   * rejects when the connection cannot be opened, and the next hold tries again.
   */
  open(): Promise<void>;
  /** The partitions claimed now. */
  readonly held: ReadonlySet<number>;
  /** Closes the connection at once (a claim still waiting ends unclaimed): every claim goes with it. */
  close(): Promise<void>;
};

/** The `application_name` of the claims' connection (how `pg_stat_activity` tells it from the pool's). */
export const CLAIMS_APPLICATION_NAME = "tickstream-claims";

/** Beyond the server's lock_timeout, how long the client waits for an answer before it drops the connection. */
const ANSWER_MARGIN_MS = 2_000;

/**
 * A consumer group member's claims on the partitions it applies, as session-level advisory locks (one
 * key for the group and topic, the other the partition) on a connection of their own, outside the pool.
 *
 * Kafka's rebalance hands a partition to its new owner as soon as every member has rejoined, and the
 * stream worker rejoins without waiting for the batches it already took from Kafka (they commit in the
 * background, so that the next fetch overlaps them). Without a claim, the new owner reads the partition's
 * stored offset before those commits land, fetches and parses the same events again, waits in its
 * transaction for the old owner's, and then skips them as already applied, dropping the symbols' state it
 * had loaded (the next batch loads it again from PostgreSQL). With claims, a member releases a partition
 * only after its batches of it have settled, and the new owner claims it before it reads the stored
 * offset: it starts where the old owner's last commit left off. Correctness never rests on the claims
 * (each batch's transaction checks the stored offset); a claim not granted in time, or a connection
 * lost, only brings the double work back.
 *
 * A process that dies takes its claims with it at once (its socket closes). A host that vanishes keeps
 * its session until PostgreSQL's keepalive notices, and a new owner waits out `waitMs` meanwhile. A
 * connection of the claimer's own that dies silently is noticed by TCP keepalive and by the client's own
 * answer timeout, so that a hold never waits much past `waitMs`.
 */
export function createPartitionClaims(options: PartitionClaimsOptions): PartitionClaims {
  const key = `${options.consumerGroup}/${options.topic}`;
  const held = new Set<number>();
  let client: pg.Client | null = null;
  let closed = false;
  let queue: Promise<unknown> = Promise.resolve();

  async function connect(): Promise<pg.Client> {
    if (client) return client;
    const c = createDedicatedClient(databaseUrlOf(options.db), {
      applicationName: CLAIMS_APPLICATION_NAME,
      queryTimeoutMs: options.waitMs + ANSWER_MARGIN_MS,
    });
    // A connection that breaks while idle: its claims are gone with its session; the next call reconnects.
    c.on("error", () => dropConnection(c));
    client = c;
    try {
      // A close() while the connection is being opened ends it, and pg then never settles connect():
      // its end settles it instead.
      const ended = new Promise<never>((_, reject) =>
        c.once("end", () => reject(new Error("the claims' connection ended while it was being opened"))),
      );
      ended.catch(() => undefined);
      await Promise.race([c.connect(), ended]);
    } catch (error) {
      dropConnection(c);
      throw error;
    }
    return c;
  }

  function dropConnection(c: pg.Client): void {
    if (client !== c) return;
    client = null;
    held.clear();
    void c.end().catch(() => undefined);
  }

  async function holdNow(partitions: readonly number[], isStale: () => boolean): Promise<HoldResult> {
    const wanted = new Set(partitions);
    const claimed: number[] = [];
    const unclaimed: number[] = [];
    const started = performance.now();
    const waited = () => performance.now() - started;
    if (closed) return { claimed, unclaimed: [...partitions], waitedMs: 0 };
    const c = await connect();
    try {
      for (const partition of [...held]) {
        if (wanted.has(partition)) continue;
        await c.query("select pg_advisory_unlock(hashtext($1), $2)", [key, partition]);
        held.delete(partition);
      }
      for (const partition of partitions) {
        if (held.has(partition)) continue;
        // One deadline for the whole hold: each lock waits only for what is left of it.
        const leftMs = Math.round(options.waitMs - waited());
        if (leftMs < 1 || isStale()) {
          unclaimed.push(partition);
          continue;
        }
        await c.query(`set lock_timeout = ${leftMs}`);
        try {
          await c.query("select pg_advisory_lock(hashtext($1), $2)", [key, partition]);
          held.add(partition);
          claimed.push(partition);
        } catch (error) {
          // A lock not granted within lock_timeout.
          if (!hasSqlState(error, SQL_STATE.lockNotAvailable)) throw error;
          unclaimed.push(partition);
        }
      }
    } catch {
      // Anything but a lock not granted in time (the connection broke or was closed, a deadlock between
      // two rebalances' claims): the session ends, and every claim with it.
      dropConnection(c);
      return { claimed: [], unclaimed: [...partitions], waitedMs: waited() };
    }
    return { claimed, unclaimed, waitedMs: waited() };
  }

  /** Runs `task` after every call before it (one at a time, in call order), whatever theirs did. */
  function enqueue<T>(task: () => Promise<T>): Promise<T> {
    const run = queue.then(task);
    queue = run.catch(() => undefined);
    return run;
  }

  return {
    hold: (partitions, isStale = () => false) => enqueue(() => holdNow(partitions, isStale)),
    open: () =>
      enqueue(async () => {
        if (!closed) await connect();
      }),
    held,
    async close() {
      closed = true;
      const c = client;
      if (c) dropConnection(c);
      await queue;
    },
  };
}
