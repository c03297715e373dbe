import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { POLL_INTERVAL_MAX_SECONDS, POLL_INTERVAL_MIN_SECONDS } from "@/lib/events/api-admin-requests";
import { symbolSourceSchema, symbolStatusSchema } from "@/lib/events/symbol";

import { createTestDatabase, type TestDatabase } from "./helpers";

// The symbols table's CHECK constraints repeat, in SQL, lists and bounds that zod defines
// (lib/db/schema.ts). They are read here from the migrated database, as PostgreSQL stores them, so a
// status, source or bound changed on one side only fails this test.

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
});

afterAll(async () => {
  await database.drop();
});

async function getCheckDefinition(name: string): Promise<string> {
  const result = await database.db.execute<{ definition: string }>(
    sql`select pg_get_constraintdef(oid) as definition from pg_constraint
        where conrelid = 'public.symbols'::regclass and contype = 'c' and conname = ${name}`,
  );
  const [row] = result.rows;
  if (!row) throw new Error(`no CHECK constraint ${name} on symbols`);
  return row.definition;
}

/** The string literals of a CHECK definition: `status = ANY (ARRAY['active'::text, …])` → ["active", …]. */
function listQuotedValues(definition: string): string[] {
  return [...definition.matchAll(/'([^']*)'/g)].map((m) => m[1]!);
}

describe("symbols CHECK constraints", () => {
  it("allow exactly the statuses of symbolStatusSchema", async () => {
    const definition = await getCheckDefinition("symbols_status_check");
    expect(definition).toMatch(/\bstatus\b/);
    expect(listQuotedValues(definition).toSorted()).toEqual([...symbolStatusSchema.options].toSorted());
  });

  it("allow exactly the sources of symbolSourceSchema", async () => {
    const definition = await getCheckDefinition("symbols_source_check");
    expect(definition).toMatch(/\bsource\b/);
    expect(listQuotedValues(definition).toSorted()).toEqual([...symbolSourceSchema.options].toSorted());
  });

  it("bound the poll interval by the admin's POLL_INTERVAL bounds, both inclusive", async () => {
    const definition = await getCheckDefinition("symbols_poll_interval_check");
    expect(definition).toMatch(new RegExp(`poll_interval_seconds >= ${POLL_INTERVAL_MIN_SECONDS}\\b`));
    expect(definition).toMatch(new RegExp(`poll_interval_seconds <= ${POLL_INTERVAL_MAX_SECONDS}\\b`));
  });
});
