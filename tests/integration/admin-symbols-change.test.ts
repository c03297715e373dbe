import { describe, expect, it } from "vitest";

import { insertSymbols } from "@/lib/db/queries/symbols";
import { watchActiveSymbols, type IngestSymbol } from "@/lib/ingest/symbol-registry";

import { testLogger, waitFor } from "./helpers";
import {
  addSymbols,
  auditFor,
  INJECTIONS,
  messageOf,
  symbolRow,
  useAdminSymbolsTest,
  useYahooDeployment,
} from "./support/admin-symbols";

const t = useAdminSymbolsTest();

describe("changing a symbol", () => {
  it("pause and resume: 200, audited with before and after, and the ingest worker's registry sees it within 5 s", async () => {
    await useYahooDeployment(t);
    await addSymbols(t, "NVDA", 30);
    let latest: IngestSymbol[] = [];
    const registry = watchActiveSymbols({
      db: t.database.db,
      url: t.database.url,
      logger: testLogger,
      defaultSource: "yahoo",
      onChange: (list) => (latest = list),
      pollMs: 60_000,
    });
    try {
      await waitFor("NVDA followed", () => latest.some((s) => s.symbol === "NVDA"), 5_000);
      const paused = await t.h.call(t.h.api.updateSymbol, {
        method: "PATCH",
        params: { symbol: "nvda" },
        body: { status: "paused" },
      });
      expect(paused.status).toBe(200);
      expect(paused.body).toMatchObject({
        changed: true,
        symbol: { symbol: "NVDA", status: "paused", source: "yahoo" },
      });
      await waitFor(
        "NVDA dropped by the ingest registry (NOTIFY)",
        () => !latest.some((s) => s.symbol === "NVDA"),
        5_000,
      );

      const resumed = await t.h.call(t.h.api.updateSymbol, {
        method: "PATCH",
        params: { symbol: "NVDA" },
        body: { status: "active", pollIntervalSeconds: 15 },
      });
      expect(resumed.status).toBe(200);
      await waitFor(
        "NVDA back at 15 s",
        () => latest.find((s) => s.symbol === "NVDA")?.pollIntervalSeconds === 15,
        5_000,
      );
    } finally {
      await registry.stop();
    }
    const [update, pause] = await auditFor(t, "NVDA");
    expect(pause).toMatchObject({
      action: "symbol.pause",
      before: { status: "active" },
      after: { status: "paused" },
    });
    expect(update).toMatchObject({
      action: "symbol.update",
      before: { status: "paused", pollIntervalSeconds: 30 },
      after: { status: "active", pollIntervalSeconds: 15 },
    });
  });

  it("a request that changes nothing writes no audit entry", async () => {
    await useYahooDeployment(t);
    await addSymbols(t, "NVDA", 15);
    const before = (await auditFor(t, "NVDA")).length;
    const res = await t.h.call(t.h.api.updateSymbol, {
      method: "PATCH",
      params: { symbol: "NVDA" },
      body: { pollIntervalSeconds: 15 },
    });
    expect(res.body).toMatchObject({ changed: false });
    expect(await auditFor(t, "NVDA")).toHaveLength(before);
  });

  it("400 for a poll interval on a replay or external symbol, even with a status change; nothing changed or audited", async () => {
    await addSymbols(t, "NVDA");
    await insertSymbols(t.database.db, [
      { symbol: "EXT", source: "external", status: "active", exchangeTimezone: "America/New_York" },
    ]);
    const before = await auditFor(t, "NVDA");
    const replay = await t.h.call(t.h.api.updateSymbol, {
      method: "PATCH",
      params: { symbol: "NVDA" },
      body: { status: "paused", pollIntervalSeconds: 15 },
    });
    expect(replay.status).toBe(400);
    expect(messageOf(replay.body)).toBe(
      "pollIntervalSeconds: NVDA is not polled (source replay): a poll interval would have no effect",
    );
    expect(await symbolRow(t, "NVDA")).toMatchObject({ status: "active", pollIntervalSeconds: 60 });
    expect(await auditFor(t, "NVDA")).toEqual(before);
    const external = await t.h.call(t.h.api.updateSymbol, {
      method: "PATCH",
      params: { symbol: "EXT" },
      body: { pollIntervalSeconds: 15 },
    });
    expect(external.status).toBe(400);
    expect(messageOf(external.body)).toMatch(/^pollIntervalSeconds: EXT is not polled \(source external\)/);
  });

  it("a Yahoo symbol in a replay deployment keeps its own source: its poll interval can be set", async () => {
    await insertSymbols(t.database.db, [
      { symbol: "IBM", source: "yahoo", status: "paused", exchangeTimezone: "America/New_York" },
    ]);
    const res = await t.h.call(t.h.api.updateSymbol, {
      method: "PATCH",
      params: { symbol: "IBM" },
      body: { pollIntervalSeconds: 120 },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ changed: true, symbol: { source: "yahoo", pollIntervalSeconds: 120 } });
    expect((await auditFor(t, "IBM"))[0]).toMatchObject({
      action: "symbol.poll_interval",
      before: { pollIntervalSeconds: 60 },
      after: { pollIntervalSeconds: 120 },
    });
  });

  it("400 for an empty change or an interval out of range; 404 for an unknown symbol; 400 for a malformed one", async () => {
    await addSymbols(t, "NVDA");
    expect(
      messageOf(
        (await t.h.call(t.h.api.updateSymbol, { method: "PATCH", params: { symbol: "NVDA" }, body: {} }))
          .body,
      ),
    ).toBe("send status and/or pollIntervalSeconds");
    expect(
      (
        await t.h.call(t.h.api.updateSymbol, {
          method: "PATCH",
          params: { symbol: "NVDA" },
          body: { pollIntervalSeconds: 3601 },
        })
      ).status,
    ).toBe(400);
    const unknown = await t.h.call(t.h.api.updateSymbol, {
      method: "PATCH",
      params: { symbol: "QQQ" },
      body: { status: "paused" },
    });
    expect(unknown.status).toBe(404);
    expect(messageOf(unknown.body)).toBe("QQQ is not a followed symbol");
    for (const symbol of INJECTIONS) {
      const res = await t.h.call(t.h.api.updateSymbol, {
        method: "PATCH",
        params: { symbol },
        body: { status: "paused" },
      });
      expect(res.status, symbol).toBe(400);
    }
    expect(
      (await t.h.call(t.h.api.removeSymbol, { method: "DELETE", params: { symbol: "NOPE" } })).status,
    ).toBe(404);
  });
});
