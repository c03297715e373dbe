import { sql } from "drizzle-orm";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createTestDatabase, type TestDatabase } from "./helpers";

// A PostgreSQL restart kills the connections a worker holds, including one in the middle of a batch's
// transaction. The fault suite saw the stream worker die of it ("Connection terminated unexpectedly" as
// an uncaught exception); the batch must fail and be retried instead.
describe("a database connection lost while checked out of the pool", () => {
  let database: TestDatabase;
  const uncaught: unknown[] = [];
  const onUncaught = (error: unknown) => uncaught.push(error);

  beforeAll(async () => {
    database = await createTestDatabase();
    process.on("uncaughtException", onUncaught);
  });

  afterAll(async () => {
    process.off("uncaughtException", onUncaught);
    await database?.drop();
  });

  it("fails the transaction that used it, without an uncaught error event, and the pool serves the next query", async () => {
    const admin = new pg.Client({ connectionString: database.url });
    await admin.connect();
    try {
      const outcome = database.db.transaction(async (tx) => {
        const { rows } = await tx.execute<{ pid: number }>(sql`select pg_backend_pid() as pid`);
        // As a server shutting down does: the backend goes away while the client is checked out.
        await admin.query("select pg_terminate_backend($1)", [rows[0]!.pid]);
        await new Promise((resolve) => setTimeout(resolve, 300));
        await tx.execute(sql`select 1`);
      });
      await expect(outcome).rejects.toThrow();
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(uncaught).toEqual([]);
      const { rows } = await database.db.execute<{ one: number }>(sql`select 1 as one`);
      expect(rows).toEqual([{ one: 1 }]);
    } finally {
      await admin.end();
    }
  });
});
