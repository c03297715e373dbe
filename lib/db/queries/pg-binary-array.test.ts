import { describe, expect, it } from "vitest";

import { encodeBinaryArray, encodeBinaryCopy } from "@/lib/db/queries/pg-binary-array";

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

describe("encodeBinaryCopy", () => {
  const SIGNATURE = [0x50, 0x47, 0x43, 0x4f, 0x50, 0x59, 0x0a, 0xff, 0x0d, 0x0a, 0x00];

  it("writes the signature, each row's field count, each field's length and bytes, NULL as -1, the trailer", () => {
    // Three rows of two columns: a field count written as the row count (or any constant) shows.
    const copy = encodeBinaryCopy([
      { values: [7, null, -1], sqlType: "integer" },
      { values: ["é", "ab", null], sqlType: "text" },
    ])!;
    expect([...copy.subarray(0, 11)]).toEqual(SIGNATURE);
    expect(copy.readInt32BE(11)).toBe(0); // flags
    expect(copy.readInt32BE(15)).toBe(0); // header extension
    let o = 19;
    const row = () => {
      const fields: (Buffer | null)[] = [];
      const count = copy.readInt16BE(o);
      o += 2;
      for (let i = 0; i < count; i++) {
        const size = copy.readInt32BE(o);
        o += 4;
        fields.push(size < 0 ? null : copy.subarray(o, o + size));
        o += Math.max(size, 0);
      }
      return fields;
    };
    const [a, b, c] = [row(), row(), row()];
    expect(a.length).toBe(2);
    expect(a[0]!.readInt32BE(0)).toBe(7);
    expect(a[1]!.toString("utf8")).toBe("é");
    expect(b[0]).toBeNull();
    expect(b[1]!.toString("utf8")).toBe("ab");
    expect(c[0]!.readInt32BE(0)).toBe(-1);
    expect(c[1]).toBeNull();
    expect(copy.readInt16BE(o)).toBe(-1);
    expect(o + 2).toBe(copy.length);
  });

  it("writes each type's value as its array element (the codecs the array tests check)", () => {
    const cases: [unknown, string][] = [
      [1.5, "double precision"],
      [-0, "double precision"],
      [2 ** 40 + 3, "bigint"],
      [Date.UTC(2026, 11, 2, 6, 0, 1, 234), "timestamp with time zone"],
      ["2026-12-02", "date"],
      [true, "boolean"],
    ];
    for (const [value, sqlType] of cases) {
      const element = encodeBinaryArray([value], sqlType)!.subarray(24);
      const copy = encodeBinaryCopy([{ values: [value], sqlType }])!;
      expect(copy.readInt16BE(19)).toBe(1);
      expect(copy.readInt32BE(21)).toBe(element.length);
      expect(copy.subarray(25, 25 + element.length)).toEqual(element);
    }
  });

  it("gives up (null) on a type without a codec or a value that does not fit it; unequal columns throw", () => {
    expect(encodeBinaryCopy([{ values: [1], sqlType: "numeric" }])).toBeNull();
    expect(encodeBinaryCopy([{ values: [1, 1.5], sqlType: "bigint" }])).toBeNull();
    expect(() =>
      encodeBinaryCopy([
        { values: [1, 2], sqlType: "integer" },
        { values: [1], sqlType: "integer" },
      ]),
    ).toThrow(/one per row/);
  });
});
