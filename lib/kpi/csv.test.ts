import { describe, expect, it } from "vitest";

import { encodeCsvCell, toCsv, toCsvFileName } from "@/lib/kpi/csv";

describe("encodeCsvCell", () => {
  it("writes numbers in full precision and empties for missing or non-finite values", () => {
    expect(encodeCsvCell(187.123456789)).toBe("187.123456789");
    expect(encodeCsvCell(-0.5)).toBe("-0.5");
    expect(encodeCsvCell(null)).toBe("");
    expect(encodeCsvCell(undefined)).toBe("");
    expect(encodeCsvCell(Number.NaN)).toBe("");
    expect(encodeCsvCell(Number.POSITIVE_INFINITY)).toBe("");
  });

  it("quotes commas, quotes and line breaks, doubling quotes", () => {
    expect(encodeCsvCell("a,b")).toBe('"a,b"');
    expect(encodeCsvCell('say "hi"')).toBe('"say ""hi"""');
    expect(encodeCsvCell("two\nlines")).toBe('"two\nlines"');
    expect(encodeCsvCell("plain")).toBe("plain");
  });

  it("defuses text a spreadsheet would run as a formula", () => {
    expect(encodeCsvCell("=HYPERLINK(1)")).toBe("'=HYPERLINK(1)");
    expect(encodeCsvCell("+1")).toBe("'+1");
    expect(encodeCsvCell("-cmd")).toBe("'-cmd");
    expect(encodeCsvCell("@SUM(A1)")).toBe("'@SUM(A1)");
    expect(encodeCsvCell("=1,2")).toBe(`"'=1,2"`);
  });
});

describe("toCsv", () => {
  it("writes a header and one CRLF line per row", () => {
    const rows = [
      { symbol: "AAPL", close: 187.5 },
      { symbol: "BRK.B", close: null },
    ];
    const csv = toCsv(
      [
        { header: "symbol", value: (r: (typeof rows)[number]) => r.symbol },
        { header: "close", value: (r: (typeof rows)[number]) => r.close },
      ],
      rows,
    );
    expect(csv).toBe("symbol,close\r\nAAPL,187.5\r\nBRK.B,\r\n");
  });

  it("writes only the header for no rows", () => {
    expect(toCsv([{ header: "a", value: () => 1 }], [])).toBe("a\r\n");
  });
});

describe("toCsvFileName", () => {
  it("keeps safe characters and replaces the rest", () => {
    expect(toCsvFileName(["AAPL", "2026-03-16"])).toBe("tickstream-AAPL-2026-03-16.csv");
    expect(toCsvFileName(["../etc/passwd", "a b"])).toBe("tickstream-.._etc_passwd-a_b.csv");
    expect(toCsvFileName(["watchlist", ""])).toBe("tickstream-watchlist.csv");
  });
});
