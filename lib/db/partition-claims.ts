import pg from "pg";

import type { Db } from "@/lib/db/client";

/** PostgreSQL's SQLSTATE for a lock not granted within lock_timeout. */
const LOCK_NOT_AVAILABLE = "55P03";

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
   * Holds exactly `partitions`: releases the claims on the others first, then claims the new ones, each
   * waiting up to `waitMs` for the session that holds it. Calls run one at a time, in call order. A
   * broken connection loses every claim (the server drops them with the session); the next call opens
   * a new one. Rejects only when no connection can be opened: the claims are an optimisation, the
   * caller goes on without them.
   */
  hold(partitions: readonly number[]): Promise<HoldResult>;
  /** The partitions claimed now. */
  readonly held: ReadonlySet<number>;
  /** Closes the connection: every claim goes with it. */
  close(): Promise<void>;
};

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
 */
export function createPartitionClaims(options: PartitionClaimsOptions): PartitionClaims {
  const key = `${options.consumerGroup}/${options.topic}`;
  const held = new Set<number>();
  let client: pg.Client | null = null;
  let queue: Promise<unknown> = Promise.resolve();

  async function connect(): Promise<pg.Client> {
    if (client) return client;
    const c = new pg.Client({ ...options.db.$client.options, application_name: "tickstream-claims" });
    // A connection that breaks while idle: its claims are gone with its session; the next call reconnects.
    c.on("error", () => dropConnection(c));
    await c.connect();
    await c.query(`set lock_timeout = ${Math.max(1, Math.round(options.waitMs))}`);
    client = c;
    return c;
  }

  function dropConnection(c: pg.Client): void {
    if (client !== c) return;
    client = null;
    held.clear();
    void c.end().catch(() => undefined);
  }

  async function holdNow(partitions: readonly number[]): Promise<HoldResult> {
    const wanted = new Set(partitions);
    const claimed: number[] = [];
    const unclaimed: number[] = [];
    const started = performance.now();
    const c = await connect();
    try {
      for (const partition of [...held]) {
        if (wanted.has(partition)) continue;
        await c.query("select pg_advisory_unlock(hashtext($1), $2)", [key, partition]);
        held.delete(partition);
      }
      for (const partition of partitions) {
        if (held.has(partition)) continue;
        try {
          await c.query("select pg_advisory_lock(hashtext($1), $2)", [key, partition]);
          held.add(partition);
          claimed.push(partition);
        } catch (error) {
          if ((error as { code?: string }).code !== LOCK_NOT_AVAILABLE) throw error;
          unclaimed.push(partition);
        }
      }
    } catch {
      // The connection broke (or the server refused): every claim went with the session.
      dropConnection(c);
      return { claimed: [], unclaimed: [...partitions], waitedMs: performance.now() - started };
    }
    return { claimed, unclaimed, waitedMs: performance.now() - started };
  }

  return {
    hold(partitions) {
      const run = queue.then(() => holdNow(partitions));
      queue = run.catch(() => undefined);
      return run;
    },
    held,
    async close() {
      await queue;
      const c = client;
      if (!c) return;
      client = null;
      held.clear();
      await c.end().catch(() => undefined);
    },
  };
}
