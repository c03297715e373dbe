import { afterAll, describe, expect, it } from "vitest";

import { type StreamWorker } from "@/workers/stream/start-stream-worker";

import {
  createTestDatabase,
  runCleanup,
  setUpStreamTest,
  startTestStreamWorker,
  type TestDatabase,
  waitFor,
} from "./helpers";
import { getRecordedTicks } from "./support/recorded-ticks";
import { diffAgainstReference } from "./support/tables";

const SYMBOLS = ["AAPL", "MSFT"];
const WINDOWS = [5, 15, 60];
const SESSION_TIMEOUT_MS = 6_000;

describe("a stream worker whose batch waits longer than its session timeout", () => {
  let worker: StreamWorker | undefined;
  let database: TestDatabase | undefined;
  afterAll(async () => {
    await runCleanup("stopping the stream worker", () => worker?.stop());
    await database?.drop();
  });

  it("stays the same member of its group (it beats while it waits) and applies the batch once it can", async () => {
    database = await createTestDatabase();
    const db = database;
    const { topics, groupId, send, stored, group, close } = await setUpStreamTest(db, SYMBOLS, 1);
    const ticks = getRecordedTicks(SYMBOLS, ["2026-03-12"]);
    const [first, second, third] = [ticks.slice(0, 200), ticks.slice(200, 400), ticks.slice(400)];
    const holder = await db.db.$client.connect();
    try {
      worker = await startTestStreamWorker(db, topics, { groupId, sessionTimeoutMs: SESSION_TIMEOUT_MS });
      await send(first);
      await waitFor("the first events stored", async () => (await stored()) === first.length, 60_000);
      const membersBefore = (await group()).ids;
      expect(membersBefore).toHaveLength(1);

      // The partition's offset row stays locked: the next batch's transaction waits for it, and the batch
      // fetched after that one waits in eachBatch for its predecessor, as behind a slow PostgreSQL.
      await holder.query("begin");
      await holder.query("select next_offset from stream_offsets where consumer_group = $1 for update", [
        groupId,
      ]);
      await send(second);
      await waitFor(
        "the worker's batch waiting for the lock",
        async () =>
          Number(
            (
              await db.db.$client.query<{ n: string }>(
                "select count(*) as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'",
              )
            ).rows[0]?.n,
          ) > 0,
        30_000,
      );
      await send(third);
      await new Promise((resolve) => setTimeout(resolve, SESSION_TIMEOUT_MS * 1.5));
      await holder.query("commit");

      await waitFor("every bar stored", async () => (await stored()) === ticks.length, 60_000);
      // Silent for longer than its session, the member would have been removed and rejoined as a new one.
      expect((await group()).ids).toEqual(membersBefore);
      expect(await diffAgainstReference(db.db, ticks, WINDOWS)).toEqual([]);
    } finally {
      // Destroyed, not returned to the pool: a failure before the commit must not leave the lock held.
      holder.release(true);
      await close();
    }
  });
});
