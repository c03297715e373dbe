import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";

import type { AuditEntryView } from "@/lib/admin/admin-views";
import { adminAuditLog } from "@/lib/db/schema";

import { addSymbols, useAdminSymbolsTest } from "./support/admin-symbols";

const t = useAdminSymbolsTest();

describe("audit log", () => {
  it("lists entries newest first and pages back with `before`", async () => {
    await addSymbols(t, "AAPL MSFT NVDA META TSLA AMZN");
    const first = await t.h.call(t.h.api.listAudit, { path: "/api/admin/audit?limit=3" });
    expect(first.status).toBe(200);
    const page1 = first.body as { entries: AuditEntryView[]; nextBefore: number | null };
    expect(page1.entries).toHaveLength(3);
    expect(page1.entries.map((e) => e.id)).toEqual([...page1.entries.map((e) => e.id)].sort((a, b) => b - a));
    expect(page1.nextBefore).toBe(page1.entries[2]!.id);
    const second = await t.h.call(t.h.api.listAudit, {
      path: `/api/admin/audit?limit=3&before=${page1.nextBefore}`,
    });
    const page2 = second.body as { entries: AuditEntryView[] };
    expect(page2.entries[0]!.id).toBeLessThan(page1.nextBefore!);
    const total = (await t.database.db.select({ n: sql<number>`count(*)::int` }).from(adminAuditLog))[0]!.n;
    const all = await t.h.call(t.h.api.listAudit, { path: "/api/admin/audit?limit=200" });
    expect((all.body as { entries: unknown[]; nextBefore: null }).entries).toHaveLength(total);
  });

  it("400 for a bad query, 401 when signed out", async () => {
    expect((await t.h.call(t.h.api.listAudit, { path: "/api/admin/audit?limit=0" })).status).toBe(400);
    expect((await t.h.call(t.h.api.listAudit, { path: "/api/admin/audit?symbol=%27%3B--" })).status).toBe(
      400,
    );
    expect((await t.h.call(t.h.api.listAudit, { path: "/api/admin/audit", isSignedIn: false })).status).toBe(
      401,
    );
  });
});
