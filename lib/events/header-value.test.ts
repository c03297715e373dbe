import { describe, expect, it } from "vitest";

import { decodeHeaders, decodeHeaderValue } from "@/lib/events/header-value";

describe("decodeHeaderValue", () => {
  it("reads a Buffer or a string, the first of a repeated name, and nothing else", () => {
    expect(decodeHeaderValue(Buffer.from("42"))).toBe("42");
    expect(decodeHeaderValue("42")).toBe("42");
    expect(decodeHeaderValue([Buffer.from("1"), "2"])).toBe("1");
    expect(decodeHeaderValue(undefined)).toBeUndefined();
    expect(decodeHeaderValue(42)).toBeUndefined();
  });
});

describe("decodeHeaders", () => {
  it("decodes every header it can read and leaves the others out", () => {
    expect(decodeHeaders({ a: Buffer.from("x"), b: "y", c: ["z", "w"], d: undefined, e: 7 })).toEqual({
      a: "x",
      b: "y",
      c: "z",
    });
    expect(decodeHeaders(undefined)).toEqual({});
  });
});
