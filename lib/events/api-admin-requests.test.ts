import { describe, expect, it } from "vitest";

import {
  addSymbolsBodySchema,
  auditQuerySchema,
  loginBodySchema,
  purgeSymbolBodySchema,
  symbolParamSchema,
  updateSymbolBodySchema,
} from "@/lib/events/api-admin-requests";

const firstMessage = (result: { success: boolean; error?: { issues: { message: string }[] } }) =>
  result.error?.issues[0]?.message;

describe("add symbols body", () => {
  it("splits a comma/space list, upper-cases and de-duplicates", () => {
    expect(addSymbolsBodySchema.parse({ symbols: "nvda, META  brk-b,nvda ^gspc" }).symbols).toEqual([
      "NVDA",
      "META",
      "BRK-B",
      "^GSPC",
    ]);
    expect(addSymbolsBodySchema.parse({ symbols: ["aapl", "msft"] }).symbols).toEqual(["AAPL", "MSFT"]);
  });

  it("refuses the whole list when any entry is injection or markup, naming the offenders", () => {
    // DROP, TABLE and SYMBOLS are well-formed tickers; AAPL' and -- are not, so nothing is accepted.
    const result = addSymbolsBodySchema.safeParse({ symbols: "AAPL'; DROP TABLE symbols;--" });
    expect(result.success).toBe(false);
    expect(firstMessage(result)).toMatch(/^not a valid symbol: "AAPL'", "--"; a symbol is letters/);
    expect(addSymbolsBodySchema.safeParse({ symbols: "<script>alert(1)</script>" }).success).toBe(false);
  });

  it("refuses an empty list and more than 50 symbols", () => {
    expect(firstMessage(addSymbolsBodySchema.safeParse({ symbols: " , " }))).toBe(
      "enter at least one symbol, e.g. AAPL",
    );
    const many = Array.from({ length: 51 }, (_, i) => `S${i}`).join(",");
    expect(firstMessage(addSymbolsBodySchema.safeParse({ symbols: many }))).toBe(
      "add at most 50 symbols at a time (got 51)",
    );
  });

  it("takes an optional poll interval between 5 and 3600 whole seconds", () => {
    expect(addSymbolsBodySchema.parse({ symbols: "A", pollIntervalSeconds: 5 }).pollIntervalSeconds).toBe(5);
    expect(addSymbolsBodySchema.safeParse({ symbols: "A", pollIntervalSeconds: 4 }).success).toBe(false);
    expect(addSymbolsBodySchema.safeParse({ symbols: "A", pollIntervalSeconds: 3601 }).success).toBe(false);
    expect(addSymbolsBodySchema.safeParse({ symbols: "A", pollIntervalSeconds: 7.5 }).success).toBe(false);
  });

  it("refuses unknown fields and a missing list", () => {
    expect(addSymbolsBodySchema.safeParse({ symbols: "A", status: "active" }).success).toBe(false);
    expect(firstMessage(addSymbolsBodySchema.safeParse({}))).toMatch(/^symbols is required/);
  });
});

describe("update symbol body", () => {
  it("accepts pause, resume and a poll interval, alone or together", () => {
    expect(updateSymbolBodySchema.parse({ status: "paused" })).toEqual({ status: "paused" });
    expect(updateSymbolBodySchema.parse({ status: "active", pollIntervalSeconds: 3600 })).toEqual({
      status: "active",
      pollIntervalSeconds: 3600,
    });
  });

  it("refuses an empty change, other statuses and out-of-range intervals", () => {
    expect(firstMessage(updateSymbolBodySchema.safeParse({}))).toBe("send status and/or pollIntervalSeconds");
    expect(updateSymbolBodySchema.safeParse({ status: "removed" }).success).toBe(false);
    expect(firstMessage(updateSymbolBodySchema.safeParse({ pollIntervalSeconds: 1 }))).toBe(
      "must be between 5 and 3600 seconds",
    );
    expect(updateSymbolBodySchema.safeParse({ pollIntervalSeconds: "60" }).success).toBe(false);
  });
});

describe("other admin inputs", () => {
  it("symbol path parameter: normalised, and only tickers", () => {
    expect(symbolParamSchema.parse(" nvda ")).toBe("NVDA");
    expect(symbolParamSchema.safeParse("AAPL'; DROP TABLE symbols;--").success).toBe(false);
    expect(symbolParamSchema.safeParse("<script>").success).toBe(false);
  });

  it("login: both fields required, bounded", () => {
    expect(loginBodySchema.safeParse({ username: "admin", password: "x" }).success).toBe(true);
    expect(firstMessage(loginBodySchema.safeParse({ username: "admin" }))).toBe("password is required");
    expect(loginBodySchema.safeParse({ username: "admin", password: "x".repeat(1025) }).success).toBe(false);
  });

  it("purge: confirm is required", () => {
    expect(firstMessage(purgeSymbolBodySchema.safeParse({}))).toMatch(/confirm is required/);
  });

  it("audit query: limit 1..200 (default 50), optional cursor", () => {
    expect(auditQuerySchema.parse({})).toEqual({ limit: 50 });
    expect(auditQuerySchema.parse({ limit: "10", before: "99" })).toEqual({ limit: 10, before: 99 });
    expect(auditQuerySchema.safeParse({ limit: "0" }).success).toBe(false);
  });
});
