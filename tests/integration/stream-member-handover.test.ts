import { spawn, type ChildProcess } from "node:child_process";

import { afterAll, describe, expect, it } from "vitest";

import { kafkaMembershipMessageSchema } from "@/lib/events/kafka-membership";

import {
  createTestDatabase,
  getTestStreamWorkerEnv,
  setUpStreamTest,
  waitFor,
  type TestDatabase,
  type TestTopics,
} from "./helpers";
import { getRecordedTicks } from "./support/recorded-ticks";
import { diffAgainstReference } from "./support/tables";

// npm start's supervisor hands a dead stream worker's member id to the worker it starts in its place
// (scripts/start.ts, lib/kafka/member-handover.ts). This test plays the supervisor: an IPC channel to a
// real worker process, kill -9, and the member id passed on.

const SYMBOLS = ["AAPL", "MSFT", "NVDA"];
const WINDOWS = [5, 15, 60];
/** Far longer than the test's waits for a join: a member replaced only by expiry would fail them. */
const SESSION_TIMEOUT_MS = 60_000;

/** A stream worker process with the IPC channel npm start gives it; its reported member ids in order. */
function startWorker(
  database: TestDatabase,
  topics: TestTopics,
  groupId: string,
  handedOverMemberId?: string,
): { child: ChildProcess; members: string[] } {
  const members: string[] = [];
  const child = spawn(process.execPath, ["--import", "tsx", "workers/stream.ts"], {
    env: getTestStreamWorkerEnv(database, topics, groupId, {
      STREAM_SESSION_TIMEOUT_MS: String(SESSION_TIMEOUT_MS),
      KPI_WINDOWS: WINDOWS.join(","),
      STREAM_METRICS_PORT: "0",
      ...(handedOverMemberId ? { STREAM_HANDED_OVER_MEMBER_ID: handedOverMemberId } : {}),
    }),
    stdio: ["ignore", "ignore", "inherit", "ipc"],
  });
  child.on("message", (message) => {
    const membership = kafkaMembershipMessageSchema.safeParse(message);
    if (membership.success && membership.data.groupId === groupId) members.push(membership.data.memberId);
  });
  return { child, members };
}

async function stop(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill(signal);
  await exited;
}

describe("a stream worker started in place of a dead one", () => {
  const children: ChildProcess[] = [];
  let database: TestDatabase | undefined;
  afterAll(async () => {
    await Promise.all(children.map((c) => stop(c, "SIGKILL")));
    await database?.drop();
  });

  it("takes the dead member's place in the group at once, and joins as a new member when that place is gone", async () => {
    database = await createTestDatabase();
    const db = database;
    const { topics, groupId, send, stored, group, close } = await setUpStreamTest(db, SYMBOLS, 3);
    try {
      const days = [["2026-03-12"], ["2026-03-13"], ["2026-03-16"]].map((d) => getRecordedTicks(SYMBOLS, d));

      const first = startWorker(db, topics, groupId);
      children.push(first.child);
      await send(days[0]!);
      await waitFor("the first day stored", async () => (await stored()) === days[0]!.length, 90_000);
      const dead = first.members.at(-1)!;
      expect(dead).toBeTruthy();
      await stop(first.child, "SIGKILL");

      // Within the dead member's 60 s session: only a handed-over member gets the partitions this soon.
      const second = startWorker(db, topics, groupId, dead);
      children.push(second.child);
      await send(days[1]!);
      await waitFor(
        "the second day stored by the worker in the dead one's place",
        async () => (await stored()) === days[0]!.length + days[1]!.length,
        30_000,
      );
      expect(second.members).toEqual([dead]);
      expect(await group()).toEqual({ state: "Stable", ids: [dead] });

      // A clean stop leaves the group: that id is gone, and a worker handed it joins as a new member.
      await stop(second.child, "SIGTERM");
      const third = startWorker(db, topics, groupId, dead);
      children.push(third.child);
      await send(days[2]!);
      const all = days.flat();
      await waitFor("every day stored", async () => (await stored()) === all.length, 60_000);
      expect(third.members).toHaveLength(1);
      expect(third.members[0]).not.toBe(dead);
      expect(await group()).toEqual({ state: "Stable", ids: third.members });
      expect(await diffAgainstReference(db.db, all, WINDOWS)).toEqual([]);
    } finally {
      await close();
    }
  });
});
