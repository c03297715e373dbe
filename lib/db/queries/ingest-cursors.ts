import { eq, sql } from "drizzle-orm";

import type { DbOrTx } from "@/lib/db/client";
import { ingestCursors, symbols } from "@/lib/db/schema";

export type CursorRow = { symbol: string; source: string; lastTs: number; replaySeq: number | null };

export async function getIngestCursor(db: DbOrTx, symbol: string): Promise<CursorRow | null> {
  const [row] = await db.select().from(ingestCursors).where(eq(ingestCursors.symbol, symbol));
  return row
    ? { symbol: row.symbol, source: row.source, lastTs: row.lastTs.getTime(), replaySeq: row.replaySeq }
    : null;
}

/**
 * Records the newest bar per symbol that Kafka acknowledged (never moving a cursor backwards), and
 * the symbol's last tick time the admin sees, in one transaction.
 */
export async function saveIngestCursors(db: DbOrTx, cursors: readonly CursorRow[]): Promise<void> {
  if (cursors.length === 0) return;
  await db.transaction(async (tx) => {
    await tx
      .insert(ingestCursors)
      .values(
        cursors.map((c) => ({
          symbol: c.symbol,
          source: c.source,
          lastTs: new Date(c.lastTs),
          replaySeq: c.replaySeq,
        })),
      )
      .onConflictDoUpdate({
        target: ingestCursors.symbol,
        set: {
          source: sql`excluded.source`,
          lastTs: sql`greatest(${ingestCursors.lastTs}, excluded.last_ts)`,
          replaySeq: sql`case when excluded.last_ts >= ${ingestCursors.lastTs} then excluded.replay_seq else ${ingestCursors.replaySeq} end`,
          updatedAt: sql`now()`,
        },
      });
    const values = sql.join(
      cursors.map((c) => sql`(${c.symbol}, ${new Date(c.lastTs).toISOString()}::timestamptz)`),
      sql`, `,
    );
    await tx.execute(
      sql`update ${symbols} as s set last_tick_at = greatest(s.last_tick_at, v.ts) from (values ${values}) as v(symbol, ts) where s.symbol = v.symbol`,
    );
  });
}
