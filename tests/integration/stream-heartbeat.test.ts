import { afterAll, describe, expect, it } from "vitest";

import { type StreamWorker } from "@/workers/stream/start-stream-worker";

import {
  createTestDatabase,
  lockStreamOffsetRows,
  type OffsetRowLock,
  runCleanup,
  setUpStreamTest,
  startTestStreamWorker,
  type TestDatabase,
  waitFor,
  waitForLockWaiters,
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
    let lock: OffsetRowLock | undefined;
    try {
      worker = await startTestStreamWorker(db, topics, { groupId, sessionTimeoutMs: SESSION_TIMEOUT_MS });
      await send(first);
      await waitFor("the first events stored", async () => (await stored()) === first.length, 60_000);
      const membersBefore = (await group()).ids;
      expect(membersBefore).toHaveLength(1);

      // The partition's offset row stays locked: the next batch's transaction waits for it, and the batch
      // fetched after that one waits in eachBatch for its predecessor, as behind a slow PostgreSQL.
      lock = await lockStreamOffsetRows(db.db, groupId);
      await send(second);
      await waitForLockWaiters(db.db, "the worker's batch waiting for the lock");
      await send(third);
      await new Promise((resolve) => setTimeout(resolve, SESSION_TIMEOUT_MS * 1.5));
      await lock.commit();

      await waitFor("every bar stored", async () => (await stored()) === ticks.length, 60_000);
      // Silent for longer than its session, the member would have been removed and rejoined as a new one.
      expect((await group()).ids).toEqual(membersBefore);
      expect(await diffAgainstReference(db.db, ticks, WINDOWS)).toEqual([]);
    } finally {
      lock?.destroy();
      await close();
    }
  });
});
