import { afterAll, describe, expect, it } from "vitest";

import { sleep } from "@/lib/retry";

import {
  createTestDatabase,
  createTestGroupId,
  createTestTopics,
  runCleanup,
  startTestStreamWorker,
  type TestDatabase,
  waitFor,
} from "./helpers";

// On each join the stream worker pauses its partitions, reads their stored offsets from PostgreSQL,
// seeks, and resumes. A worker stopped while that read is in flight has left the group by the time
// the read returns: the seek and the resume must not throw out of the join's promise (an unhandled
// rejection ends a Node process; one CI run failed on it, met in stream-rebalance.test.ts).

describe("a stream worker stopped while its join reads the stored offsets", () => {
  let database: TestDatabase | undefined;
  const rejections: unknown[] = [];
  const onRejection = (reason: unknown) => rejections.push(reason);

  afterAll(async () => {
    process.off("unhandledRejection", onRejection);
    await runCleanup("dropping the database", () => database!.drop());
  });

  it("stops cleanly, and the read's late end resumes nothing and rejects nothing", async () => {
    process.on("unhandledRejection", onRejection);
    const db = (database = await createTestDatabase());
    const topics = await createTestTopics(1);
    const groupId = createTestGroupId("stream");
    // A stored offset, so that the join also seeks once its read returns.
    await db.adminDb.$client.query(
      "insert into stream_offsets (consumer_group, topic, partition, next_offset) values ($1, $2, 0, 0)",
      [groupId, topics.ticks],
    );
    // Hold the join's read of stream_offsets until the worker has stopped.
    const locker = await db.adminDb.$client.connect();
    await locker.query("begin");
    await locker.query("lock table stream_offsets in access exclusive mode");
    try {
      const worker = await startTestStreamWorker(db, topics, { groupId });
      await waitFor("the join's read to wait for the lock", async () => {
        const { rows } = await db.adminDb.$client.query<{ n: number }>(
          "select count(*)::int as n from pg_locks where relation = 'stream_offsets'::regclass and not granted",
        );
        return rows[0]!.n > 0;
      });
      await worker.stop();
    } finally {
      await locker.query("rollback");
      locker.release();
    }
    // The read returns now, after the consumer left its group.
    await sleep(1_000);
    expect(rejections).toEqual([]);
  });
});
