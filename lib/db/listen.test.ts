import { pino } from "pino";
import { describe, expect, it } from "vitest";

import { createNotificationHandler, INVALID_NOTIFICATION_LOG_INTERVAL_MS } from "@/lib/db/listen";
import { symbolsChangedSchema, type SymbolsChanged } from "@/lib/events/symbols-changed";

function setup(onNotify: (change: SymbolsChanged) => void = () => undefined, clock = () => 0) {
  const logged: Record<string, unknown>[] = [];
  const logger = pino(
    { level: "debug" },
    { write: (line: string) => logged.push(JSON.parse(line) as Record<string, unknown>) },
  );
  const received: SymbolsChanged[] = [];
  const handle = createNotificationHandler({
    channel: "symbols_changed",
    schema: symbolsChangedSchema,
    logger,
    clock: () => clock(),
    onNotify: (change) => {
      received.push(change);
      onNotify(change);
    },
  });
  return { handle, received, logged };
}

describe("notification payloads", () => {
  it("hands a valid payload to the handler, parsed", () => {
    const { handle, received, logged } = setup();
    handle('{"op":"DELETE","symbol":"AAPL"}');
    expect(received).toEqual([{ op: "DELETE", symbol: "AAPL" }]);
    expect(logged).toEqual([]);
  });

  it.each([
    ["not JSON", "{op: UPDATE", /^not JSON: /],
    ["empty", "", /^not JSON: /],
    ["JSON of another shape", '["AAPL"]', /expected object/],
    ["an unknown operation", '{"op":"TRUNCATE","symbol":"AAPL"}', /^op: /],
    ["no symbol", '{"op":"UPDATE"}', /^symbol: /],
    ["an empty symbol", '{"op":"UPDATE","symbol":""}', /^symbol: /],
  ])("ignores and logs %s, without throwing", (_case, payload, reason) => {
    const { handle, received, logged } = setup();
    expect(() => handle(payload)).not.toThrow();
    expect(received).toEqual([]);
    expect(logged).toMatchObject([{ level: 40, msg: "invalid notification payload; ignored", payload }]);
    expect(logged[0]?.reason).toMatch(reason);
  });

  it("logs a handler that throws instead of letting it escape into pg's event emitter", () => {
    const { handle, logged } = setup(() => {
      throw new Error("socket gone");
    });
    expect(() => handle('{"op":"UPDATE","symbol":"MSFT"}')).not.toThrow();
    expect(logged).toMatchObject([{ level: 50, msg: "notification handler failed", err: "socket gone" }]);
  });

  it("logs the first invalid payload, then at most one summary a minute with the count ignored meanwhile", () => {
    let now = 1_000;
    const { handle, logged, received } = setup(undefined, () => now);
    handle("x");
    for (let i = 0; i < 500; i++) handle(`x${i}`);
    expect(logged).toHaveLength(1);
    now += INVALID_NOTIFICATION_LOG_INTERVAL_MS - 1;
    handle("still inside the minute");
    expect(logged).toHaveLength(1);
    handle('{"op":"UPDATE","symbol":"MSFT"}');
    expect(received).toEqual([{ op: "UPDATE", symbol: "MSFT" }]);
    now += 1;
    handle("y".repeat(10_000));
    expect(logged).toHaveLength(2);
    expect(logged[0]).toMatchObject({ payload: "x", ignoredSinceLastLog: 0 });
    expect(logged[1]).toMatchObject({ payload: "y".repeat(200), ignoredSinceLastLog: 501 });
  });

  it("keeps handling payloads after a bad one", () => {
    const { handle, received } = setup();
    handle("garbage");
    handle('{"op":"INSERT","symbol":"NVDA"}');
    expect(received).toEqual([{ op: "INSERT", symbol: "NVDA" }]);
  });
});
