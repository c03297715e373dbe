import { describe, expect, it } from "vitest";

import {
  formatSymbolCursor,
  SYMBOLS_PAGE_DEFAULT_LIMIT,
  symbolsQuerySchema,
  toSymbolsSearch,
} from "@/lib/events/symbol-page";

const parse = (params: Record<string, string>) => symbolsQuerySchema.safeParse(params);

describe("symbolsQuerySchema", () => {
  it("defaults to the first page of everything", () => {
    expect(parse({}).data).toEqual({ q: null, limit: SYMBOLS_PAGE_DEFAULT_LIMIT, cursor: undefined });
  });

  it("trims the search, and a blank one means none", () => {
    expect(parse({ q: "  apple inc " }).data?.q).toBe("apple inc");
    expect(parse({ q: "   " }).data?.q).toBeNull();
  });

  it.each(["0", "-1", "501", "2.5", "ten", ""])("refuses limit=%j", (limit) => {
    expect(parse({ limit }).success).toBe(false);
  });

  it("accepts limit 1 and 500", () => {
    expect(parse({ limit: "1" }).data?.limit).toBe(1);
    expect(parse({ limit: "500" }).data?.limit).toBe(500);
  });

  it("reads back the cursor it formats", () => {
    const cursor = formatSymbolCursor({ rank: 1, symbol: "BRK-B" });
    expect(parse({ cursor }).data?.cursor).toEqual({ rank: 1, symbol: "BRK-B" });
  });

  it.each(["AAPL", "2:AAPL", "0:", "0:aapl'--", "1:<script>"])("refuses cursor=%j", (cursor) => {
    const result = parse({ cursor });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toMatch(/nextCursor of the previous page/);
  });

  it("refuses a search longer than 64 characters or with control characters", () => {
    expect(parse({ q: "a".repeat(65) }).success).toBe(false);
    expect(parse({ q: "a\u0000b" }).success).toBe(false);
    expect(parse({ q: "a".repeat(64) }).success).toBe(true);
  });
});

describe("toSymbolsSearch", () => {
  it("leaves out unset parts and encodes the rest", () => {
    expect(toSymbolsSearch({})).toBe("");
    expect(toSymbolsSearch({ q: "a&b", limit: 20, cursor: "0:AB" })).toBe("?q=a%26b&limit=20&cursor=0%3AAB");
  });
});
