import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { listenForNotifications, type NotificationListener } from "@/lib/db/listen";
import { insertSymbols } from "@/lib/db/queries/symbols";
import {
  SYMBOLS_CHANGED_CHANNEL,
  symbolsChangedSchema,
  type SymbolsChanged,
} from "@/lib/events/symbols-changed";

import { createTestDatabase, testLogger, waitFor, type TestDatabase } from "./helpers";

let database: TestDatabase;
let listener: NotificationListener;
const received: SymbolsChanged[] = [];
let reconnects = 0;

const notify = (payload: string) =>
  database.db.execute(sql`select pg_notify(${SYMBOLS_CHANGED_CHANNEL}, ${payload})`);

beforeAll(async () => {
  database = await createTestDatabase();
  listener = listenForNotifications({
    url: database.url,
    channel: SYMBOLS_CHANGED_CHANNEL,
    schema: symbolsChangedSchema,
    logger: testLogger,
    onNotify: (change) => received.push(change),
    onReconnect: () => reconnects++,
  });
  await waitFor("the listener connects", () => listener.connected);
});

afterAll(async () => {
  await listener?.stop();
  await database?.drop();
});

describe("LISTEN symbols_changed", () => {
  it("parses what the symbols trigger sends", async () => {
    await insertSymbols(database.db, [{ symbol: "ZZTOP", exchangeTimezone: "America/New_York" }]);
    await waitFor("the trigger's notification", () => received.some((c) => c.symbol === "ZZTOP"));
    expect(received).toContainEqual({ op: "INSERT", symbol: "ZZTOP" });
  });

  it("drops payloads that are not JSON or not the schema, and keeps listening", async () => {
    received.length = 0;
    await notify("not json");
    await notify('{"op":"TRUNCATE","symbol":"AAPL"}');
    await notify('{"op":"UPDATE","symbol":"MSFT"}');
    await waitFor("the valid notification", () => received.length > 0);
    expect(received).toEqual([{ op: "UPDATE", symbol: "MSFT" }]);
    expect(listener.connected).toBe(true);
  });

  it("reconnects with backoff after its connection is killed, and says so", async () => {
    received.length = 0;
    await database.db.execute(
      sql`select pg_terminate_backend(pid) from pg_stat_activity
          where datname = current_database() and application_name = ${`tickstream-listen-${SYMBOLS_CHANGED_CHANNEL}`}`,
    );
    await waitFor("the listener reconnects", () => reconnects === 1 && listener.connected, 20_000);
    await notify('{"op":"DELETE","symbol":"NVDA"}');
    await waitFor("a notification after the reconnect", () => received.length > 0);
    expect(received).toEqual([{ op: "DELETE", symbol: "NVDA" }]);
  });
});
