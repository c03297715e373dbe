import { desc, sql } from "drizzle-orm";

import type { DbOrTx } from "@/lib/db/client";
import { workerHeartbeats, type WorkerHeartbeatRow } from "@/lib/db/schema";

export type Heartbeat = {
  workerId: string;
  kind: string;
  hostname: string;
  pid: number;
  startedAt: number;
  info: Record<string, unknown>;
};

export async function upsertHeartbeat(db: DbOrTx, beat: Heartbeat): Promise<void> {
  await db
    .insert(workerHeartbeats)
    .values({ ...beat, startedAt: new Date(beat.startedAt), lastBeatAt: sql`now()` })
    .onConflictDoUpdate({
      target: workerHeartbeats.workerId,
      set: { lastBeatAt: sql`now()`, info: beat.info },
    });
}

export async function deleteHeartbeat(db: DbOrTx, workerId: string): Promise<void> {
  await db.delete(workerHeartbeats).where(sql`${workerHeartbeats.workerId} = ${workerId}`);
}

/** Heartbeats of every worker, newest first, with the age computed by the database clock. */
export async function listHeartbeats(db: DbOrTx): Promise<(WorkerHeartbeatRow & { ageSeconds: number })[]> {
  const rows = await db
    .select({
      row: workerHeartbeats,
      ageSeconds: sql<number>`extract(epoch from now() - ${workerHeartbeats.lastBeatAt})::float8`,
    })
    .from(workerHeartbeats)
    .orderBy(desc(workerHeartbeats.lastBeatAt));
  return rows.map((r) => ({ ...r.row, ageSeconds: Number(r.ageSeconds) }));
}
