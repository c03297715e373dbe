import { pino } from "pino";
import { describe, expect, it } from "vitest";

import { createNotificationHandler } from "@/lib/db/listen";
import { symbolsChangedSchema, type SymbolsChanged } from "@/lib/events/symbols-changed";

function setup(onNotify: (change: SymbolsChanged) => void = () => undefined) {
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

  it("keeps handling payloads after a bad one", () => {
    const { handle, received } = setup();
    handle("garbage");
    handle('{"op":"INSERT","symbol":"NVDA"}');
    expect(received).toEqual([{ op: "INSERT", symbol: "NVDA" }]);
  });
});
