import { describe, expect, it } from "vitest";

import { encodeBinaryArray } from "@/lib/db/queries/pg-binary-array";

describe("encodeBinaryArray", () => {
  it("writes the header, each element's length and its bytes, NULL as length -1", () => {
    const buffer = encodeBinaryArray([7, null, -2], "integer")!;
    const ints = Array.from({ length: buffer.length / 4 }, (_, i) => buffer.readInt32BE(i * 4));
    // dimensions, has nulls, element type int4, length, lower bound; then (length, value) pairs.
    expect(ints).toEqual([1, 1, 23, 3, 1, 4, 7, -1, 4, -2]);
  });

  it("writes a timestamp given as epoch ms exactly as the same Date", () => {
    const ms = [
      Date.UTC(2026, 10, 30, 14, 31),
      0,
      Date.UTC(1999, 11, 31, 23, 59, 59, 999),
      4_102_444_800_000,
    ];
    const type = "timestamp with time zone";
    expect(encodeBinaryArray(ms, type)).toEqual(
      encodeBinaryArray(
        ms.map((m) => new Date(m)),
        type,
      ),
    );
    expect(encodeBinaryArray([Number.NaN], type)).toBeNull();
    expect(encodeBinaryArray([Number.POSITIVE_INFINITY], type)).toBeNull();
  });

  it("writes bigints and timestamps as 64-bit integers, timestamps in µs since 2000-01-01", () => {
    const big = encodeBinaryArray([-4_294_967_297], "bigint")!;
    expect(big.readBigInt64BE(24)).toBe(-4_294_967_297n);
    const ts = encodeBinaryArray([new Date("2000-01-01T00:00:01.5Z")], "timestamp with time zone")!;
    expect(ts.readUInt32BE(8)).toBe(1184);
    expect(ts.readBigInt64BE(24)).toBe(1_500_000n);
  });

  it("gives up (null) on a type without a codec or a value that does not fit it, so that text is sent", () => {
    expect(encodeBinaryArray([{ a: 1 }], "jsonb")).toBeNull();
    expect(encodeBinaryArray([1.5], "integer")).toBeNull();
    expect(encodeBinaryArray([2 ** 31], "integer")).toBeNull();
    expect(encodeBinaryArray([2 ** 53], "bigint")).toBeNull();
    expect(encodeBinaryArray(["1.5"], "double precision")).toBeNull();
    expect(encodeBinaryArray([new Date(Number.NaN)], "timestamp with time zone")).toBeNull();
    expect(encodeBinaryArray(["2026-02-30"], "date")).toBeNull();
    expect(encodeBinaryArray(["12/03/2026"], "date")).toBeNull();
  });

  it("converts each date of a run of equal ones the same, a bad one among good ones included", () => {
    const days = (buffer: Buffer | null) => {
      if (!buffer) return null;
      const n = buffer.readInt32BE(12);
      return Array.from({ length: n }, (_, i) => buffer.readInt32BE(20 + i * 8 + 4));
    };
    // 2026-03-12 is day 9,567 after 2000-01-01.
    expect(days(encodeBinaryArray(["2026-03-12", "2026-03-12", "2026-03-13"], "date"))).toEqual([
      9567, 9567, 9568,
    ]);
    expect(encodeBinaryArray(["2026-03-12", "2026-02-30", "2026-02-30"], "date")).toBeNull();
    expect(encodeBinaryArray(["2026-02-30"], "date")).toBeNull();
    expect(days(encodeBinaryArray(["2026-03-13", "2026-03-13"], "date"))).toEqual([9568, 9568]);
  });
});
