import { createServer, type Server as HttpServer } from "node:http";
import type { AddressInfo } from "node:net";

import { sql } from "drizzle-orm";
import { io as connectSocket, type Socket } from "socket.io-client";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";

import { readSymbolSummaries } from "@/lib/api/symbol-summary";
import { listenForNotifications, type NotificationListener } from "@/lib/db/listen";
import { insertSymbols, updateSymbol } from "@/lib/db/queries/symbols";
import {
  SYMBOLS_CHANGED_CHANNEL,
  SYMBOLS_DELTA_MAX_CHANGES,
  symbolsChangedSchema,
  symbolsDeltaSchema,
  type SymbolsDelta,
} from "@/lib/events/symbols-changed";
import { createConsumer } from "@/lib/kafka/client";
import { attachRealtime } from "@/lib/realtime/server";
import { createSymbolsRelay, type SymbolsRelay } from "@/lib/realtime/symbols-relay";

import {
  createTestDatabase,
  createTestKafka,
  createTestTopics,
  testLogger,
  uniqueId,
  waitFor,
  type TestDatabase,
} from "./helpers";

/** Coalescing interval of this test (the web process uses 500 ms). */
const INTERVAL_MS = 250;

let database: TestDatabase;
let web: HttpServer;
let realtime: ReturnType<typeof attachRealtime>;
let relay: SymbolsRelay;
let listener: NotificationListener;
let browser: Socket;
const received: SymbolsDelta[] = [];

const notify = (payload: string) =>
  database.db.execute(sql`select pg_notify(${SYMBOLS_CHANGED_CHANNEL}, ${payload})`);
const changesOf = (events: SymbolsDelta[]) => events.flatMap((e) => e.changes);

/** Lets a change that is already on its way arrive: a few coalescing intervals with nothing new. */
async function settle(): Promise<void> {
  let seen = -1;
  await waitFor(
    "the symbols:changed events to settle",
    () => {
      const isSettled = seen === received.length;
      seen = received.length;
      return isSettled;
    },
    20_000,
    INTERVAL_MS * 4,
  );
}

// The web process's wiring (server.ts): LISTEN → relay (re-reads PostgreSQL) → Socket.IO to every page.
beforeAll(async () => {
  database = await createTestDatabase();
  const topics = await createTestTopics(1);
  web = createServer();
  realtime = attachRealtime(web, {
    consumer: createConsumer(createTestKafka(), { groupId: uniqueId("web") }),
    topic: topics.kpis,
    logger: testLogger,
    moversWindows: [5],
  });
  relay = createSymbolsRelay({
    readSummaries: (list) => readSymbolSummaries(database.db, list, "replay"),
    emit: (delta) => realtime.emitSymbolsChanged(delta),
    logger: testLogger,
    intervalMs: INTERVAL_MS,
  });
  listener = listenForNotifications({
    url: database.url,
    channel: SYMBOLS_CHANGED_CHANNEL,
    schema: symbolsChangedSchema,
    logger: testLogger,
    onNotify: (hint) => relay.notify(hint),
    onReconnect: () => relay.invalidateAll(),
  });
  await new Promise<void>((resolve) => web.listen(0, "127.0.0.1", resolve));
  browser = connectSocket(`http://127.0.0.1:${(web.address() as AddressInfo).port}`, {
    transports: ["websocket"],
  });
  browser.on("symbols:changed", (delta: unknown) => received.push(symbolsDeltaSchema.parse(delta)));
  await waitFor("the listener and the browser connect", () => listener.connected && browser.connected);
});

afterAll(async () => {
  browser?.close();
  await listener?.stop();
  await relay?.stop();
  await realtime?.close();
  await database?.drop();
});

beforeEach(async () => {
  await settle();
  received.length = 0;
});

describe("symbols:changed", () => {
  it("carries each change as PostgreSQL holds it: added with its summary, updated, deleted", async () => {
    await insertSymbols(database.db, [
      { symbol: "ZZNEW", displayName: "Zed New", exchangeTimezone: "Europe/Berlin" },
    ]);
    await waitFor("the addition", () => changesOf(received).length > 0);
    expect(changesOf(received)).toEqual([
      {
        op: "added",
        summary: {
          symbol: "ZZNEW",
          displayName: "Zed New",
          status: "active",
          statusReason: null,
          source: "replay",
          marketState: null,
          exchangeTimezone: "Europe/Berlin",
          lastTickAt: null,
        },
      },
    ]);

    received.length = 0;
    await updateSymbol(database.db, "ZZNEW", { status: "paused", statusReason: "held" });
    await waitFor("the update", () => changesOf(received).length > 0);
    expect(changesOf(received)).toMatchObject([
      { op: "updated", summary: { symbol: "ZZNEW", status: "paused", statusReason: "held" } },
    ]);

    received.length = 0;
    await database.db.execute(sql`delete from symbols where symbol = 'ZZNEW'`);
    await waitFor("the deletion", () => changesOf(received).length > 0);
    expect(changesOf(received)).toEqual([{ op: "deleted", symbol: "ZZNEW" }]);
    expect(received.every((e) => !e.isReloadNeeded)).toBe(true);
  });

  it("coalesces changes close together into one event, each symbol once", async () => {
    await insertSymbols(database.db, [{ symbol: "ZZA", exchangeTimezone: "America/New_York" }]);
    await updateSymbol(database.db, "ZZA", { displayName: "Zed A" });
    await insertSymbols(database.db, [{ symbol: "ZZB", exchangeTimezone: "America/New_York" }]);
    await settle();
    expect(received).toHaveLength(1);
    expect(received[0]!.changes).toMatchObject([
      // Added (it did not exist before the interval) and already named: what the row holds now.
      { op: "added", summary: { symbol: "ZZA", displayName: "Zed A" } },
      { op: "added", summary: { symbol: "ZZB" } },
    ]);
  });

  it("a flood of 3,000 new symbols in 30 statements reaches the browser as a few reload hints, not 3,000 changes", async () => {
    const startedAt = Date.now();
    for (let batch = 0; batch < 30; batch++) {
      await insertSymbols(
        database.db,
        Array.from({ length: 100 }, (_, i) => ({
          symbol: `ZF${batch}X${i}`,
          exchangeTimezone: "America/New_York",
        })),
      );
    }
    const floodMs = Date.now() - startedAt;
    await settle();
    // At most one event per interval the flood lasted (plus the one closing it), whatever its size.
    expect(received.length).toBeGreaterThan(0);
    expect(received.length).toBeLessThanOrEqual(Math.ceil(floodMs / INTERVAL_MS) + 2);
    expect(received.some((e) => e.isReloadNeeded)).toBe(true);
    expect(received.every((e) => e.changes.length <= SYMBOLS_DELTA_MAX_CHANGES)).toBe(true);
    expect(changesOf(received).length).toBeLessThanOrEqual(SYMBOLS_DELTA_MAX_CHANGES * received.length);
    testLogger.info({ floodMs, events: received.length }, "flood relayed");
  });

  it("a forged notification is a hint only: a symbol without a row is reported deleted, never added, and junk is dropped", async () => {
    await notify('{"op":"INSERT","symbol":"FORGED"}');
    await notify('{"op":"UPDATE","symbol":"x\'; drop table symbols;--"}');
    await notify("not json");
    await notify('{"op":"TRUNCATE","symbol":"AAPL"}');
    await settle();
    expect(changesOf(received)).toEqual([{ op: "deleted", symbol: "FORGED" }]);
    expect(received.every((e) => !e.isReloadNeeded)).toBe(true);
  });

  it("after the listener reconnects, pages are told to reload what they show (changes meanwhile are unknown)", async () => {
    await database.db.execute(
      sql`select pg_terminate_backend(pid) from pg_stat_activity
          where datname = current_database() and application_name = ${`tickstream-listen-${SYMBOLS_CHANGED_CHANNEL}`}`,
    );
    await waitFor("the reload hint", () => received.some((e) => e.isReloadNeeded), 20_000);
    expect(received.filter((e) => e.isReloadNeeded)).toEqual([{ changes: [], isReloadNeeded: true }]);
  });
});
